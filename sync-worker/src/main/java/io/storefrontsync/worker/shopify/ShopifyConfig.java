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

    /**
     * From this many products up a full sync reads them with a bulk operation instead of paginated queries
     * (0: never). Measured on the simulator with the 650-product demo store: at standard-plan limits
     * (1000-point bucket, 100 points/s) the bulk sync took 11-13 s (mostly the paginated discounts and
     * collections, 1,161 points; the operation itself under a second), while the paginated one spends
     * 20,118 points in 70 requests, at least 191 s of refill at that rate. A product costs the paginated read
     * about 31 points (3 variants, 2 locations), so from about 250 products (7,700 points: 67 s of refill at
     * 100/s beyond a full bucket) the bulk read's fixed cost — a start, a parked wait of a few seconds
     * on real Shopify, a download — is the smaller one, and the memory a sync holds stops growing with the
     * catalog. Below it the paginated read finishes from a nearly full bucket in seconds. A parked bulk job
     * holds no worker slot ({@link io.storefrontsync.worker.job.JobParked}).
     */
    @WithDefault("250")
    int bulkThreshold();

    /** First wait before asking Shopify about a running bulk operation; doubled after each poll up to {@link #bulkPollMax}. */
    @WithDefault("1s")
    Duration bulkPollInitial();

    @WithDefault("30s")
    Duration bulkPollMax();

    /** A bulk operation still running after this long fails the attempt (the job retries with a new operation). */
    @WithDefault("6h")
    Duration bulkMaxWait();

    /** Times {@code bulkOperationRunQuery} is tried again while Shopify answers OPERATION_IN_PROGRESS or LIMIT_REACHED. */
    @WithDefault("5")
    int bulkStartRetries();
}
