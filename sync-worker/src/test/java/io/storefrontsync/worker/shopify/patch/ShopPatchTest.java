package io.storefrontsync.worker.shopify.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.job.JobRunner;
import io.storefrontsync.worker.job.SyncJobQueue;
import io.storefrontsync.worker.shopify.CatalogFetcher;
import io.storefrontsync.worker.shopify.ShopDocuments;
import io.storefrontsync.worker.shopify.ShopifyAccessTokens;
import io.storefrontsync.worker.shopify.ShopifyAdminGraphQL;
import io.storefrontsync.worker.shopify.ShopifyShopSync;
import io.storefrontsync.worker.shopify.patch.PatchScaffold.Store;
import io.storefrontsync.worker.spaces.Spaces;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import static io.storefrontsync.worker.shopify.patch.PatchScaffold.TIMEOUT;
import static io.storefrontsync.worker.shopify.patch.PatchScaffold.simulatorRequests;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The other topics of issue #14's second slice, each patch on its own simulated store: {@code inventory_levels/*}
 * re-reads the owning product, {@code collections/*} and {@code discounts/*} re-read their node, {@code shop/update}
 * re-reads the shop's metadata; several kinds in one job. The simulator applies a real change
 * ({@code POST /_sim/shops/{shop}/events}), the test forwards the event the gateway makes of its webhook to
 * {@code POST /internal/events} and runs the shop's job; the documents must then be byte for byte what a fresh full
 * sync of the same store state writes, and the simulator must have answered only the few small queries the job
 * counted.
 */
@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, initArgs = {
        @ResourceArg(name = "set.SIM_SHOPIFY_SHOPS", value = "demo-shop.myshopify.com,sp-inventory.myshopify.com,"
                + "sp-collection.myshopify.com,sp-discount.myshopify.com,sp-shop.myshopify.com,"
                + "sp-collection-order.myshopify.com,sp-discount-order.myshopify.com,sp-mixed.myshopify.com,"
                + "sp-inventory-item.myshopify.com"),
        @ResourceArg(name = "set.SIM_SHOPIFY_PRODUCTS", value = "12"),
        @ResourceArg(name = "set.SIM_SHOPIFY_COLLECTIONS", value = "6"),
        @ResourceArg(name = "set.SIM_SHOPIFY_DISCOUNTS", value = "8"),
        @ResourceArg(name = "set.SIM_SHOPIFY_BUCKET_SIZE", value = "20000"),
        @ResourceArg(name = "set.SIM_SHOPIFY_RESTORE_RATE", value = "20000")})
class ShopPatchTest {

    private static final Logger LOG = Logger.getLogger(ShopPatchTest.class);

    @Inject
    Pool pool;
    @Inject
    SyncJobQueue queue;
    @Inject
    JobRunner runner;
    @Inject
    ShopifyShopSync shopSync;
    @Inject
    CatalogFetcher fetcher;
    @Inject
    ShopifyAccessTokens tokens;
    @Inject
    ShopifyAdminGraphQL graphql;
    @Inject
    @Spaces
    S3AsyncClient s3;
    @ConfigProperty(name = "storefront.spaces.bucket")
    String bucket;

    private PatchScaffold world;

    @BeforeEach
    void scaffold() {
        world = new PatchScaffold(pool, queue, runner, shopSync, s3, bucket);
    }

    @Test
    void anInventoryLevelUpdateShouldReReadTheOwningProductOnly() throws Exception {
        Store store = world.synced("sp-inventory.myshopify.com");
        JsonObject full = world.lastResult(store);
        String level = simulateInventoryChange(store);

        long requestsBefore = simulatorRequests(store.shop());
        JsonObject patch = world.runJob(world.deliver(store, "inventory_levels/update", level, Instant.now().toString()));

        assertThat(patch.getString("read")).isEqualTo("patch");
        assertThat(patch.getInteger("productsFromInventory")).isEqualTo(1);
        assertThat(patch.getInteger("rowsWritten")).isEqualTo(1);
        assertThat(patch.getJsonArray("written").getList()).containsExactly(store.productsKey());
        assertThat(simulatorRequests(store.shop()) - requestsBefore)
                .as("the item's product lookup and that product, nothing else")
                .isEqualTo(patch.getInteger("requests").longValue()).isEqualTo(2L);
        world.assertEqualsFreshFullSync(store);
        LOG.infof("inventory_levels/update: %d requests, cost %d; full sync %d requests, cost %d",
                patch.getInteger("requests"), patch.getInteger("cost"), full.getInteger("requests"), full.getInteger("cost"));
    }

