package io.storefrontsync.worker.job;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.UserId;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Targets that need the merchant to log in again ({@code worker.connection_health}). A job failing with
 * {@link PermanentJobFailure#needsLogin()} flags its target in the transaction that marks it dead; the daily
 * poll and {@code POST /resync} leave flagged targets alone; a fresh connection event clears the flag.
 *
 * <p>{@code storefront_connections_needs_login{kind}} is a gauge of flagged targets, read from the table
 * after every change on this instance and once a minute (other instances flag and clear too).
 */
@ApplicationScoped
public class ConnectionHealth {

    private static final Logger LOG = Logger.getLogger(ConnectionHealth.class);
    public static final String NEEDS_LOGIN = "needs_login";

    /** Why a target is not synced: its status, the refused job's error and since when. */
    public record Flag(JobTarget target, String status, String reason, OffsetDateTime since) {
    }

    private final Pool pool;
    private final Map<TargetKind, AtomicLong> flagged = new ConcurrentHashMap<>();

    public ConnectionHealth(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        // A gauge left by an earlier application in this JVM (Quarkus test restarts) would stay bound to its value.
        registry.find("storefront.connections.needs.login").meters().forEach(registry::remove);
        for (TargetKind kind : TargetKind.values()) {
            AtomicLong count = new AtomicLong();
            flagged.put(kind, count);
            Gauge.builder("storefront.connections.needs.login", count, AtomicLong::get)
                    .description("Connections whose token was refused; the merchant must log in again")
                    .tag("kind", kind.dbValue()).register(registry);
        }
    }

    /** Flags (or re-flags, keeping {@code since}) the target; runs on the caller's transaction. */
    Uni<Void> flagNeedsLogin(SqlClient client, JobTarget target, UserId user, String reason, UUID jobId) {
        return client.preparedQuery("""
                        INSERT INTO worker.connection_health (target_kind, target_id, user_id, status, reason, job_id)
                        VALUES ($1, $2, $3, 'needs_login', $4, $5)
                        ON CONFLICT (target_kind, target_id) DO UPDATE SET user_id = EXCLUDED.user_id,
                            status = EXCLUDED.status, reason = EXCLUDED.reason, job_id = EXCLUDED.job_id, updated_at = now()""")
                .execute(Tuple.of(target.kind().dbValue(), target.id(), user.value(), reason, jobId))
                .invoke(() -> LOG.warnf("%s needs the merchant to log in again (job %s)", target, jobId))
                .replaceWithVoid();
    }

    /** Clears the target's flag; @return whether it was flagged. Runs on the caller's transaction. */
    public Uni<Boolean> clear(SqlClient client, JobTarget target) {
        return client.preparedQuery("DELETE FROM worker.connection_health WHERE target_kind = $1 AND target_id = $2")
                .execute(Tuple.of(target.kind().dbValue(), target.id()))
                .map(rows -> rows.rowCount() > 0)
                .invoke(cleared -> {
                    if (cleared) {
                        LOG.infof("%s: login renewed, flag cleared", target);
                    }
                });
    }

    public Uni<Optional<Flag>> flag(SqlClient client, JobTarget target) {
        return flags(client, List.of(target)).map(found -> Optional.ofNullable(found.get(target)));
    }

    /** The flags of those targets that have one. */
    public Uni<Map<JobTarget, Flag>> flags(SqlClient client, Collection<JobTarget> targets) {
        if (targets.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String[] kinds = targets.stream().map(t -> t.kind().dbValue()).toArray(String[]::new);
        String[] ids = targets.stream().map(JobTarget::id).toArray(String[]::new);
        return client.preparedQuery("""
                        SELECT h.* FROM worker.connection_health h
                        JOIN unnest($1::text[], $2::text[]) AS t(kind, id) ON h.target_kind = t.kind AND h.target_id = t.id""")
                .execute(Tuple.of(kinds, ids))
                .map(rows -> {
                    Map<JobTarget, Flag> found = new HashMap<>();
                    for (Row row : rows) {
                        JobTarget target = new JobTarget(TargetKind.fromDb(row.getString("target_kind")),
                                row.getString("target_id"));
                        found.put(target, new Flag(target, row.getString("status"), row.getString("reason"),
                                row.getOffsetDateTime("since")));
                    }
                    return found;
                });
    }

    /** Re-reads the gauge from the table; failures only log (the next refresh tries again). */
    @Scheduled(identity = "connection-health-gauge", every = "60s", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> refreshGauge() {
        return pool.query("SELECT target_kind, count(*) AS n FROM worker.connection_health GROUP BY target_kind").execute()
                .invoke(rows -> {
                    Map<TargetKind, Long> counts = new HashMap<>();
                    rows.forEach(row -> counts.put(TargetKind.fromDb(row.getString("target_kind")), row.getLong("n")));
                    flagged.forEach((kind, gauge) -> gauge.set(counts.getOrDefault(kind, 0L)));
                })
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("needs-login gauge not refreshed: %s", e.getMessage());
                    return null;
                });
    }

    /** The gauge's current value for one kind (tests compare before and after). */
    public long needingLogin(TargetKind kind) {
        return flagged.get(kind).get();
    }
}
