package io.storefrontsync.gateway.facebook;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.PageId;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code gateway.facebook_pages}, one row per connected Page. The only class of the gateway with SQL on this table,
 * except the read of the active row inside the webhook batch statement ({@code WebhookReceipts.recordChanges});
 * the worker reads it too ({@code GatewayConnections}).
 *
 * <p>Every method takes the client to run on: a {@code SqlConnection} inside {@code pool.withTransaction}, so a
 * change commits with the outbox events it causes, or the {@code Pool} for a statement of its own. Page tokens
 * arrive here already encrypted.
 */
@ApplicationScoped
public class FacebookPages {

    private static final String COLUMNS =
            "page_id, user_id, facebook_user_id, name, category, page_token_enc, status, connected_at, updated_at";
    private static final String FIND = "SELECT " + COLUMNS + " FROM gateway.facebook_pages WHERE page_id = $1";
    private static final String BY_USER =
            "SELECT " + COLUMNS + " FROM gateway.facebook_pages WHERE user_id = $1 ORDER BY name, page_id";
    private static final String INSERT = """
            INSERT INTO gateway.facebook_pages (page_id, user_id, facebook_user_id, name, category, page_token_enc,
                   status, connected_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $7)""";
    /** A Page connected again, possibly by another of our users: everything but the first connection date. */
    private static final String RECONNECT = """
            UPDATE gateway.facebook_pages
               SET user_id = $2, facebook_user_id = $3, name = $4, category = $5, page_token_enc = $6,
                   status = 'active', updated_at = $7
             WHERE page_id = $1""";
    private static final String DELETE_CONNECTED_BY =
            "DELETE FROM gateway.facebook_pages WHERE facebook_user_id = $1 RETURNING " + COLUMNS;

    private static final String STALE_TOKENS = """
            SELECT page_id, page_token_enc FROM gateway.facebook_pages
             WHERE page_token_enc IS NOT NULL AND page_id > $1 AND split_part(page_token_enc, '.', 2) <> $2
             ORDER BY page_id LIMIT $3""";
    private static final String REPLACE_TOKEN =
            "UPDATE gateway.facebook_pages SET page_token_enc = $3 WHERE page_id = $1 AND page_token_enc = $2";
    private static final String TOKENS_BY_KEY = """
            SELECT split_part(page_token_enc, '.', 2) AS key_id, count(*) AS tokens
              FROM gateway.facebook_pages WHERE page_token_enc IS NOT NULL GROUP BY 1""";

    /** What a Facebook Login stores about a Page; the token encrypted. */
    public record ConnectedPage(PageId pageId, UUID userId, String facebookUserId, String name, String category,
                                String pageTokenEnc) {
    }

    public Uni<Optional<FacebookPageConnection>> find(SqlClient client, PageId page) {
        return client.preparedQuery(FIND).execute(Tuple.of(page.value()))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(connection(rows.iterator().next())));
    }

    /** Every Page of {@code user}, by name (the merchant's status page). */
    public Uni<List<FacebookPageConnection>> findByUser(SqlClient client, UUID user) {
        return client.preparedQuery(BY_USER).execute(Tuple.of(user)).map(rows -> {
            List<FacebookPageConnection> pages = new ArrayList<>(rows.size());
            rows.forEach(row -> pages.add(connection(row)));
            return pages;
        });
    }

    /** A Page connected for the first time: active. */
    public Uni<Void> insert(SqlClient client, ConnectedPage page, OffsetDateTime now) {
        return client.preparedQuery(INSERT).execute(params(page).addOffsetDateTime(now)).replaceWithVoid();
    }

    /** A Page connected again (new token, perhaps a new owner): active again, its first connection date kept. */
    public Uni<Void> reconnect(SqlClient client, ConnectedPage page, OffsetDateTime now) {
        return client.preparedQuery(RECONNECT).execute(params(page).addOffsetDateTime(now)).replaceWithVoid();
    }

    /** Deletes every Page {@code facebookUserId} connected, with its token; answers them, in Page id order. */
    public Uni<List<FacebookPageConnection>> deleteConnectedBy(SqlClient client, String facebookUserId) {
        return client.preparedQuery(DELETE_CONNECTED_BY).execute(Tuple.of(facebookUserId)).map(rows -> {
            List<FacebookPageConnection> deleted = new ArrayList<>();
            rows.forEach(row -> deleted.add(connection(row)));
            deleted.sort(Comparator.comparing(FacebookPageConnection::pageId));
            return deleted;
        });
    }

    /**
     * Up to {@code limit} Page tokens sealed under another key id than {@code keyId} (the envelope's second
     * dot-separated field, {@code v1.<keyId>.…}), of Pages after {@code afterPage} in id order (keyset paging):
     * Page id → envelope, in that order.
     */
    public Uni<Map<String, String>> tokensNotUnderKey(SqlClient client, String afterPage, String keyId, int limit) {
        return client.preparedQuery(STALE_TOKENS).execute(Tuple.of(afterPage, keyId, limit)).map(rows -> {
            Map<String, String> tokens = new LinkedHashMap<>();
            rows.forEach(row -> tokens.put(row.getString("page_id"), row.getString("page_token_enc")));
            return tokens;
        });
    }

    /**
     * Compare-and-set: replaces the Page token only if it is still {@code expected}, so a token a new Facebook Login
     * stored meanwhile is never overwritten with an older one.
     */
    public Uni<Boolean> replaceToken(SqlClient client, String pageId, String expected, String replacement) {
        return client.preparedQuery(REPLACE_TOKEN).execute(Tuple.of(pageId, expected, replacement))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Page tokens per key id ("" for an envelope without one). */
    public Uni<Map<String, Long>> tokensByKey(SqlClient client) {
        return client.query(TOKENS_BY_KEY).execute().map(rows -> {
            Map<String, Long> counts = new HashMap<>();
            rows.forEach(row -> counts.put(row.getString("key_id"), row.getLong("tokens")));
            return counts;
        });
    }

    private static Tuple params(ConnectedPage page) {
        return Tuple.tuple().addString(page.pageId().value()).addUUID(page.userId()).addString(page.facebookUserId())
                .addString(page.name()).addString(page.category()).addString(page.pageTokenEnc());
    }

    private static FacebookPageConnection connection(Row row) {
        return new FacebookPageConnection(row.getString("page_id"), row.getUUID("user_id"),
                row.getString("facebook_user_id"), row.getString("name"), row.getString("category"),
                row.getString("page_token_enc"), row.getString("status"), row.getOffsetDateTime("connected_at"),
                row.getOffsetDateTime("updated_at"));
    }
}