    /**
     * An inventory item is stocked at several locations: one webhook per level, but one item, of one variant of one
     * product. A job of both levels asks Shopify for the item once (the same cost as a job of one level), re-reads
     * its product once, and the document holds the item's levels once each, as a full sync writes them.
     */
    @Test
    void theLevelsOfOneInventoryItemShouldCountAsOneItem() throws Exception {
        Store store = world.synced("sp-inventory-item.myshopify.com");
        List<String> levels = simulateInventoryChangeAtEveryLocation(store);
        assertThat(levels).as("the item is stocked at two locations").hasSize(2);

        UUID job = world.deliver(store, "inventory_levels/update", levels.get(0), Instant.now().toString());
        assertThat(world.deliver(store, "inventory_levels/update", levels.get(1), Instant.now().toString())).isEqualTo(job);
        assertThat(world.pendingChanges(store.shop())).isEqualTo(2);
        long requestsBefore = simulatorRequests(store.shop());
        JsonObject both = world.runJob(job);

        assertThat(both.getString("read")).isEqualTo("patch");
        assertThat(both.getInteger("changes")).isEqualTo(2);
        assertThat(both.getInteger("productsFromInventory")).isEqualTo(1);
        assertThat(both.getInteger("fetched")).isEqualTo(1);
        assertThat(both.getInteger("rowsWritten")).isEqualTo(1);
        assertThat(both.getInteger("costMismatches"))
                .as("the item asked for once: Shopify prices each distinct id, our estimate each id asked for").isZero();
        assertThat(simulatorRequests(store.shop()) - requestsBefore)
                .as("one lookup of the item and its product, nothing else")
                .isEqualTo(both.getInteger("requests").longValue()).isEqualTo(2L);
        world.assertEqualsFreshFullSync(store);
        JsonNode item = storedInventoryItem(store, levels.get(0));
        Set<String> locations = new HashSet<>();
        item.path("inventoryLevels").forEach(level -> locations.add(level.path("location").path("id").asText()));
        assertThat(item.path("inventoryLevels").size()).as("one level per location").isEqualTo(2)
                .isEqualTo(locations.size());

        JsonObject one = world.runJob(world.deliver(store, "inventory_levels/update", levels.get(1),
                Instant.now().toString()));
        assertThat(one.getInteger("productsFromInventory")).isEqualTo(1);
        assertThat(both.getInteger("cost")).as("the same lookup and product read as a job of one level")
                .isEqualTo(one.getInteger("cost"));
    }

    @Test
    void aCollectionUpdateShouldReReadThatCollectionOnly() throws Exception {
        Store store = world.synced("sp-collection.myshopify.com");
        byte[] before = world.object(store.productsKey());
        String collection = simulateCollectionChange(store);

        long requestsBefore = simulatorRequests(store.shop());
        JsonObject patch = world.runJob(world.deliver(store, "collections/update", collection, Instant.now().toString()));

        assertThat(patch.getInteger("collectionsChanged")).isEqualTo(1);
        assertThat(patch.getInteger("fetched")).isZero();
        assertThat(patch.getJsonArray("written").getList()).containsExactly(store.productsKey());
        assertThat(simulatorRequests(store.shop()) - requestsBefore).as("one nodes(ids:) lookup")
                .isEqualTo(patch.getInteger("requests").longValue()).isEqualTo(1L);
        assertThat(world.object(store.productsKey())).isNotEqualTo(before);
        world.assertEqualsFreshFullSync(store);
        LOG.infof("collections/update: %d requests, cost %d", patch.getInteger("requests"), patch.getInteger("cost"));
    }

