package io.storefrontsync.sandbox.testing;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.storefrontsync.common.auth.JwtKeys;
import io.storefrontsync.common.auth.ServiceAuth;

import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * JWTs exactly as the gateway mints them — service tokens for {@code POST /internal/events}
 * ({@code ServiceTokens}: bound to one body by its hash, a fresh {@code jti}), operator tokens
 * ({@code AdminTokenService}) and user tokens — signed with a sandbox world's {@code JWT_PRIVATE_KEY}.
 * The one place tests of either service and the system tests mint a token, so that when the
 * contract in {@link ServiceAuth} changes, the tests follow in one edit. Forged tokens start from
 * {@link #claims} and change what they forge.
 * <p>
 * smallrye-jwt-build is {@code provided} here: the services' tests import the sandbox jar without
 * its dependencies, and every consumer (both services, system-tests) has it on its test classpath.
 */
public final class TestJwts {

    /** Long enough for the slowest test, short enough that a leaked token is worthless. */
    public static final Duration LIFESPAN = Duration.ofMinutes(10);

    /** The subject of the gateway's service tokens. */
    public static final String GATEWAY_SUBJECT = "oauth-gateway";

    /** The subject of the gateway's operator tokens. */
    public static final String OPERATOR_SUBJECT = "operator";

    private final PrivateKey key;

    private TestJwts(PrivateKey key) {
        this.key = key;
    }

    /** Signs with {@code jwtPrivateKey}: base64 PKCS#8 DER, as {@code JWT_PRIVATE_KEY}. */
    public static TestJwts signedWith(String jwtPrivateKey) {
        if (jwtPrivateKey == null || jwtPrivateKey.isBlank()) {
            throw new IllegalStateException("no JWT_PRIVATE_KEY: is the sandbox world running?");
        }
        return new TestJwts(JwtKeys.privateKey(jwtPrivateKey));
    }

    /** Signs with the {@code JWT_PRIVATE_KEY} of a sandbox world's settings ({@link EndToEndSystem#env()}). */
    public static TestJwts of(Map<String, String> worldSettings) {
        return signedWith(worldSettings.get("JWT_PRIVATE_KEY"));
    }

    /** A service token as the gateway's outbox publisher mints it for one request: this body's hash, a fresh jti. */
    public String service(byte[] body) {
        return service(body, UUID.randomUUID().toString());
    }

    /** A service token for {@code body} with this {@code jti}: what a replay sends again. */
    public String service(byte[] body, String jti) {
        return sign(claims(ServiceAuth.ISSUER, ServiceAuth.AUDIENCE_WORKER, ServiceAuth.ROLE_SERVICE, GATEWAY_SUBJECT)
                .claim("jti", jti)
                .claim(ServiceAuth.BODY_HASH_CLAIM, ServiceAuth.bodyHash(body)));
    }

    /** A service token bound to no body: what {@code POST /internal/events} refuses, and all other endpoints see. */
    public String serviceWithoutBody() {
        return token(GATEWAY_SUBJECT, ServiceAuth.ROLE_SERVICE, ServiceAuth.AUDIENCE_WORKER);
    }

    /** An operator's token as {@code POST /admin/token} mints it: both audiences. */
    public String admin() {
        return sign(claims(ServiceAuth.ISSUER, ServiceAuth.AUDIENCE_WORKER, ServiceAuth.ROLE_ADMIN, OPERATOR_SUBJECT)
                .audience(Set.of(ServiceAuth.AUDIENCE_GATEWAY, ServiceAuth.AUDIENCE_WORKER)));
    }

    /** A merchant's token: role user, subject their uuid, for {@code audience}. */
    public String user(UUID user, String audience) {
        return token(user.toString(), ServiceAuth.ROLE_USER, audience);
    }

    /** A genuine token with one role for one audience: for the combinations the gateway never mints. */
    public String token(String subject, String role, String audience) {
        return sign(claims(ServiceAuth.ISSUER, audience, role, subject));
    }

    /** Signs {@code claims} with this world's key. */
    public String sign(JwtClaimsBuilder claims) {
        return claims.sign(key);
    }

    /**
     * The claims every token here starts from: issued 5 s ago (a clock a little ahead must not make it
     * "not yet valid"), expiring after {@link #LIFESPAN}. A forgery changes what it forges — issuer,
     * expiry, key, algorithm — and keeps the rest genuine.
     */
    public static JwtClaimsBuilder claims(String issuer, String audience, String role, String subject) {
        Instant now = Instant.now();
        return Jwt.issuer(issuer).audience(audience).subject(subject).groups(Set.of(role))
                .issuedAt(now.minusSeconds(5)).expiresAt(now.plus(LIFESPAN));
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
