package io.storefrontsync.worker.job;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges of the whole queue (all instances), re-read from {@code worker.jobs} on a timer with reactive
 * queries, so a Prometheus scrape only reads numbers already in memory:
 * {@code storefront_jobs_by_state{state}}, {@code storefront_jobs_due} and
 * {@code storefront_jobs_oldest_due_seconds} (see {@link JobStore#backlog()} for "due").
 */
@Startup
@ApplicationScoped
public class JobQueueGauges {

    private static final Logger LOG = Logger.getLogger(JobQueueGauges.class);

    private final JobStore store;
    private final Map<String, AtomicLong> byState = new ConcurrentHashMap<>();
    private final AtomicLong due = new AtomicLong();
    private final AtomicLong oldestDueSeconds = new AtomicLong();

    public JobQueueGauges(JobStore store, MeterRegistry registry) {
        this.store = store;
        // Quarkus' test restarts share Micrometer's global registry: a gauge left by an earlier application in this
        // JVM would be returned by register() still bound to that application's value.
        for (String name : List.of("storefront.jobs.by.state", "storefront.jobs.due", "storefront.jobs.oldest.due.seconds")) {
            registry.find(name).meters().forEach(registry::remove);
        }
        for (String state : JobStore.STATUSES) {
            AtomicLong count = new AtomicLong();
            byState.put(state, count);
            Gauge.builder("storefront.jobs.by.state", count, AtomicLong::get)
                    .description("Jobs in the queue table by status, all instances").tag("state", state)
                    .register(registry);
        }
        Gauge.builder("storefront.jobs.due", due, AtomicLong::get)
                .description("Pending jobs a worker could claim now").register(registry);
        Gauge.builder("storefront.jobs.oldest.due.seconds", oldestDueSeconds, AtomicLong::get)
                .description("How long the oldest due job has waited for a worker").register(registry);
    }

    /** Re-reads the gauges; a failure only logs and leaves the last values (readiness reports the database). */
    @Scheduled(identity = "job-queue-gauges", every = "{storefront.jobs.gauge-interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> refresh() {
        return store.countsByStatus()
                .invoke(counts -> counts.forEach((state, n) -> byState.computeIfAbsent(state, s -> new AtomicLong()).set(n)))
                .chain(ignored -> store.backlog())
                .invoke(backlog -> {
                    due.set(backlog.due());
                    oldestDueSeconds.set(backlog.oldestDue().toSeconds());
                })
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("job gauges not refreshed: %s", e.getMessage());
                    return null;
                });
    }
}
