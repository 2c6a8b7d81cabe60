package io.storefrontsync.worker.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.json.CanonicalJson;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a shop's metadata, locations and whole catalog (products with every variant, inventory per
 * location and custom metafield; discounts; collections with their product ids), following every
 * {@code hasNextPage}, nested connections included. Queries run one after another on one session:
 * they share one cost bucket, so running them side by side would only make them wait for each
 * other. Any failure fails the whole fetch; nothing partial comes out.
 */
@ApplicationScoped
public class CatalogFetcher {

    private static final Logger LOG = Logger.getLogger(CatalogFetcher.class);
    private static final int LOCATIONS_PER_PAGE = 100;

    private final ShopifyConfig config;
    private final DiscountPublication discountPublication;

    public CatalogFetcher(ShopifyConfig config, DiscountsConfig discounts) {
        this.config = config;
        this.discountPublication = discounts.publish();
    }

    public Uni<ShopCatalog> fetch(ShopifyAdminGraphQL.Session session) {
        return fetchShopAndLocations(session)
                .flatMap(metadata -> fetchProducts(session, metadata.locations())
                        .flatMap(products -> fetchDiscounts(session)
                                .flatMap(discounts -> fetchCollections(session)
                                        .map(collections -> new ShopCatalog(metadata.shop(), metadata.locations(),
                                                products, discounts, collections)))))
                .invoke(catalog -> LOG.debugf("%s: fetched %d products, %d discounts, %d collections in %d requests",
                        session.shop(), catalog.products().size(), catalog.discounts().size(),
                        catalog.collections().size(), session.stats().requests()));
    }

    // ---- shop and locations ----------------------------------------------------------------------

    private record ShopAndLocations(ObjectNode shop, List<ObjectNode> locations) {
    }

    private Uni<ShopAndLocations> fetchShopAndLocations(ShopifyAdminGraphQL.Session session) {
        ObjectNode variables = variables().put("locations", LOCATIONS_PER_PAGE);
        return session.query("ShopMetadata", CatalogQueries.SHOP_METADATA, variables,
                        CatalogQueries.SHOP_COST + CatalogQueries.locationsCost(LOCATIONS_PER_PAGE))
                .flatMap(data -> CatalogFetcher.<ObjectNode>rest(data.get("locations"), after -> session.query("Locations", CatalogQueries.LOCATIONS,
                                variables().put("locations", LOCATIONS_PER_PAGE).put("after", after),
                                CatalogQueries.locationsCost(LOCATIONS_PER_PAGE)).map(page -> page.get("locations")))
                        .map(locations -> new ShopAndLocations((ObjectNode) data.get("shop"), locations)));
    }

    // ---- products --------------------------------------------------------------------------------

    private Uni<List<ObjectNode>> fetchProducts(ShopifyAdminGraphQL.Session session, List<ObjectNode> locations) {
        int budget = session.queryBudget();
        int locationCount = locations.size();
        int metafields = Math.min(config.metafieldsPerProduct(), CatalogQueries.MAX_PAGE);
        int variants = Math.min(config.variantsPerProduct(), CatalogQueries.MAX_PAGE);
        while (variants > 1 && CatalogQueries.productsCost(1, metafields, variants, locationCount) > budget) {
            variants--;
        }
        if (CatalogQueries.productsCost(1, metafields, variants, locationCount) > budget) {
            return Uni.createFrom().failure(new ShopifyApiException(session.shop() + ": " + locationCount
                    + " locations make one product dearer than the query budget of " + budget));
        }
        int perVariant = variants;
        int first = CatalogQueries.largestPage(budget,
                n -> CatalogQueries.productsCost(n, metafields, perVariant, locationCount));
        int cost = CatalogQueries.productsCost(first, metafields, perVariant, locationCount);
        String query = CatalogQueries.products(locationCount);
        LOG.debugf("%s: products %d per page, variants %d, metafields %d, %d locations: %d points per page",
                session.shop(), first, perVariant, metafields, locationCount, cost);
        return pages(null, after -> session.query("CatalogProducts", query,
                        locationVariables(locations).put("first", first).put("after", after)
                                .put("variants", perVariant).put("metafields", metafields), cost)
                        .map(data -> data.get("products")))
                .onItem().transformToUniAndConcatenate(product -> completeProduct(session, (ObjectNode) product, locations))
                .collect().asList();
    }

