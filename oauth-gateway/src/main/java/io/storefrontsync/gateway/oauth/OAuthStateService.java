package io.storefrontsync.gateway.oauth;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

/** Creates and consumes OAuth state nonces in {@code gateway.oauth_states}. */
@ApplicationScoped
public class OAuthStateService {

    public static final String SHOPIFY = "shopify";
    private static final SecureRandom RANDOM = new SecureRandom();

    public record IssuedState(String nonce, OffsetDateTime expiresAt) {
    }

    @WithTransaction
    public Uni<IssuedState> issueForShop(ShopDomain shop, Duration ttl) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        OAuthState state = new OAuthState();
        state.nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        state.flow = SHOPIFY;
        state.shop = shop.value();
        state.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        state.expiresAt = state.createdAt.plus(ttl);
        return state.persist().replaceWith(new IssuedState(state.nonce, state.expiresAt));
    }

    /**
     * Marks the nonce used when it exists for this flow and shop, is unused and unexpired; one
     * statement, so of two concurrent callbacks with the same state only one gets true.
     */
    @WithTransaction
    public Uni<Boolean> consumeForShop(String nonce, ShopDomain shop) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                                UPDATE gateway.oauth_states SET used_at = now()
                                 WHERE nonce = :nonce AND flow = 'shopify' AND shop = :shop
                                   AND used_at IS NULL AND expires_at > now()""")
                        .setParameter("nonce", nonce)
                        .setParameter("shop", shop.value())
                        .executeUpdate())
                .map(updated -> updated == 1);
    }
}
