package io.storefrontsync.gateway.shopify;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code gateway.shopify_connections}, one row per installed shop. The only class of the gateway with SQL on this
 * table, except the read of the active row inside the webhook batch statement
 * ({@code WebhookReceipts.recordChanges}); the worker reads it too ({@code GatewayConnections},
 * {@code ShopifyAccessTokens}).
 *
 * <p>Every method takes the client to run on: a {@code SqlConnection} inside {@code pool.withTransaction}, so a
 * change commits with the outbox event it causes, or the {@code Pool} for a statement of its own. Tokens arrive
 * here already encrypted; nothing here sees a token in clear.
 */
@ApplicationScoped
public class ShopifyConnections {

    private static final String COLUMNS = "shop, user_id, access_token_enc, access_token_expires_at, refresh_token_enc, "
            + "refresh_token_expires_at, scopes, status, installed_at, updated_at";
    private static final String FIND = "SELECT " + COLUMNS + " FROM gateway.shopify_connections WHERE shop = $1";
    private static final String BY_USER =
            "SELECT " + COLUMNS + " FROM gateway.shopify_connections WHERE user_id = $1 ORDER BY shop";
    private static final String INSERT = """
            INSERT INTO gateway.shopify_connections (shop, user_id, access_token_enc, access_token_expires_at,
                   refresh_token_enc, refresh_token_expires_at, scopes, status, installed_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $8)
            ON CONFLICT (shop) DO NOTHING""";
    /** The owner and the install date stay; a refresh lease held meanwhile is left to run out. */
    private static final String REINSTALL = """
            UPDATE gateway.shopify_connections
               SET access_token_enc = $2, access_token_expires_at = $3, refresh_token_enc = $4,
                   refresh_token_expires_at = $5, scopes = $6, status = 'active', updated_at = $7
             WHERE shop = $1""";
    private static final String UNINSTALL = """
            UPDATE gateway.shopify_connections
               SET status = 'uninstalled', access_token_enc = NULL, access_token_expires_at = NULL,
                   refresh_token_enc = NULL, refresh_token_expires_at = NULL, updated_at = $2
             WHERE shop = $1""";
    private static final String DELETE = "DELETE FROM gateway.shopify_connections WHERE shop = $1";

    /** $1 refresh-ahead seconds, $2 lease seconds: the soonest-expiring due row nobody holds. */
    private static final String CLAIM_DUE_REFRESH = """
            UPDATE gateway.shopify_connections SET refresh_lease_until = now() + make_interval(secs => $2)
             WHERE shop = (SELECT shop FROM gateway.shopify_connections
                            WHERE status = 'active' AND refresh_token_enc IS NOT NULL
                              AND access_token_expires_at < now() + make_interval(secs => $1)
                              AND (refresh_lease_until IS NULL OR refresh_lease_until < now())
                            ORDER BY access_token_expires_at LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING shop, refresh_token_enc""";
    /** $6 is the refresh token ciphertext that was claimed and sent. */
    private static final String STORE_REFRESHED = """
            UPDATE gateway.shopify_connections
               SET access_token_enc = $2, access_token_expires_at = now() + make_interval(secs => $3),
                   refresh_token_enc = coalesce($4, refresh_token_enc),
                   refresh_token_expires_at = coalesce(now() + make_interval(secs => $5), refresh_token_expires_at),
                   refresh_lease_until = NULL, updated_at = now()
             WHERE shop = $1 AND status = 'active' AND refresh_token_enc = $6""";
    private static final String NEEDS_REINSTALL = """
            UPDATE gateway.shopify_connections SET status = 'needs_reinstall', refresh_lease_until = NULL, updated_at = now()
             WHERE shop = $1 AND status = 'active' AND refresh_token_enc = $2""";

    /** The two encrypted columns, for the key rotation ({@code token.TokenReencryptionJob}, {@code token.TokensByKeyGauge}). */
    public enum TokenColumn {
        ACCESS("access_token_enc"), REFRESH("refresh_token_enc");

        private final String stale;
        private final String replace;
        private final String countByKey;

