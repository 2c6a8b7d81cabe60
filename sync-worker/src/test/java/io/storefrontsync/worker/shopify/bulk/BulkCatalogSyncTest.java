package io.storefrontsync.worker.shopify.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
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
import io.storefrontsync.worker.shopify.patch.PatchLimit;
import io.storefrontsync.worker.shopify.patch.ShopPatch;
import io.storefrontsync.worker.spaces.Spaces;
import io.storefrontsync.worker.testing.Events;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.storefrontsync.worker.testing.JobRows;
import io.storefrontsync.worker.testing.ShopifySandbox;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static io.storefrontsync.worker.testing.ShopifySandbox.SHOP;
import static io.storefrontsync.worker.testing.TestTokens.serviceToken;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Full syncs whose products come from a bulk operation, against the sandbox world's simulator (bulk
 * operations at 20,000 objects/s, JSONL with {@code groupObjects: false}, children interleaved) and the
 * 650-product demo store. The bucket refills fast, as in {@code ShopifyShopSyncTest}, so the paginated
 * read this class compares with takes seconds: at standard-plan limits (100 points/s) it takes minutes,
 * which is why large stores read in bulk. The threshold is 1 here, so every job of this class reads in
 * bulk; the paginated read is asked for explicitly where it is compared.
 */
@QuarkusTest
@TestProfile(BulkCatalogSyncTest.BulkFromOneProduct.class)
@WithTestResource(value = SandboxWorldResource.class, initArgs = {
        @ResourceArg(name = "set.SIM_SHOPIFY_BUCKET_SIZE", value = "1000"),
        @ResourceArg(name = "set.SIM_SHOPIFY_RESTORE_RATE", value = "20000")})
class BulkCatalogSyncTest {

