package io.storefrontsync.worker.shopify.patch;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.job.JobRequest;
import io.storefrontsync.worker.job.JobRunner;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.JobTrigger;
import io.storefrontsync.worker.job.SyncJobQueue;
import io.storefrontsync.worker.shopify.ShopifyShopSync;
import io.storefrontsync.worker.shopify.patch.PatchScaffold.Store;
import io.storefrontsync.worker.spaces.Spaces;
import io.storefrontsync.worker.testing.JobRows;
import io.storefrontsync.worker.testing.ShopifySandbox;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code products/*} webhooks patch one product (issue #14), each case on its own simulated store: the simulator
 * applies a real change ({@code POST /_sim/shops/{shop}/events}), the test forwards the event the gateway makes of
 * its webhook (product GID, {@code updated_at}) to {@code POST /internal/events}, and runs the shop's job. Every
 * product of these stores has 260 variants (more than one page of 250), two locations and custom metafields, so
 * each patch reads a product the way a full read does, follow-up variant page included. After each patch the
 * document must be byte for byte what a fresh full sync of the same store state writes.
 */
@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, initArgs = {
        @ResourceArg(name = "set.SIM_SHOPIFY_SHOPS", value = "demo-shop.myshopify.com,patch-update.myshopify.com,"
                + "patch-delete.myshopify.com,patch-create.myshopify.com,patch-twice.myshopify.com,"
                + "patch-older.myshopify.com,patch-tomb.myshopify.com,patch-wide.myshopify.com,"
                + "patch-fresh.myshopify.com,patch-absorb.myshopify.com"),
        @ResourceArg(name = "set.SIM_SHOPIFY_PRODUCTS", value = "12"),
        @ResourceArg(name = "set.SIM_SHOPIFY_VARIANTS_PER_PRODUCT", value = "260"),
        @ResourceArg(name = "set.SIM_SHOPIFY_BUCKET_SIZE", value = "20000"),
        @ResourceArg(name = "set.SIM_SHOPIFY_RESTORE_RATE", value = "20000")})
class ProductPatchTest {

    private static final Logger LOG = Logger.getLogger(ProductPatchTest.class);
    private static final Duration TIMEOUT = PatchScaffold.TIMEOUT;

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

    /** What the simulator changed: the product and its new {@code updatedAt} (null: deleted). */
    private record Change(String productId, String updatedAt) {
    }

    private PatchScaffold world;

    @Test
    void anUpdateShouldPatchThatProductOnlyWithAFewSmallQueries() throws Exception {
        Store store = synced("patch-update.myshopify.com");
        JsonObject full = world.lastResult(store);
        byte[] before = object(store.productsKey());
        Change change = simulate(store.shop(), "products/update");

        long requestsBefore = PatchScaffold.simulatorRequests(store.shop());
        JsonObject patch = runJob(deliver(store, "products/update", change.productId(), change.updatedAt()));
        long requests = PatchScaffold.simulatorRequests(store.shop()) - requestsBefore;

        assertThat(patch.getString("read")).isEqualTo("patch");
        assertThat(patch.getInteger("fetched")).isEqualTo(1);
        assertThat(patch.getInteger("rowsWritten")).isEqualTo(1);
        assertThat(patch.getJsonArray("written").getList()).containsExactly(store.productsKey());
        assertThat(requests).as("the lookup and the product's follow-up pages (variants beyond the first page,"
                        + " metafields), nothing else").isEqualTo(patch.getInteger("requests").longValue()).isBetween(2L, 3L);
        assertThat(object(store.productsKey())).isNotEqualTo(before);
        assertEqualsFreshFullSync(store);
        LOG.infof("one products/update on a %d-product store of 260 variants each: patch %d requests, cost %d;"
                        + " full sync %d requests, cost %d", full.getInteger("products"), patch.getInteger("requests"),
                patch.getInteger("cost"), full.getInteger("requests"), full.getInteger("cost"));
    }

    @Test
    void aDeleteShouldRemoveTheProductAndReadOnlyTheCollectionsItLeft() throws Exception {
        Store store = synced("patch-delete.myshopify.com");
        Change change = simulate(store.shop(), "products/delete");

        long requestsBefore = PatchScaffold.simulatorRequests(store.shop());
        JsonObject patch = runJob(deliver(store, "products/delete", change.productId(), null));

        assertThat(PatchScaffold.simulatorRequests(store.shop()) - requestsBefore).as("the collections (members changed), no product read")
                .isEqualTo(patch.getInteger("requests").longValue()).isBetween(1L, 3L);
        assertThat(patch.getInteger("fetched")).isZero();
        assertThat(patch.getInteger("rowsDeleted")).isEqualTo(1);
        assertThat(rowIds(store.shop())).doesNotContain(change.productId()).hasSize(11);
        assertThat(productIds(object(store.productsKey()))).doesNotContain(change.productId());
        assertEqualsFreshFullSync(store);
    }

