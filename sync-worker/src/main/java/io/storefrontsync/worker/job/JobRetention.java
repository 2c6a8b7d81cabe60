package io.storefrontsync.worker.job;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Deletes finished jobs (succeeded, failed, dead, cancelled) once they are older than
 * {@code storefront.jobs.retention}, so the queue table, its gauges' query and readiness check stay
 * small however long the worker runs. Pending and running jobs are never touched. Deletes in
 * batches of {@code storefront.jobs.purge-batch} rows, each its own short statement, so a large
 * backlog of old rows never holds locks for long. Idempotent: every instance may run it.
 */
@ApplicationScoped
public class JobRetention {

    private static final Logger LOG = Logger.getLogger(JobRetention.class);

    private final JobStore store;
    private final JobsConfig config;

    public JobRetention(JobStore store, JobsConfig config) {
        this.store = store;
        this.config = config;
    }

    @Scheduled(every = "{storefront.jobs.purge-every}", delayed = "60s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledPurge() {
        return purge().invoke(count -> {
            if (count > 0) {
                LOG.infof("purged %d jobs finished more than %s ago", count, config.retention());
            }
        }).replaceWithVoid();
    }

    /** @return the number of jobs deleted */
    public Uni<Long> purge() {
        return purge(config.purgeBatch());
    }

    Uni<Long> purge(int batch) {
        return store.deleteFinishedBefore(config.retention(), batch)
                .map(Integer::longValue)
                .repeat().whilst(deleted -> deleted == batch)
                .collect().with(java.util.stream.Collectors.summingLong(Long::longValue));
    }
}
