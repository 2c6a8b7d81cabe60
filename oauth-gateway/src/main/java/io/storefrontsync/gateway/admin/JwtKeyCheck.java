package io.storefrontsync.gateway.admin;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.storefrontsync.common.auth.JwtKeys;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Stops the gateway at start when JWT_PRIVATE_KEY (signs service and admin JWTs) or JWT_PUBLIC_KEY
 * (verifies admin JWTs) is missing or malformed, instead of failing the first outbox delivery.
 * Both properties have a "not configured" default in application.properties so that a missing variable
 * reaches this check (Quarkus' own message would name the property, not the variable); a
 * {@link ConfigurationException} is printed by Quarkus as its message alone.
 */
@ApplicationScoped
public class JwtKeyCheck {

    /** The scheduler starts its timers at priority 0: refuse bad settings before any of them fires. */
    static final int BEFORE_THE_SCHEDULER = -1;

    /** smallrye-jwt's value for "no key configured", the default of {@code mp.jwt.verify.publickey} in application.properties. */
    private static final String NOT_CONFIGURED = "NONE";

    void check(@Observes @Priority(BEFORE_THE_SCHEDULER) StartupEvent event,
               @ConfigProperty(name = "smallrye.jwt.sign.key") Optional<String> privateKey,
               @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> publicKey) {
        try {
            JwtKeys.privateKey(privateKey.orElse(null));
            JwtKeys.publicKey(publicKey.filter(key -> !NOT_CONFIGURED.equals(key)).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }
}
