package io.storefrontsync.worker.job;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.UserId;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The one owner of {@code worker.jobs}: every statement that reads or writes the table is here, each named after
 * what it means, and so is the mapping of a row to a {@link SyncJob}; no other class knows the table's columns.
 * Callers keep the decisions (debounce, backoff, who may erase what) and their transactions: a statement that
 * must join the caller's transaction takes its {@link SqlClient} or {@link SqlConnection}, the others run on the
 * pool.
 *
 * <p>State transitions (enqueue, claim, lease, succeed, fail, cancel) are package-private: only
 * {@link SyncJobQueue} moves a job from one status to another, so the invariants it documents hold in one place.
 * Other packages read, and delete only finished rows.
 *
 * <p>Native SQL on the reactive pool: coalescing needs {@code INSERT ... ON CONFLICT} on the partial "one pending
 * job per target" index and claiming needs {@code FOR UPDATE SKIP LOCKED}, neither of which an entity API
 * expresses.
 */
@ApplicationScoped
public class JobStore {

    /** Every value of {@code worker.jobs.status}. */
    public static final List<String> STATUSES =
            List.of("pending", "running", "waiting", "succeeded", "failed", "dead", "cancelled");

    private static final String INSERT_OR_COALESCE = """
            INSERT INTO worker.jobs (id, target_kind, target_id, user_id, trigger, action, max_attempts, run_after,
                                     coalesced_events)
            VALUES ($1, $2, $3, $4, $5, $6, $7, now() + $8::text::interval, $11)
            ON CONFLICT (target_kind, target_id) WHERE status = 'pending' DO UPDATE SET
                coalesced_events = jobs.coalesced_events + EXCLUDED.coalesced_events,
                action = CASE WHEN EXCLUDED.action = 'redact' OR jobs.action = 'redact' THEN 'redact'
                              WHEN EXCLUDED.action = 'sync' OR jobs.action = 'sync' THEN 'sync'
                              ELSE 'patch' END,
                run_after = CASE
                    WHEN $9 THEN GREATEST(jobs.run_after, LEAST(EXCLUDED.run_after, jobs.created_at + $10::text::interval))
                    ELSE LEAST(jobs.run_after, EXCLUDED.run_after) END,
                updated_at = now()
            RETURNING id, (xmax = 0) AS inserted""";

    private static final String CANCEL_PENDING_SYNC = """
            UPDATE worker.jobs SET status = 'cancelled', finished_at = now(), updated_at = now(), last_error = $3
            WHERE target_kind = $1 AND target_id = $2 AND status IN ('pending', 'waiting') AND action IN ('sync', 'patch')""";

    /**
     * Due pending jobs whose target has no running or parked job, and parked jobs whose next check is due. A
     * pending job starts an attempt; a parked one resumes the attempt it parked (SET sees the old status).
     */
    private static final String CLAIM_DUE = """
            UPDATE worker.jobs SET status = 'running',
                attempts = attempts + CASE WHEN status = 'pending' THEN 1 ELSE 0 END,
                started_at = CASE WHEN status = 'pending' THEN now() ELSE started_at END,
                lease_owner = $1, lease_until = now() + $2::text::interval, updated_at = now()
            WHERE id IN (
                SELECT p.id FROM worker.jobs p
                WHERE p.run_after <= now()
                  AND (p.status = 'waiting'
                       OR (p.status = 'pending'
                           AND NOT EXISTS (SELECT 1 FROM worker.jobs r WHERE r.target_kind = p.target_kind
                                           AND r.target_id = p.target_id AND r.status IN ('running', 'waiting'))))
                ORDER BY p.run_after
                LIMIT $3
                FOR UPDATE SKIP LOCKED)
            RETURNING *""";

    /** A running job sets its lease down and waits, holding no slot, until {@code run_after}. */
    private static final String PARK = """
            UPDATE worker.jobs SET status = 'waiting', parked = $3, run_after = now() + $4::text::interval,
                lease_owner = NULL, lease_until = NULL, updated_at = now()
            WHERE id = $1 AND lease_owner = $2 AND status = 'running'""";

    /** The target's parked job is due now (its bulk operation finished); none when it is not parked. */
    private static final String WAKE_PARKED = """
            UPDATE worker.jobs SET run_after = now(), updated_at = now()
            WHERE target_kind = $1 AND target_id = $2 AND status = 'waiting' AND run_after > now()
            RETURNING id""";

