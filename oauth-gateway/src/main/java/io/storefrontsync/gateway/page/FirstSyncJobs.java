package io.storefrontsync.gateway.page;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * The sync worker's job of a target's first sync, read from its queue ({@code worker.jobs}, same database): one
 * read-only query per target, the newest {@code install} job of the user for it, so the status page can say how far
 * the first sync is (phase, products read of the total) and that it finished. The worker owns the table; the gateway
 * reads seven columns of it and never writes. Where the worker's schema is not there (the worker never started against
 * this database, or the gateway's own tests) or the gateway's database role may not read it, there is nothing to read:
 * empty, and the page says what the gateway knows (the latter logged as a warning: a deployment to fix).
 */
@ApplicationScoped
public class FirstSyncJobs {

    private static final Logger LOG = Logger.getLogger(FirstSyncJobs.class);
    /** PostgreSQL's undefined_table. */
    private static final String UNDEFINED_TABLE = "42P01";
    /** PostgreSQL's insufficient_privilege: a deployment whose gateway role may not read the worker's schema. */
    private static final String NO_PRIVILEGE = "42501";

    /** Index {@code jobs_user_created_idx} (user_id, created_at DESC, id DESC). */
    private static final String LATEST = """
            SELECT status, attempts, max_attempts, progress, result, created_at, finished_at
            FROM worker.jobs
            WHERE user_id = $1 AND target_kind = $2 AND target_id = $3 AND trigger = 'install'
            ORDER BY created_at DESC, id DESC
            LIMIT 1""";

    /** The worker's target kinds ({@code worker.jobs.target_kind}). */
    public static final String SHOP = "shopify_shop";
    public static final String PAGE = "facebook_page";

    /**
     * One job as the page needs it: {@code status} as the worker writes it ({@code pending}, {@code running},
     * {@code waiting}, {@code succeeded}, {@code failed}, {@code dead}, {@code cancelled}), its progress note
     * ({@code phase}, {@code productsRead}, {@code productsTotal}; null when none), and the products of a finished
     * shop sync's result (null otherwise). Never its last error: that text is for operators.
     */
    public record Job(String status, int attempts, int maxAttempts, JsonObject progress, Integer productsSynced,
                      OffsetDateTime createdAt, OffsetDateTime finishedAt) {
    }

    public Uni<Optional<Job>> latest(SqlClient client, UUID user, String targetKind, String targetId) {
        return client.preparedQuery(LATEST).execute(Tuple.of(user, targetKind, targetId))
                .map(FirstSyncJobs::job)
                .onFailure(FirstSyncJobs::noWorkerSchema).recoverWithItem(e -> {
                    if (NO_PRIVILEGE.equals(((PgException) e).getSqlState())) {
                        LOG.warnf("the gateway's database role may not read worker.jobs: the status page shows no sync"
                                + " progress (%s)", e.getMessage());
                    } else {
                        LOG.debugf("no worker.jobs to read the first sync of %s %s from: %s", targetKind, targetId,
                                e.getMessage());
                    }
                    return Optional.empty();
                });
    }

    private static boolean noWorkerSchema(Throwable e) {
        return e instanceof PgException pg
                && (UNDEFINED_TABLE.equals(pg.getSqlState()) || NO_PRIVILEGE.equals(pg.getSqlState()));
    }

    private static Optional<Job> job(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        Object progress = row.getValue("progress");
        Object result = row.getValue("result");
        Integer products = result instanceof JsonObject json && json.getValue("products") instanceof Number n
                ? n.intValue() : null;
        return Optional.of(new Job(row.getString("status"), row.getInteger("attempts"), row.getInteger("max_attempts"),
                progress instanceof JsonObject json ? json : null, products, row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("finished_at")));
    }
}
