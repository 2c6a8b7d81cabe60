package io.storefrontsync.worker.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.job.JobAction;
import io.storefrontsync.worker.job.JobRequest;
import io.storefrontsync.worker.job.JobRunner;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.JobTrigger;
import io.storefrontsync.worker.job.SyncJobQueue;
import io.storefrontsync.worker.spaces.Spaces;
import io.storefrontsync.worker.spaces.SpacesMetrics;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.storefrontsync.worker.testing.JobRows;
import io.storefrontsync.worker.testing.ShopifySandbox;
import io.storefrontsync.worker.testing.ShopperDiscounts;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static io.storefrontsync.worker.testing.ShopifySandbox.SHOP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Full Shopify syncs through the job runner against the sandbox world's simulator (the default
 * 650-product store). The bucket refills fast here so each sync takes seconds; waiting for the
 * bucket is {@link ShopifyThrottlingTest}'s subject.
 */
@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, initArgs = {
        @ResourceArg(name = "set.SIM_SHOPIFY_BUCKET_SIZE", value = "1000"),
        @ResourceArg(name = "set.SIM_SHOPIFY_RESTORE_RATE", value = "20000")})
class ShopifyShopSyncTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Inject
    Pool pool;
    @Inject
    SyncJobQueue queue;
    @Inject
    JobRunner runner;
    @Inject
    SpacesMetrics spacesMetrics;
    @Inject
    @Spaces
    S3AsyncClient s3;
    /** Metrics are on the management interface (a free port in tests). */
    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    @ConfigProperty(name = "storefront.spaces.bucket")
    String bucket;

    private UUID owner;
    private UserId user;
    private String metadataKey;
    private String productsKey;

    @BeforeEach
    void install() {
        GatewaySchema.ensure(pool);
        // Tests share the simulator's one shop: a job another test left pending would absorb ours (coalescing).
        pool.preparedQuery("DELETE FROM worker.jobs WHERE target_id = $1 AND status = 'pending'").execute(Tuple.of(SHOP))
                .await().atMost(TIMEOUT);
        owner = GatewaySchema.seedUser(pool);
        ShopifySandbox.install(pool, owner, SHOP);
        user = new UserId(owner);
        metadataKey = SpacesKeys.shopifyShopMetadata(user, new ShopDomain(SHOP));
        productsKey = SpacesKeys.shopifyShopProducts(user, new ShopDomain(SHOP));
    }

    @AfterEach
    void clearFaults() {
        ShopifySandbox.clearFaults();
    }

    @Test
    void fullSyncShouldWriteEveryProductWithVariantsInventoryAndMetafieldsAndNoToken() throws Exception {
        Row job = syncToTheEnd();

        assertThat(job.getString("status")).isEqualTo("succeeded");
        JsonObject result = (JsonObject) job.getValue("result");
        assertThat(result.getJsonArray("written").getList()).containsExactlyInAnyOrder(metadataKey, productsKey);
        assertThat(metadataKey).isEqualTo("users/" + user + "/shopify/" + SHOP + "/shop_metadata.json");
        assertThat(productsKey).isEqualTo("users/" + user + "/shopify/" + SHOP + "/shop_products.json");
        assertThat(result.getInteger("products")).isEqualTo(650);
        assertThat(result.getInteger("maxRequestedCost")).isBetween(1, 1000);
        assertThat(result.getInteger("costMismatches")).as("our cost formulas match Shopify's requestedQueryCost").isZero();

        JsonNode metadata = CanonicalJson.parse(object(metadataKey));
        JsonNode catalog = CanonicalJson.parse(object(productsKey));
        assertThat(metadata.path("shop").path("myshopifyDomain").asText()).isEqualTo(SHOP);
        assertThat(metadata.path("shop").path("currencyCode").asText()).isEqualTo("USD");
        int locations = metadata.path("locations").size();
        assertThat(locations).isEqualTo(2);

        List<Map<String, Object>> store = ShopifySandbox.products(SHOP);
        Map<String, Map<String, Object>> storeById = new HashMap<>();
        store.forEach(product -> storeById.put((String) product.get("id"), product));
        Set<String> seen = new HashSet<>();
        for (JsonNode product : catalog.path("products")) {
            String id = product.path("id").asText();
            assertThat(seen.add(id)).as("product %s appears once", id).isTrue();
            Map<String, Object> expected = storeById.get(id);
            assertThat(expected).as("product %s exists in the store", id).isNotNull();
            assertThat(product.path("title").asText()).isEqualTo(expected.get("title"));
            assertThat(product.path("variants").size()).isEqualTo(3);
            for (JsonNode variant : product.path("variants")) {
                assertThat(variant.path("inventoryItem").path("inventoryLevels").size()).isEqualTo(locations);
                for (JsonNode level : variant.path("inventoryItem").path("inventoryLevels")) {
                    assertThat(level.path("location").path("name").asText()).isNotBlank();
                    assertThat(level.path("quantities").findValuesAsText("name")).containsExactly("available", "on_hand");
                }
            }
            assertThat(product.path("metafields").size()).isEqualTo(2);
            assertThat(product.path("metafields").findValuesAsText("namespace")).containsOnly("custom");
        }
        assertThat(seen).isEqualTo(storeById.keySet());
        assertThat(catalog.path("discounts").size())
                .isEqualTo(ShopifySandbox.discounts(SHOP).stream().filter(ShopperDiscounts.SHOPPER_SAFE).count());
        assertThat(catalog.path("collections").size()).isEqualTo(ShopifySandbox.state(SHOP).getInt("counts.collections"));

        String documents = new String(object(metadataKey), StandardCharsets.UTF_8) + new String(object(productsKey), StandardCharsets.UTF_8);
        List<String> tokens = ShopifySandbox.tokensEverIssued();
        assertThat(tokens).isNotEmpty();
        tokens.forEach(token -> assertThat(documents).doesNotContain(token));
        assertThat(documents).doesNotContain("cursor").doesNotContain("pageInfo").doesNotContain("requestedQueryCost");

        Map<String, String> hashes = productHashes();
        assertThat(hashes).hasSize(650);
        for (JsonNode product : catalog.path("products")) {
            assertThat(hashes.get(product.path("id").asText())).isEqualTo(CanonicalJson.hash(product));
        }
    }

    @Test
    void shopProductsShouldHoldOnlyTheDiscountsAShopperMayBeTold() throws Exception {
        List<Map<String, Object>> discounts = ShopifySandbox.discounts(SHOP);
        // The default store holds one discount of each kind, the private ones included.
        assertThat(discounts).extracting(d -> d.get("context"))
                .contains("DiscountBuyerSelectionAll", "DiscountCustomers", "DiscountCustomerSegments");
        assertThat(discounts).extracting(d -> d.get("status")).contains("ACTIVE", "EXPIRED", "SCHEDULED");
        assertThat(discounts).anyMatch(d -> Integer.valueOf(1).equals(d.get("usageLimit")));
        assertThat(discounts).anyMatch(d -> ((Integer) d.get("codesCount")) > 1);
        assertThat(discounts).anyMatch(d -> ShopperDiscounts.automatic(d) && !ShopperDiscounts.SHOPPER_SAFE.test(d));

        assertThat(syncToTheEnd().getString("status")).isEqualTo("succeeded");

        byte[] document = object(productsKey);
        ShopperDiscounts.assertPublishedExactly(document, discounts, ShopperDiscounts.SHOPPER_SAFE);
        JsonNode published = CanonicalJson.parse(document).path("discounts");
        assertThat(published.size()).isEqualTo(discounts.stream().filter(ShopperDiscounts.SHOPPER_SAFE).count());
        assertThat(published.findValuesAsText("__typename"))
                .contains("DiscountCodeBasic", "DiscountAutomaticBasic", "DiscountCodeFreeShipping");
    }

    @Test
    void unchangedResyncShouldPutNothingAndMakeNoSpacesRequest() {
        assertThat(syncToTheEnd().getString("status")).isEqualTo("succeeded");
        double before = spacesRequests();

        Row second = syncToTheEnd();

        assertThat(second.getString("status")).isEqualTo("succeeded");
        JsonObject result = (JsonObject) second.getValue("result");
        assertThat(result.getJsonArray("written").getList()).isEmpty();
        assertThat(result.getJsonArray("skipped").getList()).containsExactlyInAnyOrder(metadataKey, productsKey);
        assertThat(spacesRequests() - before).as("Spaces requests for an unchanged resync").isZero();
    }

    @Test
    void productUpdateShouldRewriteOnlyTheProductsDocument() throws Exception {
        assertThat(syncToTheEnd().getString("status")).isEqualTo("succeeded");
        byte[] metadataBefore = object(metadataKey);
        Map<String, String> hashesBefore = productHashes();

        ShopifySandbox.event(SHOP, "products/update");
        Row job = syncToTheEnd();

        JsonObject result = (JsonObject) job.getValue("result");
        assertThat(result.getJsonArray("written").getList()).containsExactly(productsKey);
        assertThat(result.getJsonArray("skipped").getList()).containsExactly(metadataKey);
        assertThat(object(metadataKey)).isEqualTo(metadataBefore);
        Map<String, String> hashesAfter = productHashes();
        long changed = hashesAfter.entrySet().stream().filter(e -> !e.getValue().equals(hashesBefore.get(e.getKey()))).count();
        assertThat(changed).as("exactly the updated product has a new hash").isEqualTo(1);
    }

    /**
     * The figure of issue #14's first slice on the 650-product store: one {@code products/update} (as the gateway
     * forwards it: GID and {@code updated_at}) patches that product with one request, where a full sync reads the
     * whole catalog; the patched document is byte for byte what the next full sync writes.
     */
    @Test
    void aProductUpdateWebhookShouldPatchOneProductWithOneRequest() throws Exception {
        Row first = syncToTheEnd();
        assertThat(first.getString("status")).isEqualTo("succeeded");
        JsonObject full = (JsonObject) first.getValue("result");
        Map<String, Object> before = new HashMap<>();
        ShopifySandbox.products(SHOP).forEach(p -> before.put((String) p.get("id"), p.get("updatedAt")));
        ShopifySandbox.event(SHOP, "products/update");
        Map<String, Object> changed = ShopifySandbox.products(SHOP).stream()
                .filter(p -> !p.get("updatedAt").equals(before.get((String) p.get("id")))).findFirst().orElseThrow();
        long requestsBefore = ShopifySandbox.state(SHOP).getLong("stats.graphqlRequests");

        Map<String, Object> event = io.storefrontsync.worker.testing.Events.shopify(SHOP, "products/update");
        event.put("resourceId", changed.get("id"));
        event.put("occurredAt", changed.get("updatedAt"));
        String id = given().filter(io.storefrontsync.worker.testing.TestTokens.serviceToken())
                .contentType(io.restassured.http.ContentType.JSON)
                .body(io.storefrontsync.worker.testing.Events.batch(event))
                .when().post("/internal/events").then().statusCode(202).extract().path("jobs[0].id");
        JobRows.makeDue(pool, UUID.fromString(id));
        runner.runDueJobs().await().atMost(TIMEOUT);
        Row patched = JobRows.byId(pool, UUID.fromString(id));

        assertThat(patched.getString("status")).as(patched.getString("last_error")).isEqualTo("succeeded");
        assertThat(patched.getString("action")).isEqualTo("patch");
        JsonObject patch = (JsonObject) patched.getValue("result");
        assertThat(patch.getInteger("requests")).isEqualTo(1)
                .isEqualTo((int) (ShopifySandbox.state(SHOP).getLong("stats.graphqlRequests") - requestsBefore));
        assertThat(patch.getJsonArray("written").getList()).containsExactly(productsKey);
        byte[] document = object(productsKey);
        Row fresh = syncToTheEnd();
        assertThat(((JsonObject) fresh.getValue("result")).getJsonArray("skipped").getList()).contains(productsKey);
        assertThat(object(productsKey)).isEqualTo(document);
        org.jboss.logging.Logger.getLogger(ShopifyShopSyncTest.class).infof(
                "650-product store, one products/update: patch %d request, cost %d, %d ms; full sync %d requests, cost %d, %d ms",
                patch.getInteger("requests"), patch.getInteger("cost"), patch.getLong("durationMs"),
                full.getInteger("requests"), full.getInteger("cost"), full.getLong("durationMs"));
    }

    @Test
    void injected429And500ShouldBeWaitedOutAndRetried() {
        long faultsBefore = ShopifySandbox.state(SHOP).getLong("stats.faultsServed");
        ShopifySandbox.fault(SHOP, "429", 2, Map.of("retryAfterSeconds", 1));
        ShopifySandbox.fault(SHOP, "500", 2, Map.of());

        Row job = syncOnce(enqueue());

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(job.getInteger("attempts")).isEqualTo(1);
        JsonObject result = (JsonObject) job.getValue("result");
        assertThat(result.getInteger("refusals")).isEqualTo(2);
        assertThat(result.getInteger("retries")).isEqualTo(2);
        assertThat(ShopifySandbox.state(SHOP).getLong("stats.faultsServed") - faultsBefore).isEqualTo(4);
    }

    @Test
    void failureMidCatalogShouldFailTheJobAndLeaveStoredObjectsByteIdentical() throws Exception {
        assertThat(syncToTheEnd().getString("status")).isEqualTo("succeeded");
        byte[] metadataBefore = object(metadataKey);
        byte[] productsBefore = object(productsKey);
        ShopifySandbox.event(SHOP, "products/update");
        ShopifySandbox.event(SHOP, "shop/update");
        // The shop query and the first products page go through (a 1 ms "slow" fault), then every request fails.
        ShopifySandbox.fault(SHOP, "slow", 2, Map.of("delayMillis", 1));
        ShopifySandbox.fault(SHOP, "500", 50, Map.of());

        Row job = syncOnce(enqueue());

        assertThat(job.getString("status")).isIn("pending", "failed");
        assertThat(job.getString("last_error")).contains("HTTP 500").contains("CatalogProducts");
        assertThat(object(metadataKey)).isEqualTo(metadataBefore);
        assertThat(object(productsKey)).isEqualTo(productsBefore);
    }

    @Test
    void expiredAccessTokenShouldFailTheJobWith401InLastError() {
        ShopifySandbox.advanceClock(Duration.ofHours(2));

        Row job = syncOnce(enqueue());

        assertThat(job.getString("status")).isIn("pending", "failed");
        assertThat(job.getString("last_error")).contains("Unauthorized").contains("401").contains("expired");
        List<String> tokens = ShopifySandbox.tokensEverIssued();
        tokens.forEach(token -> assertThat(job.getString("last_error")).doesNotContain(token));
    }

    @Test
    void aTokenThatLapsesMidSyncShouldGiveWayToTheOneTheGatewayStoredSince() throws Exception {
        long faultsBefore = ShopifySandbox.state(SHOP).getLong("stats.faultsServed");
        long refusedBefore = ShopifySandbox.state(SHOP).getLong("stats.unauthorized");
        // The sync's first request (the shop query) is held 3 s; its second meets the end of its token's life.
        ShopifySandbox.fault(SHOP, "slow", 1, Map.of("delayMillis", 3000));
        ShopifySandbox.fault(SHOP, "token_expired", 1, Map.of());
        UUID id = enqueue();

        CompletableFuture<?> run = runner.runDueJobs().subscribeAsCompletionStage();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ShopifySandbox.state(SHOP).getLong("stats.faultsServed") == faultsBefore) {
            assertThat(System.nanoTime()).as("the sync's first request reaching Shopify").isLessThan(deadline);
            Thread.sleep(20);
        }
        // Meanwhile the gateway rotates the token, as its TokenRefresher does ahead of expiry.
        ShopifySandbox.install(pool, owner, SHOP);
        run.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        Row job = JobRows.byId(pool, id);
        assertThat(job.getString("status")).as(job.getString("last_error")).isEqualTo("succeeded");
        assertThat(job.getInteger("attempts")).isEqualTo(1);
        assertThat(((JsonObject) job.getValue("result")).getInteger("tokenRenewals")).isEqualTo(1);
        assertThat(ShopifySandbox.state(SHOP).getLong("stats.unauthorized") - refusedBefore).isEqualTo(1);
    }

    @Test
    void aRefusedTokenThatIsStillTheStoredOneShouldFailTheJobAfterOneRead() {
        ShopifySandbox.fault(SHOP, "token_expired", 1, Map.of());
        long refusedBefore = ShopifySandbox.state(SHOP).getLong("stats.unauthorized");

        Row job = syncOnce(enqueue());

        assertThat(job.getString("status")).isIn("pending", "failed");
        assertThat(job.getString("last_error")).contains("Unauthorized").contains("401");
        assertThat(ShopifySandbox.state(SHOP).getLong("stats.unauthorized") - refusedBefore)
                .as("no second request with the refused token").isEqualTo(1);
    }

    @Test
    void aSyncForAUserWhoDoesNotOwnTheShopShouldWriteNothingAndGiveWayToTheOwnersSync() throws Exception {
        // What coalescing leaves when the shop changed hands while a job waited: the first event's user, not the owner's.
        UserId stranger = new UserId(GatewaySchema.seedUser(pool));
        UUID refused = queue.enqueue(pool, JobRequest.sync(JobTarget.shop(new ShopDomain(SHOP)), stranger, JobTrigger.WEBHOOK))
                .await().atMost(TIMEOUT).id();
        JobRows.makeDue(pool, refused);
        double refusedBefore = ownershipRefusals("job");

        Row job = syncOnce(refused);

        assertThat(job.getString("status")).as("retrying cannot make the stranger the owner").isEqualTo("dead");
        assertThat(job.getString("last_error")).contains("is not connected to user " + stranger).doesNotContain(owner.toString());
        assertThat(keysUnder("users/" + stranger + "/")).as("nothing under the stranger's prefix").isEmpty();
        assertThat(ownershipRefusals("job") - refusedBefore).isEqualTo(1);
        List<Row> ownersSync = JobRows.withStatus(pool, SHOP, "pending");
        assertThat(ownersSync).hasSize(1);
        assertThat(ownersSync.get(0).getUUID("user_id")).as("the owner's sync takes the refused job's place").isEqualTo(owner);

        Row followUp = syncOnce(ownersSync.get(0).getUUID("id"));
        assertThat(followUp.getString("status")).isEqualTo("succeeded");
        assertThat(keysUnder("users/" + user + "/shopify/" + SHOP + "/")).containsExactlyInAnyOrder(metadataKey, productsKey);
    }

    @Test
    void aRedactionShouldLeaveTheReinstalledShopsOwnerASyncOfItsOwn() {
        // shop/redact for the previous owner waits; the shop is installed again (here by another user) and its
        // install sync coalesces into the redaction, which keeps the previous owner and wins.
        UserId previous = new UserId(GatewaySchema.seedUser(pool));
        JobTarget target = JobTarget.shop(new ShopDomain(SHOP));
        UUID redaction = queue.enqueue(pool, new JobRequest(target, previous, JobTrigger.WEBHOOK, JobAction.REDACT))
                .await().atMost(TIMEOUT).id();
        UUID install = queue.enqueue(pool, JobRequest.sync(target, user, JobTrigger.INSTALL)).await().atMost(TIMEOUT).id();
        assertThat(install).as("coalesced").isEqualTo(redaction);

        Row redacted = syncOnce(redaction);

        assertThat(redacted.getString("status")).isEqualTo("succeeded");
        String resync = ((JsonObject) redacted.getValue("result")).getString("resyncJob");
        assertThat(resync).as("the current owner's sync is enqueued, not left to the daily poll").isNotNull();
        Row ownersSync = JobRows.byId(pool, UUID.fromString(resync));
        assertThat(ownersSync.getString("status")).isEqualTo("pending");
        assertThat(ownersSync.getUUID("user_id")).isEqualTo(owner);
        assertThat(syncOnce(UUID.fromString(resync)).getString("status")).isEqualTo("succeeded");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private UUID enqueue() {
        return queue.enqueue(pool, JobRequest.sync(JobTarget.shop(new ShopDomain(SHOP)), user, JobTrigger.RESYNC))
                .await().atMost(TIMEOUT).id();
    }

    private Row syncOnce(UUID id) {
        runner.runDueJobs().await().atMost(TIMEOUT);
        return JobRows.byId(pool, id);
    }

    private Row syncToTheEnd() {
        UUID id = enqueue();
        Row job = syncOnce(id);
        for (int poll = 0; poll < 10 && "pending".equals(job.getString("status")); poll++) {
            job = syncOnce(id);
        }
        return job;
    }

    private byte[] object(String key) throws Exception {
        return s3.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toBytes())
                .get(30, TimeUnit.SECONDS).asByteArray();
    }

    private double spacesRequests() {
        return spacesMetrics.requests("head") + spacesMetrics.requests("put") + spacesMetrics.requests("get")
                + spacesMetrics.requests("list") + spacesMetrics.requests("delete");
    }

    private Map<String, String> productHashes() {
        Map<String, String> hashes = new HashMap<>();
        pool.preparedQuery("SELECT product_id, sha256 FROM worker.product_hashes WHERE shop = $1").execute(Tuple.of(SHOP))
                .await().atMost(TIMEOUT)
                .forEach(row -> hashes.put(row.getString("product_id"), row.getString("sha256")));
        return hashes;
    }

    private List<String> keysUnder(String prefix) throws Exception {
        return s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).get(30, TimeUnit.SECONDS)
                .contents().stream().map(S3Object::key).toList();
    }

    private double ownershipRefusals(String stage) {
        String metrics = given().port(managementPort).get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(line -> line.startsWith("storefront_ownership_refused_total{") && line.contains("stage=\"" + stage + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
