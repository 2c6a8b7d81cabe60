package io.storefrontsync.worker.config;

import io.quarkus.runtime.StartupEvent;
import io.storefrontsync.worker.spaces.Spaces;
import io.storefrontsync.worker.spaces.SpacesConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.util.concurrent.TimeUnit;

/**
 * The AWS SDK builds much of its machinery (signers, endpoint rules, the Netty client) lazily, on
 * the thread of the first request, for seconds. That first request would otherwise come from the
 * job runner on a Vert.x event loop; one HEAD of the bucket on the startup thread (where waiting is
 * allowed) pays the cost before any job runs. A failure here is only logged: readiness reports an
 * unreachable Spaces.
 */
@ApplicationScoped
public class SpacesClientWarmup {

    private static final Logger LOG = Logger.getLogger(SpacesClientWarmup.class);

    void warmUp(@Observes StartupEvent event, @Spaces S3AsyncClient s3, SpacesConfig spaces) {
        String bucket = spaces.bucket();
        long start = System.nanoTime();
        try {
            s3.headBucket(b -> b.bucket(bucket)).get(30, TimeUnit.SECONDS);
            LOG.debugf("Spaces client ready in %d ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("Spaces bucket %s not reachable at start (%s); readiness will say so", bucket,
                    e.getCause() == null ? e.getClass().getSimpleName() : e.getCause().getClass().getSimpleName());
        }
    }
}
