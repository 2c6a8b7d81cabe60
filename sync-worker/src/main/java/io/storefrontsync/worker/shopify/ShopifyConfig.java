package io.storefrontsync.worker.shopify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

/** How the worker talks to the Shopify Admin GraphQL API and how big its pages are. */
@ConfigMapping(prefix = "storefront.shopify")
public interface ShopifyConfig {

    /**
     * {@code SHOPIFY_API_VERSION}; empty when the variable is set to "" (an {@code Optional}, so that
     * {@link io.storefrontsync.worker.config.ShopifyApiVersionCheck} can refuse it naming the variable rather than Quarkus naming the property).
     * Its default is written once, in application.properties' {@code ${SHOPIFY_API_VERSION:2026-07}}: a
     * {@code @WithDefault} here would never be read.
     */
    @WithName("api-version")
    Optional<String> apiVersionSetting();

    /** {@code SHOPIFY_API_VERSION}, checked at start. */
    default String apiVersion() {
        return apiVersionSetting().orElseThrow();
    }

    /** {@code SHOPIFY_ADMIN_URL_TEMPLATE}, {@code https://{shop}} when empty; the sandbox points it at the simulator. */
    Optional<String> adminUrlTemplate();

    /** Connect and idle timeout of one Admin API request. */
    @WithDefault("30s")
    Duration requestTimeout();

    /** Retries of one query after a 5xx or a connection error (exponential backoff with jitter). */
    @WithDefault("4")
    int transientRetries();

    @WithDefault("500ms")
    Duration transientInitialBackoff();

    @WithDefault("10s")
    Duration transientMaxBackoff();

    /** Times one query may be refused for its rate (THROTTLED or 429) before the sync gives up. */
    @WithDefault("20")
    int rateLimitRetries();

    /** Shopify's limit for the requested cost of a single query. */
    @WithDefault("1000")
    int maxQueryCost();

    /**
     * Variants asked for with each product; the rare product with more gets follow-up pages. Small
     * on purpose: the requested cost multiplies by it, and most products have only a few.
     */
    @WithDefault("10")
    int variantsPerProduct();

    /** Custom metafields asked for with each product, followed by more pages when needed. */
    @WithDefault("10")
    int metafieldsPerProduct();

    /** Product ids asked for with each collection, followed by more pages when needed. */
    @WithDefault("100")
    int productsPerCollection();

    /** Redeem codes listed per code discount (never paged: bulk discounts can carry millions; codesCount says how many). */
    @WithDefault("5")
    int codesPerDiscount();
}
