package io.storefrontsync.worker.spaces;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.time.Duration;

/** Ready only when the Spaces bucket answers: a worker that cannot write documents should get no jobs. */
@Readiness
@ApplicationScoped
public class SpacesHealthCheck implements AsyncHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final S3AsyncClient s3;
    private final String bucket;

    public SpacesHealthCheck(@Spaces S3AsyncClient s3, SpacesConfig spaces) {
        this.s3 = s3;
        this.bucket = spaces.bucket();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().completionStage(() -> s3.headBucket(b -> b.bucket(bucket)))
                .map(ignored -> HealthCheckResponse.named("spaces").up().withData("bucket", bucket).build())
                .ifNoItem().after(TIMEOUT).failWith(() -> new IllegalStateException("no answer within " + TIMEOUT))
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("spaces").down()
                        .withData("bucket", bucket)
                        .withData("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                        .build());
    }
}
