package io.storefrontsync.worker.shopify;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** X-Shopify-API-Deprecated-Reason: logged once per reason, every answer counted by operation. */
class ShopifyDeprecationsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ShopifyDeprecations deprecations = new ShopifyDeprecations(registry);

    @Test
    void eachReasonShouldBeLoggedOnceAndEveryAnswerCounted() {
        assertThat(deprecations.noted("CatalogProducts", "https://shopify.dev/changelog/one")).isTrue();
        assertThat(deprecations.noted("CatalogProducts", "https://shopify.dev/changelog/one")).isFalse();
        assertThat(deprecations.noted("CatalogDiscounts", "https://shopify.dev/changelog/one")).isFalse();
        assertThat(deprecations.noted("CatalogDiscounts", "https://shopify.dev/changelog/two")).isTrue();

        assertThat(registry.get("storefront.shopify.deprecated").tag("operation", "CatalogProducts").counter().count())
                .isEqualTo(2.0);
        assertThat(registry.get("storefront.shopify.deprecated").tag("operation", "CatalogDiscounts").counter().count())
                .isEqualTo(2.0);
    }

    @Test
    void noHeaderShouldCountNothing() {
        assertThat(deprecations.noted("CatalogProducts", null)).isFalse();
        assertThat(deprecations.noted("CatalogProducts", "  ")).isFalse();
        assertThat(registry.find("storefront.shopify.deprecated").counters()).isEmpty();
    }

    @Test
    void whatIsLoggedShouldBePrintableAndShort() {
        assertThat(ShopifyDeprecations.printable("a\nb\u001b[31mc\u00e9")).isEqualTo("a?b?[31mc?");
        assertThat(ShopifyDeprecations.printable("x".repeat(5000))).hasSize(300);
    }
}
