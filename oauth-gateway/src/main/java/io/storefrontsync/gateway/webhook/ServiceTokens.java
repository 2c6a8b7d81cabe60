package io.storefrontsync.gateway.webhook;

import io.smallrye.jwt.build.Jwt;
import io.storefrontsync.common.auth.ServiceAuth;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.UUID;

/**
 * Short-lived service JWTs for the worker, signed with {@code smallrye.jwt.sign.key} (JWT_PRIVATE_KEY).
 * Each one is minted for one request: it names the hash of that request's body and a fresh {@code jti},
 * which the worker accepts once (see {@link ServiceAuth#BODY_HASH_CLAIM}). A retried delivery mints its own.
 */
@ApplicationScoped
public class ServiceTokens {

    public static final String SUBJECT = "oauth-gateway";

    private final OutboxConfig config;

    public ServiceTokens(OutboxConfig config) {
        this.config = config;
    }

    /** @param body the exact bytes the request will carry */
    public String bearerForWorker(byte[] body) {
        return "Bearer " + Jwt.issuer(ServiceAuth.ISSUER)
                .audience(ServiceAuth.AUDIENCE_WORKER)
                .subject(SUBJECT)
                .groups(Set.of(ServiceAuth.ROLE_SERVICE))
                .claim("jti", UUID.randomUUID().toString())
                .claim(ServiceAuth.BODY_HASH_CLAIM, ServiceAuth.bodyHash(body))
                .expiresIn(config.tokenLifetime())
                .sign();
    }
}