    private static final String RENEW_LEASE = """
            UPDATE worker.jobs SET lease_until = now() + $3::text::interval, updated_at = now()
            WHERE id = $1 AND lease_owner = $2 AND status = 'running'""";

    private static final String MARK_SUCCEEDED = """
            UPDATE worker.jobs SET status = 'succeeded', result = $3, finished_at = now(), updated_at = now(),
                lease_owner = NULL, lease_until = NULL
            WHERE id = $1 AND lease_owner = $2 AND status = 'running'""";

    private static final String LOCK_RUNNING =
            "SELECT * FROM worker.jobs WHERE id = $1 AND lease_owner = $2 AND status = 'running' FOR UPDATE";

    private static final String LOCK_EXPIRED_LEASES = """
            SELECT * FROM worker.jobs WHERE status = 'running' AND lease_until < now()
            ORDER BY lease_until LIMIT $1 FOR UPDATE SKIP LOCKED""";

    private static final String MARK_DEAD = """
            UPDATE worker.jobs SET status = 'dead', last_error = $2, finished_at = now(), updated_at = now(),
                lease_owner = NULL, lease_until = NULL
            WHERE id = $1""";

    private static final String MERGE_INTO_PENDING = """
            UPDATE worker.jobs SET coalesced_events = coalesced_events + $3,
                attempts = GREATEST(attempts, $4),
                action = CASE WHEN $5 = 'redact' OR action = 'redact' THEN 'redact'
                              WHEN $5 = 'sync' OR action = 'sync' THEN 'sync'
                              ELSE 'patch' END,
                run_after = GREATEST(run_after, now() + $6::text::interval),
                updated_at = now()
            WHERE target_kind = $1 AND target_id = $2 AND status = 'pending'
            RETURNING id""";

    private static final String MARK_FAILED = """
            UPDATE worker.jobs SET status = 'failed', last_error = $2, finished_at = now(),
                updated_at = now(), lease_owner = NULL, lease_until = NULL
            WHERE id = $1""";

    private static final String BACK_TO_PENDING = """
            UPDATE worker.jobs SET status = 'pending', last_error = $2, run_after = now() + $3::text::interval,
                updated_at = now(), lease_owner = NULL, lease_until = NULL, parked = NULL
            WHERE id = $1""";

    /**
     * A running job this instance gives up at shutdown, due again at once for any instance: a job claimed from
     * pending goes back to pending with the attempt its claim counted given back; a resumed parked job (its
     * {@code parked} kept) goes back to waiting, its attempt never having been counted by the resume.
     */
    private static final String HAND_BACK = """
            UPDATE worker.jobs SET status = CASE WHEN parked IS NULL THEN 'pending' ELSE 'waiting' END,
                attempts = GREATEST(0, attempts - CASE WHEN parked IS NULL THEN 1 ELSE 0 END),
                run_after = now(), updated_at = now(), lease_owner = NULL, lease_until = NULL
            WHERE id = $1 AND lease_owner = $2 AND status = 'running'""";

    private static final String LAST_USER_OF = """
            SELECT user_id FROM worker.jobs WHERE target_kind = $1 AND target_id = $2
            ORDER BY created_at DESC LIMIT 1""";

    private static final String LAST_FULL_SYNC = """
            SELECT (result->>'cost')::bigint AS cost, (result->>'durationMs')::bigint AS duration_ms FROM worker.jobs
            WHERE target_kind = $1 AND target_id = $2 AND status = 'succeeded'
              AND result->>'read' IN ('bulk', 'paginated') AND result ? 'cost' AND result ? 'durationMs'
            ORDER BY finished_at DESC LIMIT 1""";

    private static final String WORKED_FOR = """
            SELECT EXISTS (SELECT 1 FROM worker.jobs WHERE target_kind = $1 AND target_id = $2 AND user_id = $3) AS held""";

    private static final String DELETE_FINISHED_OF_TARGET = """
            DELETE FROM worker.jobs WHERE target_kind = $1 AND target_id = $2 AND id <> $3
              AND status IN ('succeeded', 'failed', 'dead', 'cancelled')""";

