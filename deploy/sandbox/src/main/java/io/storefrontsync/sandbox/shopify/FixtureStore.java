package io.storefrontsync.sandbox.shopify;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One shop's data: the generated catalogue plus what changed since (simulated events, webhook
 * subscriptions). Only touched from the simulator's event loop, so it needs no locking.
 *
 * <p>Changes are stamped with a logical clock (one minute per change after 2026-01-01) instead of
 * the wall clock, so the same sequence of events always yields the same data.
 */
final class FixtureStore {

    private static final Instant CHANGES_START = Instant.parse("2026-01-01T00:00:00Z");

    private final FixtureGenerator generator;
    private final Map<String, Object> shop;
    private final List<Map<String, Object>> locations;
    private final List<Map<String, Object>> collections;
    private final List<Map<String, Object>> products = new ArrayList<>();
    private final List<Map<String, Object>> discountNodes;
    private final List<Map<String, Object>> webhookSubscriptions = new ArrayList<>();
    private final Map<String, Map<String, Object>> byId = new HashMap<>();
    private long productNumber;
    private long changeCount;
    private long nextSubscription;
    private long sequence;

    FixtureStore(ShopifySimulator.Config config, String domain, int shopIndex) {
        this.generator = new FixtureGenerator(config, domain, shopIndex);
        this.shop = generator.shop();
        this.locations = generator.locations();
        this.collections = generator.collections();
        this.discountNodes = generator.discountNodes();
        this.nextSubscription = 1_300_000_000L + shopIndex * 100_000L;
        for (int i = 0; i < config.products(); i++) {
            addProduct(FixtureGenerator.EPOCH.plusSeconds(3600L * i));
        }
        index(shop);
        locations.forEach(this::index);
        collections.forEach(this::index);
        discountNodes.forEach(this::index);
    }

    String domain() {
        return (String) shop.get("myshopifyDomain");
    }

    String shortName() {
        return generator.shortName();
    }

    /** The QueryRoot: every root field the fixture answers, by name. Lists are live. */
    Map<String, Object> root() {
        Map<String, Object> root = new HashMap<>();
        root.put("shop", shop);
        root.put("products", products);
        root.put("productsCount", (Supplier<Object>) () -> FixtureGenerator.count(products.size()));
        root.put("productVariants", (Supplier<Object>) () -> products.stream()
                .flatMap(p -> variants(p).stream()).toList());
        root.put("productVariantsCount", (Supplier<Object>) () -> FixtureGenerator.count(
                products.stream().mapToInt(p -> variants(p).size()).sum()));
        root.put("locations", locations);
        root.put("locationsCount", (Supplier<Object>) () -> FixtureGenerator.count(locations.size()));
        root.put("collections", collections);
        root.put("collectionsCount", (Supplier<Object>) () -> FixtureGenerator.count(collections.size()));
        root.put("discountNodes", discountNodes);
        root.put("discountNodesCount", (Supplier<Object>) () -> FixtureGenerator.count(discountNodes.size()));
        root.put("codeDiscountNodes", (Supplier<Object>) () -> discountNodesOfKind("DiscountCode", "codeDiscount"));
        root.put("automaticDiscountNodes", (Supplier<Object>) () -> discountNodesOfKind("DiscountAutomatic", "automaticDiscount"));
        root.put("webhookSubscriptions", webhookSubscriptions);
        root.put("webhookSubscriptionsCount", (Supplier<Object>) () -> FixtureGenerator.count(webhookSubscriptions.size()));
        return root;
    }

