package io.storefrontsync.worker.shopify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code storefront_shopify_requests_total{outcome}}: Admin API requests sent;
 * {@code storefront_shopify_cost_total}: actual query cost spent;
 * {@code storefront_shopify_throttled_total{reason=wait|throttled|429}}: times we waited for the
 * bucket before a query ({@code wait}) or were refused for the rate.
 */
@ApplicationScoped
public class ShopifyMetrics {

    private final MeterRegistry registry;

    public ShopifyMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void request(String outcome) {
        Counter.builder("storefront.shopify.requests").tag("outcome", outcome).register(registry).increment();
    }

    void cost(int actual) {
        Counter.builder("storefront.shopify.cost").register(registry).increment(actual);
    }

    void throttled(String reason) {
        Counter.builder("storefront.shopify.throttled").tag("reason", reason).register(registry).increment();
    }
}
