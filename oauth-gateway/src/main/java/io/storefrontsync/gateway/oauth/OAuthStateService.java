package io.storefrontsync.gateway.oauth;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.session.CookieSigner;
import io.storefrontsync.gateway.user.AppUser;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

/**
 * OAuth states. Facebook Login (behind a session) stores its nonces in {@code gateway.oauth_states}; the anonymous
 * Shopify install signs its state instead and stores only the nonces consumed.
 */
@ApplicationScoped
public class OAuthStateService {

    public static final String SHOPIFY = "shopify";
    public static final String FACEBOOK = "facebook";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CookieSigner signer;

    public OAuthStateService(CookieSigner signer) {
        this.signer = signer;
    }

    public record IssuedState(String nonce, OffsetDateTime expiresAt) {
    }

    /** Shopify's {@code state} parameter and the nonce it carries (the browser's state cookie carries it too). */
    public record ShopState(String value, String nonce, Instant expiresAt) {
    }

    /**
     * Shopify install: a stateless state, nothing stored. The login step is anonymous, so a row per hit would let a
     * flood grow the table; instead the state is {@code <nonce>.<expiry>.<mac>}, signed with STATE_TOKEN_SECRET under
     * a purpose naming the shop, so it is refused once expired or for any other shop. Single use is enforced at the
     * callback ({@link #consumeForShop}).
     */
    public ShopState issueForShop(ShopDomain shop, Duration ttl) {
        String nonce = newNonce();
        Instant expiresAt = Instant.now().plus(ttl);
        return new ShopState(signer.sign(shopPurpose(shop), nonce, expiresAt), nonce, expiresAt);
    }

    /** The nonce of a state this gateway issued for {@code shop} and not expired; empty otherwise. */
    public Optional<String> verifyForShop(String state, ShopDomain shop) {
        return signer.verify(shopPurpose(shop), state, Instant.now());
    }

    private static String shopPurpose(ShopDomain shop) {
        return "shopify-oauth-state:" + shop.value();
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
        OAuthState state = new OAuthState();
        state.nonce = newNonce();
        state.flow = flow;
        state.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        state.expiresAt = state.createdAt.plus(ttl);
        return state;
    }

    private static String newNonce() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Records a verified Shopify state's nonce as used; true the first time only. The row is the only one the
     * install writes before the code exchange, and only for a callback Shopify signed, which a flooder cannot
     * produce. One statement, so of two concurrent callbacks with the same state only one gets true. Kept until
     * {@code ttl} from now (the state's own expiry is sooner), then purged by RetentionJobs: past it, the signature
     * check refuses the state anyway.
     */
    @WithTransaction
    public Uni<Boolean> consumeForShop(String nonce, ShopDomain shop, Duration ttl) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                                INSERT INTO gateway.oauth_states (nonce, flow, shop, created_at, expires_at, used_at)
                                VALUES (:nonce, 'shopify', :shop, now(), :expiresAt, now())
                                ON CONFLICT (nonce) DO NOTHING""")
                        .setParameter("nonce", nonce)
                        .setParameter("shop", shop.value())
                        .setParameter("expiresAt", OffsetDateTime.now(ZoneOffset.UTC).plus(ttl))
                        .executeUpdate())
                .map(inserted -> inserted == 1);
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