    /** Fetches the variants and metafields that did not fit the product's page, then flattens it. */
    private Uni<ObjectNode> completeProduct(ShopifyAdminGraphQL.Session session, ObjectNode product,
                                            List<ObjectNode> locations) {
        String id = product.get("id").asText();
        return CatalogFetcher.<JsonNode>rest(product.get("variants"), after -> moreVariants(session, id, after, locations))
                .flatMap(variants -> CatalogFetcher.<JsonNode>rest(product.get("metafields"), after -> moreMetafields(session, id, after))
                        .map(metafields -> {
                            ArrayNode variantArray = product.putArray("variants");
                            variants.forEach(variant -> variantArray.add(withInventoryLevels(variant, locations)));
                            product.putArray("metafields").addAll(metafields);
                            return product;
                        }));
    }

    private Uni<JsonNode> moreVariants(ShopifyAdminGraphQL.Session session, String productId, String after,
                                       List<ObjectNode> locations) {
        int first = CatalogQueries.largestPage(session.queryBudget(),
                n -> CatalogQueries.productVariantsCost(n, locations.size()));
        return session.query("ProductVariants", CatalogQueries.productVariants(locations.size()),
                        locationVariables(locations).put("id", productId).put("first", first).put("after", after),
                        CatalogQueries.productVariantsCost(first, locations.size()))
                .map(data -> connectionOf(data.get("product"), "variants", productId));
    }

    private Uni<JsonNode> moreMetafields(ShopifyAdminGraphQL.Session session, String productId, String after) {
        int first = CatalogQueries.largestPage(session.queryBudget(), CatalogQueries::productMetafieldsCost);
        return session.query("ProductMetafields", CatalogQueries.productMetafields(),
                        variables().put("id", productId).put("first", first).put("after", after),
                        CatalogQueries.productMetafieldsCost(first))
                .map(data -> connectionOf(data.get("product"), "metafields", productId));
    }

    /** Turns the {@code at0, at1, …} aliases back into {@code inventoryLevels: [{id, location, quantities}]}. */
    private static ObjectNode withInventoryLevels(JsonNode variant, List<ObjectNode> locations) {
        ObjectNode copy = ((ObjectNode) variant).deepCopy();
        ObjectNode item = (ObjectNode) copy.get("inventoryItem");
        if (item == null) {
            return copy;
        }
        ArrayNode levels = CanonicalJson.mapper().createArrayNode();
        for (int i = 0; i < locations.size(); i++) {
            JsonNode level = item.remove(CatalogQueries.LOCATION_ALIAS + i);
            if (level != null && !level.isNull()) {
                ObjectNode location = CanonicalJson.mapper().createObjectNode()
                        .put("id", locations.get(i).get("id").asText())
                        .put("name", locations.get(i).path("name").asText());
                ObjectNode entry = CanonicalJson.mapper().createObjectNode();
                entry.set("id", level.get("id"));
                entry.set("location", location);
                entry.set("quantities", level.get("quantities"));
                levels.add(entry);
            }
        }
        item.set("inventoryLevels", levels);
        return copy;
    }

    // ---- discounts and collections ---------------------------------------------------------------

    /**
     * The discounts a shopper may be told about ({@link DiscountPublication}); the others are dropped
     * here, before anything is canonicalised or written, and none is fetched when none is published.
     */
    private Uni<List<ObjectNode>> fetchDiscounts(ShopifyAdminGraphQL.Session session) {
        if (discountPublication == DiscountPublication.NONE) {
            return Uni.createFrom().item(List.of());
        }
        int codes = config.codesPerDiscount();
        int first = CatalogQueries.largestPage(session.queryBudget(), n -> CatalogQueries.discountsCost(n, codes));
        return pages(null, after -> session.query("CatalogDiscounts", CatalogQueries.DISCOUNTS,
                        variables().put("first", first).put("after", after).put("codes", codes),
                        CatalogQueries.discountsCost(first, codes))
                        .map(data -> data.get("discountNodes")))
                .filter(discountPublication::publishes)
                .map(node -> DiscountPublication.published((ObjectNode) node))
                .collect().asList();
    }

