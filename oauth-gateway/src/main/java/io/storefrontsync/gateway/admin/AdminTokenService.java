package io.storefrontsync.gateway.admin;

import io.smallrye.jwt.build.Jwt;
import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.common.signature.Hmac;
import io.storefrontsync.gateway.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Turns the operators' long-lived {@code ADMIN_API_KEY} into a short-lived admin JWT that both the
 * gateway's admin API and the worker's resync/job API accept, so the key itself never travels
 * further than this one endpoint.
 */
@ApplicationScoped
public class AdminTokenService {

    private static final Logger LOG = Logger.getLogger(AdminTokenService.class);
    private static final int MIN_KEY_LENGTH = 16;

    private final AdminConfig config;
    private final byte[] keyDigest;

    public AdminTokenService(AdminConfig config) {
        if (config.apiKey() == null || config.apiKey().length() < MIN_KEY_LENGTH) {
            throw new IllegalStateException("ADMIN_API_KEY must be at least " + MIN_KEY_LENGTH + " characters");
        }
        this.config = config;
        this.keyDigest = digest(config.apiKey());
    }

    public AdminToken mint(String presentedKey) {
        // Comparing digests keeps the comparison constant-time whatever the presented length.
        if (presentedKey == null || !Hmac.constantTimeEquals(keyDigest, digest(presentedKey))) {
            LOG.info("admin token refused: bad or missing X-Admin-Api-Key");
            throw new ApiException(401, "unauthorized", "a valid X-Admin-Api-Key header is required");
        }
        String jwt = Jwt.issuer(ServiceAuth.ISSUER)
                .audience(Set.of(ServiceAuth.AUDIENCE_GATEWAY, ServiceAuth.AUDIENCE_WORKER))
                .subject("operator")
                .groups(Set.of(ServiceAuth.ROLE_ADMIN))
                .expiresIn(config.tokenLifetime())
                .sign();
        return new AdminToken(jwt, "Bearer", config.tokenLifetime().toSeconds());
    }

    /** The answer of {@code POST /admin/token}, named as OAuth token responses are. */
    public record AdminToken(@com.fasterxml.jackson.annotation.JsonProperty("access_token") String accessToken,
                             @com.fasterxml.jackson.annotation.JsonProperty("token_type") String tokenType,
                             @com.fasterxml.jackson.annotation.JsonProperty("expires_in") long expiresIn) {
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
