package io.storefrontsync.worker.testing;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.Optional;

/** Looks at (and resets) worker.connection_health, the flags of connections needing a new login. */
public final class HealthRows {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private HealthRows() {
    }

    public static Optional<Row> ofPage(Pool pool, String pageId) {
        var rows = pool.preparedQuery("SELECT * FROM worker.connection_health WHERE target_kind = 'facebook_page' AND target_id = $1")
                .execute(Tuple.of(pageId)).await().atMost(TIMEOUT);
        return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
    }

    /** Forgets a flag an earlier test left on a shared target (the simulator's fixed page ids). */
    public static void clearPage(Pool pool, String pageId) {
        pool.preparedQuery("DELETE FROM worker.connection_health WHERE target_kind = 'facebook_page' AND target_id = $1")
                .execute(Tuple.of(pageId)).await().atMost(TIMEOUT);
    }
}
