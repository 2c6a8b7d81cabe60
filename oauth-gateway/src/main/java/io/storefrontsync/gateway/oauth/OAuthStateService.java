package io.storefrontsync.gateway.oauth;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.session.CookieSigner;
import io.storefrontsync.gateway.user.Users;
import io.vertx.mutiny.sqlclient.Pool;
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
    private final Pool pool;
    private final Users users;
    private final OAuthStates states;

    public OAuthStateService(CookieSigner signer, Pool pool, Users users, OAuthStates states) {
        this.signer = signer;
        this.pool = pool;
        this.users = users;
        this.states = states;
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
    public Uni<IssuedState> issueForUser(UserId user, Duration ttl) {
        return pool.withTransaction(conn -> users.exists(conn, user).chain(found -> {
            if (!found) {
                return Uni.createFrom().nullItem();
            }
            String nonce = newNonce();
            OffsetDateTime createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            OffsetDateTime expiresAt = createdAt.plus(ttl);
            return states.insertFacebook(conn, nonce, user, createdAt, expiresAt)
                    .replaceWith(new IssuedState(nonce, expiresAt));
        }));
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
    public Uni<Boolean> consumeForShop(String nonce, ShopDomain shop, Duration ttl) {
        return states.insertUsedShopify(pool, nonce, shop, OffsetDateTime.now(ZoneOffset.UTC).plus(ttl));
    }

    /**
     * Marks a Facebook Login nonce used, with one conditional UPDATE like {@link #consumeForShop}'s single INSERT,
     * and answers the user it was issued for; empty when it was used, expired or never issued.
     */
    public Uni<Optional<UserId>> consumeForUser(String nonce) {
        return states.consumeFacebook(pool, nonce);
    }
}
