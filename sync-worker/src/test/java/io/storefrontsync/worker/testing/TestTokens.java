package io.storefrontsync.worker.testing;

import io.smallrye.jwt.build.Jwt;
import io.storefrontsync.common.auth.ServiceAuth;
import org.eclipse.microprofile.config.ConfigProvider;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

/** JWTs as the gateway mints them, signed with the sandbox world's JWT_PRIVATE_KEY. */
public final class TestTokens {

    private TestTokens() {
    }

    public static String service() {
        return token("oauth-gateway", ServiceAuth.ROLE_SERVICE, ServiceAuth.AUDIENCE_WORKER);
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
