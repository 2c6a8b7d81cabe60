package io.storefrontsync.gateway.admin;

import io.quarkus.runtime.StartupEvent;
import io.storefrontsync.common.auth.JwtKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Stops the gateway at start when JWT_PRIVATE_KEY (signs service and admin JWTs) or JWT_PUBLIC_KEY
 * (verifies admin JWTs) is missing or malformed, instead of failing the first outbox delivery.
 */
@ApplicationScoped
public class JwtKeyCheck {

    void check(@Observes StartupEvent event,
               @ConfigProperty(name = "smallrye.jwt.sign.key") Optional<String> privateKey,
               @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> publicKey) {
        JwtKeys.privateKey(privateKey.orElse(null));
        JwtKeys.publicKey(publicKey.orElse(null));
    }
}
