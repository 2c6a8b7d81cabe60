package io.storefrontsync.worker.testing;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Direct looks at (and plants in) worker.jobs, for states a test cannot reach through the API alone. */
public final class JobRows {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private JobRows() {
    }

    public static List<Row> forTarget(Pool pool, String targetId) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("SELECT * FROM worker.jobs WHERE target_id = $1 ORDER BY created_at").execute(Tuple.of(targetId))
                .await().atMost(TIMEOUT).forEach(rows::add);
        return rows;
    }

    public static List<Row> withStatus(Pool pool, String targetId, String status) {
        return forTarget(pool, targetId).stream().filter(r -> status.equals(r.getString("status"))).toList();
    }

    public static Row byId(Pool pool, UUID id) {
        return pool.preparedQuery("SELECT * FROM worker.jobs WHERE id = $1").execute(Tuple.of(id))
                .await().atMost(TIMEOUT).iterator().next();
    }

    /** A job another (possibly dead) worker holds, with its lease ending {@code leaseSeconds} from now. */
    public static UUID plantRunning(Pool pool, String shop, UUID user, String owner, int leaseSeconds) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("""
                        INSERT INTO worker.jobs (id, target_kind, target_id, user_id, trigger, status, attempts, lease_owner,
                                          lease_until, started_at)
                        VALUES ($1, 'shopify_shop', $2, $3, 'webhook', 'running', 1, $4,
                                now() + make_interval(secs => $5), now())""")
                .execute(Tuple.of(id, shop, user, owner, leaseSeconds)).await().atMost(TIMEOUT);
        return id;
    }

    /** A parked job resumed by {@code owner} (running, its {@code parked} state kept, the attempt it parked). */
    public static UUID plantResumedParked(Pool pool, String shop, UUID user, String owner,
                                          io.vertx.core.json.JsonObject parked) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("""
                        INSERT INTO worker.jobs (id, target_kind, target_id, user_id, trigger, status, attempts, lease_owner,
                                          lease_until, started_at, parked)
                        VALUES ($1, 'shopify_shop', $2, $3, 'poll', 'running', 2, $4, now() + interval '60 seconds',
                                now() - interval '1 minute', $5)""")
                .execute(Tuple.of(id, shop, user, owner, parked)).await().atMost(TIMEOUT);
        return id;
    }

    /** Withdraws jobs other tests left pending for a shared target (the simulator's fixed page ids). */
    public static void discardPending(Pool pool, String targetId) {
        pool.preparedQuery("DELETE FROM worker.jobs WHERE target_id = $1 AND status = 'pending'").execute(Tuple.of(targetId))
                .await().atMost(TIMEOUT);
    }

    /** Makes a pending job due now, skipping its debounce. */
    public static void makeDue(Pool pool, UUID id) {
        pool.preparedQuery("UPDATE worker.jobs SET run_after = now() WHERE id = $1").execute(Tuple.of(id)).await().atMost(TIMEOUT);
    }
}