    @Test
    void aCreateShouldAddTheNewProduct() throws Exception {
        Store store = synced("patch-create.myshopify.com");
        Change change = simulate(store.shop(), "products/create");

        JsonObject patch = runJob(deliver(store, "products/create", change.productId(), change.updatedAt()));

        assertThat(patch.getInteger("rowsWritten")).isEqualTo(1);
        assertThat(rowIds(store.shop())).contains(change.productId()).hasSize(13);
        assertThat(productIds(object(store.productsKey()))).contains(change.productId());
        assertEqualsFreshFullSync(store);
    }

    @Test
    void duplicateDeliveriesShouldCollapseIntoOneChangeOneJobAndOneRead() throws Exception {
        Store store = synced("patch-twice.myshopify.com");
        Change change = simulate(store.shop(), "products/update");

        UUID first = deliver(store, "products/update", change.productId(), change.updatedAt());
        UUID second = deliver(store, "products/update", change.productId(), change.updatedAt());
        assertThat(second).as("coalesced into the shop's pending job").isEqualTo(first);
        assertThat(pendingChanges(store.shop())).isEqualTo(1);
        JsonObject patch = runJob(first);

        assertThat(patch.getInteger("changes")).isEqualTo(1);
        assertThat(patch.getInteger("fetched")).isEqualTo(1);
        assertThat(pendingChanges(store.shop())).isZero();
        byte[] patched = object(store.productsKey());

        // Shopify retries a delivery it thinks failed: the same time again is read again, changes nothing, writes nothing.
        JsonObject late = runJob(deliver(store, "products/update", change.productId(), change.updatedAt()));
        assertThat(late.getInteger("rowsWritten")).isZero();
        assertThat(late.getJsonArray("written").getList()).isEmpty();
        assertThat(object(store.productsKey())).isEqualTo(patched);
        assertEqualsFreshFullSync(store);
    }

    @Test
    void anUpdateOlderThanTheStoredRowShouldBeIgnoredWithoutARequest() throws Exception {
        Store store = synced("patch-older.myshopify.com");
        Change change = simulate(store.shop(), "products/update");
        runJob(deliver(store, "products/update", change.productId(), change.updatedAt()));
        byte[] patched = object(store.productsKey());

        long requestsBefore = PatchScaffold.simulatorRequests(store.shop());
        String older = Instant.parse(change.updatedAt()).minusSeconds(3600).toString();
        JsonObject late = runJob(deliver(store, "products/update", change.productId(), older));

        assertThat(late.getInteger("ignoredOlderThanRow")).isEqualTo(1);
        assertThat(late.getInteger("fetched")).isZero();
        assertThat(PatchScaffold.simulatorRequests(store.shop())).isEqualTo(requestsBefore);
        assertThat(object(store.productsKey())).isEqualTo(patched);
    }

    @Test
    void anUpdateDeliveredAfterTheDeleteShouldNotResurrectTheProduct() throws Exception {
        Store store = synced("patch-tomb.myshopify.com");
        Change deleted = simulate(store.shop(), "products/delete");
        String deletedAt = Instant.now().toString();
        runJob(deliver(store, "products/delete", deleted.productId(), deletedAt));
        byte[] afterDelete = object(store.productsKey());

        long requestsBefore = PatchScaffold.simulatorRequests(store.shop());
        String beforeTheDelete = Instant.parse(deletedAt).minusSeconds(60).toString();
        JsonObject late = runJob(deliver(store, "products/update", deleted.productId(), beforeTheDelete));
        assertThat(late.getInteger("ignoredAfterDelete")).as("the tombstone holds").isEqualTo(1);
        assertThat(PatchScaffold.simulatorRequests(store.shop())).isEqualTo(requestsBefore);

        // Even one claiming a later time: Shopify answers null for the product, which stays deleted.
        JsonObject claimed = runJob(deliver(store, "products/update", deleted.productId(),
                Instant.parse(deletedAt).plusSeconds(60).toString()));
        assertThat(claimed.getInteger("goneAtShopify")).isEqualTo(1);

        assertThat(rowIds(store.shop())).doesNotContain(deleted.productId());
        assertThat(object(store.productsKey())).isEqualTo(afterDelete);
        assertEqualsFreshFullSync(store);
    }

