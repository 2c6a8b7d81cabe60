package io.storefrontsync.worker.testing;

import io.restassured.filter.Filter;
import io.smallrye.jwt.build.Jwt;
import io.storefrontsync.common.auth.ServiceAuth;
import org.eclipse.microprofile.config.ConfigProvider;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

/** JWTs as the gateway mints them, signed with the sandbox world's JWT_PRIVATE_KEY. */
public final class TestTokens {

    private TestTokens() {
    }

    /** A service token bound to no body: what {@code POST /internal/events} refuses, and what other endpoints see. */
    public static String service() {
        return token("oauth-gateway", ServiceAuth.ROLE_SERVICE, ServiceAuth.AUDIENCE_WORKER);
    }

    /** A service token as the gateway mints it for one request: this body's hash, a fresh jti. */
    public static String service(byte[] body) {
        return service(body, UUID.randomUUID().toString());
    }

    public static String service(byte[] body, String jti) {
        return Jwt.issuer(ServiceAuth.ISSUER)
                .audience(ServiceAuth.AUDIENCE_WORKER)
                .subject("oauth-gateway")
                .groups(Set.of(ServiceAuth.ROLE_SERVICE))
                .claim("jti", jti)
                .claim(ServiceAuth.BODY_HASH_CLAIM, ServiceAuth.bodyHash(body))
                .expiresIn(300)
                .sign(privateKey());
    }

    /**
     * Sends the request with a service token minted for its body, as the gateway's publisher does. REST Assured
     * has serialised the body by the time filters run (content type set before the body), so these are the bytes sent.
     */
    public static Filter serviceToken() {
        return (request, response, context) -> {
            Object body = request.getBody();
            byte[] bytes = body instanceof byte[] raw ? raw
                    : body == null ? new byte[0] : body.toString().getBytes(StandardCharsets.UTF_8);
            request.header("Authorization", bearer(service(bytes)));
            return context.next(request, response);
        };
    }

    public static String admin() {
        return token("operator", ServiceAuth.ROLE_ADMIN, ServiceAuth.AUDIENCE_WORKER);
    }

    public static String user(UUID user) {
        return token(user.toString(), ServiceAuth.ROLE_USER, ServiceAuth.AUDIENCE_WORKER);
    }

    public static String token(String subject, String role, String audience) {
        return Jwt.issuer(ServiceAuth.ISSUER)
                .audience(audience)
                .subject(subject)
                .groups(Set.of(role))
                .expiresIn(300)
                .sign(privateKey());
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    private static PrivateKey privateKey() {
        try {
            String base64 = ConfigProvider.getConfig().getValue("JWT_PRIVATE_KEY", String.class);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (Exception e) {
            throw new IllegalStateException("JWT_PRIVATE_KEY from the sandbox world is unusable", e);
        }
    }
}