    @Test
    void aDiscountUpdateNamedByItsTypedNodeShouldReReadThatDiscountOnly() throws Exception {
        Store store = world.synced("sp-discount.myshopify.com");
        // The simulator renames a random discount: until it is one the document surely publishes (an active
        // automatic discount open to all buyers), each rename delivered as Shopify would (one job).
        Map<String, Object> discount = simulateDiscountChange(store.shop());
        UUID job = world.deliver(store, "discounts/update", typedNode(discount), Instant.now().toString());
        Set<String> renamed = new HashSet<>(Set.of((String) discount.get("id")));
        for (int i = 0; i < 40 && !published(discount); i++) {
            discount = simulateDiscountChange(store.shop());
            renamed.add((String) discount.get("id"));
            assertThat(world.deliver(store, "discounts/update", typedNode(discount), Instant.now().toString())).isEqualTo(job);
        }
        assertThat(published(discount)).as("a published discount was renamed").isTrue();

        long requestsBefore = simulatorRequests(store.shop());
        JsonObject patch = world.runJob(job);

        assertThat(patch.getInteger("discountsChanged")).isEqualTo(renamed.size());
        assertThat(patch.getJsonArray("written").getList()).containsExactly(store.productsKey());
        assertThat(CanonicalJson.parse(world.object(store.productsKey())).path("discounts").toString())
                .contains((String) discount.get("title"));
        assertThat(simulatorRequests(store.shop()) - requestsBefore).as("one nodes(ids:) lookup")
                .isEqualTo(patch.getInteger("requests").longValue()).isEqualTo(1L);
        world.assertEqualsFreshFullSync(store);
        LOG.infof("discounts/update (%d discounts): %d requests, cost %d", renamed.size(), patch.getInteger("requests"), patch.getInteger("cost"));
    }

    @Test
    void aShopUpdateShouldRewriteTheMetadataOnly() throws Exception {
        Store store = world.synced("sp-shop.myshopify.com");
        byte[] products = world.object(store.productsKey());
        ShopifySandbox.event(store.shop(), "shop/update");

        long requestsBefore = simulatorRequests(store.shop());
        JsonObject patch = world.runJob(world.deliver(store, "shop/update", null, null));

        assertThat(patch.getJsonArray("written").getList()).containsExactly(store.metadataKey());
        assertThat(simulatorRequests(store.shop()) - requestsBefore).as("the shop's head query")
                .isEqualTo(patch.getInteger("requests").longValue()).isEqualTo(1L);
        assertThat(world.object(store.productsKey())).isEqualTo(products);
        assertThat(CanonicalJson.parse(world.object(store.metadataKey())).path("shop").path("name").asText()).contains("(rev ");
        world.assertEqualsFreshFullSync(store);

        JsonObject again = world.runJob(world.deliver(store, "shop/update", null, null));
        assertThat(again.getJsonArray("written").getList()).as("unchanged: nothing written").isEmpty();
        assertThat(again.getJsonArray("skipped").getList()).containsExactly(store.metadataKey());
        LOG.infof("shop/update: %d requests, cost %d", patch.getInteger("requests"), patch.getInteger("cost"));
    }

    @Test
    void anOlderCollectionUpdateAfterANewerOneAndAnUpdateOfADeletedCollectionShouldChangeNothing() throws Exception {
        Store store = world.synced("sp-collection-order.myshopify.com");
        String collection = simulateCollectionChange(store);
        Instant newer = Instant.now();
        world.runJob(world.deliver(store, "collections/update", collection, newer.toString()));
        byte[] patched = world.object(store.productsKey());

        // Shopify delivers the older update late: the node is read as it is now, so nothing changes.
        JsonObject late = world.runJob(world.deliver(store, "collections/update", collection,
                newer.minusSeconds(3600).toString()));
        assertThat(late.getBoolean("partsChanged")).isFalse();
        assertThat(late.getJsonArray("written").getList()).isEmpty();
        assertThat(world.object(store.productsKey())).isEqualTo(patched);

        // A collection Shopify has deleted: its delete removes nothing more without a request, a late update reads
        // null and leaves it out.
        String gone = "gid://shopify/Collection/999999999";
        long requestsBefore = simulatorRequests(store.shop());
        JsonObject deleted = world.runJob(world.deliver(store, "collections/delete", gone, null));
        assertThat(deleted.getInteger("requests")).isZero();
        assertThat(simulatorRequests(store.shop())).isEqualTo(requestsBefore);
        JsonObject resurrect = world.runJob(world.deliver(store, "collections/update", gone, Instant.now().toString()));
        assertThat(resurrect.getBoolean("partsChanged")).isFalse();
        assertThat(CanonicalJson.parse(world.object(store.productsKey())).path("collections").findValuesAsText("id"))
                .doesNotContain(gone);
        assertThat(world.object(store.productsKey())).isEqualTo(patched);
        world.assertEqualsFreshFullSync(store);
    }

