package io.storefrontsync.common.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The JWT contract between the gateway (issuer, signs with {@code JWT_PRIVATE_KEY}) and the worker
 * (verifies with {@code JWT_PUBLIC_KEY}). One place so both sides cannot drift apart.
 *
 * <p>A service token is good for one request only: it carries {@link #BODY_HASH_CLAIM}, the hash of
 * the exact body it was minted for, and a fresh {@code jti} that the worker accepts once. Inside the
 * app the traffic is plain HTTP, so a token seen on the wire can neither carry another body nor be
 * sent again.
 */
public final class ServiceAuth {

    /** {@code iss} of every token we mint. */
    public static final String ISSUER = "storefront-sync";
    /** {@code aud} of tokens meant for the worker (service, admin and user tokens alike). */
    public static final String AUDIENCE_WORKER = "sync-worker";
    /** {@code aud} of tokens meant for the gateway's admin API. */
    public static final String AUDIENCE_GATEWAY = "oauth-gateway";

    /** Group of the gateway's own tokens for {@code POST /internal/events}. */
    public static final String ROLE_SERVICE = "service";
    /** Operators: resync anything, read any job, manage webhooks. */
    public static final String ROLE_ADMIN = "admin";
    /** A merchant: may resync only its own user uuid (the token's {@code sub}). */
    public static final String ROLE_USER = "user";

    /**
     * Private claim of service tokens: {@link #bodyHash} of the request body the token was minted for.
     * The worker hashes the raw bytes it received and refuses (401) a token without it or with another.
     */
    public static final String BODY_HASH_CLAIM = "bsh";

    private ServiceAuth() {
    }

    /** base64url (no padding) of the SHA-256 of exactly these bytes: the value of {@link #BODY_HASH_CLAIM}. */
    public static String bodyHash(byte[] body) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
