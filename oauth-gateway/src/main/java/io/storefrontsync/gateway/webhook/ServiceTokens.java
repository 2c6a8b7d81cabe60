package io.storefrontsync.gateway.webhook;

import io.smallrye.jwt.build.Jwt;
import io.storefrontsync.common.auth.ServiceAuth;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/** Short-lived service JWTs for the worker, signed with {@code smallrye.jwt.sign.key} (JWT_PRIVATE_KEY). */
@ApplicationScoped
public class ServiceTokens {

    public static final String SUBJECT = "oauth-gateway";

    private final OutboxConfig config;

    public ServiceTokens(OutboxConfig config) {
        this.config = config;
    }

    public String bearerForWorker() {
        return "Bearer " + Jwt.issuer(ServiceAuth.ISSUER)
                .audience(ServiceAuth.AUDIENCE_WORKER)
                .subject(SUBJECT)
                .groups(Set.of(ServiceAuth.ROLE_SERVICE))
                .expiresIn(config.tokenLifetime())
                .sign();
    }
}
