package io.storefrontsync.worker.job;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The durable job queue in {@code worker.jobs}: the only class that moves a job from one status to another. It
 * decides (debounce, backoff, dead after the last attempt, hand-over to a pending job, metrics, logs); the
 * statements are {@link JobStore}'s.
 *
 * <p>Invariants: at most one pending job per target (index), at most one running job per target
 * (claim query + index). A job that must run again (retry, expired lease) goes back to pending, or
 * — when its target already has a pending job — is merged into that one and closed as failed.
 */
@ApplicationScoped
public class SyncJobQueue {

    private static final Logger LOG = Logger.getLogger(SyncJobQueue.class);
    private static final int MAX_ERROR_LENGTH = 2000;
    private static final int RECLAIM_BATCH = 20;

    private final Pool pool;
    private final JobStore store;
    private final JobsConfig config;
    private final JobMetrics metrics;
    private final ConnectionHealth health;
    private final String workerId;

    public SyncJobQueue(Pool pool, JobStore store, JobsConfig config, JobMetrics metrics, ConnectionHealth health) {
        this.pool = pool;
        this.store = store;
        this.config = config;
        this.metrics = metrics;
        this.health = health;
        this.workerId = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The lease owner name of this instance. */
    public String workerId() {
        return workerId;
    }

    /**
     * Stores a job for the request's target, or merges into the target's pending job. Runs on the
     * caller's connection so an intake batch is stored in one transaction.
     */
    public Uni<EnqueuedJob> enqueue(SqlClient client, JobRequest request) {
        return enqueue(client, request, 1);
    }

    /**
     * The same request made by {@code events} events in a row (a burst of one shop's webhooks in one
     * delivery from the gateway): one statement, counted as {@code events} coalesced events.
     */
    public Uni<EnqueuedJob> enqueue(SqlClient client, JobRequest request, int events) {
        if (events < 1) {
            throw new IllegalArgumentException("events must be at least 1: " + events);
        }
        boolean debounced = request.trigger() == JobTrigger.WEBHOOK && request.action() == JobAction.SYNC;
        Duration delay = debounced ? config.debounce() : Duration.ZERO;
        return store.insertOrCoalesce(client, request, config.maxAttempts(), delay, debounced, config.debounceMaxWait(),
                        events)
                .map(stored -> {
                    boolean coalesced = !stored.inserted();
                    metrics.enqueued(coalesced);
                    metrics.coalesced(events - 1);
                    LOG.debugf("job %s for %s (%s, coalesced=%s)", stored.id(), request.target(),
                            request.trigger().dbValue(), coalesced);
                    return new EnqueuedJob(stored.id(), request.target(), coalesced);
                });
    }

    /**
     * Withdraws the target's pending sync and its parked one (app/uninstalled: the token is gone, the parked job
     * could only fail when it resumes, and it would hold the target, a later redaction included); a pending
     * redact stays.
     */
    public Uni<Integer> cancelPendingSync(SqlClient client, JobTarget target) {
        return store.cancelPendingSync(client, target, "cancelled: app uninstalled").invoke(metrics::cancelled);
    }

    /** Claims up to {@code limit} due jobs whose target is not running elsewhere, leased to this instance. */
    public Uni<List<SyncJob>> claim(int limit) {
        if (limit <= 0) {
            return Uni.createFrom().item(List.of());
        }
        return store.claimDue(workerId, config.lease(), limit)
                .invoke(jobs -> metrics.claimed(jobs.size()))
                .onFailure().recoverWithItem(e -> {
                    // Two instances raced for one target: the running-job index refused one; next poll.
                    LOG.debugf("claim skipped: %s", e.getMessage());
                    return List.of();
                });
    }

    /** Extends the lease of a job this instance still holds; false when the job is no longer ours. */
    public Uni<Boolean> renewLease(UUID id) {
        return store.renewLease(id, workerId, config.lease());
    }

    /**
     * Parks a running job that waits for Shopify ({@link JobParked}): its lease and slot go, the attempt stays
     * open, and it is due again after {@link JobParked#checkAfter()} (or when {@link #wakeParked} is called).
     */
    public Uni<Void> park(SyncJob job, JobParked parked) {
        return store.park(job.id(), workerId, parked.state(), parked.checkAfter())
                .invoke(recorded -> {
                    if (recorded) {
                        metrics.parked();
                        LOG.debugf("job %s for %s parked for %s: %s", job.id(), job.target(), parked.checkAfter(),
                                parked.getMessage());
                    } else {
                        LOG.warnf("job %s parked after its lease was taken over", job.id());
                    }
                })
                .replaceWithVoid();
    }

    /** The target's parked job is due now (its bulk operation finished); runs on the caller's transaction. */
    public Uni<Optional<UUID>> wakeParked(SqlClient client, JobTarget target) {
        return store.wakeParked(client, target)
                .invoke(woken -> woken.ifPresent(id -> LOG.debugf("job %s for %s woken", id, target)));
    }

    public Uni<Void> succeed(SyncJob job, JsonObject result) {
        return store.markSucceeded(job.id(), workerId, result)
                .invoke(recorded -> {
                    if (recorded) {
                        metrics.succeeded();
                    } else {
                        LOG.warnf("job %s finished after its lease was taken over; result dropped", job.id());
                    }
                })
                .replaceWithVoid();
    }

    /**
     * A failed attempt: retry later with backoff, or dead after the last attempt or a {@link PermanentJobFailure}.
     * A failure that {@linkplain PermanentJobFailure#needsLogin() needs a new login} also flags the target, in the
     * same transaction.
     */
    public Uni<Void> fail(SyncJob job, Throwable failure) {
        String error = describe(failure);
        boolean needsLogin = failure instanceof PermanentJobFailure permanent && permanent.needsLogin();
        Uni<Void> failed = pool.withTransaction(conn -> store.lockRunning(conn, job.id(), workerId)
                        .chain(locked -> {
                            if (locked.isEmpty()) {
                                LOG.warnf("job %s failed after its lease was taken over", job.id());
                                return Uni.createFrom().voidItem();
                            }
                            SyncJob current = locked.get();
                            if (needsLogin) {
                                return markDead(conn, current, error).chain(dead ->
                                        health.flagNeedsLogin(conn, current.target(), current.userId(), error, current.id()));
                            }
                            if (current.lastAttempt() || failure instanceof PermanentJobFailure) {
                                return markDead(conn, current, error);
                            }
                            Duration backoff = RetryBackoff.after(current.attempts(), config.retryInitialBackoff(),
                                    config.retryMaxBackoff());
                            metrics.retried();
                            return runAgain(conn, current, backoff, error);
                        }));
        return needsLogin ? failed.call(health::refreshGauge) : failed;
    }

    /**
     * Gives a running job of this instance back to the queue at shutdown, due at once for another instance, with no
     * attempt burned: claimed from pending, it is pending again with the attempt its claim counted taken back (or,
     * when a newer pending job of its target exists, that job takes its events and the attempt count, as a retry
     * would); resumed from parked, it is parked again ({@code waiting}) and keeps its bulk operation.
     *
     * @return false when the job was no longer ours (it finished, or its lease was taken over)
     */
    public Uni<Boolean> handBack(SyncJob job) {
        return pool.withTransaction(conn -> store.lockRunning(conn, job.id(), workerId).chain(locked -> {
                    if (locked.isEmpty()) {
                        return Uni.createFrom().item(false);
                    }
                    SyncJob current = locked.get();
                    if (current.parked() != null) {
                        return store.handBack(conn, current.id(), workerId).replaceWith(true);
                    }
                    SyncJob uncounted = current.withAttempts(Math.max(0, current.attempts() - 1));
                    return store.mergeIntoPending(conn, uncounted, Duration.ZERO).chain(successor -> successor.isPresent()
                                    ? store.markFailed(conn, current.id(), "handed back at shutdown of " + workerId
                                            + "; continued in job " + successor.get())
                                    : store.handBack(conn, current.id(), workerId))
                            .replaceWith(true);
                }))
                .invoke(handedBack -> {
                    if (handedBack) {
                        metrics.handedBack();
                    }
                });
    }

    /**
     * Returns jobs whose lease ran out (their worker died or hung) to the queue. Each counts as a
     * failed attempt, so a job that kills its worker every time still ends up dead.
     */
    public Uni<Integer> reclaimExpiredLeases() {
        return pool.withTransaction(conn -> store.lockExpiredLeases(conn, RECLAIM_BATCH)
                        .chain(expired -> reclaimEach(conn, expired)))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("reclaiming expired leases failed, will retry: %s", e.getMessage());
                    return 0;
                });
    }

    private Uni<Integer> reclaimEach(SqlConnection conn, List<SyncJob> expired) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (SyncJob job : expired) {
            String error = "lease of " + job.leaseOwner() + " expired during attempt " + job.attempts();
            chain = chain.chain(ignored -> {
                metrics.leaseExpired();
                return job.lastAttempt() ? markDead(conn, job, error) : runAgain(conn, job, Duration.ZERO, error);
            });
        }
        return chain.map(ignored -> expired.size());
    }

    private Uni<Void> markDead(SqlConnection conn, SyncJob job, String error) {
        metrics.dead();
        LOG.warnf("job %s for %s is dead after %d attempts", job.id(), job.target(), job.attempts());
        return store.markDead(conn, job.id(), error);
    }

    /** Back to pending; if the target already has a pending job, hand the work (and the attempt count) to it. */
    private Uni<Void> runAgain(SqlConnection conn, SyncJob job, Duration delay, String error) {
        return store.mergeIntoPending(conn, job, delay).chain(successor -> successor.isPresent()
                ? store.markFailed(conn, job.id(), error + "; continued in job " + successor.get())
                : store.backToPending(conn, job.id(), error, delay));
    }

    /** Error text for the job row: class and message only, never a stack trace, bounded. */
    static String describe(Throwable failure) {
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }
}
