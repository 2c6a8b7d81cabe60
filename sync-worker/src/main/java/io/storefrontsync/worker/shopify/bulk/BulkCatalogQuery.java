package io.storefrontsync.worker.shopify.bulk;

import io.storefrontsync.common.event.ShopifyResourceIds;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The bulk query of a catalog: every product with its custom metafields and variants, each variant's
 * inventory at every location, the same fields {@code CatalogQueries.products} selects page by page, so
 * that the product built from the JSONL ({@link BulkCatalogReader}) is the one the paginated path builds.
 *
 * <p>Shopify's bulk rules shape it: no variables (the location ids are written into the text), connections
 * read through {@code edges { node }}, at most two levels of nested connections. Inventory is read with
 * the same aliased {@code inventoryLevel(locationId:)} lookups as the paginated query ({@code at0, at1, …}),
 * not an {@code inventoryLevels} connection: that would be a third level under products and variants.
 * {@code first} is ignored by bulk operations (every node comes), so none is given.
 *
 * <p>Collection membership is read here too, from the product's side: each product's {@code collections}
 * (their ids only) become lines {@code {"id": "gid://shopify/Collection/…", "__parentId": product}}, from which
 * {@link BulkCatalogReader#memberships} builds each collection's product ids. Reading them from the collections'
 * side instead costs a paginated request per 250 members of every collection (most of a large store's full-sync
 * points), and a connection of collections' products would be a second top-level connection, which a bulk query
 * cannot have. The document lists a collection's products sorted by id, not in the collection's own (manual or
 * rule) order, so the product side gives the same bytes. Four connections (products, metafields, variants,
 * collections), two levels: within Shopify's five and two. The collections themselves (title, rules, count) and
 * the discounts stay on paginated queries (few).
 */
public final class BulkCatalogQuery {

    /** The alias prefix of the paginated query, so {@code CatalogFetcher.withInventoryLevels} reads both. */
    static final String LOCATION_ALIAS = "at";

    private BulkCatalogQuery() {
    }

    /** @param locationIds the shop's locations in the order their aliases ({@code at0, at1, …}) are numbered */
    public static String of(List<String> locationIds) {
        // A location id is written into the query text: only a plain gid may be, never anything that could end the
        // string, and only with a number Shopify could have issued (a signed 64-bit one).
        for (String id : locationIds) {
            if (!ShopifyResourceIds.isLocation(id)) {
                throw new IllegalArgumentException("not a location gid: " + id);
            }
        }
        String levels = IntStream.range(0, locationIds.size())
                .mapToObj(i -> "%s%d: inventoryLevel(locationId: \"%s\") { id quantities(names: [\"available\", \"on_hand\"]) { name quantity } }"
                        .formatted(LOCATION_ALIAS, i, locationIds.get(i)))
                .collect(Collectors.joining(" "));
        return """
                {
                  products(sortKey: ID) {
                    edges {
                      node {
                        id handle title status vendor productType tags descriptionHtml templateSuffix
                        publishedAt createdAt updatedAt
                        options { id name position values }
                        metafields(namespace: "custom") { edges { node { id namespace key type value } } }
                        collections { edges { node { id } } }
                        variants {
                          edges {
                            node {
                              id title sku barcode price compareAtPrice position taxable inventoryPolicy
                              selectedOptions { name value }
                              inventoryItem { id tracked requiresShipping %s }
                            }
                          }
                        }
                      }
                    }
                  }
                }
                """.formatted(levels);
    }
}
