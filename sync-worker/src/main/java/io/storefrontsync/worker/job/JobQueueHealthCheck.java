package io.storefrontsync.worker.job;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * Readiness check {@code jobs}: DOWN when the queue does not drain because of this instance — a due job has
 * waited longer than {@code storefront.jobs.ready-max-delay} and this instance has not claimed anything in that
 * time although it had free slots (its poll stopped, or its claims fail) — or when the queue cannot be read.
 * A long queue that is being worked through (the daily poll of many shops, a backlog after an outage) keeps
 * the instances UP: taking busy workers out of service would not drain it faster. The backlog is the check's
 * data either way, and {@code storefront_jobs_oldest_due_seconds} graphs it.
 */
@Readiness
@ApplicationScoped
public class JobQueueHealthCheck implements AsyncHealthCheck {

    static final String NAME = "jobs";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final JobStore store;
    private final JobRunner runner;
    private final Duration maxDelay;

    public JobQueueHealthCheck(JobStore store, JobRunner runner, JobsConfig config) {
        this.store = store;
        this.runner = runner;
        this.maxDelay = config.readyMaxDelay();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return store.backlog()
                .ifNoItem().after(TIMEOUT).failWith(() -> new IllegalStateException("no answer within " + TIMEOUT))
                .map(this::judge)
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named(NAME).down()
                        .withData("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                        .build());
    }

    private HealthCheckResponse judge(JobStore.Backlog backlog) {
        Duration sinceProgress = runner.sinceLastProgress();
        boolean stuck = backlog.oldestDue().compareTo(maxDelay) > 0 && sinceProgress.compareTo(maxDelay) > 0;
        return HealthCheckResponse.named(NAME).status(!stuck)
                .withData("pending", backlog.pending())
                .withData("due", backlog.due())
                .withData("running", backlog.running())
                .withData("oldest_due_seconds", backlog.oldestDue().toSeconds())
                .withData("since_last_claim_seconds", sinceProgress.toSeconds())
                .withData("max_delay_seconds", maxDelay.toSeconds())
                .build();
    }
}
