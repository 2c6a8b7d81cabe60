package io.storefrontsync.worker.job;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * Readiness check {@code jobs}: UP while the queue drains. DOWN when the oldest due job has waited longer
 * than {@code storefront.jobs.ready-max-delay} for a worker (every instance is stuck or busy beyond its
 * capacity), or when the queue cannot be read. The counts are in the check's data either way.
 */
@Readiness
@ApplicationScoped
public class JobQueueHealthCheck implements AsyncHealthCheck {

    static final String NAME = "jobs";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final JobQueueStats stats;
    private final Duration maxDelay;

    public JobQueueHealthCheck(JobQueueStats stats, JobsConfig config) {
        this.stats = stats;
        this.maxDelay = config.readyMaxDelay();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return stats.backlog()
                .ifNoItem().after(TIMEOUT).failWith(() -> new IllegalStateException("no answer within " + TIMEOUT))
                .map(this::judge)
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named(NAME).down()
                        .withData("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                        .build());
    }

    private HealthCheckResponse judge(JobQueueStats.Backlog backlog) {
        boolean draining = backlog.oldestDue().compareTo(maxDelay) <= 0;
        return HealthCheckResponse.named(NAME).status(draining)
                .withData("pending", backlog.pending())
                .withData("due", backlog.due())
                .withData("running", backlog.running())
                .withData("oldest_due_seconds", backlog.oldestDue().toSeconds())
                .withData("max_delay_seconds", maxDelay.toSeconds())
                .build();
    }
}