        TokenColumn(String column) {
            // The key id is the envelope's second dot-separated field (v1.<keyId>.…).
            this.stale = "SELECT shop, " + column + " AS token FROM gateway.shopify_connections WHERE " + column
                    + " IS NOT NULL AND shop > $1 AND split_part(" + column + ", '.', 2) <> $2 ORDER BY shop LIMIT $3";
            this.replace = "UPDATE gateway.shopify_connections SET " + column + " = $3 WHERE shop = $1 AND " + column + " = $2";
            this.countByKey = "SELECT split_part(" + column + ", '.', 2) AS key_id, count(*) AS tokens"
                    + " FROM gateway.shopify_connections WHERE " + column + " IS NOT NULL GROUP BY 1";
        }
    }

    /** Encrypted tokens of an install, with their expiries ({@code null}: does not expire / none given). */
    public record InstallTokens(String accessTokenEnc, OffsetDateTime accessTokenExpiresAt, String refreshTokenEnc,
                                OffsetDateTime refreshTokenExpiresAt, String scopes) {
    }

    /** A row claimed for a refresh: the shop and the refresh token ciphertext to send (and to compare-and-set on). */
    public record ClaimedRefresh(String shop, String refreshTokenEnc) {
    }

    /** A refresh's answer, encrypted; a {@code null} refresh token or expiry keeps the stored one. */
    public record RefreshedTokens(String accessTokenEnc, double accessExpiresInSeconds, String refreshTokenEnc,
                                  Double refreshExpiresInSeconds) {
    }

