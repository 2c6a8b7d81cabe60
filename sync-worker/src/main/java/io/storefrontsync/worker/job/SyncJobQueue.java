package io.storefrontsync.worker.job;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The durable job queue in {@code worker.jobs}. Native SQL on the reactive pool: coalescing needs
 * {@code INSERT ... ON CONFLICT} on the partial "one pending job per target" index and claiming
 * needs {@code FOR UPDATE SKIP LOCKED}, neither of which an entity API expresses.
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

    private static final String ENQUEUE = """
            INSERT INTO worker.jobs (id, target_kind, target_id, user_id, trigger, action, max_attempts, run_after,
                                     coalesced_events)
            VALUES ($1, $2, $3, $4, $5, $6, $7, now() + $8::text::interval, $11)
            ON CONFLICT (target_kind, target_id) WHERE status = 'pending' DO UPDATE SET
                coalesced_events = jobs.coalesced_events + EXCLUDED.coalesced_events,
                action = CASE WHEN EXCLUDED.action = 'redact' THEN 'redact' ELSE jobs.action END,
                run_after = CASE
                    WHEN $9 THEN GREATEST(jobs.run_after, LEAST(EXCLUDED.run_after, jobs.created_at + $10::text::interval))
                    ELSE LEAST(jobs.run_after, EXCLUDED.run_after) END,
                updated_at = now()
            RETURNING id, (xmax = 0) AS inserted""";

    private static final String CLAIM = """
            UPDATE worker.jobs SET status = 'running', attempts = attempts + 1, lease_owner = $1,
                lease_until = now() + $2::text::interval, started_at = now(), updated_at = now()
            WHERE id IN (
                SELECT p.id FROM worker.jobs p
                WHERE p.status = 'pending' AND p.run_after <= now()
                  AND NOT EXISTS (SELECT 1 FROM worker.jobs r WHERE r.target_kind = p.target_kind
                                  AND r.target_id = p.target_id AND r.status = 'running')
                ORDER BY p.run_after
                LIMIT $3
                FOR UPDATE SKIP LOCKED)
            RETURNING *""";

    private static final String MERGE_INTO_PENDING = """
            UPDATE worker.jobs SET coalesced_events = coalesced_events + $3,
                attempts = GREATEST(attempts, $4),
                action = CASE WHEN $5 = 'redact' THEN 'redact' ELSE action END,
                run_after = GREATEST(run_after, now() + $6::text::interval),
                updated_at = now()
            WHERE target_kind = $1 AND target_id = $2 AND status = 'pending'
            RETURNING id""";

    private final Pool pool;
    private final JobsConfig config;
    private final JobMetrics metrics;
    private final ConnectionHealth health;
    private final String workerId;

    public SyncJobQueue(Pool pool, JobsConfig config, JobMetrics metrics, ConnectionHealth health) {
        this.pool = pool;
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
        Tuple params = Tuple.tuple()
                .addUUID(UUID.randomUUID())
                .addString(request.target().kind().dbValue())
                .addString(request.target().id())
                .addUUID(request.userId().value())
                .addString(request.trigger().dbValue())
                .addString(request.action().dbValue())
                .addInteger(config.maxAttempts())
                .addString(interval(delay))
                .addBoolean(debounced)
                .addString(interval(config.debounceMaxWait()))
                .addInteger(events);
        return client.preparedQuery(ENQUEUE).execute(params)
                .map(rows -> {
                    Row row = rows.iterator().next();
                    boolean coalesced = !row.getBoolean("inserted");
                    metrics.enqueued(coalesced);
                    metrics.coalesced(events - 1);
                    LOG.debugf("job %s for %s (%s, coalesced=%s)", row.getUUID("id"), request.target(),
                            request.trigger().dbValue(), coalesced);
                    return new EnqueuedJob(row.getUUID("id"), request.target(), coalesced);
                });
    }

    /** Withdraws the target's pending sync (app/uninstalled); a pending redact stays. */
    public Uni<Integer> cancelPendingSync(SqlClient client, JobTarget target) {
        return client.preparedQuery("""
                        UPDATE worker.jobs SET status = 'cancelled', finished_at = now(), updated_at = now(),
                            last_error = 'cancelled: app uninstalled'
                        WHERE target_kind = $1 AND target_id = $2 AND status = 'pending' AND action = 'sync'""")
                .execute(Tuple.of(target.kind().dbValue(), target.id()))
                .map(RowSet::rowCount)
                .invoke(metrics::cancelled);
    }

    public Uni<Optional<SyncJob>> find(UUID id) {
        return pool.preparedQuery("SELECT * FROM worker.jobs WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(SyncJob.from(rows.iterator().next())));
    }

    /** Claims up to {@code limit} due jobs whose target is not running elsewhere, leased to this instance. */
    public Uni<List<SyncJob>> claim(int limit) {
        if (limit <= 0) {
            return Uni.createFrom().item(List.of());
        }
        return pool.withTransaction(conn -> conn.preparedQuery(CLAIM)
                        .execute(Tuple.of(workerId, interval(config.lease()), limit)))
                .map(SyncJobQueue::jobs)
                .invoke(jobs -> metrics.claimed(jobs.size()))
                .onFailure().recoverWithItem(e -> {
                    // Two instances raced for one target: the running-job index refused one; next poll.
                    LOG.debugf("claim skipped: %s", e.getMessage());
                    return List.of();
                });
    }

    /** Extends the lease of a job this instance still holds; false when the job is no longer ours. */
    public Uni<Boolean> renewLease(UUID id) {
        return pool.preparedQuery("""
                        UPDATE worker.jobs SET lease_until = now() + $3::text::interval, updated_at = now()
                        WHERE id = $1 AND lease_owner = $2 AND status = 'running'""")
                .execute(Tuple.of(id, workerId, interval(config.lease())))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> succeed(SyncJob job, JsonObject result) {
        return pool.preparedQuery("""
                        UPDATE worker.jobs SET status = 'succeeded', result = $3, finished_at = now(), updated_at = now(),
                            lease_owner = NULL, lease_until = NULL
                        WHERE id = $1 AND lease_owner = $2 AND status = 'running'""")
                .execute(Tuple.of(job.id(), workerId, result))
                .invoke(rows -> {
                    if (rows.rowCount() == 1) {
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
        Uni<Void> failed = pool.withTransaction(conn -> conn.preparedQuery(
                                "SELECT * FROM worker.jobs WHERE id = $1 AND lease_owner = $2 AND status = 'running' FOR UPDATE")
                        .execute(Tuple.of(job.id(), workerId))
                        .flatMap(rows -> {
                            if (rows.size() == 0) {
                                LOG.warnf("job %s failed after its lease was taken over", job.id());
                                return Uni.createFrom().voidItem();
                            }
                            SyncJob current = SyncJob.from(rows.iterator().next());
                            if (needsLogin) {
                                return markDead(conn, current, error).flatMap(dead ->
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
     * Returns jobs whose lease ran out (their worker died or hung) to the queue. Each counts as a
     * failed attempt, so a job that kills its worker every time still ends up dead.
     */
    public Uni<Integer> reclaimExpiredLeases() {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                                SELECT * FROM worker.jobs WHERE status = 'running' AND lease_until < now()
                                ORDER BY lease_until LIMIT $1 FOR UPDATE SKIP LOCKED""")
                        .execute(Tuple.of(RECLAIM_BATCH))
                        .map(SyncJobQueue::jobs)
                        .flatMap(expired -> reclaimEach(conn, expired)))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("reclaiming expired leases failed, will retry: %s", e.getMessage());
                    return 0;
                });
    }

    private Uni<Integer> reclaimEach(SqlConnection conn, List<SyncJob> expired) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (SyncJob job : expired) {
            String error = "lease of " + job.leaseOwner() + " expired during attempt " + job.attempts();
            chain = chain.flatMap(ignored -> {
                metrics.leaseExpired();
                return job.lastAttempt() ? markDead(conn, job, error) : runAgain(conn, job, Duration.ZERO, error);
            });
        }
        return chain.map(ignored -> expired.size());
    }

    private Uni<Void> markDead(SqlConnection conn, SyncJob job, String error) {
        metrics.dead();
        LOG.warnf("job %s for %s is dead after %d attempts", job.id(), job.target(), job.attempts());
        return conn.preparedQuery("""
                        UPDATE worker.jobs SET status = 'dead', last_error = $2, finished_at = now(), updated_at = now(),
                            lease_owner = NULL, lease_until = NULL
                        WHERE id = $1""")
                .execute(Tuple.of(job.id(), error))
                .replaceWithVoid();
    }

    /** Back to pending; if the target already has a pending job, hand the work (and the attempt count) to it. */
    private Uni<Void> runAgain(SqlConnection conn, SyncJob job, Duration delay, String error) {
        Tuple merge = Tuple.of(job.target().kind().dbValue(), job.target().id(), job.coalescedEvents(),
                job.attempts(), job.action().dbValue(), interval(delay));
        return conn.preparedQuery(MERGE_INTO_PENDING).execute(merge)
                .flatMap(rows -> {
                    if (rows.size() > 0) {
                        UUID successor = rows.iterator().next().getUUID("id");
                        return conn.preparedQuery("""
                                        UPDATE worker.jobs SET status = 'failed', last_error = $2, finished_at = now(),
                                            updated_at = now(), lease_owner = NULL, lease_until = NULL
                                        WHERE id = $1""")
                                .execute(Tuple.of(job.id(), error + "; continued in job " + successor));
                    }
                    return conn.preparedQuery("""
                                    UPDATE worker.jobs SET status = 'pending', last_error = $2, run_after = now() + $3::text::interval,
                                        updated_at = now(), lease_owner = NULL, lease_until = NULL
                                    WHERE id = $1""")
                            .execute(Tuple.of(job.id(), error, interval(delay)));
                })
                .replaceWithVoid();
    }

    private static List<SyncJob> jobs(RowSet<Row> rows) {
        List<SyncJob> jobs = new ArrayList<>(rows.size());
        for (Row row : rows) {
            jobs.add(SyncJob.from(row));
        }
        return jobs;
    }

    static String interval(Duration duration) {
        return duration.toMillis() + " milliseconds";
    }

    /** Error text for the job row: class and message only, never a stack trace, bounded. */
    static String describe(Throwable failure) {
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }
}
