package io.storefrontsync.gateway.config;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.storefrontsync.common.auth.JwtKeys;
import io.storefrontsync.common.config.ShopifyApiVersion;
import io.storefrontsync.gateway.shopify.ShopifyConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Stops the gateway at start on a setting it cannot work with, instead of failing the first request that needs it.
 * A {@link ConfigurationException} is printed by Quarkus as its message alone: one line naming the variable.
 * The secrets that become objects are checked by building them at start: {@link TokenCipherProducer}
 * ({@code TOKEN_ENCRYPTION_KEY}) and {@link CookieSignerProducer} ({@code STATE_TOKEN_SECRET}).
 */
@ApplicationScoped
public class StartupChecks {

    /** The scheduler starts its timers at priority 0: refuse bad settings before any of them fires. */
    public static final int BEFORE_THE_SCHEDULER = -1;

    /** smallrye-jwt's value for "no key configured", the default of {@code mp.jwt.verify.publickey} in application.properties. */
    private static final String NOT_CONFIGURED = "NONE";

    /**
     * JWT_PRIVATE_KEY (signs service and admin JWTs) and JWT_PUBLIC_KEY (verifies admin JWTs), instead of failing the
     * first outbox delivery. Both properties have a "not configured" default in application.properties so that a
     * missing variable reaches this check (Quarkus' own message would name the property, not the variable). These
     * are smallrye-jwt's properties, not ours: they are read here by name.
     */
    void jwtKeys(@Observes @Priority(BEFORE_THE_SCHEDULER) StartupEvent event,
                 @ConfigProperty(name = "smallrye.jwt.sign.key") Optional<String> privateKey,
                 @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> publicKey) {
        try {
            JwtKeys.privateKey(privateKey.orElse(null));
            JwtKeys.publicKey(publicKey.filter(key -> !NOT_CONFIGURED.equals(key)).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }

    /** SHOPIFY_API_VERSION must name a Shopify release, instead of every install failing on a 404 from the shop's admin. */
    void shopifyApiVersion(@Observes @Priority(BEFORE_THE_SCHEDULER) StartupEvent event, ShopifyConfig shopify) {
        try {
            ShopifyApiVersion.require(shopify.apiVersionSetting().orElse(null));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }
}
