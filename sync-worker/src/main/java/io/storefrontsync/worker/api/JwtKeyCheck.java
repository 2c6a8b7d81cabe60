package io.storefrontsync.worker.api;

import io.quarkus.runtime.StartupEvent;
import io.storefrontsync.common.auth.JwtKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/** Stops the worker at start when JWT_PUBLIC_KEY is missing or malformed (smallrye-jwt would only fail per request). */
@ApplicationScoped
public class JwtKeyCheck {

    void check(@Observes StartupEvent event, @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> publicKey) {
        JwtKeys.publicKey(publicKey.orElse(null));
    }
}