    private static final String DELETE_FINISHED_OF_USER = """
            DELETE FROM worker.jobs WHERE target_kind = $1 AND target_id = $2
              AND user_id = $3 AND id <> $4 AND status IN ('succeeded', 'failed', 'dead', 'cancelled')""";

    private static final String DELETE_FINISHED_BEFORE = """
            DELETE FROM worker.jobs WHERE id IN (
                SELECT id FROM worker.jobs
                 WHERE status IN ('succeeded', 'failed', 'dead', 'cancelled')
                   AND finished_at < now() - make_interval(secs => $1)
                 LIMIT $2)""";

    /**
     * A due job is one the claim query would take now: pending, past its {@code run_after}, and its target
     * not running (or parked) elsewhere (a job queued behind a long sync of the same shop is waiting its turn, not stuck).
     * Touches only pending and running rows (partial indexes).
     */
    private static final String BACKLOG = """
            SELECT (SELECT count(*) FROM worker.jobs WHERE status = 'pending') AS pending,
                   (SELECT count(*) FROM worker.jobs WHERE status = 'running') AS running,
                   count(*) AS due,
                   coalesce(extract(epoch FROM now() - min(p.run_after)), 0) AS oldest_due_seconds
              FROM worker.jobs p
             WHERE p.status = 'pending' AND p.run_after <= now()
               AND NOT EXISTS (SELECT 1 FROM worker.jobs r WHERE r.target_kind = p.target_kind
                               AND r.target_id = p.target_id AND r.status IN ('running', 'waiting'))""";

    private static final String COUNTS_BY_STATUS = "SELECT status, count(*) AS n FROM worker.jobs GROUP BY status";

    /** A user's jobs, newest first, after the keyset cursor when one is given (index jobs_user_created_idx). */
    private static final String LIST_OF_USER = """
            SELECT * FROM worker.jobs
             WHERE user_id = $1 AND ($2::text IS NULL OR status = $2)
               AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4::uuid))
             ORDER BY created_at DESC, id DESC
             LIMIT $5""";

    /**
     * Per target of a user's jobs: when a sync last succeeded, the newest error any of its jobs recorded (and when),
     * and its open job (pending, running or waiting) if any.
     */
    private static final String TARGETS_OF_USER = """
            SELECT target_kind, target_id,
                   max(finished_at) FILTER (WHERE status = 'succeeded') AS last_success,
                   (array_agg(last_error ORDER BY updated_at DESC) FILTER (WHERE last_error IS NOT NULL))[1] AS last_error,
                   max(updated_at) FILTER (WHERE last_error IS NOT NULL) AS last_error_at,
                   (array_agg(id ORDER BY created_at DESC)
                        FILTER (WHERE status IN ('pending', 'running', 'waiting')))[1] AS open_job,
                   (array_agg(status ORDER BY created_at DESC)
                        FILTER (WHERE status IN ('pending', 'running', 'waiting')))[1] AS open_status
              FROM worker.jobs WHERE user_id = $1
             GROUP BY target_kind, target_id""";

    /** The target's running or parked job (at most one: jobs_one_active_per_target) notes how far it got. */
    private static final String RECORD_PROGRESS = """
            UPDATE worker.jobs SET progress = $3
             WHERE target_kind = $1 AND target_id = $2 AND status IN ('running', 'waiting')""";

    /** What {@link #insertOrCoalesce} did: the job's id, and whether the row is new or the target's pending one. */
    record Stored(UUID id, boolean inserted) {
    }

    /** Pending, due and running jobs, and how long the oldest due one has waited past its {@code run_after}. */
    public record Backlog(long pending, long due, long running, Duration oldestDue) {
    }

    private final Pool pool;

    public JobStore(Pool pool) {
        this.pool = pool;
    }

    // ---- state transitions, for SyncJobQueue only ----

