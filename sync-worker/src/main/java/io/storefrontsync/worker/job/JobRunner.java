package io.storefrontsync.worker.job;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniSubscription;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Polls the queue and runs due jobs, at most {@code storefront.jobs.concurrency} at a time on this
 * instance. Everything is non-blocking: a poll only claims and starts jobs, each job renews its
 * lease while it runs and reports success or failure back to the queue — or that it waits for Shopify
 * ({@link JobParked}): it is then parked, holding no slot, and a later poll resumes it.
 *
 * <p>At shutdown ({@link JobRunnerShutdown}) it {@linkplain #stopClaiming() stops claiming}, lets the running jobs
 * finish for a bounded time, then {@linkplain #handBackUnfinished() hands the rest back} to the queue so another
 * instance takes them at once instead of after their lease.
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final SyncJobQueue queue;
    private final SyncDispatcher dispatcher;
    private final JobsConfig config;
    private final AtomicInteger running = new AtomicInteger();
    /** The jobs running here and how to stop following each one (cancelling its subscription). */
    private final Map<UUID, Runner> inFlight = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private volatile long lastProgressNanos = System.nanoTime();

    public JobRunner(SyncJobQueue queue, SyncDispatcher dispatcher, JobsConfig config) {
        this.queue = queue;
        this.dispatcher = dispatcher;
        this.config = config;
    }

    @Scheduled(identity = "job-runner", every = "{storefront.jobs.poll-interval}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
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
        if (stopping) {
            return Uni.createFrom().item(List.of());
        }
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

    /** From now on no poll claims anything (shutdown has begun); the jobs running go on. */
    public void stopClaiming() {
        stopping = true;
    }

    /**
     * Stops following every job still running here and gives each back to the queue ({@link SyncJobQueue#handBack}),
     * lease released, no attempt burned. Their outcome, should one still arrive, is dropped by the queue (the lease is
     * no longer ours).
     *
     * @return the jobs handed back
     */
    public Uni<List<SyncJob>> handBackUnfinished() {
        List<Runner> unfinished = List.copyOf(inFlight.values());
        if (unfinished.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        unfinished.forEach(runner -> {
            UniSubscription subscription = runner.subscription();
            if (subscription != null) {
                subscription.cancel();
            }
        });
        return Uni.join().all(unfinished.stream()
                        .map(runner -> queue.handBack(runner.job())
                                .map(done -> done ? Optional.of(runner.job()) : Optional.<SyncJob>empty()))
                        .toList())
                .andCollectFailures()
                .map(jobs -> jobs.stream().flatMap(Optional::stream).toList());
    }

    private Uni<Void> execute(SyncJob job) {
        running.incrementAndGet();
        inFlight.put(job.id(), new Runner(job, null));
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
                    inFlight.remove(job.id());
                    running.decrementAndGet();
                })
                .onSubscription().invoke(subscription ->
                        inFlight.computeIfPresent(job.id(), (id, runner) -> new Runner(job, subscription)));
    }

    /** A job running here; {@code subscription} is null until its pipeline is subscribed. */
    private record Runner(SyncJob job, UniSubscription subscription) {
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
