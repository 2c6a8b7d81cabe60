package io.storefrontsync.worker.shopify;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.crypto.TokenAad;
import io.storefrontsync.common.crypto.TokenCipher;
import io.storefrontsync.common.validation.ShopDomain;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The shop's current Admin API access token, read from the gateway's connection row (read-only)
 * and decrypted. The gateway refreshes expiring tokens; a sync simply takes whatever is current.
 * The cipher is the worker's one {@link TokenCipher} (config/TokenCipherProducer).
 */
@ApplicationScoped
public class ShopifyAccessTokens {

    private final Pool pool;
    private final TokenCipher cipher;

    public ShopifyAccessTokens(Pool pool, TokenCipher cipher) {
        this.pool = pool;
        this.cipher = cipher;
    }

    /** Fails when the shop has no active connection or no token: nothing to sync with. */
    public Uni<String> accessToken(ShopDomain shop) {
        return pool.preparedQuery("SELECT status, access_token_enc FROM gateway.shopify_connections WHERE shop = $1")
                .execute(Tuple.of(shop.value()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new IllegalStateException("no active Shopify connection for " + shop + " (never installed)");
                    }
                    Row row = rows.iterator().next();
                    if (!"active".equals(row.getString("status"))) {
                        throw new IllegalStateException("no active Shopify connection for " + shop
                                + " (status " + row.getString("status") + ")");
                    }
                    String encrypted = row.getString("access_token_enc");
                    if (encrypted == null) {
                        throw new IllegalStateException("the Shopify connection of " + shop + " holds no access token");
                    }
                    return cipher.decrypt(encrypted, TokenAad.shopifyAccessToken(shop));
                });
    }
}
