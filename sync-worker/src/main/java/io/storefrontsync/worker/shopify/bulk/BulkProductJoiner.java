package io.storefrontsync.worker.shopify.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storefrontsync.worker.shopify.CatalogFetcher;
import io.storefrontsync.worker.shopify.ShopifyApiException;

import java.util.List;

/**
 * Builds one product from its JSONL line and its children's lines (in any order) into the shape the
 * paginated fetch gives it: {@code variants} and {@code metafields} arrays (present, possibly empty),
 * each variant's {@code at0, at1, …} lookups turned into {@code inventoryLevels} exactly as
 * {@link CatalogFetcher#withInventoryLevels} does for a page, {@code __parentId} dropped. A child is told
 * apart by its gid's type; a collection child is the product's membership, not a field of the product (the
 * paginated product has none): it is skipped here and read by {@link BulkCatalogReader#memberships}. Any other
 * child means the query and this class disagree, and fails the read.
 */
public final class BulkProductJoiner {

    static final String PARENT_ID = "__parentId";
    private static final String VARIANT = "gid://shopify/ProductVariant/";
    private static final String METAFIELD = "gid://shopify/Metafield/";
    static final String COLLECTION = "gid://shopify/Collection/";

    private final List<ObjectNode> locations;

    /** @param locations the shop's locations, in the order of the query's aliases */
    public BulkProductJoiner(List<ObjectNode> locations) {
        this.locations = List.copyOf(locations);
    }

    public ObjectNode join(ObjectNode product, List<ObjectNode> children) {
        ObjectNode joined = product.deepCopy();
        joined.remove(PARENT_ID);
        ArrayNode variants = joined.putArray("variants");
        ArrayNode metafields = joined.putArray("metafields");
        String productId = joined.path("id").asText();
        for (ObjectNode child : children) {
            ObjectNode line = child.deepCopy();
            JsonNode parent = line.remove(PARENT_ID);
            if (parent == null || !productId.equals(parent.asText())) {
                throw new ShopifyApiException("bulk line " + line.path("id").asText() + " is not a child of " + productId);
            }
            String id = line.path("id").asText();
            if (id.startsWith(VARIANT)) {
                variants.add(CatalogFetcher.withInventoryLevels(line, locations));
            } else if (id.startsWith(METAFIELD)) {
                metafields.add(line);
            } else if (!id.startsWith(COLLECTION)) {
                throw new ShopifyApiException("bulk line " + id + " under " + productId + " is neither a variant, a metafield nor a collection");
            }
        }
        return joined;
    }
}
