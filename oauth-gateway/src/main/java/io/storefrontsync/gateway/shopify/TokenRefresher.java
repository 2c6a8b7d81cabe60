package io.storefrontsync.gateway.shopify;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.crypto.TokenAad;
import io.storefrontsync.common.crypto.TokenCipher;
import io.storefrontsync.common.validation.ShopDomain;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.jboss.logging.Logger;

/**
 * Refreshes expiring offline access tokens before they lapse ({@code grant_type=refresh_token}),
 * storing the rotated refresh token. Connections are leased with {@code FOR UPDATE SKIP LOCKED}, so
 * each is refreshed by one instance; a refresh token Shopify rejects marks the connection
 * {@code needs_reinstall}. Logs name the shop, never a token.
 */
@ApplicationScoped
public class TokenRefresher {

    private static final Logger LOG = Logger.getLogger(TokenRefresher.class);
    private static final double LEASE_SECONDS = 60;

    private static final String CLAIM = """
            UPDATE gateway.shopify_connections SET refresh_lease_until = now() + make_interval(secs => $2)
             WHERE shop IN (SELECT shop FROM gateway.shopify_connections
                             WHERE status = 'active' AND refresh_token_enc IS NOT NULL
                               AND access_token_expires_at < now() + make_interval(secs => $1)
                               AND (refresh_lease_until IS NULL OR refresh_lease_until < now())
                             ORDER BY access_token_expires_at LIMIT 20 FOR UPDATE SKIP LOCKED)
            RETURNING shop, refresh_token_enc""";
    private static final String STORE = """
            UPDATE gateway.shopify_connections
               SET access_token_enc = $2, access_token_expires_at = now() + make_interval(secs => $3),
                   refresh_token_enc = coalesce($4, refresh_token_enc),
                   refresh_token_expires_at = coalesce(now() + make_interval(secs => $5), refresh_token_expires_at),
                   refresh_lease_until = NULL, updated_at = now()
             WHERE shop = $1 AND status = 'active'""";
    private static final String NEEDS_REINSTALL = """
            UPDATE gateway.shopify_connections SET status = 'needs_reinstall', refresh_lease_until = NULL, updated_at = now()
             WHERE shop = $1 AND status = 'active'""";

    private final Pool pool;
    private final ShopifyAdminClients clients;
    private final ShopifyConfig config;
    private final TokenCipher cipher;

    public TokenRefresher(Pool pool, ShopifyAdminClients clients, ShopifyConfig config, TokenCipher cipher) {
        this.pool = pool;
        this.clients = clients;
        this.config = config;
        this.cipher = cipher;
    }

    @Scheduled(every = "{gateway.shopify.refresh-every}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshExpiring() {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of((double) config.refreshAhead().toSeconds(), LEASE_SECONDS))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(this::refresh)
                .collect().last()
                .replaceWithVoid();
    }

    private Uni<Void> refresh(Row row) {
        ShopDomain shop = new ShopDomain(row.getString("shop"));
        return Uni.createFrom().item(() -> cipher.decrypt(row.getString("refresh_token_enc"), TokenAad.shopifyRefreshToken(shop)))
                .chain(refreshToken -> clients.forShop(shop).refresh(config.apiKey(), config.apiSecret(), "refresh_token", refreshToken))
                .chain(tokens -> store(shop, tokens))
                .onFailure().recoverWithUni(failure -> failed(shop, failure));
    }

    private Uni<Void> store(ShopDomain shop, AccessTokenResponse tokens) {
        if (tokens == null || tokens.accessToken() == null) {
            return Uni.createFrom().failure(new IllegalStateException("no access token in the refresh answer"));
        }
        Tuple params = Tuple.tuple()
                .addString(shop.value())
                .addString(cipher.encrypt(tokens.accessToken(), TokenAad.shopifyAccessToken(shop)))
                .addDouble(tokens.expiresIn() == null ? 3600.0 : tokens.expiresIn().doubleValue())
                .addString(tokens.refreshToken() == null ? null
                        : cipher.encrypt(tokens.refreshToken(), TokenAad.shopifyRefreshToken(shop)))
                .addDouble(tokens.refreshTokenExpiresIn() == null ? null : tokens.refreshTokenExpiresIn().doubleValue());
        return pool.preparedQuery(STORE).execute(params)
                .invoke(() -> LOG.infof("refreshed the access token of %s", shop))
                .replaceWithVoid();
    }

    private Uni<Void> failed(ShopDomain shop, Throwable failure) {
        if (failure instanceof WebApplicationException wae && wae.getResponse().getStatus() >= 400
                && wae.getResponse().getStatus() < 500) {
            LOG.warnf("Shopify rejected the refresh token of %s (HTTP %d): the shop must reinstall the app",
                    shop, wae.getResponse().getStatus());
            return pool.preparedQuery(NEEDS_REINSTALL).execute(Tuple.of(shop.value())).replaceWithVoid();
        }
        // Transient: the lease runs out and the next run tries again.
        LOG.warnf("token refresh for %s failed, will retry: %s", shop, failure.getClass().getSimpleName());
        return Uni.createFrom().voidItem();
    }
}
