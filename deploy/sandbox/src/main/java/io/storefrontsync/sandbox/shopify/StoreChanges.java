package io.storefrontsync.sandbox.shopify;

import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The store changes behind the webhook topics #14 patches, each aimed at an explicit target when
 * the event names one ({@code "id"}, {@code "inventoryItemId"} + {@code "locationId"}, …) or else at
 * one the store's change counter picks, so a sequence of events always changes the same objects.
 * Each answers the webhook body Shopify sends for it, or null when there is nothing to change
 * (an empty store). A target that does not exist, or a change Shopify refuses, throws
 * {@link Refused}.
 *
 * <p>Shopify's rules kept here: a custom collection's membership change sends
 * {@code collections/update} (the collection page's add/remove; the product's {@code updated_at}
 * does not move); a smart collection's members follow its rules, so adding or removing one by hand
 * is refused; a location that still stocks inventory cannot be deleted; an inventory item can be
 * connected to a location only once.
 */
final class StoreChanges {

    /** Every topic {@link #apply} knows, in the order the control API lists them. */
    static final List<String> TOPICS = List.of("products/create", "products/update", "products/delete",
            "inventory_levels/update", "inventory_levels/connect", "inventory_levels/disconnect",
            "collections/create", "collections/update", "collections/delete",
            "discounts/create", "discounts/update", "discounts/delete", "shop/update",
            "locations/create", "locations/update", "locations/delete");

    /** A change the store cannot make: {@code status} 404 (no such target) or 409 (Shopify refuses it). */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private StoreChanges() {
    }

    /** Applies one {@code topic} change to the store; {@code event} holds the optional targets. */
    static Map<String, Object> apply(FixtureStore store, String topic, JsonObject event) {
        return switch (topic) {
            case "products/create" -> WebhookPayloads.product(store.createProduct());
            case "products/update" -> updateProduct(store, event);
            case "products/delete" -> {
                String id = event.getString("id");
                Map<String, Object> deleted = id == null ? store.deleteProduct() : store.deleteProduct(product(store, id));
                yield deleted == null ? null : WebhookPayloads.productDeleted(deleted);
            }
            case "inventory_levels/update" -> {
                Map<String, Object> level = event.containsKey("inventoryItemId")
                        ? adjustLevel(store, level(store, event), event.getInteger("delta", 5))
                        : store.updateInventoryLevel();
                yield level == null ? null : WebhookPayloads.inventoryLevel(level);
            }
            case "inventory_levels/connect" -> connect(store, event);
            case "inventory_levels/disconnect" -> disconnect(store, event);
            case "collections/create" -> createCollection(store, event);
            case "collections/update" -> updateCollection(store, event);
            case "collections/delete" -> deleteCollection(store, event);
            case "discounts/create" -> createDiscount(store);
            case "discounts/update" -> {
                String id = event.getString("id");
                Map<String, Object> node = id == null ? store.updateDiscount() : retitleDiscount(store, discount(store, id));
                yield node == null ? null : WebhookPayloads.discount(node);
            }
            case "discounts/delete" -> deleteDiscount(store, event);
            case "shop/update" -> WebhookPayloads.shop(store.updateShop());
            case "locations/create" -> createLocation(store);
            case "locations/update" -> updateLocation(store, event);
            case "locations/delete" -> deleteLocation(store, event);
            default -> throw new IllegalArgumentException("not a store change: " + topic);
        };
    }

    // ---- products ---------------------------------------------------------------------------------