    @Test
    void anOlderDiscountUpdateAfterANewerOneAndAnUpdateAfterTheDeleteShouldChangeNothing() throws Exception {
        Store store = world.synced("sp-discount-order.myshopify.com");
        Map<String, Object> discount = simulateDiscountChange(store.shop());
        Instant newer = Instant.now();
        world.runJob(world.deliver(store, "discounts/update", typedNode(discount), newer.toString()));
        byte[] patched = world.object(store.productsKey());

        JsonObject late = world.runJob(world.deliver(store, "discounts/update", typedNode(discount),
                newer.minusSeconds(3600).toString()));
        assertThat(late.getBoolean("partsChanged")).isFalse();
        assertThat(world.object(store.productsKey())).isEqualTo(patched);

        String gone = "gid://shopify/DiscountAutomaticNode/999999999";
        world.runJob(world.deliver(store, "discounts/delete", gone, null));
        JsonObject resurrect = world.runJob(world.deliver(store, "discounts/update", gone, Instant.now().toString()));
        assertThat(resurrect.getBoolean("partsChanged")).isFalse();
        assertThat(world.object(store.productsKey())).isEqualTo(patched);
        world.assertEqualsFreshFullSync(store);
    }

    @Test
    void changesOfEveryKindShouldBeOneJobWithOneRequestPerKind() throws Exception {
        Store store = world.synced("sp-mixed.myshopify.com");
        String level = simulateInventoryChange(store);
        String collection = simulateCollectionChange(store);
        Map<String, Object> discount = simulateDiscountChange(store.shop());
        ShopifySandbox.event(store.shop(), "shop/update");
        Map<String, Object> product = simulateProductUpdate(store.shop());

        UUID job = world.deliver(store, "inventory_levels/update", level, Instant.now().toString());
        assertThat(world.deliver(store, "collections/update", collection, Instant.now().toString())).isEqualTo(job);
        assertThat(world.deliver(store, "discounts/update", typedNode(discount), Instant.now().toString())).isEqualTo(job);
        assertThat(world.deliver(store, "shop/update", null, null)).isEqualTo(job);
        assertThat(world.deliver(store, "products/update", (String) product.get("id"), (String) product.get("updatedAt")))
                .isEqualTo(job);
        assertThat(world.pendingChanges(store.shop())).isEqualTo(5);

        long requestsBefore = simulatorRequests(store.shop());
        JsonObject patch = world.runJob(job);

        assertThat(patch.getInteger("changes")).isEqualTo(5);
        assertThat(patch.getJsonArray("written").getList()).containsExactlyInAnyOrder(store.productsKey(), store.metadataKey());
        assertThat(simulatorRequests(store.shop()) - requestsBefore)
                .as("item lookup, products (1 or 2 products in one lookup), nodes, shop head")
                .isEqualTo(patch.getInteger("requests").longValue()).isEqualTo(4L);
        assertThat(world.pendingChanges(store.shop())).isZero();
        world.assertEqualsFreshFullSync(store);
        LOG.infof("one job of 5 changes of every kind: %d requests, cost %d", patch.getInteger("requests"),
                patch.getInteger("cost"));
    }

    // ---- what the simulator changed ---------------------------------------------------------------

    /**
     * Makes the simulator change one inventory level and answers the level's id as the gateway forwards it: the item
     * of the variant whose quantity changed (from the stored row) at the first of its locations (the worker reads the
     * item's product, whichever location the webhook names).
     */
    private String simulateInventoryChange(Store store) {
        return simulateInventoryChangeAtEveryLocation(store).get(0);
    }

    /** The same, answering the changed item's level at each of its locations, in the stored row's order. */
    private List<String> simulateInventoryChangeAtEveryLocation(Store store) {
        Map<String, Object> before = variantQuantities(store.shop());
        ShopifySandbox.event(store.shop(), "inventory_levels/update");
        Map<String, Object> after = variantQuantities(store.shop());
        String variant = after.keySet().stream().filter(id -> !Objects.equals(after.get(id), before.get(id)))
                .findFirst().orElseThrow();
        for (var row : pool.preparedQuery("SELECT canonical_json FROM worker.shop_products WHERE shop = $1")
                .execute(Tuple.of(store.shop())).await().atMost(TIMEOUT)) {
            for (JsonNode v : CanonicalJson.parse(row.getString("canonical_json")).path("variants")) {
                if (v.path("id").asText().equals(variant)) {
                    JsonNode item = v.path("inventoryItem");
                    String itemId = numeric(item.path("id").asText());
                    List<String> levels = new ArrayList<>();
                    item.path("inventoryLevels").forEach(level -> levels.add("gid://shopify/InventoryLevel/"
                            + numeric(level.path("location").path("id").asText()) + "?inventory_item_id=" + itemId));
                    return levels;
                }
            }
        }
        throw new AssertionError("no stored row holds variant " + variant);
    }

