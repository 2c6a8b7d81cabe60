package io.storefrontsync.gateway.admin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Operators' access (environment names in application.properties). */
@ConfigMapping(prefix = "gateway.admin")
public interface AdminConfig {

    /** {@code ADMIN_API_KEY}: exchanged for a short-lived admin JWT at {@code POST /admin/token}. */
    String apiKey();

    /** Lifetime of the admin JWTs minted here. */
    @WithDefault("1h")
    Duration tokenLifetime();
}
