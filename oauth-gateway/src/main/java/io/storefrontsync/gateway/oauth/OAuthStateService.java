package io.storefrontsync.gateway.oauth;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.user.AppUser;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

/** Creates and consumes OAuth state nonces in {@code gateway.oauth_states}. */
@ApplicationScoped
public class OAuthStateService {

    public static final String SHOPIFY = "shopify";
    public static final String FACEBOOK = "facebook";
    private static final SecureRandom RANDOM = new SecureRandom();

    public record IssuedState(String nonce, OffsetDateTime expiresAt) {
    }

    @WithTransaction
    public Uni<IssuedState> issueForShop(ShopDomain shop, Duration ttl) {
        OAuthState state = newState(SHOPIFY, ttl);
        state.shop = shop.value();
        return state.persist().replaceWith(new IssuedState(state.nonce, state.expiresAt));
    }

    /**
     * Facebook Login: the state carries the user the Pages will be attached to. Null when that user does not
     * exist (any more), so a stale session cannot start a login.
     */
    @WithTransaction
    public Uni<IssuedState> issueForUser(UserId user, Duration ttl) {
        return AppUser.<AppUser>findById(user.value()).chain(found -> {
            if (found == null) {
                return Uni.createFrom().nullItem();
            }
            OAuthState state = newState(FACEBOOK, ttl);
            state.userId = user.value();
            return state.persist().replaceWith(new IssuedState(state.nonce, state.expiresAt));
        });
    }

    private static OAuthState newState(String flow, Duration ttl) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        OAuthState state = new OAuthState();
        state.nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        state.flow = flow;
        state.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        state.expiresAt = state.createdAt.plus(ttl);
        return state;
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

    /**
     * Marks a Facebook Login nonce used, with the same single conditional UPDATE as
     * {@link #consumeForShop}, and answers the user it was issued for; empty when it was used, expired or
     * never issued.
     */
    @WithTransaction
    public Uni<Optional<UserId>> consumeForUser(String nonce) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                                UPDATE gateway.oauth_states SET used_at = now()
                                 WHERE nonce = :nonce AND flow = 'facebook' AND user_id IS NOT NULL
                                   AND used_at IS NULL AND expires_at > now()""")
                        .setParameter("nonce", nonce)
                        .executeUpdate())
                .chain(updated -> updated == 1
                        ? OAuthState.<OAuthState>findById(nonce).map(state -> Optional.of(new UserId(state.userId)))
                        : Uni.createFrom().item(Optional.<UserId>empty()));
    }
}
