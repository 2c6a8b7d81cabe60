package io.storefrontsync.gateway.config;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.storefrontsync.common.crypto.TokenCipher;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The token cipher from {@code TOKEN_ENCRYPTION_KEY}; built at start so a bad key stops the service at once. */
public class TokenCipherProducer {

    @Produces
    @Singleton
    // Before the scheduler starts its timers (priority 0): a job that needs the cipher (the token gauge polls 1 s
    // after start) must not be the one to build it, or a bad key is logged as that job's stack trace.
    @Startup(StartupChecks.BEFORE_THE_SCHEDULER)
    TokenCipher tokenCipher(GatewayConfig config) {
        try {
            return TokenCipher.fromKeyRing(config.tokenEncryptionKey());
        } catch (IllegalArgumentException e) {
            // Printed by Quarkus as the message alone: one line naming TOKEN_ENCRYPTION_KEY.
            throw new ConfigurationException(e.getMessage());
        }
    }
}
