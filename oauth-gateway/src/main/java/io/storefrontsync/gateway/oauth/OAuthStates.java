package io.storefrontsync.gateway.oauth;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * {@code gateway.oauth_states}: single-use OAuth state nonces. Facebook Login's are issued here and marked used
 * exactly once by a conditional UPDATE; a Shopify install's state is signed instead, and its nonce is inserted
 * already used when its callback consumes it. The only class with SQL on this table.
 */
@ApplicationScoped
public class OAuthStates {

    private static final String INSERT_FACEBOOK = """
            INSERT INTO gateway.oauth_states (nonce, flow, user_id, created_at, expires_at)
            VALUES ($1, 'facebook', $2, $3, $4)""";
    private static final String CONSUME_FACEBOOK = """
            UPDATE gateway.oauth_states SET used_at = now()
             WHERE nonce = $1 AND flow = 'facebook' AND user_id IS NOT NULL
               AND used_at IS NULL AND expires_at > now()
            RETURNING user_id""";
    private static final String INSERT_USED_SHOPIFY = """
            INSERT INTO gateway.oauth_states (nonce, flow, shop, created_at, expires_at, used_at)
            VALUES ($1, 'shopify', $2, now(), $3, now())
            ON CONFLICT (nonce) DO NOTHING""";
    private static final String DELETE_OF_SHOP = "DELETE FROM gateway.oauth_states WHERE shop = $1";
    /** An hour past expiry: a state is refused once expired anyway; the hour keeps recent ones for inspection. */
    private static final String PURGE_EXPIRED = "DELETE FROM gateway.oauth_states WHERE expires_at < now() - interval '1 hour'";

    /** A Facebook Login nonce for {@code user}, unused. */
    public Uni<Void> insertFacebook(SqlClient client, String nonce, UserId user, OffsetDateTime createdAt,
                                    OffsetDateTime expiresAt) {
        return client.preparedQuery(INSERT_FACEBOOK).execute(Tuple.of(nonce, user.value(), createdAt, expiresAt))
                .replaceWithVoid();
    }

    /**
     * Marks a Facebook Login nonce used, in one conditional UPDATE (of two concurrent callbacks only one gets it),
     * and answers the user it was issued for; empty when it was used, expired or never issued.
     */
    public Uni<Optional<UserId>> consumeFacebook(SqlClient client, String nonce) {
        return client.preparedQuery(CONSUME_FACEBOOK).execute(Tuple.of(nonce))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(new UserId(rows.iterator().next().getUUID("user_id"))));
    }

    /** Inserts a Shopify nonce already used; true the first time only (one statement: a concurrent twin gets false). */
    public Uni<Boolean> insertUsedShopify(SqlClient client, String nonce, ShopDomain shop, OffsetDateTime keepUntil) {
        return client.preparedQuery(INSERT_USED_SHOPIFY).execute(Tuple.of(nonce, shop.value(), keepUntil))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Every state of {@code shop} (shop/redact erases what the gateway holds about the shop). */
    public Uni<Integer> deleteOfShop(SqlClient client, ShopDomain shop) {
        return client.preparedQuery(DELETE_OF_SHOP).execute(Tuple.of(shop.value())).map(RowSet::rowCount);
    }

    /** @return the states expired more than an hour ago that were deleted */
    public Uni<Integer> purgeExpired(SqlClient client) {
        return client.query(PURGE_EXPIRED).execute().map(RowSet::rowCount);
    }
}