    /**
     * A new pending job for the request's target, or — when the target already has one (partial unique index)
     * — {@code events} more coalesced events on that one, a redaction winning over a sync and a sync over a patch ({@link JobAction}). A debounced
     * request pushes the pending job's {@code run_after} out, but never past {@code debounceMaxWait} after it
     * was created; an undebounced one only ever brings it forward.
     */
    Uni<Stored> insertOrCoalesce(SqlClient client, JobRequest request, int maxAttempts, Duration delay,
                                 boolean debounced, Duration debounceMaxWait, int events) {
        Tuple params = Tuple.tuple()
                .addUUID(UUID.randomUUID())
                .addString(request.target().kind().dbValue())
                .addString(request.target().id())
                .addUUID(request.userId().value())
                .addString(request.trigger().dbValue())
                .addString(request.action().dbValue())
                .addInteger(maxAttempts)
                .addString(interval(delay))
                .addBoolean(debounced)
                .addString(interval(debounceMaxWait))
                .addInteger(events);
        return client.preparedQuery(INSERT_OR_COALESCE).execute(params).map(rows -> {
            Row row = rows.iterator().next();
            return new Stored(row.getUUID("id"), row.getBoolean("inserted"));
        });
    }

    /**
     * Closes the target's pending sync, and its sync parked on a bulk operation, as cancelled (a pending redaction
     * stays); @return how many (0 to 2).
     */
    Uni<Integer> cancelPendingSync(SqlClient client, JobTarget target, String reason) {
        return client.preparedQuery(CANCEL_PENDING_SYNC)
                .execute(Tuple.of(target.kind().dbValue(), target.id(), reason))
                .map(RowSet::rowCount);
    }

    /**
     * Up to {@code limit} due jobs whose target is not running, oldest {@code run_after} first, now running under
     * {@code owner}'s lease; rows another instance is claiming are skipped, not waited for.
     */
    Uni<List<SyncJob>> claimDue(String owner, Duration lease, int limit) {
        return pool.withTransaction(conn -> conn.preparedQuery(CLAIM_DUE)
                        .execute(Tuple.of(owner, interval(lease), limit)))
                .map(JobStore::jobs);
    }

