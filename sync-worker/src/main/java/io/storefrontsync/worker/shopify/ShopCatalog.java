package io.storefrontsync.worker.shopify;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** Everything one fetch read from a shop, complete (every page of every connection), not yet canonical. */
public record ShopCatalog(ObjectNode shop, List<ObjectNode> locations, List<ObjectNode> products,
                          List<ObjectNode> discounts, List<ObjectNode> collections) {

    public ShopCatalog withCollections(List<ObjectNode> collections) {
        return new ShopCatalog(shop, locations, products, discounts, collections);
    }
}
