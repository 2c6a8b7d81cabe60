package io.storefrontsync.worker.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.job.JobRequest;
import io.storefrontsync.worker.job.JobRunner;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.JobTrigger;
import io.storefrontsync.worker.job.SyncJobQueue;
import io.storefrontsync.worker.spaces.Spaces;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.storefrontsync.worker.testing.JobRows;
import io.storefrontsync.worker.testing.ShopifySandbox;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static io.storefrontsync.worker.testing.ShopifySandbox.SHOP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * A store that costs several bucketfuls under Shopify's standard 1000-point bucket refilling at
 * 100/s, with products of more variants and metafields than the first page of each asks for: the
 * sync waits for the bucket instead of being refused, and follows the nested pages.
 */
@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, initArgs = {
        @ResourceArg(name = "set.SIM_SHOPIFY_PRODUCTS", value = "60"),
        @ResourceArg(name = "set.SIM_SHOPIFY_VARIANTS_PER_PRODUCT", value = "12"),
        @ResourceArg(name = "set.SIM_SHOPIFY_METAFIELDS_PER_PRODUCT", value = "12"),
        @ResourceArg(name = "set.SIM_SHOPIFY_BUCKET_SIZE", value = "1000"),
        @ResourceArg(name = "set.SIM_SHOPIFY_RESTORE_RATE", value = "100")})
class ShopifyThrottlingTest {

    /** Health, metrics and the OpenAPI document are on the management interface (a free port in tests). */
    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    private static final Logger LOG = Logger.getLogger(ShopifyThrottlingTest.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Inject
    Pool pool;
    @Inject
    SyncJobQueue queue;
    @Inject
    JobRunner runner;
    @Inject
    @Spaces
    S3AsyncClient s3;
    @ConfigProperty(name = "storefront.spaces.bucket")
    String bucket;

    @Test
    void syncDearerThanTheBucketShouldWaitForRefillsNotBeThrottledAndFollowNestedPages() throws Exception {
        GatewaySchema.ensure(pool);
        UUID owner = GatewaySchema.seedUser(pool);
        ShopifySandbox.install(pool, owner, SHOP);
        UserId user = new UserId(owner);
        JsonPath before = ShopifySandbox.state(SHOP);

        UUID id = queue.enqueue(pool, JobRequest.sync(JobTarget.shop(new ShopDomain(SHOP)), user, JobTrigger.RESYNC))
                .await().atMost(TIMEOUT).id();
        runner.runDueJobs().await().atMost(TIMEOUT);
        Row job = JobRows.byId(pool, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        JsonObject result = (JsonObject) job.getValue("result");
        JsonPath after = ShopifySandbox.state(SHOP);
        long actualCost = after.getLong("stats.totalActualCost") - before.getLong("stats.totalActualCost");
        long throttled = after.getLong("stats.throttledResponses") - before.getLong("stats.throttledResponses");
        LOG.infof("throttled store: %d products, %d requests, actual cost %d, %d waits before queries, "
                        + "%d refused by the simulator, %d ms (theoretical minimum %d ms)",
                result.getInteger("products"), result.getInteger("requests"), actualCost,
                result.getInteger("throttledWaits"), throttled, result.getLong("durationMs"),
                Math.max(0, (actualCost - 1000) * 1000 / 100));
        assertThat(actualCost).as("the store costs more than one bucketful").isGreaterThan(1000);
        assertThat(result.getInteger("throttledWaits")).isPositive();
        assertThat(throttled).as("THROTTLED answers: we wait before the bucket runs dry").isZero();
        assertThat(result.getInteger("maxRequestedCost")).isLessThanOrEqualTo(1000);
        assertThat(result.getInteger("costMismatches")).isZero();

        JsonNode catalog = CanonicalJson.parse(s3.getObject(b -> b.bucket(bucket)
                        .key(SpacesKeys.shopifyShopProducts(user, new ShopDomain(SHOP))), AsyncResponseTransformer.toBytes())
                .get(30, TimeUnit.SECONDS).asByteArray());
        assertThat(catalog.path("products").size()).isEqualTo(60);
        for (JsonNode product : catalog.path("products")) {
            assertThat(product.path("variants").size()).as("variants beyond the first page of 10").isEqualTo(12);
            assertThat(product.path("metafields").size()).as("metafields beyond the first page of 10").isEqualTo(12);
            product.path("variants").forEach(variant ->
                    assertThat(variant.path("inventoryItem").path("inventoryLevels").size()).isEqualTo(2));
        }

        given().port(managementPort).when().get("/q/metrics").then().statusCode(200)
                .body(containsString("storefront_shopify_requests_total"))
                .body(containsString("storefront_shopify_cost_total"))
                .body(containsString("storefront_shopify_throttled_total"));
    }
}
