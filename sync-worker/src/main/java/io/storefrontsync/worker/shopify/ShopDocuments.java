package io.storefrontsync.worker.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.worker.shopify.bulk.ShopCatalogParts;
import io.storefrontsync.worker.shopify.bulk.ShopProducts;

import java.nio.charset.StandardCharsets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The two Spaces documents of a shop, canonical (DESIGN.md, data rules): connections flattened to
 * arrays, no cursors or pageInfo, keys sorted, every array of objects with an {@code id} sorted by
 * id, nothing volatile (no cost, no fetch time). {@code shop_metadata.json} holds the shop and its
 * locations; {@code shop_products.json} products, discounts and collections. Each product's
 * canonical bytes are hashed on their own too, so a later single-product webhook can patch one
 * product instead of refetching the catalog.
 */
public record ShopDocuments(byte[] metadata, byte[] products, List<ProductHash> productHashes,
                            List<ShopProducts.ProductRow> productRows, ShopCatalogParts.Parts parts) {

    public record ProductHash(String productId, String sha256) {
    }

    /** gids of one type sort by their numeric tail: shorter first, then lexically. */
    static final Comparator<String> ID_ORDER = Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder());

    public static ShopDocuments of(ShopCatalog catalog) {
        ObjectNode metadata = CanonicalJson.mapper().createObjectNode();
        metadata.set("shop", canonical(catalog.shop()));
        metadata.set("locations", canonical(array(catalog.locations())));

        ArrayNode products = (ArrayNode) canonical(array(catalog.products()));
        List<ProductHash> hashes = new ArrayList<>(products.size());
        List<ShopProducts.ProductRow> rows = new ArrayList<>(products.size());
        products.forEach(product -> {
            ShopProducts.ProductRow row = ShopProducts.ProductRow.of(product, CanonicalJson.canonicalBytes(product));
            rows.add(row);
            hashes.add(new ProductHash(row.productId(), row.sha256()));
        });
        ObjectNode catalogDocument = CanonicalJson.mapper().createObjectNode();
        catalogDocument.set("products", products);
        JsonNode discounts = canonical(array(catalog.discounts()));
        JsonNode collections = canonical(array(catalog.collections()));
        catalogDocument.set("discounts", discounts);
        catalogDocument.set("collections", collections);
        ShopCatalogParts.Parts parts = new ShopCatalogParts.Parts(text(discounts), text(collections),
                locationsJson(catalog.locations()));

        return new ShopDocuments(CanonicalJson.canonicalBytes(metadata), CanonicalJson.canonicalBytes(catalogDocument),
                List.copyOf(hashes), List.copyOf(rows), parts);
    }

    /**
     * The shop's locations as a patch needs them to read inventory ({@code CatalogFetcher.withInventoryLevels}):
     * in the order the full read used (the query's, by id), kept as they came, not re-sorted.
     */
    public static String locationsJson(List<ObjectNode> locations) {
        return text(array(locations));
    }

    private static String text(JsonNode node) {
        return new String(CanonicalJson.canonicalBytes(node), StandardCharsets.UTF_8);
    }

    /**
     * One product as it appears inside {@code shop_products.json}: the same bytes {@link #of} writes for it
     * there (connections flattened, id-bearing arrays sorted, keys sorted), so a document assembled from
     * stored products ({@code ShopProductsAssembler}) is byte-identical to {@link #of}'s.
     */
    public static byte[] canonicalProduct(ObjectNode product) {
        return CanonicalJson.canonicalBytes(canonical(product));
    }

    /** A list of discounts or collections as {@link #of} writes it inside {@code shop_products.json}. */
    public static byte[] canonicalList(List<ObjectNode> nodes) {
        return CanonicalJson.canonicalBytes(canonical(array(nodes)));
    }

    /** {@link #of}'s {@code shop_metadata.json} alone, for a sync whose products are read another way. */
    public static byte[] metadataOf(ShopCatalog catalog) {
        ObjectNode metadata = CanonicalJson.mapper().createObjectNode();
        metadata.set("shop", canonical(catalog.shop()));
        metadata.set("locations", canonical(array(catalog.locations())));
        return CanonicalJson.canonicalBytes(metadata);
    }

    /** The order of products in {@code shop_products.json}: by id, as {@link #of} sorts them. */
    public static Comparator<String> productOrder() {
        return ID_ORDER;
    }

    public int productCount() {
        return productHashes.size();
    }

    static JsonNode canonical(JsonNode node) {
        return sortById(CanonicalJson.flattenConnections(node));
    }

    private static ArrayNode array(List<ObjectNode> nodes) {
        ArrayNode array = CanonicalJson.mapper().createArrayNode();
        nodes.forEach(array::add);
        return array;
    }

    /** Sorts, in place and recursively, every array whose elements are all objects with a textual id. */
    private static JsonNode sortById(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                sortById(it.next().getValue());
            }
        } else if (node.isArray()) {
            node.forEach(ShopDocuments::sortById);
            ArrayNode array = (ArrayNode) node;
            if (!array.isEmpty() && allHaveIds(array)) {
                List<JsonNode> elements = new ArrayList<>();
                array.forEach(elements::add);
                elements.sort(Comparator.comparing(element -> element.get("id").asText(), ID_ORDER));
                array.removeAll();
                array.addAll(elements);
            }
        }
        return node;
    }

    private static boolean allHaveIds(ArrayNode array) {
        for (JsonNode element : array) {
            if (!element.isObject() || !element.path("id").isTextual()) {
                return false;
            }
        }
        return true;
    }
}
