package io.storefrontsync.worker.job;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The worker's part of a graceful stop (SIGTERM, a deploy): without it every running job would wait out its
 * 60 s lease on a dead instance and then count a failed attempt. Quarkus fires {@link ShutdownEvent} after its own
 * graceful phase (HTTP requests in flight) and before it closes the database pool, so the queue is still reachable
 * here.
 *
 * <p>The runner stops claiming at once; the jobs running get up to {@code quarkus.shutdown.timeout} to finish; the
 * rest are handed back ({@link SyncJobQueue#handBack}: lease released, due now, no attempt counted, a resumed bulk
 * job parked again) for another instance's next poll, a second or so later.
 */
@ApplicationScoped
class JobRunnerShutdown {

    private static final Logger LOG = Logger.getLogger(JobRunnerShutdown.class);
    private static final Duration HAND_BACK_TIMEOUT = Duration.ofSeconds(10);
    private static final long WAIT_STEP_MILLIS = 50;

    private final JobRunner runner;
    private final Duration grace;

    JobRunnerShutdown(JobRunner runner,
                      @ConfigProperty(name = "quarkus.shutdown.timeout") Optional<Duration> grace) {
        this.runner = runner;
        this.grace = grace.orElse(Duration.ZERO);
    }

    /** Runs on the thread stopping Quarkus, never an event loop: waiting here blocks nothing else. */
    void onStop(@Observes ShutdownEvent event) {
        runner.stopClaiming();
        int runningAtStop = runner.runningJobs();
        long started = System.nanoTime();
        long deadline = started + grace.toNanos();
        while (runner.runningJobs() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(WAIT_STEP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long waitedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        if (runner.runningJobs() == 0) {
            LOG.infof("shutdown: stopped claiming; %d running job(s) finished within %d ms", runningAtStop, waitedMillis);
            return;
        }
        try {
            List<SyncJob> handedBack = runner.handBackUnfinished().await().atMost(HAND_BACK_TIMEOUT);
            LOG.infof("shutdown: stopped claiming; after %d ms (quarkus.shutdown.timeout %s) handed back %d unfinished "
                            + "job(s), no attempt counted: %s", waitedMillis, grace, handedBack.size(),
                    handedBack.stream().map(job -> job.id() + " (" + job.target() + ")").toList());
        } catch (RuntimeException e) {
            LOG.warnf("shutdown: handing back the unfinished jobs failed, they come back when their lease expires: %s",
                    e.toString());
        }
    }
}
