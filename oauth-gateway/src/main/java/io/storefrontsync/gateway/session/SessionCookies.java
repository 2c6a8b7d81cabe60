package io.storefrontsync.gateway.session;

import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The merchant's session after a Shopify install: a signed HttpOnly cookie carrying the user uuid,
 * so Facebook Login can attach pages to the same user. Also the short-lived OAuth state cookies.
 */
@ApplicationScoped
public class SessionCookies {

    public static final String SESSION = "sfs_session";
    public static final String SHOPIFY_STATE = "sfs_shopify_state";
    public static final String FACEBOOK_STATE = "sfs_facebook_state";
    private static final String SESSION_PURPOSE = "session";
    private static final String STATE_PURPOSE = "shopify-state";
    private static final String FACEBOOK_STATE_PURPOSE = "facebook-state";

    private final CookieSigner signer;
    private final Duration sessionTtl;
    private final Duration stateTtl;
    private final boolean secure;

    public SessionCookies(CookieSigner signer, GatewayConfig config) {
        this.signer = signer;
        this.sessionTtl = config.session().ttl();
        this.stateTtl = config.oauth().stateTtl();
        this.secure = config.cookies().secure();
    }

    public Duration stateTtl() {
        return stateTtl;
    }

    public NewCookie session(UserId user) {
        return cookie(SESSION, signer.sign(SESSION_PURPOSE, user.toString(), Instant.now().plus(sessionTtl)), sessionTtl);
    }

    public Optional<UserId> readSession(String value) {
        return signer.verify(SESSION_PURPOSE, value, Instant.now()).map(UserId::parse);
    }

    public NewCookie state(String nonce, Instant expiresAt) {
        return cookie(SHOPIFY_STATE, signer.sign(STATE_PURPOSE, nonce, expiresAt), stateTtl);
    }

    public Optional<String> readState(String value) {
        return signer.verify(STATE_PURPOSE, value, Instant.now());
    }

    public NewCookie clearState() {
        return cookie(SHOPIFY_STATE, "", Duration.ZERO);
    }

    /** Binds a Facebook Login state to this browser; a different purpose, so a Shopify state cookie does not pass. */
    public NewCookie facebookState(String nonce, Instant expiresAt) {
        return cookie(FACEBOOK_STATE, signer.sign(FACEBOOK_STATE_PURPOSE, nonce, expiresAt), stateTtl);
    }

    public Optional<String> readFacebookState(String value) {
        return signer.verify(FACEBOOK_STATE_PURPOSE, value, Instant.now());
    }

    public NewCookie clearFacebookState() {
        return cookie(FACEBOOK_STATE, "", Duration.ZERO);
    }

    private NewCookie cookie(String name, String value, Duration maxAge) {
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).maxAge((int) maxAge.toSeconds()).build();
    }
}
