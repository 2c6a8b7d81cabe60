package io.storefrontsync.gateway.support;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Direct reads and fixtures in the gateway schema for tests (blocking; test threads only). */
public final class GatewayDb {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Pool pool;

    public GatewayDb(Pool pool) {
        this.pool = pool;
    }

    public List<Row> query(String sql, Object... params) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(TIMEOUT).forEach(rows::add);
        return rows;
    }

    public long count(String sql, Object... params) {
        return query(sql, params).get(0).getLong(0);
    }

    /** A user with an active connection to {@code shop} (tokens are placeholders: webhooks never read them). */
    public UUID activeConnection(String shop) {
        UUID user = UUID.randomUUID();
        query("INSERT INTO gateway.users (id) VALUES ($1)", user);
        query("INSERT INTO gateway.shopify_connections (shop, user_id, access_token_enc, refresh_token_enc) "
                + "VALUES ($1, $2, 'v1.k1.placeholder', 'v1.k1.placeholder')", shop, user);
        return user;
    }

    /** A user with an active Facebook Page connection (the token is a placeholder: webhooks never read it). */
    public UUID activeFacebookPage(String pageId) {
        return activeFacebookPage(pageId, "1");
    }

    public UUID activeFacebookPage(String pageId, String facebookUserId) {
        UUID user = UUID.randomUUID();
        query("INSERT INTO gateway.users (id) VALUES ($1)", user);
        query("INSERT INTO gateway.facebook_pages (page_id, user_id, facebook_user_id, name, page_token_enc) "
                + "VALUES ($1, $2, $3, 'Test page', 'v1.k1.placeholder')", pageId, user, facebookUserId);
        return user;
    }

    public static String uniquePageId() {
        return "9" + java.util.concurrent.ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 999_999_999_999_999L);
    }

    public static String uniqueShop() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + ".myshopify.com";
    }
}
