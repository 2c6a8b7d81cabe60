package io.storefrontsync.worker.job;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Polls the queue and runs due jobs, at most {@code storefront.jobs.concurrency} at a time on this
 * instance. Everything is non-blocking: a poll only claims and starts jobs, each job renews its
 * lease while it runs and reports success or failure back to the queue — or that it waits for Shopify
 * ({@link JobParked}): it is then parked, holding no slot, and a later poll resumes it.
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final SyncJobQueue queue;
    private final SyncDispatcher dispatcher;
    private final JobsConfig config;
    private final AtomicInteger running = new AtomicInteger();
    private volatile long lastProgressNanos = System.nanoTime();

    public JobRunner(SyncJobQueue queue, SyncDispatcher dispatcher, JobsConfig config) {
        this.queue = queue;
        this.dispatcher = dispatcher;
        this.config = config;
    }

    @Scheduled(identity = "job-runner", every = "{storefront.jobs.poll-interval}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return claimDueJobs()
                .invoke(jobs -> jobs.forEach(job -> execute(job).subscribe().with(
                        ignored -> { },
                        failure -> LOG.errorf("job %s: could not record its outcome: %s", job.id(), failure.getMessage()))))
                .replaceWithVoid();
    }

    /** One poll, awaited: claims due jobs and completes when all of them have finished. */
    public Uni<List<UUID>> runDueJobs() {
        return claimDueJobs().chain(jobs -> jobs.isEmpty()
                ? Uni.createFrom().item(List.<UUID>of())
                : Uni.join().all(jobs.stream().map(job -> execute(job).replaceWith(job.id())).toList())
                        .andCollectFailures());
    }

    private Uni<List<SyncJob>> claimDueJobs() {
        return queue.reclaimExpiredLeases()
                .chain(ignored -> {
                    int free = config.concurrency() - running.get();
                    return queue.claim(free).invoke(jobs -> {
                        if (!jobs.isEmpty() || free <= 0) {
                            lastProgressNanos = System.nanoTime();
                        }
                    });
                });
    }

    /**
     * How long since this instance last claimed a job or was too busy to (every slot taken). Only an instance
     * whose polls stopped, or whose claims fail, lets this grow while due jobs wait; it counts from the start.
     */
    public Duration sinceLastProgress() {
        return Duration.ofNanos(System.nanoTime() - lastProgressNanos);
    }

    /** Jobs this instance runs now (a parked job is not one of them). */
    public int runningJobs() {
        return running.get();
    }

    private Uni<Void> execute(SyncJob job) {
        running.incrementAndGet();
        LOG.debugf("running job %s for %s (attempt %d)", job.id(), job.target(), job.attempts());
        Cancellable leaseRenewal = renewLeaseWhileRunning(job);
        return Uni.createFrom().deferred(() -> dispatcher.run(job))
                .onItemOrFailure().transformToUni((result, failure) -> {
                    if (failure == null) {
                        return queue.succeed(job, result);
                    }
                    return failure instanceof JobParked parked ? queue.park(job, parked) : queue.fail(job, failure);
                })
                .onTermination().invoke(() -> {
                    leaseRenewal.cancel();
                    running.decrementAndGet();
                });
    }

    private Cancellable renewLeaseWhileRunning(SyncJob job) {
        return Multi.createFrom().ticks().every(config.lease().dividedBy(3))
                .onItem().transformToUniAndConcatenate(tick -> queue.renewLease(job.id()))
                .subscribe().with(
                        owned -> {
                            if (!owned) {
                                LOG.warnf("job %s: lease lost while running", job.id());
                            }
                        },
                        failure -> LOG.warnf("job %s: lease renewal failed: %s", job.id(), failure.getMessage()));
    }
}