    public static class BulkFromOneProduct implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("storefront.shopify.bulk-threshold", "1",
                    "storefront.shopify.bulk-poll-initial", "200ms",
                    "storefront.shopify.bulk-poll-max", "1s");
        }
    }

    private static final Logger LOG = Logger.getLogger(BulkCatalogSyncTest.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @Inject
    ShopPatch shopPatch;

    @Inject
    Pool pool;
    @Inject
    SyncJobQueue queue;
    @Inject
    JobRunner runner;
    @Inject
    ShopifyShopSync shopSync;
    @Inject
    BulkCatalogReader reader;
    @Inject
    ShopProductsAssembler assembler;
    @Inject
    @Spaces
    S3AsyncClient s3;
    @ConfigProperty(name = "storefront.spaces.bucket")
    String bucket;

    private UserId user;
    private String productsKey;
    private String metadataKey;

    @BeforeEach
    void install() {
        GatewaySchema.ensure(pool);
        pool.preparedQuery("DELETE FROM worker.jobs WHERE target_id = $1 AND status = 'pending'").execute(Tuple.of(SHOP))
                .await().atMost(TIMEOUT);
        UUID owner = GatewaySchema.seedUser(pool);
        ShopifySandbox.install(pool, owner, SHOP);
        user = new UserId(owner);
        productsKey = SpacesKeys.shopifyShopProducts(user, new ShopDomain(SHOP));
        metadataKey = SpacesKeys.shopifyShopMetadata(user, new ShopDomain(SHOP));
    }

    @AfterEach
    void clearFaults() {
        given().when().delete(ShopifySandbox.simulatorUrl() + "/_sim/bulk/faults").then().statusCode(204);
        ShopifySandbox.clearFaults();
    }

    @Test
    void bulkReadShouldWriteTheByteIdenticalShopProductsOfThePaginatedRead() throws Exception {
        Map<String, Long> beforePaginated = requestsByOperation();
        long paginatedStarted = System.nanoTime();
        JsonObject paginated = shopSync.sync(user, new ShopDomain(SHOP), ShopifyShopSync.CatalogRead.PAGINATED)
                .await().atMost(TIMEOUT);
        long paginatedMillis = (System.nanoTime() - paginatedStarted) / 1_000_000;
        assertThat(paginated.getString("read")).isEqualTo("paginated");
        byte[] paginatedDocument = object(productsKey);
        byte[] paginatedMetadata = object(metadataKey);
        Map<String, String> paginatedHashes = productHashes();

        Map<String, Long> paginatedReads = since(beforePaginated);
        assertThat(paginatedReads.getOrDefault("CatalogCollections", 0L)).as("the paginated read pages the collections'"
                + " product ids").isPositive();

        Map<String, Long> beforeBulk = requestsByOperation();
        long bulkStarted = System.nanoTime();
        Row job = syncOnce(enqueue());
        long bulkMillis = (System.nanoTime() - bulkStarted) / 1_000_000;
        Map<String, Long> bulkReads = since(beforeBulk);
        assertThat(bulkReads).as("the bulk sync reads collection membership inside its operation: no page of any"
                        + " collection's product ids")
                .doesNotContainKeys("CatalogCollections", "CollectionProducts")
                .containsEntry("CatalogCollectionHeads", 1L);

        assertThat(job.getString("status")).as(job.getString("last_error")).isEqualTo("succeeded");
        JsonObject bulk = (JsonObject) job.getValue("result");
        assertThat(bulk.getString("read")).isEqualTo("bulk");
        assertThat(bulk.getInteger("products")).isEqualTo(650);
        assertThat(bulk.getLong("bulkObjects")).isGreaterThan(650);
        assertThat(bulk.getJsonArray("skipped").getList()).as("the same bytes: nothing to write")
                .containsExactlyInAnyOrder(metadataKey, productsKey);
        assertThat(object(productsKey)).isEqualTo(paginatedDocument);
        assertThat(object(metadataKey)).isEqualTo(paginatedMetadata);
        assertThat(productHashes()).isEqualTo(paginatedHashes);

        ShopProductsAssembler.Assembled assembled = assembler.assemble(new ShopDomain(SHOP),
                discounts(paginatedDocument), collections(paginatedDocument)).await().atMost(TIMEOUT);
        try {
            assertThat(Files.readAllBytes(assembled.file())).as("assembled from the rows").isEqualTo(paginatedDocument);
            assertThat(assembled.sha256()).isEqualTo(CanonicalJson.sha256Hex(paginatedDocument));
            assertThat(assembled.size()).isEqualTo(paginatedDocument.length);
        } finally {
            Files.deleteIfExists(assembled.file());
        }
        Map<String, String> rows = rowHashes();
        assertThat(rows).hasSize(650);
        for (JsonNode product : CanonicalJson.parse(paginatedDocument).path("products")) {
            assertThat(rows.get(product.path("id").asText())).isEqualTo(CanonicalJson.hash(product));
        }
        LOG.infof("650-product store, fast bucket: paginated sync %d ms (%d requests, cost %d);"
                        + " bulk sync %d ms (%d requests, cost %d; Shopify %d ms, download and read %d ms, %d objects, %d bytes)",
                paginatedMillis, paginated.getInteger("requests"), paginated.getInteger("cost"),
                bulkMillis, bulk.getInteger("requests"), bulk.getInteger("cost"), bulk.getLong("bulkShopifyMs"),
                bulk.getLong("bulkReadMs"), bulk.getLong("bulkObjects"), bulk.getLong("bulkFileSize"));
    }

    /**
     * The measurement behind {@link PatchLimit} (issue #14): the points and requests of a patch that
     * re-reads N products of the 650-product demo store, against a full sync of the same store by bulk operation.
     * Each patch re-reads products unchanged since the bulk read (a webhook repeated with the product's own
     * {@code updatedAt}), so it writes nothing and the next N starts from the same state. The points are Shopify's
     * cost rules as the simulator applies them, the same on any machine; the threshold is where the throttle's wait
     * for them passes the bulk sync's measured duration, so it depends on this machine's speed.
     */
    @Test
    void aPatchOfNProductsShouldCostLinearlyAndFitInTheBulkSyncsTimeUpToTheThreshold() throws Exception {
        UUID first = enqueue();
        Row job = syncOnce(first);
        assertThat(job.getString("status")).as(job.getString("last_error")).isEqualTo("succeeded");
        JsonObject bulk = (JsonObject) job.getValue("result");
        assertThat(bulk.getString("read")).isEqualTo("bulk");
        assertThat(bulk.getLong("durationMs")).as("the bulk sync records how long it took").isPositive();
        byte[] document = object(productsKey);
        List<Map<String, Object>> products = ShopifySandbox.products(SHOP);
        // The bulk sync's duration follows the machine's load (0.9-2 s seen; at this test's 20,000 points/s that puts
        // the threshold anywhere from 600 to 1,400 products, past the store's 650 on a busy machine): the recorded
        // figure is pinned to a duration whose threshold is a few dozen products, so the test can go one past it.
        long fullSyncMillis = PINNED_FULL_SYNC_MILLIS;
        pool.preparedQuery("UPDATE worker.jobs SET result = jsonb_set(result, '{durationMs}', to_jsonb($2::bigint)) "
                + "WHERE id = $1").execute(Tuple.of(first, fullSyncMillis)).await().indefinitely();

        StringBuilder figures = new StringBuilder();
        Map<Integer, JsonObject> patches = new HashMap<>();
        PatchLimit limit = shopPatch.limitOf(new ShopDomain(SHOP)).await().indefinitely();
        assertThat(limit.recorded()).as("the bulk sync just recorded").isTrue();
        assertThat(limit.fullSyncPoints()).as("the limit is this store's own bulk sync").isEqualTo(bulk.getLong("cost"));
        int threshold = limit.maxProductChanges();
        assertThat(limit.fullSyncMillis()).as("the limit is this store's last full sync's time").isEqualTo(fullSyncMillis);
        assertThat(threshold).as("at least what the bucket serves without waiting, although the bulk sync's %d points"
                        + " are fewer than 5 products'", bulk.getLong("cost"))
                .isGreaterThanOrEqualTo((int) (limit.bucket() / PatchLimit.PRODUCT_POINTS))
                .isGreaterThan((int) (bulk.getLong("cost") / PatchLimit.PRODUCT_POINTS));
        for (int n : java.util.stream.IntStream.of(1, threshold, threshold + 1, 10).distinct().sorted().toArray()) {
            UUID id = null;
            for (int from = 0; from < n; from += 50) {
                List<Map<String, Object>> events = new ArrayList<>();
                for (Map<String, Object> product : products.subList(from, Math.min(n, from + 50))) {
                    Map<String, Object> event = Events.shopify(SHOP, "products/update");
                    event.put("resourceId", product.get("id"));
                    event.put("occurredAt", product.get("updatedAt"));
                    events.add(event);
                }
                id = UUID.fromString(given().filter(serviceToken()).contentType(ContentType.JSON).body(Events.batch(events))
                        .when().post("/internal/events").then().statusCode(202).extract().path("jobs[0].id"));
            }
            JobRows.makeDue(pool, id);
            Row patched = syncOnce(id);
            assertThat(patched.getString("status")).as(patched.getString("last_error")).isEqualTo("succeeded");
            JsonObject patch = (JsonObject) patched.getValue("result");
            if (n > threshold) {
                assertThat(patch.getString("read")).as("past the threshold: a full (bulk) sync").isEqualTo("bulk");
                assertThat(object(productsKey)).isEqualTo(document);
                figures.append(String.format("; %d changes: a full sync instead (%d requests, cost %d)", n,
                        patch.getInteger("requests"), patch.getInteger("cost")));
                continue;
            }
            assertThat(patch.getString("read")).isEqualTo("patch");
            assertThat(patch.getInteger("fetched")).isEqualTo(n);
            assertThat(patch.getInteger("rowsWritten")).as("unchanged products").isZero();
            patches.put(n, patch);
            figures.append(String.format("; patch of %d products: %d requests, cost %d", n, patch.getInteger("requests"),
                    patch.getInteger("cost")));
        }
        assertThat(object(productsKey)).isEqualTo(document);
        int perProduct = patches.get(1).getInteger("cost");
        assertThat(patches.get(threshold).getInteger("cost")).as("linear in N").isEqualTo(threshold * perProduct);
        assertThat(perProduct).as("the model's cost of a product change is the measured one")
                .isEqualTo(PatchLimit.PRODUCT_POINTS);
        assertThat(patches.get(threshold).getInteger("requests")).as("batched lookups, at least 10 products per request")
                .isBetween(1, (threshold + 9) / 10);
        assertThat(throttleMillis((long) threshold * perProduct, limit))
                .as("the threshold: the throttle's wait for the patch fits in the bulk sync's time")
                .isLessThanOrEqualTo(fullSyncMillis);
        assertThat(throttleMillis((long) (threshold + 1) * perProduct, limit)).isGreaterThan(fullSyncMillis);
        assertThat(threshold + 1).as("the store has a product for each change past the threshold")
                .isLessThanOrEqualTo(products.size());
        LOG.infof("650-product store: bulk sync %d requests, cost %d, %d ms%s", bulk.getInteger("requests"),
                bulk.getInteger("cost"), bulk.getLong("durationMs"), figures);
    }

    /** 29 points a product above the 1,000-point bucket at 20,000 points/s: a threshold of 62 products. */
    private static final long PINNED_FULL_SYNC_MILLIS = 40;

    private static double throttleMillis(long points, PatchLimit limit) {
        return Math.max(0, points - limit.bucket()) / limit.restoreRate() * 1000;
    }

    @Test
    void aDownloadCutMidFileShouldLeaveDocumentAndRowsUntouchedAndTheJobShouldRetry() throws Exception {
        Row first = syncOnce(enqueue());
        assertThat(first.getString("status")).as(first.getString("last_error")).isEqualTo("succeeded");
        byte[] documentBefore = object(productsKey);
        Map<String, String> rowsBefore = rowHashes();
        ShopifySandbox.event(SHOP, "products/update");
        armBulkFault("cut_download");

        UUID id = enqueue();
        Row cut = syncOnce(id);

        assertThat(cut.getString("status")).isIn("pending", "failed");
        assertThat(cut.getString("last_error")).contains("download");
        assertThat(cut.getString("last_error")).doesNotContain("signature=");
        assertThat(object(productsKey)).isEqualTo(documentBefore);
        assertThat(rowHashes()).isEqualTo(rowsBefore);
        assertThat(stagedLines()).as("staging emptied after the failed read").isZero();

        JobRows.makeDue(pool, id);
        Row retried = syncOnce(id);
        assertThat(retried.getString("status")).as(retried.getString("last_error")).isEqualTo("succeeded");
        assertThat(retried.getInteger("attempts")).isEqualTo(2);
        Map<String, String> rowsAfter = rowHashes();
        long changed = rowsAfter.entrySet().stream().filter(e -> !e.getValue().equals(rowsBefore.get(e.getKey()))).count();
        assertThat(changed).as("the updated product, and only it, has a new row").isEqualTo(1);
        assertThat(object(productsKey)).isNotEqualTo(documentBefore);
    }

    @Test
    void aFailedOperationShouldLeaveDocumentAndRowsUntouchedAndTheJobShouldRetry() throws Exception {
        Row first = syncOnce(enqueue());
        assertThat(first.getString("status")).as(first.getString("last_error")).isEqualTo("succeeded");
        byte[] documentBefore = object(productsKey);
        Map<String, String> rowsBefore = rowHashes();
        ShopifySandbox.event(SHOP, "products/update");
        armBulkFault("internal_server_error");

        UUID id = enqueue();
        Row failed = syncOnce(id);

        assertThat(failed.getString("status")).isIn("pending", "failed");
        assertThat(failed.getString("last_error")).contains("FAILED").contains("INTERNAL_SERVER_ERROR");
        assertThat(object(productsKey)).isEqualTo(documentBefore);
        assertThat(rowHashes()).isEqualTo(rowsBefore);

        JobRows.makeDue(pool, id);
        Row retried = syncOnce(id);
        assertThat(retried.getString("status")).as(retried.getString("last_error")).isEqualTo("succeeded");
        assertThat(object(productsKey)).isNotEqualTo(documentBefore);
    }

    @Test
    void aStartedOperationShouldParkTheJobWithoutLeaseOrSlotAndTheFinishWebhookShouldWakeIt() throws Exception {
        pace(0); // Shopify holds the operation where it is
        try {
            UUID id = enqueue();
            runner.runDueJobs().await().atMost(TIMEOUT);

            Row parked = JobRows.byId(pool, id);
            assertThat(parked.getString("status")).as(parked.getString("last_error")).isEqualTo("waiting");
            assertThat(parked.getString("lease_owner")).as("no lease while Shopify runs the operation").isNull();
            assertThat(parked.getInteger("attempts")).isEqualTo(1);
            JsonObject wait = (JsonObject) parked.getValue("parked");
            assertThat(wait.getString("operation")).startsWith("gid://shopify/BulkOperation/");
            assertThat(runner.runningJobs()).as("a parked job holds no slot").isZero();

            // Another change of the shop queues behind the parked job: its target is held.
            UUID behind = queue.enqueue(pool, JobRequest.sync(JobTarget.shop(new ShopDomain(SHOP)), user, JobTrigger.RESYNC))
                    .await().atMost(TIMEOUT).id();
            assertThat(behind).isNotEqualTo(id);
            pool.preparedQuery("UPDATE worker.jobs SET run_after = now() + interval '1 hour' WHERE id = $1")
                    .execute(Tuple.of(id)).await().atMost(TIMEOUT);
            runner.runDueJobs().await().atMost(TIMEOUT);
            assertThat(JobRows.byId(pool, behind).getString("status")).as("not claimed beside the parked job")
                    .isEqualTo("pending");
            assertThat(JobRows.byId(pool, id).getString("status")).as("its next check is an hour away").isEqualTo("waiting");

            // Shopify finishes; the gateway forwards its bulk_operations/finish: the parked job is due at once.
            pace(SIMULATOR_PACE);
            given().filter(serviceToken()).contentType(ContentType.JSON)
                    .body(Events.batch(Events.shopify(SHOP, "bulk_operations/finish")))
                    .when().post("/internal/events")
                    .then().statusCode(202);
            assertThat(JobRows.byId(pool, id).getOffsetDateTime("run_after")).isBeforeOrEqualTo(OffsetDateTime.now());

            Row done = syncOnce(id);
            assertThat(done.getString("status")).as(done.getString("last_error")).isEqualTo("succeeded");
            assertThat(done.getInteger("attempts")).as("resuming is not a new attempt").isEqualTo(1);
            assertThat(((JsonObject) done.getValue("result")).getString("bulkOperation")).isEqualTo(wait.getString("operation"));
            pool.preparedQuery("DELETE FROM worker.jobs WHERE id = $1").execute(Tuple.of(behind)).await().atMost(TIMEOUT);
        } finally {
            pace(SIMULATOR_PACE);
        }
    }

    @Test
    void anUninstallShouldCancelTheSyncParkedOnItsOperation() throws Exception {
        pace(0);
        try {
            UUID id = enqueue();
            runner.runDueJobs().await().atMost(TIMEOUT);
            assertThat(JobRows.byId(pool, id).getString("status")).isEqualTo("waiting");

            given().filter(serviceToken()).contentType(ContentType.JSON)
                    .body(Events.batch(Events.shopify(SHOP, "app/uninstalled")))
                    .when().post("/internal/events")
                    .then().statusCode(202);

            Row cancelled = JobRows.byId(pool, id);
            assertThat(cancelled.getString("status")).as("it would only fail on resuming, and hold the shop")
                    .isEqualTo("cancelled");
            assertThat(cancelled.getOffsetDateTime("finished_at")).isNotNull();
        } finally {
            pace(SIMULATOR_PACE);
        }
    }

    @Test
    void accessDeniedShouldKillTheJobAtOnceAndFlagTheShopUntilItIsInstalledAgain() throws Exception {
        armBulkFault("access_denied");
        try {
            UUID id = enqueue();
            Row denied = syncOnce(id);

            assertThat(denied.getString("status")).isEqualTo("dead");
            assertThat(denied.getInteger("attempts")).as("not retried: only the merchant can grant the scope").isEqualTo(1);
            assertThat(denied.getString("last_error")).contains("ACCESS_DENIED").contains("scopes");
            Row flag = pool.preparedQuery("SELECT status, reason FROM worker.connection_health WHERE target_id = $1")
                    .execute(Tuple.of(SHOP)).await().atMost(TIMEOUT).iterator().next();
            assertThat(flag.getString("status")).isEqualTo("needs_login");

            given().filter(serviceToken()).contentType(ContentType.JSON)
                    .body(Events.batch(Events.shopify(SHOP, "app/installed")))
                    .when().post("/internal/events")
                    .then().statusCode(202);
            assertThat(pool.preparedQuery("SELECT count(*) AS n FROM worker.connection_health WHERE target_id = $1")
                    .execute(Tuple.of(SHOP)).await().atMost(TIMEOUT).iterator().next().getLong("n"))
                    .as("the reinstall (a fresh token with the scopes approved) clears the flag").isZero();
        } finally {
            pool.preparedQuery("DELETE FROM worker.connection_health WHERE target_id = $1").execute(Tuple.of(SHOP))
                    .await().atMost(TIMEOUT);
        }
    }

    @Test
    void interleavedLinesShouldBeJoinedToTheirProductsThroughTheStagingTable() throws Exception {
        String shop = "joiner-" + UUID.randomUUID().toString().substring(0, 8) + ".myshopify.com";
        List<ObjectNode> locations = List.of(CanonicalJson.mapper().createObjectNode()
                .put("id", "gid://shopify/Location/1").put("name", "Warehouse"));
        Path file = Files.createTempFile("joiner-", ".jsonl");
        Files.writeString(file, """
                {"id":"gid://shopify/Product/2","title":"Two"}
                {"id":"gid://shopify/Product/10","title":"Ten"}
                {"id":"gid://shopify/ProductVariant/21","title":"A","inventoryItem":{"id":"gid://shopify/InventoryItem/21","at0":{"id":"gid://shopify/InventoryLevel/210","quantities":[{"name":"available","quantity":3}]}},"__parentId":"gid://shopify/Product/2"}
                {"id":"gid://shopify/Metafield/101","namespace":"custom","key":"k","type":"single_line_text_field","value":"v","__parentId":"gid://shopify/Product/10"}
                {"id":"gid://shopify/Collection/5","__parentId":"gid://shopify/Product/10"}
                {"id":"gid://shopify/Product/9","title":"Nine"}
                {"id":"gid://shopify/Collection/5","__parentId":"gid://shopify/Product/2"}
                {"id":"gid://shopify/Collection/6","__parentId":"gid://shopify/Product/2"}
                {"id":"gid://shopify/ProductVariant/20","title":"B","inventoryItem":{"id":"gid://shopify/InventoryItem/20","at0":null},"__parentId":"gid://shopify/Product/2"}
                {"id":"gid://shopify/ProductVariant/100","title":"C","inventoryItem":{"id":"gid://shopify/InventoryItem/100","at0":null},"__parentId":"gid://shopify/Product/10"}
                """);
        try {
            BulkCatalogReader.Read read = reader.replaceShopProducts(new ShopDomain(shop), user, file, locations)
                    .await().atMost(TIMEOUT);

            assertThat(read.products()).isEqualTo(3);
            assertThat(read.members()).as("each collection's members, from the products' collections lines")
                    .containsOnlyKeys("gid://shopify/Collection/5", "gid://shopify/Collection/6");
            assertThat(read.members().get("gid://shopify/Collection/5"))
                    .containsExactlyInAnyOrder("gid://shopify/Product/10", "gid://shopify/Product/2");
            assertThat(read.members().get("gid://shopify/Collection/6")).containsExactly("gid://shopify/Product/2");
            Map<String, JsonNode> rows = new HashMap<>();
            pool.preparedQuery("SELECT product_id, canonical_json FROM worker.shop_products WHERE shop = $1").execute(Tuple.of(shop))
                    .await().atMost(TIMEOUT)
                    .forEach(row -> rows.put(row.getString("product_id"), CanonicalJson.parse(row.getString("canonical_json"))));
            assertThat(field(rows.get("gid://shopify/Product/2").path("variants"), "title")).containsExactly("B", "A");
            assertThat(rows.get("gid://shopify/Product/2").path("variants").get(1).path("inventoryItem").path("inventoryLevels")
                    .get(0).path("location").path("name").asText()).isEqualTo("Warehouse");
            assertThat(field(rows.get("gid://shopify/Product/10").path("metafields"), "key")).containsExactly("k");
            assertThat(field(rows.get("gid://shopify/Product/10").path("variants"), "title")).containsExactly("C");
            assertThat(rows.get("gid://shopify/Product/9").path("variants").isEmpty()).isTrue();
            assertThat(rows.values().toString()).as("membership lines are no product's field")
                    .doesNotContain("gid://shopify/Collection/");

            ShopProductsAssembler.Assembled assembled = assembler.assemble(new ShopDomain(shop), List.of(), List.of())
                    .await().atMost(TIMEOUT);
            String document = Files.readString(assembled.file(), StandardCharsets.UTF_8);
            Files.deleteIfExists(assembled.file());
            assertThat(field(CanonicalJson.parse(document).path("products"), "title"))
                    .as("Shopify's id order: shorter ids first").containsSubsequence("Two", "Nine", "Ten");
        } finally {
            Files.deleteIfExists(file);
            pool.preparedQuery("DELETE FROM worker.shop_products WHERE shop = $1").execute(Tuple.of(shop)).await().atMost(TIMEOUT);
        }
    }

    @Test
    void aLineCutMidObjectShouldReplaceNothing() throws Exception {
        String shop = "cut-" + UUID.randomUUID().toString().substring(0, 8) + ".myshopify.com";
        pool.preparedQuery("""
                        INSERT INTO worker.shop_products (shop, product_id, user_id, canonical_json, sha256)
                        VALUES ($1, 'gid://shopify/Product/1', $2, '{"id":"gid://shopify/Product/1"}', 'before')""")
                .execute(Tuple.of(shop, user.value())).await().atMost(TIMEOUT);
        Path file = Files.createTempFile("cut-", ".jsonl");
        Files.writeString(file, "{\"id\":\"gid://shopify/Product/2\",\"title\":\"Two\"}\n{\"id\":\"gid://shopify/Product/3\",\"ti");
        try {
            assertThat(reader.replaceShopProducts(new ShopDomain(shop), user, file, List.of())
                    .onItem().transform(ok -> (Throwable) null).onFailure().recoverWithItem(f -> f)
                    .await().atMost(TIMEOUT)).hasMessageContaining("cut mid-line");
            assertThat(pool.preparedQuery("SELECT sha256 FROM worker.shop_products WHERE shop = $1").execute(Tuple.of(shop))
                    .await().atMost(TIMEOUT).iterator().next().getString("sha256")).isEqualTo("before");
        } finally {
            Files.deleteIfExists(file);
            pool.preparedQuery("DELETE FROM worker.shop_products WHERE shop = $1").execute(Tuple.of(shop)).await().atMost(TIMEOUT);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** The simulator's default pace ({@code SIM_SHOPIFY_BULK_OBJECTS_PER_SECOND}). */
    private static final int SIMULATOR_PACE = 20_000;

    /** The simulator's valid Admin requests of the demo shop per operation name, since it started. */
    private static Map<String, Long> requestsByOperation() {
        Map<String, Long> counts = new HashMap<>();
        Map<String, Object> raw = ShopifySandbox.state(SHOP).getMap("stats.requestsByOperation");
        raw.forEach((name, count) -> counts.put(name, ((Number) count).longValue()));
        return counts;
    }

    /** The operations requested since {@code before}, with how many times. */
    private static Map<String, Long> since(Map<String, Long> before) {
        Map<String, Long> delta = new HashMap<>();
        requestsByOperation().forEach((name, count) -> {
            long more = count - before.getOrDefault(name, 0L);
            if (more > 0) {
                delta.put(name, more);
            }
        });
        return delta;
    }

    private static void pace(int objectsPerSecond) {
        given().contentType(ContentType.JSON).body(Map.of("objectsPerSecond", objectsPerSecond))
                .when().post(ShopifySandbox.simulatorUrl() + "/_sim/bulk/pace").then().statusCode(200);
    }

    private void armBulkFault(String kind) {
        given().contentType(ContentType.JSON).body(Map.of("shop", SHOP, "kind", kind, "count", 1))
                .when().post(ShopifySandbox.simulatorUrl() + "/_sim/bulk/faults")
                .then().statusCode(201);
    }

    private UUID enqueue() {
        return queue.enqueue(pool, JobRequest.sync(JobTarget.shop(new ShopDomain(SHOP)), user, JobTrigger.RESYNC))
                .await().atMost(TIMEOUT).id();
    }

    /**
     * Runs the job until it is no longer parked: the claim that starts the bulk operation parks it, each later
     * one checks the operation once (a second apart here), the last one finishes the sync.
     */
    private Row syncOnce(UUID id) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        runner.runDueJobs().await().atMost(TIMEOUT);
        Row job = JobRows.byId(pool, id);
        while ("waiting".equals(job.getString("status")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            runner.runDueJobs().await().atMost(TIMEOUT);
            job = JobRows.byId(pool, id);
        }
        return job;
    }

    private byte[] object(String key) throws Exception {
        return s3.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toBytes())
                .get(30, TimeUnit.SECONDS).asByteArray();
    }

    private Map<String, String> productHashes() {
        return hashes("SELECT product_id, sha256 FROM worker.product_hashes WHERE shop = $1");
    }

    private Map<String, String> rowHashes() {
        return hashes("SELECT product_id, sha256 FROM worker.shop_products WHERE shop = $1");
    }

    private Map<String, String> hashes(String sql) {
        Map<String, String> hashes = new HashMap<>();
        pool.preparedQuery(sql).execute(Tuple.of(SHOP)).await().atMost(TIMEOUT)
                .forEach(row -> hashes.put(row.getString("product_id"), row.getString("sha256")));
        return hashes;
    }

    private long stagedLines() {
        return pool.query("SELECT count(*) AS n FROM worker.bulk_lines").execute().await().atMost(TIMEOUT)
                .iterator().next().getLong("n");
    }

    private static List<ObjectNode> discounts(byte[] document) {
        return list(CanonicalJson.parse(document).path("discounts"));
    }

    private static List<ObjectNode> collections(byte[] document) {
        return list(CanonicalJson.parse(document).path("collections"));
    }

    private static List<ObjectNode> list(JsonNode array) {
        java.util.ArrayList<ObjectNode> nodes = new java.util.ArrayList<>();
        array.forEach(node -> nodes.add((ObjectNode) node));
        return nodes;
    }

    /** One field of each element of an array (not of their descendants). */
    private static List<String> field(JsonNode array, String name) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(element -> values.add(element.path(name).asText()));
        return values;
    }
}
