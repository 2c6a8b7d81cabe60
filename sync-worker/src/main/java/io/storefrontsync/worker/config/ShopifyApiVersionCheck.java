package io.storefrontsync.worker.config;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.storefrontsync.common.config.ShopifyApiVersion;
import io.storefrontsync.worker.shopify.ShopifyConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Stops the worker at start when {@code SHOPIFY_API_VERSION} names no Shopify release, instead of
 * every sync failing on a 404 from the shop's Admin API. A {@link ConfigurationException} is printed by
 * Quarkus as its message alone: one line naming the variable.
 */
@ApplicationScoped
public class ShopifyApiVersionCheck {

    void check(@Observes @Priority(StartupOrder.BEFORE_THE_SCHEDULER) StartupEvent event, ShopifyConfig shopify) {
        try {
            ShopifyApiVersion.require(shopify.apiVersionSetting().orElse(null));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }
}
