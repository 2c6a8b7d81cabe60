package io.storefrontsync.worker.config;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.storefrontsync.common.crypto.TokenCipher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Decrypts the tokens the gateway stored. Built at start, so a missing or malformed
 * {@code TOKEN_ENCRYPTION_KEY} stops the worker at once with a message naming the variable.
 */
@ApplicationScoped
public class TokenCipherProducer {

    @Produces
    @Singleton
    @Startup
    TokenCipher tokenCipher(@ConfigProperty(name = "storefront.token-encryption-key") String keyRing) {
        try {
            return TokenCipher.fromKeyRing(keyRing);
        } catch (IllegalArgumentException e) {
            // Printed by Quarkus as the message alone: one line naming TOKEN_ENCRYPTION_KEY.
            throw new ConfigurationException(e.getMessage());
        }
    }
}