    @Test
    void aProductWithMoreThan250VariantsShouldBePatchedWithEveryVariant() throws Exception {
        Store store = synced("patch-wide.myshopify.com");
        Change change = simulate(store.shop(), "products/update");

        JsonObject patch = runJob(deliver(store, "products/update", change.productId(), change.updatedAt()));

        assertThat(patch.getInteger("requests")).as("a variant page beyond the first").isGreaterThanOrEqualTo(2);
        JsonNode row = CanonicalJson.parse(pool.preparedQuery(
                        "SELECT canonical_json FROM worker.shop_products WHERE shop = $1 AND product_id = $2")
                .execute(Tuple.of(store.shop(), change.productId())).await().atMost(TIMEOUT).iterator().next()
                .getString("canonical_json"));
        assertThat(row.path("variants").size()).isEqualTo(260);
        assertThat(row.path("variants").get(0).path("inventoryItem").path("inventoryLevels").size()).isEqualTo(2);
        assertEqualsFreshFullSync(store);
    }

    @Test
    void aShopNeverFullySyncedShouldGetAFullSyncInstead() throws Exception {
        String shop = "patch-fresh.myshopify.com";
        Store store = installed(shop);
        Change change = simulate(shop, "products/update");

        JsonObject result = runJob(deliver(store, "products/update", change.productId(), change.updatedAt()));

        assertThat(result.getString("read")).isEqualTo("paginated");
        assertThat(result.getString("insteadOfPatch")).isEqualTo("no stored catalog yet");
        assertThat(rowIds(shop)).hasSize(12);
        assertThat(pendingChanges(shop)).as("read by the full sync").isZero();
        assertEqualsFreshFullSync(store);
    }

    @Test
    void aPendingSyncShouldAbsorbThePatch() throws Exception {
        Store store = synced("patch-absorb.myshopify.com");
        UUID sync = queue.enqueue(pool, JobRequest.sync(JobTarget.shop(new ShopDomain(store.shop())), store.user(),
                JobTrigger.WEBHOOK)).await().atMost(TIMEOUT).id();
        Change change = simulate(store.shop(), "products/update");

        UUID patch = deliver(store, "products/update", change.productId(), change.updatedAt());

        assertThat(patch).isEqualTo(sync);
        assertThat(JobRows.byId(pool, sync).getString("action")).as("sync wins").isEqualTo("sync");
        JsonObject result = runJob(sync);
        assertThat(result.getString("read")).isEqualTo("paginated");
        assertThat(pendingChanges(store.shop())).as("read by the sync").isZero();
        assertEqualsFreshFullSync(store);
    }

    // ---- helpers (the shared ones: PatchScaffold) ------------------------------------------------

    @BeforeEach
    void scaffold() {
        world = new PatchScaffold(pool, queue, runner, shopSync, s3, bucket);
    }

    private Store installed(String shop) {
        return world.installed(shop);
    }

    private Store synced(String shop) {
        return world.synced(shop);
    }

    private UUID deliver(Store store, String topic, String productId, String occurredAt) {
        return world.deliver(store, topic, productId, occurredAt);
    }

    private JsonObject runJob(UUID id) {
        return world.runJob(id);
    }

    private void assertEqualsFreshFullSync(Store store) throws Exception {
        world.assertEqualsFreshFullSync(store);
    }

    private List<String> rowIds(String shop) {
        return world.rowIds(shop);
    }

    private long pendingChanges(String shop) {
        return world.pendingChanges(shop);
    }

    private byte[] object(String key) throws Exception {
        return world.object(key);
    }

    /** Makes the change in the simulator and finds which product it touched. */
    private static Change simulate(String shop, String topic) {
        Map<String, String> before = productTimes(shop);
        ShopifySandbox.event(shop, topic);
        Map<String, String> after = productTimes(shop);
        for (Map.Entry<String, String> product : after.entrySet()) {
            if (!product.getValue().equals(before.get(product.getKey()))) {
                return new Change(product.getKey(), product.getValue());
            }
        }
        Set<String> gone = new HashSet<>(before.keySet());
        gone.removeAll(after.keySet());
        assertThat(gone).hasSize(1);
        return new Change(gone.iterator().next(), null);
    }

    private static Map<String, String> productTimes(String shop) {
        Map<String, String> times = new HashMap<>();
        ShopifySandbox.products(shop).forEach(product -> times.put((String) product.get("id"), (String) product.get("updatedAt")));
        return times;
    }

    private static List<String> productIds(byte[] document) {
        return CanonicalJson.parse(document).path("products").findValuesAsText("id").stream()
                .filter(id -> id.startsWith("gid://shopify/Product/")).toList();
    }
}