    /**
     * {@code {"id"?, "change"?: "title"|"price"|"both", "variantId"?, "price"?}}: without a change,
     * the title and the first variant's price (the behaviour events had before targets); a price
     * change moves one variant's price (+1.00 unless {@code price} is given). Either way the
     * product's {@code updatedAt} moves, as Shopify sends {@code products/update} for variant changes.
     */
    private static Map<String, Object> updateProduct(FixtureStore store, JsonObject event) {
        String id = event.getString("id");
        String change = event.getString("change", "both");
        if (!List.of("title", "price", "both").contains(change)) {
            throw new Refused(400, "change must be title, price or both");
        }
        if (id == null && "both".equals(change)) {
            return WebhookPayloads.product(store.updateProduct());
        }
        if (store.products().isEmpty()) {
            return WebhookPayloads.product(store.createProduct());
        }
        Map<String, Object> product = id == null ? store.products().get(store.pick(store.products().size()))
                : product(store, id);
        Instant at = store.nextChangeTime();
        String stamp = FixtureGenerator.timestamp(at);
        if (!"price".equals(change)) {
            String title = ((String) product.get("title")).replaceAll(" \\(rev \\d+\\)$", "");
            product.put("title", title + " (rev " + store.changeCount() + ")");
        }
        if (!"title".equals(change)) {
            List<Map<String, Object>> variants = FixtureStore.variants(product);
            String variantId = event.getString("variantId");
            Map<String, Object> variant = variantId == null ? variants.get(0) : variants.stream()
                    .filter(v -> variantId.equals(v.get("id"))).findFirst()
                    .orElseThrow(() -> new Refused(404, "no variant " + variantId + " on " + product.get("id")));
            String price = event.getString("price");
            variant.put("price", price != null ? new BigDecimal(price).setScale(2).toPlainString()
                    : new BigDecimal((String) variant.get("price")).add(BigDecimal.ONE).toPlainString());
            variant.put("updatedAt", stamp);
            priceRange(product);
        }
        product.put("updatedAt", stamp);
        return WebhookPayloads.product(product);
    }

    /** Keeps {@code priceRangeV2} true to the variants' prices after one of them changed. */
    @SuppressWarnings("unchecked")
    private static void priceRange(Map<String, Object> product) {
        Map<String, Object> range = (Map<String, Object>) product.get("priceRangeV2");
        List<BigDecimal> prices = FixtureStore.variants(product).stream()
                .map(v -> new BigDecimal((String) v.get("price"))).sorted().toList();
        range.put("minVariantPrice", FixtureGenerator.money(prices.get(0).toPlainString()));
        range.put("maxVariantPrice", FixtureGenerator.money(prices.get(prices.size() - 1).toPlainString()));
    }

