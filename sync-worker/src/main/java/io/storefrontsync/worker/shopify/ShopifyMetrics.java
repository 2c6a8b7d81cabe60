package io.storefrontsync.worker.shopify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * {@code storefront_shopify_requests_total{outcome}}: Admin API requests sent;
 * {@code storefront_shopify_cost_total}: actual query cost spent;
 * {@code storefront_shopify_pages_total{query}}: connection pages fetched, by GraphQL operation;
 * {@code storefront_shopify_throttled_total{reason=wait|throttled|429}}: times we waited for the
 * bucket before a query ({@code wait}) or were refused for the rate;
 * {@code storefront_shopify_throttle_wait_seconds_{count,sum,max}{reason}}: those waits and how long they took.
 */
@ApplicationScoped
public class ShopifyMetrics {

    private final MeterRegistry registry;

    public ShopifyMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void request(String outcome) {
        Counter.builder("storefront.shopify.requests").description("Admin API requests by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    void cost(int actual) {
        Counter.builder("storefront.shopify.cost").description("Actual query cost spent (points)")
                .register(registry).increment(actual);
    }

    void page(String query) {
        Counter.builder("storefront.shopify.pages").description("Connection pages fetched, by GraphQL operation")
                .tag("query", query).register(registry).increment();
    }

    void throttled(String reason) {
        Counter.builder("storefront.shopify.throttled").description("Waits for the cost bucket and rate refusals")
                .tag("reason", reason).register(registry).increment();
    }

    /** A wait taken before sending (again): {@code wait} for the bucket to refill, {@code throttled}/{@code 429} after a refusal. */
    void waited(String reason, Duration wait) {
        Timer.builder("storefront.shopify.throttle.wait").description("Time spent waiting out Shopify's rate limits")
                .tag("reason", reason).register(registry).record(wait);
    }
}
