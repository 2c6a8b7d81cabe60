package io.storefrontsync.worker.shopify.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
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
import io.storefrontsync.worker.shopify.ShopifyShopSync;
import io.storefrontsync.worker.spaces.Spaces;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.storefrontsync.worker.testing.JobRows;
import io.storefrontsync.worker.testing.ShopifySandbox;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static io.storefrontsync.worker.testing.ShopifySandbox.SHOP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shapes where a bulk read and a paginated one could part ways, in one store: products with more variants than
 * a page holds (260 > 250), more locations than a page of them (101 > 100, so 101 inventory aliases in the bulk query),
 * more metafields per product than the paginated query asks for at once, more collections than one page and
 * discounts over several pages. The two reads must give the same {@code shop_products.json}, byte for byte.
 */
@QuarkusTest
@TestProfile(BulkCatalogSyncTest.BulkFromOneProduct.class)
@WithTestResource(value = SandboxWorldResource.class, initArgs = {
        @ResourceArg(name = "set.SIM_SHOPIFY_PRODUCTS", value = "3"),
        @ResourceArg(name = "set.SIM_SHOPIFY_VARIANTS_PER_PRODUCT", value = "260"),
        @ResourceArg(name = "set.SIM_SHOPIFY_LOCATIONS", value = "101"),
        @ResourceArg(name = "set.SIM_SHOPIFY_METAFIELDS_PER_PRODUCT", value = "14"),
        @ResourceArg(name = "set.SIM_SHOPIFY_COLLECTIONS", value = "120"),
        @ResourceArg(name = "set.SIM_SHOPIFY_DISCOUNTS", value = "260"),
        @ResourceArg(name = "set.SIM_SHOPIFY_BUCKET_SIZE", value = "20000"),
        @ResourceArg(name = "set.SIM_SHOPIFY_RESTORE_RATE", value = "20000")})
class BulkEdgeShapesTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Inject
    Pool pool;
    @Inject
    SyncJobQueue queue;
    @Inject
    JobRunner runner;
    @Inject
    ShopifyShopSync shopSync;
    @Inject
    @Spaces
    S3AsyncClient s3;
    @ConfigProperty(name = "storefront.spaces.bucket")
    String bucket;

    @Test
    void theBulkReadShouldGiveThePaginatedReadsBytesOnEveryEdgeShape() throws Exception {
        GatewaySchema.ensure(pool);
        UUID owner = GatewaySchema.seedUser(pool);
        ShopifySandbox.install(pool, owner, SHOP);
        UserId user = new UserId(owner);
        String productsKey = SpacesKeys.shopifyShopProducts(user, new ShopDomain(SHOP));

        JsonObject paginated = shopSync.sync(user, new ShopDomain(SHOP), ShopifyShopSync.CatalogRead.PAGINATED)
                .await().atMost(TIMEOUT);
        assertThat(paginated.getString("read")).isEqualTo("paginated");
        byte[] paginatedDocument = object(productsKey);
        JsonNode document = CanonicalJson.parse(paginatedDocument);
        // The shapes are there (else this test proves nothing).
        assertThat(document.path("products").size()).isEqualTo(3);
        for (JsonNode product : document.path("products")) {
            assertThat(product.path("variants").size()).as("variants of %s", product.path("id")).isEqualTo(260);
            assertThat(product.path("metafields").size()).isGreaterThan(10);
            assertThat(product.path("variants").get(0).path("inventoryItem").path("inventoryLevels").size())
                    .as("one level per location").isEqualTo(101);
        }
        assertThat(document.path("collections").size()).isGreaterThan(100);
        // 260 discounts take several pages; those the bot may tell any shopper (shopper-safe) are published.
        assertThat(given().when().get(ShopifySandbox.simulatorUrl() + "/_sim/shops/" + SHOP + "/discounts")
                .then().statusCode(200).extract().jsonPath().getList("discounts")).hasSize(260);
        assertThat(document.path("discounts").size()).isGreaterThan(50);

        UUID id = queue.enqueue(pool, JobRequest.sync(JobTarget.shop(new ShopDomain(SHOP)), user, JobTrigger.RESYNC))
                .await().atMost(TIMEOUT).id();
        Row job = runUntilNotParked(id);

        assertThat(job.getString("status")).as(job.getString("last_error")).isEqualTo("succeeded");
        JsonObject bulk = (JsonObject) job.getValue("result");
        assertThat(bulk.getString("read")).isEqualTo("bulk");
        assertThat(bulk.getJsonArray("skipped").getList()).as("the same bytes: nothing written").contains(productsKey);
        assertThat(object(productsKey)).isEqualTo(paginatedDocument);
    }

    private Row runUntilNotParked(UUID id) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Row job;
        do {
            runner.runDueJobs().await().atMost(TIMEOUT);
            job = JobRows.byId(pool, id);
            Thread.sleep(100);
        } while ("waiting".equals(job.getString("status")) && System.nanoTime() < deadline);
        return job;
    }

    private byte[] object(String key) throws Exception {
        return s3.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toBytes())
                .get(30, TimeUnit.SECONDS).asByteArray();
    }
}
