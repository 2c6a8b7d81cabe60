package io.storefrontsync.common.auth;

/**
 * The JWT contract between the gateway (issuer, signs with {@code JWT_PRIVATE_KEY}) and the worker
 * (verifies with {@code JWT_PUBLIC_KEY}). One place so both sides cannot drift apart.
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

    private ServiceAuth() {
    }
}
