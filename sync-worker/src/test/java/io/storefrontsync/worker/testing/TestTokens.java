package io.storefrontsync.worker.testing;

import io.restassured.filter.Filter;
import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.sandbox.testing.TestJwts;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * {@link TestJwts} for a worker {@code @QuarkusTest}: signed with the {@code JWT_PRIVATE_KEY} of the
 * sandbox world this test runs against (read from its config), as static methods for the tests'
 * {@code bearer(admin())} style, plus the REST Assured filter that binds a service token to the
 * body sent. Every claim is {@link TestJwts}'s; nothing is minted here.
 */
public final class TestTokens {

    private TestTokens() {
    }

    public static TestJwts jwts() {
        return TestJwts.signedWith(ConfigProvider.getConfig().getValue("JWT_PRIVATE_KEY", String.class));
    }

    /** A service token bound to no body: what {@code POST /internal/events} refuses, and what other endpoints see. */
    public static String service() {
        return jwts().serviceWithoutBody();
    }

    /** A service token as the gateway mints it for one request: this body's hash, a fresh jti. */
    public static String service(byte[] body) {
        return jwts().service(body);
    }

    public static String service(byte[] body, String jti) {
        return jwts().service(body, jti);
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
        return jwts().admin();
    }

    public static String user(UUID user) {
        return jwts().user(user, ServiceAuth.AUDIENCE_WORKER);
    }

    public static String token(String subject, String role, String audience) {
        return jwts().token(subject, role, audience);
    }

    public static String bearer(String token) {
        return TestJwts.bearer(token);
    }
}
