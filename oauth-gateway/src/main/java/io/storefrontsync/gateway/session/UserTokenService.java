package io.storefrontsync.gateway.session;

import io.smallrye.jwt.build.Jwt;
import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.admin.AdminTokenService;
import io.storefrontsync.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * Mints the worker's {@code user} role for a signed-in merchant: a JWT with the same issuer and key as the service
 * and admin tokens ({@code JWT_PRIVATE_KEY}; the worker verifies it with {@code JWT_PUBLIC_KEY}), the worker as its
 * only audience, the user uuid as {@code sub}, a fresh {@code jti} and a short lifetime
 * ({@code gateway.session.user-token-lifetime}). The worker's {@code Caller} then lets it read and resync that uuid
 * only. Nothing stores it; the session cookie it is minted from is the credential.
 */
@ApplicationScoped
public class UserTokenService {

    private final Duration lifetime;

    public UserTokenService(GatewayConfig config) {
        this.lifetime = config.session().userTokenLifetime();
    }

    public AdminTokenService.AdminToken mint(UserId user) {
        String jwt = Jwt.issuer(ServiceAuth.ISSUER)
                .audience(Set.of(ServiceAuth.AUDIENCE_WORKER))
                .subject(user.toString())
                .groups(Set.of(ServiceAuth.ROLE_USER))
                .claim("jti", UUID.randomUUID().toString())
                .expiresIn(lifetime)
                .sign();
        return new AdminTokenService.AdminToken(jwt, "Bearer", lifetime.toSeconds());
    }
}