    // ---- inventory --------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static Map<String, Object> adjustLevel(FixtureStore store, Map<String, Object> level, int delta) {
        Instant at = store.nextChangeTime();
        Map<String, Object> quantities = (Map<String, Object>) level.get("quantitiesByName");
        quantities.put("available", (Integer) quantities.get("available") + delta);
        quantities.put("on_hand", (Integer) quantities.get("on_hand") + delta);
        level.put("updatedAt", FixtureGenerator.timestamp(at));
        addToTotals((Map<String, Object>) level.get("item"), delta);
        return level;
    }

    /** {@code {"inventoryItemId"?, "locationId"?, "available"?: 0}}: stocks an item at a location it was not at. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> connect(FixtureStore store, JsonObject event) {
        Map<String, Object> item;
        Map<String, Object> location;
        if (event.containsKey("inventoryItemId")) {
            item = node(store, event.getString("inventoryItemId"), "InventoryItem");
            location = node(store, event.getString("locationId"), "Location");
            if (levelAt(item, location) != null) {
                throw new Refused(409, item.get("id") + " is already stocked at " + location.get("id"));
            }
        } else {
            Map<String, Object>[] pair = unstocked(store);
            if (pair == null) {
                return null;
            }
            item = pair[0];
            location = pair[1];
        }
        Instant at = store.nextChangeTime();
        int available = event.getInteger("available", 0);
        Map<String, Object> level = store.generator().inventoryLevel(item, location, available, at);
        ((List<Map<String, Object>>) item.get("inventoryLevels")).add(level);
        addToTotals(item, available);
        return WebhookPayloads.inventoryLevel(level);
    }

    /** {@code {"inventoryItemId"?, "locationId"?}}: the item is no longer stocked at the location. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> disconnect(FixtureStore store, JsonObject event) {
        Map<String, Object> level;
        if (event.containsKey("inventoryItemId")) {
            level = level(store, event);
        } else {
            List<Map<String, Object>> levels = allLevels(store);
            if (levels.isEmpty()) {
                return null;
            }
            level = levels.get(store.pick(levels.size()));
        }
        store.nextChangeTime();
        Map<String, Object> item = (Map<String, Object>) level.get("item");
        ((List<Map<String, Object>>) item.get("inventoryLevels")).remove(level);
        Map<String, Object> quantities = (Map<String, Object>) level.get("quantitiesByName");
        addToTotals(item, -(Integer) quantities.get("available"));
        return WebhookPayloads.inventoryLevelDisconnected(level);
    }

    /** The variant's and product's totals follow the sum of the item's available quantities. */
    @SuppressWarnings("unchecked")
    private static void addToTotals(Map<String, Object> item, int delta) {
        Map<String, Object> variant = (Map<String, Object>) item.get("variant");
        variant.put("inventoryQuantity", (Integer) variant.get("inventoryQuantity") + delta);
        Map<String, Object> product = (Map<String, Object>) variant.get("product");
        product.put("totalInventory", (Integer) product.get("totalInventory") + delta);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> level(FixtureStore store, JsonObject event) {
        Map<String, Object> item = node(store, event.getString("inventoryItemId"), "InventoryItem");
        Map<String, Object> location = node(store, event.getString("locationId"), "Location");
        Map<String, Object> level = levelAt(item, location);
        if (level == null) {
            throw new Refused(404, item.get("id") + " is not stocked at " + location.get("id"));
        }
        return level;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> levelAt(Map<String, Object> item, Map<String, Object> location) {
        for (Map<String, Object> level : (List<Map<String, Object>>) item.get("inventoryLevels")) {
            if (level.get("location") == location) {
                return level;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> allLevels(FixtureStore store) {
        List<Map<String, Object>> levels = new ArrayList<>();
        for (Map<String, Object> product : store.products()) {
            for (Map<String, Object> variant : FixtureStore.variants(product)) {
                levels.addAll((List<Map<String, Object>>) ((Map<String, Object>) variant.get("inventoryItem"))
                        .get("inventoryLevels"));
            }
        }
        return levels;
    }

    /** The first (item, location) pair, in catalogue order, where the item is not stocked; null when none. */
    @SuppressWarnings("unchecked")
    static Map<String, Object>[] unstocked(FixtureStore store) {
        for (Map<String, Object> product : store.products()) {
            for (Map<String, Object> variant : FixtureStore.variants(product)) {
                Map<String, Object> item = (Map<String, Object>) variant.get("inventoryItem");
                for (Map<String, Object> location : store.locations()) {
                    if (levelAt(item, location) == null) {
                        return new Map[] {item, location};
                    }
                }
            }
        }
        return null;
    }

    // ---- collections ------------------------------------------------------------------------------

    /** {@code {"productIds"?: [..]}}: a new custom collection holding those products. */
    private static Map<String, Object> createCollection(FixtureStore store, JsonObject event) {
        List<Map<String, Object>> members = new ArrayList<>();
        for (Object id : event.getJsonArray("productIds", new io.vertx.core.json.JsonArray())) {
            members.add(product(store, String.valueOf(id)));
        }
        Instant at = store.nextChangeTime();
        long n = store.changeCount();
        Map<String, Object> collection = store.generator().collection(
                451_000_000_000L + store.generator().shopIndex() * 100_000L + n, (int) n, false, at);
        collection.put("title", collection.get("title") + " " + n);
        store.collections().add(collection);
        store.index(collection);
        members.forEach(p -> store.link(p, collection));
        return WebhookPayloads.collection(collection);
    }

    /**
     * {@code {"id"?, "addProductId"?, "removeProductId"?}}: a membership change of a custom collection,
     * else a new title; both move the collection's {@code updatedAt}.
     */
    private static Map<String, Object> updateCollection(FixtureStore store, JsonObject event) {
        String id = event.getString("id");
        String add = event.getString("addProductId");
        String remove = event.getString("removeProductId");
        if (add == null && remove == null) {
            if (id == null) {
                Map<String, Object> collection = store.updateCollection();
                return collection == null ? null : WebhookPayloads.collection(collection);
            }
            Map<String, Object> collection = node(store, id, "Collection");
            Instant at = store.nextChangeTime();
            String title = ((String) collection.get("title")).replaceAll(" \\(rev \\d+\\)$", "");
            collection.put("title", title + " (rev " + store.changeCount() + ")");
            collection.put("updatedAt", FixtureGenerator.timestamp(at));
            return WebhookPayloads.collection(collection);
        }
        if (id == null) {
            throw new Refused(400, "a membership change needs the collection's \"id\"");
        }
        Map<String, Object> collection = node(store, id, "Collection");
        if (collection.get("ruleSet") != null) {
            throw new Refused(409, id + " is a smart collection: its members follow its rules");
        }
        Map<String, Object> product = product(store, add != null ? add : remove);
        boolean member = FixtureStore.collectionProducts(collection).contains(product);
        if (add != null && member || remove != null && !member) {
            throw new Refused(409, product.get("id") + (member ? " is already in " : " is not in ") + id);
        }
        Instant at = store.nextChangeTime();
        if (add != null) {
            store.link(product, collection);
        } else {
            store.unlink(product, collection);
        }
        collection.put("updatedAt", FixtureGenerator.timestamp(at));
        return WebhookPayloads.collection(collection);
    }

    /**
     * {@code {"id", "addProductId"|"removeProductId"}}: a smart collection's members moved by its rules (say a
     * product's tag changed). Shopify sends no webhook for it, so there is none: only the daily poll sees it.
     * The collection's {@code updatedAt} stays. Answers the collection's id and member count.
     */
    static Map<String, Object> ruleMatch(FixtureStore store, JsonObject event) {
        String id = event.getString("id");
        String add = event.getString("addProductId");
        String remove = event.getString("removeProductId");
        if (id == null || (add == null) == (remove == null)) {
            throw new Refused(400, "give the smart collection's \"id\" and one of \"addProductId\", \"removeProductId\"");
        }
        Map<String, Object> collection = node(store, id, "Collection");
        if (collection.get("ruleSet") == null) {
            throw new Refused(409, id + " is a custom collection: change its members with collections/update");
        }
        Map<String, Object> product = product(store, add != null ? add : remove);
        boolean member = FixtureStore.collectionProducts(collection).contains(product);
        if (add != null && member || remove != null && !member) {
            throw new Refused(409, product.get("id") + (member ? " is already in " : " is not in ") + id);
        }
        if (add != null) {
            store.link(product, collection);
        } else {
            store.unlink(product, collection);
        }
        return Map.of("id", id, "productsCount", FixtureStore.collectionProducts(collection).size());
    }

    private static Map<String, Object> deleteCollection(FixtureStore store, JsonObject event) {
        String id = event.getString("id");
        if (id == null && store.collections().isEmpty()) {
            return null;
        }
        Map<String, Object> collection = id == null
                ? store.collections().get(store.pick(store.collections().size())) : node(store, id, "Collection");
        store.nextChangeTime();
        for (Map<String, Object> product : List.copyOf(FixtureStore.collectionProducts(collection))) {
            store.unlink(product, collection);
        }
        store.collections().remove(collection);
        store.unindexNode((String) collection.get("id"));
        return WebhookPayloads.collectionDeleted(collection);
    }

    // ---- discounts --------------------------------------------------------------------------------

    private static Map<String, Object> createDiscount(FixtureStore store) {
        Instant at = store.nextChangeTime();
        long n = store.changeCount();
        Map<String, Object> node = store.generator().discountNode(
                1_101_000_000_000L + store.generator().shopIndex() * 100_000L + n, (int) n, at);
        store.discountNodes().add(node);
        store.index(node);
        return WebhookPayloads.discount(node);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> retitleDiscount(FixtureStore store, Map<String, Object> node) {
        Instant at = store.nextChangeTime();
        Map<String, Object> discount = (Map<String, Object>) node.get("discount");
        String title = ((String) discount.get("title")).replaceAll(" \\(rev \\d+\\)$", "");
        discount.put("title", title + " (rev " + store.changeCount() + ")");
        discount.put("updatedAt", FixtureGenerator.timestamp(at));
        return node;
    }

    private static Map<String, Object> deleteDiscount(FixtureStore store, JsonObject event) {
        String id = event.getString("id");
        if (id == null && store.discountNodes().isEmpty()) {
            return null;
        }
        Map<String, Object> node = id == null
                ? store.discountNodes().get(store.pick(store.discountNodes().size())) : discount(store, id);
        Instant at = store.nextChangeTime();
        store.discountNodes().remove(node);
        store.unindexNode((String) node.get("id"));
        return WebhookPayloads.discountDeleted(node, at);
    }

    // ---- locations --------------------------------------------------------------------------------

    private static Map<String, Object> createLocation(FixtureStore store) {
        Instant at = store.nextChangeTime();
        long n = store.changeCount();
        Map<String, Object> location = store.generator().location(
                71_000_000_000L + store.generator().shopIndex() * 100_000L + n, (int) (n % 5) + 1, at);
        location.put("name", location.get("name") + " " + n);
        store.locations().add(location);
        store.index(location);
        return WebhookPayloads.location(location);
    }

    private static Map<String, Object> updateLocation(FixtureStore store, JsonObject event) {
        String id = event.getString("id");
        Map<String, Object> location = id == null
                ? store.locations().get(store.pick(store.locations().size())) : node(store, id, "Location");
        Instant at = store.nextChangeTime();
        String name = ((String) location.get("name")).replaceAll(" \\(rev \\d+\\)$", "");
        location.put("name", name + " (rev " + store.changeCount() + ")");
        location.put("updatedAt", FixtureGenerator.timestamp(at));
        return WebhookPayloads.location(location);
    }

    /** {@code {"id"?}}: only a location that stocks nothing (Shopify refuses the others); else the newest such. */
    private static Map<String, Object> deleteLocation(FixtureStore store, JsonObject event) {
        String id = event.getString("id");
        Map<String, Object> location;
        if (id != null) {
            location = node(store, id, "Location");
            if (stocks(store, location)) {
                throw new Refused(409, id + " still stocks inventory: disconnect its levels first");
            }
        } else {
            location = null;
            for (Map<String, Object> candidate : store.locations()) {
                if (!stocks(store, candidate)) {
                    location = candidate;
                }
            }
            if (location == null || store.locations().size() == 1) {
                return null;
            }
        }
        store.nextChangeTime();
        store.locations().remove(location);
        store.unindexNode((String) location.get("id"));
        return WebhookPayloads.locationDeleted(location);
    }

    static boolean stocks(FixtureStore store, Map<String, Object> location) {
        return allLevels(store).stream().anyMatch(level -> level.get("location") == location);
    }

    // ---- targets ----------------------------------------------------------------------------------

    private static Map<String, Object> product(FixtureStore store, String id) {
        return node(store, id, "Product");
    }

    private static Map<String, Object> discount(FixtureStore store, String id) {
        return node(store, id, "DiscountNode");
    }

    private static Map<String, Object> node(FixtureStore store, String id, String type) {
        if (id == null) {
            throw new Refused(400, "a " + type + " id is required");
        }
        Map<String, Object> node = store.byId(id);
        if (node == null || !type.equals(node.get("__typename"))) {
            throw new Refused(404, "no " + type + " " + id);
        }
        return node;
    }
}
