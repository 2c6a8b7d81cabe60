package io.storefrontsync.worker.job;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the queue in {@code worker.jobs} looks like right now, for readiness and the gauges. Both reads
 * are single reactive statements; the backlog one touches only pending and running rows (partial indexes).
 */
@ApplicationScoped
public class JobQueueStats {

    /** Every value of {@code worker.jobs.status}. */
    public static final List<String> STATES = List.of("pending", "running", "succeeded", "failed", "dead", "cancelled");

    /**
     * A due job is one the claim query would take now: pending, past its {@code run_after}, and its target
     * not running elsewhere (a job queued behind a long sync of the same shop is waiting its turn, not stuck).
     */
    private static final String BACKLOG = """
            SELECT (SELECT count(*) FROM worker.jobs WHERE status = 'pending') AS pending,
                   (SELECT count(*) FROM worker.jobs WHERE status = 'running') AS running,
                   count(*) AS due,
                   coalesce(extract(epoch FROM now() - min(p.run_after)), 0) AS oldest_due_seconds
              FROM worker.jobs p
             WHERE p.status = 'pending' AND p.run_after <= now()
               AND NOT EXISTS (SELECT 1 FROM worker.jobs r WHERE r.target_kind = p.target_kind
                               AND r.target_id = p.target_id AND r.status = 'running')""";

    /** Pending, due and running jobs, and how long the oldest due one has waited past its {@code run_after}. */
    public record Backlog(long pending, long due, long running, Duration oldestDue) {
    }

    private final Pool pool;

    public JobQueueStats(Pool pool) {
        this.pool = pool;
    }

    public Uni<Backlog> backlog() {
        return pool.query(BACKLOG).execute().map(rows -> {
            Row row = rows.iterator().next();
            long millis = Math.round(row.getNumeric("oldest_due_seconds").doubleValue() * 1000);
            return new Backlog(row.getLong("pending"), row.getLong("due"), row.getLong("running"),
                    Duration.ofMillis(Math.max(0, millis)));
        });
    }

    /** Jobs per status, every status present (0 when none). */
    public Uni<Map<String, Long>> countsByState() {
        return pool.query("SELECT status, count(*) AS n FROM worker.jobs GROUP BY status").execute().map(rows -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            STATES.forEach(state -> counts.put(state, 0L));
            rows.forEach(row -> counts.put(row.getString("status"), row.getLong("n")));
            return counts;
        });
    }
}