    /** @return false when the job is no longer running under {@code owner}'s lease */
    Uni<Boolean> park(UUID id, String owner, JsonObject parked, Duration until) {
        return pool.preparedQuery(PARK).execute(Tuple.of(id, owner, parked, interval(until)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** @return the id of the target's parked job made due now, empty when it has none not already due */
    Uni<Optional<UUID>> wakeParked(SqlClient client, JobTarget target) {
        return client.preparedQuery(WAKE_PARKED).execute(Tuple.of(target.kind().dbValue(), target.id()))
                .map(rows -> rows.size() == 0 ? Optional.<UUID>empty() : Optional.of(rows.iterator().next().getUUID("id")));
    }

    /** @return false when the job is no longer running under {@code owner}'s lease */
    Uni<Boolean> renewLease(UUID id, String owner, Duration lease) {
        return pool.preparedQuery(RENEW_LEASE).execute(Tuple.of(id, owner, interval(lease)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** @return false when the job is no longer running under {@code owner}'s lease (the result is then dropped) */
    Uni<Boolean> markSucceeded(UUID id, String owner, JsonObject result) {
        return pool.preparedQuery(MARK_SUCCEEDED).execute(Tuple.of(id, owner, result))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The job, locked for the caller's transaction, if it is still running under {@code owner}'s lease. */
    Uni<Optional<SyncJob>> lockRunning(SqlConnection conn, UUID id, String owner) {
        return conn.preparedQuery(LOCK_RUNNING).execute(Tuple.of(id, owner)).map(JobStore::first);
    }

    /** Up to {@code limit} running jobs whose lease ran out, locked for the caller's transaction. */
    Uni<List<SyncJob>> lockExpiredLeases(SqlConnection conn, int limit) {
        return conn.preparedQuery(LOCK_EXPIRED_LEASES).execute(Tuple.of(limit)).map(JobStore::jobs);
    }

    Uni<Void> markDead(SqlConnection conn, UUID id, String error) {
        return conn.preparedQuery(MARK_DEAD).execute(Tuple.of(id, error)).replaceWithVoid();
    }

    /**
     * Hands a job's work to its target's pending job, if there is one: its coalesced events, its attempt count
     * (so a retried job still ends dead), the wider action ({@link JobAction}); not due before {@code delay}.
     *
     * @return the pending job's id, empty when the target has no pending job
     */
    Uni<Optional<UUID>> mergeIntoPending(SqlConnection conn, SyncJob job, Duration delay) {
        Tuple merge = Tuple.of(job.target().kind().dbValue(), job.target().id(), job.coalescedEvents(),
                job.attempts(), job.action().dbValue(), interval(delay));
        return conn.preparedQuery(MERGE_INTO_PENDING).execute(merge)
                .map(rows -> rows.size() == 0 ? Optional.<UUID>empty() : Optional.of(rows.iterator().next().getUUID("id")));
    }

    Uni<Void> markFailed(SqlConnection conn, UUID id, String error) {
        return conn.preparedQuery(MARK_FAILED).execute(Tuple.of(id, error)).replaceWithVoid();
    }

    /** The job runs again, due after {@code delay}, its lease released. */
    Uni<Void> backToPending(SqlConnection conn, UUID id, String error, Duration delay) {
        return conn.preparedQuery(BACK_TO_PENDING).execute(Tuple.of(id, error, interval(delay))).replaceWithVoid();
    }

    /**
     * Hands a running job of {@code owner}'s back to the queue, due now ({@link #HAND_BACK}); the caller has made
     * sure the target has no other pending job when the job returns to pending.
     */
    Uni<Void> handBack(SqlConnection conn, UUID id, String owner) {
        return conn.preparedQuery(HAND_BACK).execute(Tuple.of(id, owner)).replaceWithVoid();
    }

    // ---- reads and deletions of finished history, for any package ----

    public Uni<Optional<SyncJob>> find(UUID id) {
        return pool.preparedQuery("SELECT * FROM worker.jobs WHERE id = $1").execute(Tuple.of(id)).map(JobStore::first);
    }

    /** The user of the target's most recently created job, whatever its status; empty when it never had one. */
    public Uni<Optional<UserId>> lastUserOf(SqlClient client, JobTarget target) {
        return client.preparedQuery(LAST_USER_OF).execute(Tuple.of(target.kind().dbValue(), target.id()))
                .map(rows -> rows.size() == 0 ? Optional.<UserId>empty()
                        : Optional.of(new UserId(rows.iterator().next().getUUID("user_id"))));
    }

    /** The target's last successful full sync: its points and duration (issue #14's patch limit); none yet. */
    public Uni<Optional<FullSync>> lastFullSync(SqlClient client, JobTarget target) {
        return client.preparedQuery(LAST_FULL_SYNC).execute(Tuple.of(target.kind().dbValue(), target.id()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<FullSync>empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new FullSync(row.getLong("cost"), row.getLong("duration_ms")));
                });
    }

    /** A full sync's actual cost in points and its duration. */
    public record FullSync(long cost, long durationMs) {
    }

    /**
     * Whether the worker ever ran a job for {@code user} on the target, or wrote a document of theirs under
     * {@code documentPrefix} (the same history after retention purged the jobs).
     */
    public Uni<Boolean> workedFor(SqlClient client, JobTarget target, UserId user) {
        return client.preparedQuery(WORKED_FOR)
                .execute(Tuple.of(target.kind().dbValue(), target.id(), user.value()))
                .map(rows -> rows.iterator().next().getBoolean("held"));
    }

    /** Deletes the target's finished jobs of every user except {@code keep}; @return how many. */
    public Uni<Integer> deleteFinishedHistory(SqlClient client, JobTarget target, UUID keep) {
        return client.preparedQuery(DELETE_FINISHED_OF_TARGET)
                .execute(Tuple.of(target.kind().dbValue(), target.id(), keep))
                .map(RowSet::rowCount);
    }

    /** Deletes {@code user}'s finished jobs on the target except {@code keep}; @return how many. */
    public Uni<Integer> deleteFinishedHistoryOf(SqlClient client, JobTarget target, UserId user, UUID keep) {
        return client.preparedQuery(DELETE_FINISHED_OF_USER)
                .execute(Tuple.of(target.kind().dbValue(), target.id(), user.value(), keep))
                .map(RowSet::rowCount);
    }

    /**
     * Deletes at most {@code limit} jobs that finished longer than {@code age} ago, in one short statement;
     * pending and running jobs are never touched. @return how many
     */
    public Uni<Integer> deleteFinishedBefore(Duration age, int limit) {
        return pool.preparedQuery(DELETE_FINISHED_BEFORE).execute(Tuple.of((double) age.toSeconds(), (long) limit))
                .map(RowSet::rowCount);
    }

    /**
     * Up to {@code limit} of the user's jobs, newest first ({@code created_at}, then {@code id}), with
     * {@code status} when given, strictly after {@code after} (the last job of the previous page) when given.
     */
    public Uni<List<SyncJob>> listOfUser(UserId user, Optional<String> status, Optional<JobCursor> after, int limit) {
        Tuple params = Tuple.tuple()
                .addUUID(user.value())
                .addString(status.orElse(null))
                .addOffsetDateTime(after.map(JobCursor::createdAt).orElse(null))
                .addUUID(after.map(JobCursor::id).orElse(null))
                .addInteger(limit);
        return pool.preparedQuery(LIST_OF_USER).execute(params).map(JobStore::jobs);
    }

    /** What a target's jobs of one user say about it, for {@code GET /connections}. */
    public record TargetHistory(JobTarget target, OffsetDateTime lastSuccess, String lastError,
                                OffsetDateTime lastErrorAt, UUID openJob, String openStatus) {
    }

    /** Per target the user's jobs (still kept: {@code storefront.jobs.retention}) name, what they say. */
    public Uni<Map<JobTarget, TargetHistory>> historyOfUser(UserId user) {
        return pool.preparedQuery(TARGETS_OF_USER).execute(Tuple.of(user.value())).map(rows -> {
            Map<JobTarget, TargetHistory> found = new LinkedHashMap<>();
            for (Row row : rows) {
                JobTarget target = new JobTarget(TargetKind.fromDb(row.getString("target_kind")), row.getString("target_id"));
                found.put(target, new TargetHistory(target, row.getOffsetDateTime("last_success"),
                        row.getString("last_error"), row.getOffsetDateTime("last_error_at"), row.getUUID("open_job"),
                        row.getString("open_status")));
            }
            return found;
        });
    }

    /** Notes the progress of the target's running or parked job; @return false when it has none. */
    public Uni<Boolean> recordProgress(JobTarget target, JsonObject progress) {
        return pool.preparedQuery(RECORD_PROGRESS).execute(Tuple.of(target.kind().dbValue(), target.id(), progress))
                .map(rows -> rows.rowCount() > 0);
    }

    /** The backlog now, across all instances: one statement. */
    public Uni<Backlog> backlog() {
        return pool.query(BACKLOG).execute().map(rows -> {
            Row row = rows.iterator().next();
            long millis = Math.round(row.getNumeric("oldest_due_seconds").doubleValue() * 1000);
            return new Backlog(row.getLong("pending"), row.getLong("due"), row.getLong("running"),
                    Duration.ofMillis(Math.max(0, millis)));
        });
    }

    /** Jobs per status, every one of {@link #STATUSES} present (0 when none). */
    public Uni<Map<String, Long>> countsByStatus() {
        return pool.query(COUNTS_BY_STATUS).execute().map(rows -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            STATUSES.forEach(status -> counts.put(status, 0L));
            rows.forEach(row -> counts.put(row.getString("status"), row.getLong("n")));
            return counts;
        });
    }

    private static Optional<SyncJob> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(job(rows.iterator().next()));
    }

    private static List<SyncJob> jobs(RowSet<Row> rows) {
        List<SyncJob> jobs = new ArrayList<>(rows.size());
        for (Row row : rows) {
            jobs.add(job(row));
        }
        return jobs;
    }

    private static SyncJob job(Row row) {
        Object result = row.getValue("result");
        Object parked = row.getValue("parked");
        Object progress = row.getValue("progress");
        return new SyncJob(
                row.getUUID("id"),
                new JobTarget(TargetKind.fromDb(row.getString("target_kind")), row.getString("target_id")),
                new UserId(row.getUUID("user_id")),
                row.getString("trigger"),
                JobAction.fromDb(row.getString("action")),
                row.getString("status"),
                row.getInteger("attempts"),
                row.getInteger("max_attempts"),
                row.getInteger("coalesced_events"),
                row.getOffsetDateTime("run_after"),
                row.getString("lease_owner"),
                row.getOffsetDateTime("lease_until"),
                row.getString("last_error"),
                result instanceof JsonObject json ? json : null,
                row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("started_at"),
                row.getOffsetDateTime("finished_at"),
                parked instanceof JsonObject json ? json : null,
                progress instanceof JsonObject json ? json : null);
    }

    /** A PostgreSQL interval literal, passed as text so a {@link Duration} of any size fits. */
    private static String interval(Duration duration) {
        return duration.toMillis() + " milliseconds";
    }
}