    public Uni<Optional<ShopifyConnection>> find(SqlClient client, ShopDomain shop) {
        return client.preparedQuery(FIND).execute(Tuple.of(shop.value()))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(connection(rows.iterator().next())));
    }

    /** Every shop of {@code user}, whatever its status, by domain (the merchant's status page). */
    public Uni<List<ShopifyConnection>> findByUser(SqlClient client, UUID user) {
        return client.preparedQuery(BY_USER).execute(Tuple.of(user)).map(rows -> {
            List<ShopifyConnection> shops = new ArrayList<>(rows.size());
            rows.forEach(row -> shops.add(connection(row)));
            return shops;
        });
    }

    /**
     * A first install: the row, active, owned by {@code user} (which must exist). False, and nothing written, when
     * the shop has a row already: another install of it committed since this transaction looked (ON CONFLICT waits
     * for that one to commit), which a plain INSERT would have answered with a unique violation.
     */
    public Uni<Boolean> insert(SqlClient client, ShopDomain shop, UUID user, InstallTokens tokens, OffsetDateTime now) {
        return client.preparedQuery(INSERT).execute(Tuple.tuple().addString(shop.value()).addUUID(user)
                        .addString(tokens.accessTokenEnc()).addOffsetDateTime(tokens.accessTokenExpiresAt())
                        .addString(tokens.refreshTokenEnc()).addOffsetDateTime(tokens.refreshTokenExpiresAt())
                        .addString(tokens.scopes()).addOffsetDateTime(now))
                .map(rows -> rows.rowCount() == 1);
    }

    /** A reinstall (or an install over a row whatever its status): new tokens, active again, same owner. */
    public Uni<Void> reinstall(SqlClient client, ShopDomain shop, InstallTokens tokens, OffsetDateTime now) {
        return client.preparedQuery(REINSTALL).execute(Tuple.tuple().addString(shop.value())
                        .addString(tokens.accessTokenEnc()).addOffsetDateTime(tokens.accessTokenExpiresAt())
                        .addString(tokens.refreshTokenEnc()).addOffsetDateTime(tokens.refreshTokenExpiresAt())
                        .addString(tokens.scopes()).addOffsetDateTime(now))
                .replaceWithVoid();
    }

    /** Stop syncing: the tokens are gone, the row (and the user's uuid) stays for a reinstall. */
    public Uni<Void> markUninstalled(SqlClient client, ShopDomain shop, OffsetDateTime now) {
        return client.preparedQuery(UNINSTALL).execute(Tuple.of(shop.value(), now)).replaceWithVoid();
    }

    public Uni<Void> delete(SqlClient client, ShopDomain shop) {
        return client.preparedQuery(DELETE).execute(Tuple.of(shop.value())).replaceWithVoid();
    }

    /**
     * Leases the active row whose access token expires soonest within {@code refreshAhead} and that nobody holds
     * ({@code FOR UPDATE SKIP LOCKED}, then {@code refresh_lease_until}); empty when none is due.
     */
    public Uni<Optional<ClaimedRefresh>> claimDueRefresh(SqlClient client, Duration refreshAhead, Duration lease) {
        return client.preparedQuery(CLAIM_DUE_REFRESH).execute(Tuple.of(seconds(refreshAhead), seconds(lease)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new ClaimedRefresh(row.getString("shop"), row.getString("refresh_token_enc")));
                });
    }

    /**
     * Compare-and-set: stores the refresh's answer and ends the lease only if the row is still active and holds the
     * refresh token that was sent; false when a reinstall, an uninstall or another instance got there first.
     */
    public Uni<Boolean> storeRefreshed(SqlClient client, String shop, String sentRefreshTokenEnc, RefreshedTokens tokens) {
        Tuple params = Tuple.tuple()
                .addString(shop)
                .addString(tokens.accessTokenEnc())
                .addDouble(tokens.accessExpiresInSeconds())
                .addString(tokens.refreshTokenEnc())
                .addDouble(tokens.refreshExpiresInSeconds())
                .addString(sentRefreshTokenEnc);
        return client.preparedQuery(STORE_REFRESHED).execute(params).map(rows -> rows.rowCount() == 1);
    }

    /** Compare-and-set as {@link #storeRefreshed}: Shopify refused the refresh token that was sent. */
    public Uni<Boolean> markNeedsReinstall(SqlClient client, String shop, String sentRefreshTokenEnc) {
        return client.preparedQuery(NEEDS_REINSTALL).execute(Tuple.of(shop, sentRefreshTokenEnc))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Up to {@code limit} tokens of {@code column} sealed under another key id than {@code keyId}, of shops after
     * {@code afterShop} in shop order (keyset paging): shop → envelope, in that order.
     */
    public Uni<Map<String, String>> tokensNotUnderKey(SqlClient client, TokenColumn column, String afterShop,
                                                      String keyId, int limit) {
        return client.preparedQuery(column.stale).execute(Tuple.of(afterShop, keyId, limit)).map(rows -> {
            Map<String, String> tokens = new LinkedHashMap<>();
            rows.forEach(row -> tokens.put(row.getString("shop"), row.getString("token")));
            return tokens;
        });
    }

    /**
     * Compare-and-set: replaces the token only if it is still {@code expected}, so a token a refresh or a reinstall
     * stored meanwhile is never overwritten with an older one.
     */
    public Uni<Boolean> replaceToken(SqlClient client, TokenColumn column, String shop, String expected, String replacement) {
        return client.preparedQuery(column.replace).execute(Tuple.of(shop, expected, replacement))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Tokens of {@code column} per key id ("" for an envelope without one). */
    public Uni<Map<String, Long>> tokensByKey(SqlClient client, TokenColumn column) {
        return client.query(column.countByKey).execute().map(ShopifyConnections::countsByKey);
    }

    private static Map<String, Long> countsByKey(RowSet<Row> rows) {
        Map<String, Long> counts = new HashMap<>();
        rows.forEach(row -> counts.put(row.getString("key_id"), row.getLong("tokens")));
        return counts;
    }

    private static ShopifyConnection connection(Row row) {
        return new ShopifyConnection(row.getString("shop"), row.getUUID("user_id"), row.getString("access_token_enc"),
                row.getOffsetDateTime("access_token_expires_at"), row.getString("refresh_token_enc"),
                row.getOffsetDateTime("refresh_token_expires_at"), row.getString("scopes"), row.getString("status"),
                row.getOffsetDateTime("installed_at"), row.getOffsetDateTime("updated_at"));
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
