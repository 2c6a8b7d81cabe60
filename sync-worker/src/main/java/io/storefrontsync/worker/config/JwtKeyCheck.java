package io.storefrontsync.worker.config;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.storefrontsync.common.auth.JwtKeys;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Stops the worker at start when JWT_PUBLIC_KEY is missing or malformed (smallrye-jwt would only fail per
 * request). The property has a "not configured" default in application.properties so that a missing
 * variable reaches this check (Quarkus' own message would name {@code mp.jwt.verify.publickey}, not the variable); a
 * {@link ConfigurationException} is printed by Quarkus as its message alone.
 */
@ApplicationScoped
public class JwtKeyCheck {

    /** smallrye-jwt's value for "no key configured", the default of {@code mp.jwt.verify.publickey} in application.properties. */
    private static final String NOT_CONFIGURED = "NONE";

    void check(@Observes @Priority(StartupOrder.BEFORE_THE_SCHEDULER) StartupEvent event, @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> publicKey) {
        try {
            JwtKeys.publicKey(publicKey.filter(key -> !NOT_CONFIGURED.equals(key)).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }
}
