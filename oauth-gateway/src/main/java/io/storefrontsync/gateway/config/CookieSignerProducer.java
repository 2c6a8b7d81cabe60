package io.storefrontsync.gateway.config;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.storefrontsync.gateway.session.CookieSigner;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The cookie and state signer from {@code STATE_TOKEN_SECRET}; built at start, like the token cipher, so a secret too
 * short to sign with stops the service naming the variable rather than failing the first install.
 */
public class CookieSignerProducer {

    @Produces
    @Singleton
    @Startup(StartupChecks.BEFORE_THE_SCHEDULER)
    CookieSigner cookieSigner(GatewayConfig config) {
        try {
            return new CookieSigner(config.stateTokenSecret());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }
}