    private Uni<List<ObjectNode>> fetchCollections(ShopifyAdminGraphQL.Session session) {
        int products = Math.min(config.productsPerCollection(), CatalogQueries.MAX_PAGE);
        int first = CatalogQueries.largestPage(session.queryBudget(), n -> CatalogQueries.collectionsCost(n, products));
        return pages(null, after -> session.query("CatalogCollections", CatalogQueries.COLLECTIONS,
                        variables().put("first", first).put("after", after).put("products", products),
                        CatalogQueries.collectionsCost(first, products))
                        .map(data -> data.get("collections")))
                .onItem().transformToUniAndConcatenate(collection -> completeCollection(session, (ObjectNode) collection))
                .collect().asList();
    }

    private Uni<ObjectNode> completeCollection(ShopifyAdminGraphQL.Session session, ObjectNode collection) {
        String id = collection.get("id").asText();
        int first = CatalogQueries.largestPage(session.queryBudget(), CatalogQueries::collectionProductsCost);
        return CatalogFetcher.<JsonNode>rest(collection.get("products"), after -> session.query("CollectionProducts",
                        CatalogQueries.COLLECTION_PRODUCTS,
                        variables().put("id", id).put("first", first).put("after", after),
                        CatalogQueries.collectionProductsCost(first))
                        .map(data -> connectionOf(data.get("collection"), "products", id)))
                .map(products -> {
                    collection.putArray("products").addAll(products);
                    return collection;
                });
    }

    // ---- paging ----------------------------------------------------------------------------------

    /** Every node of a connection, page after page, starting after {@code after} (null: from the start). */
    private static Multi<JsonNode> pages(String after, Function<String, Uni<JsonNode>> page) {
        String[] cursor = {after};
        return Multi.createBy().repeating()
                .uni(() -> cursor, state -> page.apply(state[0]).invoke(connection -> state[0] = endCursor(connection)))
                .whilst(CatalogFetcher::hasNextPage)
                .onItem().transformToIterable(CatalogFetcher::nodes);
    }

    /** The nodes of a connection already fetched, followed by those of its further pages. */
    private static <T extends JsonNode> Uni<List<T>> rest(JsonNode firstPage, Function<String, Uni<JsonNode>> page) {
        List<T> all = new ArrayList<>();
        nodes(firstPage).forEach(node -> all.add(cast(node)));
        if (!hasNextPage(firstPage)) {
            return Uni.createFrom().item(all);
        }
        return pages(endCursor(firstPage), page).collect().asList()
                .map(more -> {
                    more.forEach(node -> all.add(cast(node)));
                    return all;
                });
    }

    @SuppressWarnings("unchecked")
    private static <T extends JsonNode> T cast(JsonNode node) {
        return (T) node;
    }

    private static List<JsonNode> nodes(JsonNode connection) {
        List<JsonNode> nodes = new ArrayList<>();
        if (connection != null) {
            connection.path("nodes").forEach(nodes::add);
        }
        return nodes;
    }

    private static boolean hasNextPage(JsonNode connection) {
        return connection != null && connection.path("pageInfo").path("hasNextPage").asBoolean(false);
    }

    private static String endCursor(JsonNode connection) {
        JsonNode cursor = connection == null ? null : connection.path("pageInfo").get("endCursor");
        return cursor == null || cursor.isNull() ? null : cursor.asText();
    }

    /** A nested connection of a node looked up by id; a node that vanished between pages fails the fetch. */
    private static JsonNode connectionOf(JsonNode owner, String field, String ownerId) {
        if (owner == null || owner.isNull()) {
            throw new ShopifyApiException.Transient(ownerId + " disappeared while its " + field + " were being read");
        }
        return owner.get(field);
    }

    private static ObjectNode variables() {
        return CanonicalJson.mapper().createObjectNode();
    }

    private static ObjectNode locationVariables(List<ObjectNode> locations) {
        ObjectNode variables = variables();
        for (int i = 0; i < locations.size(); i++) {
            variables.put("loc" + i, locations.get(i).get("id").asText());
        }
        return variables;
    }
}