    /** The deprecated code/automatic discount roots wrap the same discounts in their own node types. */
    private List<Map<String, Object>> discountNodesOfKind(String typePrefix, String field) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> node : discountNodes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> discount = (Map<String, Object>) node.get("discount");
            if (((String) discount.get("__typename")).startsWith(typePrefix)) {
                String nodeType = typePrefix + "Node";
                Map<String, Object> wrapper = FixtureGenerator.node(nodeType,
                        FixtureIds.gid(nodeType, FixtureIds.numeric((String) node.get("id"))));
                wrapper.put(field, discount);
                out.add(wrapper);
            }
        }
        return out;
    }

    Map<String, Object> byId(String id) {
        return byId.get(id);
    }

    Map<String, Object> shop() {
        return shop;
    }

    List<Map<String, Object>> products() {
        return products;
    }

    List<Map<String, Object>> collections() {
        return collections;
    }

    List<Map<String, Object>> locations() {
        return locations;
    }

    FixtureGenerator generator() {
        return generator;
    }

    List<Map<String, Object>> discountNodes() {
        return discountNodes;
    }

    List<Map<String, Object>> webhookSubscriptions() {
        return webhookSubscriptions;
    }

    long changeCount() {
        return changeCount;
    }

    /** Numbers events that change no catalogue data (compliance requests), deterministically. */
    long nextSequence() {
        return ++sequence;
    }

    // ---- changes made by simulated events --------------------------------------------------------

    Map<String, Object> createProduct() {
        return addProduct(nextChangeTime());
    }

    /** Changes title, first price and updatedAt of a product picked by the change counter. */
    Map<String, Object> updateProduct() {
        if (products.isEmpty()) {
            return createProduct();
        }
        Instant at = nextChangeTime();
        Map<String, Object> product = products.get(pick(products.size()));
        String title = ((String) product.get("title")).replaceAll(" \\(rev \\d+\\)$", "");
        product.put("title", title + " (rev " + changeCount + ")");
        Map<String, Object> variant = variants(product).get(0);
        BigDecimal price = new BigDecimal((String) variant.get("price")).add(BigDecimal.ONE);
        variant.put("price", price.toPlainString());
        variant.put("updatedAt", FixtureGenerator.timestamp(at));
        product.put("updatedAt", FixtureGenerator.timestamp(at));
        return product;
    }

    Map<String, Object> deleteProduct() {
        if (products.isEmpty()) {
            return null;
        }
        return deleteProduct(products.get((int) (((changeCount + 1) * 7919L) % products.size())));
    }

    /** Removes the product from the store, its collections and the id index. */
    Map<String, Object> deleteProduct(Map<String, Object> product) {
        nextChangeTime();
        products.remove(product);
        unindex(product);
        for (Map<String, Object> collection : List.copyOf(productCollections(product))) {
            unlink(product, collection);
        }
        return product;
    }

    /** Adds 5 to the available quantity of one inventory level; returns that level. */
    Map<String, Object> updateInventoryLevel() {
        if (products.isEmpty()) {
            return null;
        }
        Instant at = nextChangeTime();
        Map<String, Object> product = products.get(pick(products.size()));
        Map<String, Object> variant = variants(product).get((int) (changeCount % variants(product).size()));
        @SuppressWarnings("unchecked")
        Map<String, Object> item = (Map<String, Object>) variant.get("inventoryItem");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> levels = (List<Map<String, Object>>) item.get("inventoryLevels");
        if (levels.isEmpty()) {
            return null;
        }
        Map<String, Object> level = levels.get((int) (changeCount % levels.size()));
        @SuppressWarnings("unchecked")
        Map<String, Object> quantities = (Map<String, Object>) level.get("quantitiesByName");
        quantities.put("available", (Integer) quantities.get("available") + 5);
        quantities.put("on_hand", (Integer) quantities.get("on_hand") + 5);
        level.put("updatedAt", FixtureGenerator.timestamp(at));
        variant.put("inventoryQuantity", (Integer) variant.get("inventoryQuantity") + 5);
        product.put("totalInventory", (Integer) product.get("totalInventory") + 5);
        return level;
    }

    Map<String, Object> updateCollection() {
        if (collections.isEmpty()) {
            return null;
        }
        Instant at = nextChangeTime();
        Map<String, Object> collection = collections.get(pick(collections.size()));
        String title = ((String) collection.get("title")).replaceAll(" \\(rev \\d+\\)$", "");
        collection.put("title", title + " (rev " + changeCount + ")");
        collection.put("updatedAt", FixtureGenerator.timestamp(at));
        return collection;
    }

    Map<String, Object> updateDiscount() {
        if (discountNodes.isEmpty()) {
            return null;
        }
        Instant at = nextChangeTime();
        Map<String, Object> node = discountNodes.get(pick(discountNodes.size()));
        @SuppressWarnings("unchecked")
        Map<String, Object> discount = (Map<String, Object>) node.get("discount");
        String title = ((String) discount.get("title")).replaceAll(" \\(rev \\d+\\)$", "");
        discount.put("title", title + " (rev " + changeCount + ")");
        discount.put("updatedAt", FixtureGenerator.timestamp(at));
        return node;
    }

    Map<String, Object> updateShop() {
        Instant at = nextChangeTime();
        String name = ((String) shop.get("name")).replaceAll(" \\(rev \\d+\\)$", "");
        shop.put("name", name + " (rev " + changeCount + ")");
        shop.put("updatedAt", FixtureGenerator.timestamp(at));
        return shop;
    }

    // ---- webhook subscriptions -------------------------------------------------------------------

    Map<String, Object> addSubscription(String topic, String uri, String format, String apiVersion, Instant now) {
        long id = ++nextSubscription;
        Map<String, Object> subscription = FixtureGenerator.node("WebhookSubscription", FixtureIds.gid("WebhookSubscription", id));
        subscription.put("legacyResourceId", String.valueOf(id));
        subscription.put("topic", topic);
        subscription.put("uri", uri);
        subscription.put("callbackUrl", uri);
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("__typename", "WebhookHttpEndpoint");
        endpoint.put("callbackUrl", uri);
        subscription.put("endpoint", endpoint);
        subscription.put("format", format == null ? "JSON" : format);
        subscription.put("includeFields", List.of());
        subscription.put("metafieldNamespaces", List.of());
        subscription.put("metafields", List.of());
        subscription.put("filter", null);
        subscription.put("name", null);
        Map<String, Object> version = new LinkedHashMap<>();
        version.put("handle", apiVersion);
        version.put("displayName", apiVersion);
        version.put("supported", true);
        subscription.put("apiVersion", version);
        subscription.put("createdAt", now.toString());
        subscription.put("updatedAt", now.toString());
        webhookSubscriptions.add(subscription);
        index(subscription);
        return subscription;
    }

    boolean removeSubscription(String id) {
        Map<String, Object> subscription = byId.get(id);
        if (subscription == null || !webhookSubscriptions.remove(subscription)) {
            return false;
        }
        byId.remove(id);
        return true;
    }

    void removeAllSubscriptions() {
        webhookSubscriptions.forEach(s -> byId.remove((String) s.get("id")));
        webhookSubscriptions.clear();
    }

    // ---- internals -------------------------------------------------------------------------------

    private Map<String, Object> addProduct(Instant createdAt) {
        Map<String, Object> product = generator.product(++productNumber, locations, createdAt);
        products.add(product);
        if (!collections.isEmpty()) {
            // Each product sits in one or two collections, spread evenly.
            int first = (int) (productNumber % collections.size());
            link(product, collections.get(first));
            int second = (int) ((productNumber * 7 + 3) % collections.size());
            if (second != first && productNumber % 2 == 0) {
                link(product, collections.get(second));
            }
        }
        index(product);
        return product;
    }

    void link(Map<String, Object> product, Map<String, Object> collection) {
        collectionProducts(collection).add(product);
        productCollections(product).add(collection);
        collection.put("productsCount", FixtureGenerator.count(collectionProducts(collection).size()));
    }

    void unlink(Map<String, Object> product, Map<String, Object> collection) {
        collectionProducts(collection).remove(product);
        productCollections(product).remove(collection);
        collection.put("productsCount", FixtureGenerator.count(collectionProducts(collection).size()));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> productCollections(Map<String, Object> product) {
        return (List<Map<String, Object>>) product.get("collections");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> collectionProducts(Map<String, Object> collection) {
        return (List<Map<String, Object>>) collection.get("products");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> variants(Map<String, Object> product) {
        return (List<Map<String, Object>>) product.get("variants");
    }

    /** Counts a change and answers its logical time (the {@code updatedAt} it stamps). */
    Instant nextChangeTime() {
        changeCount++;
        return CHANGES_START.plusSeconds(60 * changeCount);
    }

    /** Deterministic spread over the list (a large prime step), so repeated events hit different items. */
    int pick(int size) {
        return (int) ((changeCount * 7919L) % size);
    }

    void index(Map<String, Object> node) {
        byId.put((String) node.get("id"), node);
        if ("Product".equals(node.get("__typename"))) {
            for (Map<String, Object> variant : variants(node)) {
                byId.put((String) variant.get("id"), variant);
                @SuppressWarnings("unchecked")
                Map<String, Object> item = (Map<String, Object>) variant.get("inventoryItem");
                byId.put((String) item.get("id"), item);
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> metafields = (List<Map<String, Object>>) node.get("metafields");
            metafields.forEach(m -> byId.put((String) m.get("id"), m));
        }
    }

    /** Forgets one node that is not a product (a collection, discount or location that was deleted). */
    void unindexNode(String id) {
        byId.remove(id);
    }

    void unindex(Map<String, Object> product) {
        byId.remove((String) product.get("id"));
        for (Map<String, Object> variant : variants(product)) {
            byId.remove((String) variant.get("id"));
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) variant.get("inventoryItem");
            byId.remove((String) item.get("id"));
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> metafields = (List<Map<String, Object>>) product.get("metafields");
        metafields.forEach(m -> byId.remove((String) m.get("id")));
    }
}