    /** The stored inventory item a level id names (from its product's row). */
    private JsonNode storedInventoryItem(Store store, String level) {
        String itemId = "gid://shopify/InventoryItem/" + level.substring(level.indexOf("inventory_item_id=") + 18);
        for (var row : pool.preparedQuery("SELECT canonical_json FROM worker.shop_products WHERE shop = $1")
                .execute(Tuple.of(store.shop())).await().atMost(TIMEOUT)) {
            for (JsonNode v : CanonicalJson.parse(row.getString("canonical_json")).path("variants")) {
                if (v.path("inventoryItem").path("id").asText().equals(itemId)) {
                    return v.path("inventoryItem");
                }
            }
        }
        throw new AssertionError("no stored row holds item " + itemId);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> variantQuantities(String shop) {
        Map<String, Object> quantities = new HashMap<>();
        ShopifySandbox.products(shop).forEach(p -> ((List<Map<String, Object>>) p.get("variants"))
                .forEach(v -> quantities.put((String) v.get("id"), v.get("inventoryQuantity"))));
        return quantities;
    }

    /** Makes the simulator change one collection; the one whose full read differs from the stored one. */
    private String simulateCollectionChange(Store store) {
        ShopDomain shop = new ShopDomain(store.shop());
        String stored = pool.preparedQuery("SELECT collections_json FROM worker.shop_catalog_parts WHERE shop = $1")
                .execute(Tuple.of(store.shop())).await().atMost(TIMEOUT).iterator().next().getString("collections_json");
        Map<String, String> before = new HashMap<>();
        CanonicalJson.parse(stored).forEach(c -> before.put(c.path("id").asText(), CanonicalJson.parse(
                ShopDocuments.canonicalList(List.of((ObjectNode) c))).toString()));
        ShopifySandbox.event(store.shop(), "collections/update");
        List<ObjectNode> now = tokens.accessToken(shop)
                .chain(token -> fetcher.allCollections(graphql.session(shop, token))).await().atMost(TIMEOUT);
        for (ObjectNode collection : now) {
            String canonical = CanonicalJson.parse(ShopDocuments.canonicalList(List.of(collection))).toString();
            if (!canonical.equals(before.get(collection.path("id").asText()))) {
                return collection.path("id").asText();
            }
        }
        throw new AssertionError("no collection changed");
    }

    private static Map<String, Object> simulateDiscountChange(String shop) {
        Map<String, Object> before = new HashMap<>();
        ShopifySandbox.discounts(shop).forEach(d -> before.put((String) d.get("id"), d.get("title")));
        ShopifySandbox.event(shop, "discounts/update");
        return ShopifySandbox.discounts(shop).stream()
                .filter(d -> !Objects.equals(d.get("title"), before.get((String) d.get("id")))).findFirst().orElseThrow();
    }

    private static Map<String, Object> simulateProductUpdate(String shop) {
        Map<String, Object> before = new HashMap<>();
        ShopifySandbox.products(shop).forEach(p -> before.put((String) p.get("id"), p.get("updatedAt")));
        ShopifySandbox.event(shop, "products/update");
        return ShopifySandbox.products(shop).stream()
                .filter(p -> !Objects.equals(p.get("updatedAt"), before.get((String) p.get("id")))).findFirst().orElseThrow();
    }

    private static boolean published(Map<String, Object> discount) {
        return "ACTIVE".equals(discount.get("status")) && "DiscountBuyerSelectionAll".equals(discount.get("context"))
                && ((String) discount.get("__typename")).startsWith("DiscountAutomatic");
    }

    /** The typed node GID a discounts/* webhook names ({@code DiscountAutomaticNode}/{@code DiscountCodeNode}). */
    private static String typedNode(Map<String, Object> discount) {
        String type = ((String) discount.get("__typename")).startsWith("DiscountAutomatic") ? "DiscountAutomaticNode" : "DiscountCodeNode";
        return "gid://shopify/" + type + "/" + numeric((String) discount.get("id"));
    }

    private static String numeric(String gid) {
        return gid.substring(gid.lastIndexOf('/') + 1);
    }
}
