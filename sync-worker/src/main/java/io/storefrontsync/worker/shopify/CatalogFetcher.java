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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a shop's metadata, locations and whole catalog (products with every variant, inventory per
 * location and custom metafield; discounts; collections with their product ids), following every
 * {@code hasNextPage}, nested connections included. Queries run one after another on one session:
 * they share one cost bucket, so running them side by side would only make them wait for each
 * other. Any failure fails the whole fetch; nothing partial comes out.
 *
 * <p>{@link #fetch} reads as its steps, one method each: shop and locations, products (each completed
 * with the variants and metafields its page could not hold), discounts, collections (each completed with
 * the rest of its product ids). Page sizes and prices come from {@link CatalogQueries}.
 */
@ApplicationScoped
public class CatalogFetcher {

    private static final Logger LOG = Logger.getLogger(CatalogFetcher.class);

    private final ShopifyConfig config;
    private final DiscountPublication discountPublication;

    public CatalogFetcher(ShopifyConfig config, DiscountsConfig discounts) {
        this.config = config;
        this.discountPublication = discounts.publish();
    }

    public Uni<ShopCatalog> fetch(ShopifyAdminGraphQL.Session session) {
        return head(session).chain(head -> fetchAfter(session, head));
    }

    /**
     * The first request of every sync: the shop, its locations and how many products it has (up to
     * Shopify's default limit of 10,000, {@code precision} {@code AT_LEAST} beyond) — enough to choose between
     * paginated queries ({@link #fetchAfter}) and a bulk operation ({@link #fetchAllButProducts}).
     */
    public Uni<ShopHead> head(ShopifyAdminGraphQL.Session session) {
        ObjectNode variables = variables().put("locations", CatalogQueries.LOCATIONS_PER_PAGE);
        return session.query("ShopMetadata", CatalogQueries.SHOP_METADATA, variables,
                        CatalogQueries.shopMetadataCost(CatalogQueries.LOCATIONS_PER_PAGE))
                .chain(data -> locations(session, data.get("locations"))
                        .map(locations -> new ShopHead((ObjectNode) data.get("shop"), locations,
                                data.path("productsCount").path("count").asInt())));
    }

    /** The shop as its first request read it: metadata, every location, the product count. */
    public record ShopHead(ObjectNode shop, List<ObjectNode> locations, int productCount) {
    }

    /** The rest of the catalog by paginated queries, products included. */
    public Uni<ShopCatalog> fetchAfter(ShopifyAdminGraphQL.Session session, ShopHead head) {
        return products(session, head.locations())
                .map(products -> new PartialCatalog(head.shop(), head.locations(), products, List.of()))
                .chain(read -> discounts(session).map(read::withDiscounts))
                .chain(read -> collections(session).map(read::withCollections))
                .invoke(catalog -> LOG.debugf("%s: fetched %d products, %d discounts, %d collections in %d requests",
                        session.shop(), catalog.products().size(), catalog.discounts().size(),
                        catalog.collections().size(), session.stats().requests()));
    }

    /**
     * Everything but the products (discounts, collections; the head has the shop and locations), for a sync
     * whose products come from a bulk operation ({@code worker.shopify.bulk}); the catalog answered has no products,
     * and its collections no members: the bulk operation reads them with each product ({@link #withMembers}).
     */
    public Uni<ShopCatalog> fetchAllButProducts(ShopifyAdminGraphQL.Session session, ShopHead head) {
        return discounts(session)
                .map(discounts -> new PartialCatalog(head.shop(), head.locations(), List.of(), discounts))
                .chain(read -> collectionHeads(session).map(read::withCollections));
    }

    /**
     * Collections read without members ({@link #fetchAllButProducts}) given the members a bulk operation read, in the
     * shape {@link #collections} gives them: {@code products}, a list of {@code {id}} (ordered by id in the document,
     * as every id-bearing list). A collection no product names has none; a collection not in the list (created after
     * the list was read) is left out, as a paginated read would have missed it too.
     *
     * @param members each collection's product ids
     */
    public static List<ObjectNode> withMembers(List<ObjectNode> collections, Map<String, List<String>> members) {
        List<ObjectNode> complete = new ArrayList<>(collections.size());
        for (ObjectNode collection : collections) {
            ObjectNode copy = collection.deepCopy();
            ArrayNode products = copy.putArray("products");
            members.getOrDefault(copy.path("id").asText(), List.of())
                    .forEach(id -> products.addObject().put("id", id));
            complete.add(copy);
        }
        return complete;
    }

    /** The catalog while it is read: each step of {@link #fetch} adds its part; the last one makes it a {@link ShopCatalog}. */
    private record PartialCatalog(ObjectNode shop, List<ObjectNode> locations, List<ObjectNode> products,
                                  List<ObjectNode> discounts) {

        PartialCatalog withDiscounts(List<ObjectNode> discounts) {
            return new PartialCatalog(shop, locations, products, discounts);
        }

        ShopCatalog withCollections(List<ObjectNode> collections) {
            return new ShopCatalog(shop, locations, products, discounts, collections);
        }
    }

    // ---- shop and locations ----------------------------------------------------------------------

    private Uni<List<ObjectNode>> locations(ShopifyAdminGraphQL.Session session, JsonNode firstPage) {
        return CatalogFetcher.<ObjectNode>rest(firstPage, after -> session.query("Locations", CatalogQueries.LOCATIONS,
                        variables().put("locations", CatalogQueries.LOCATIONS_PER_PAGE).put("after", after),
                        CatalogQueries.locationsCost(CatalogQueries.LOCATIONS_PER_PAGE))
                .map(data -> data.get("locations")));
    }

    // ---- products --------------------------------------------------------------------------------

    /** Every product, page after page, each completed before the next page is asked for. */
    private Uni<List<ObjectNode>> products(ShopifyAdminGraphQL.Session session, List<ObjectNode> locations) {
        int budget = session.queryBudget();
        Optional<CatalogQueries.ProductsPage> sized = CatalogQueries.productsPage(budget, config.variantsPerProduct(),
                config.metafieldsPerProduct(), locations.size());
        if (sized.isEmpty()) {
            return Uni.createFrom().failure(new ShopifyApiException(session.shop() + ": " + locations.size()
                    + " locations make one product dearer than the query budget of " + budget));
        }
        CatalogQueries.ProductsPage page = sized.get();
        String query = CatalogQueries.products(locations.size());
        LOG.debugf("%s: products %d per page, variants %d, metafields %d, %d locations: %d points per page",
                session.shop(), page.first(), page.variants(), page.metafields(), locations.size(), page.cost());
        return pages(null, after -> session.query("CatalogProducts", query,
                        locationVariables(locations).put("first", page.first()).put("after", after)
                                .put("variants", page.variants()).put("metafields", page.metafields()), page.cost())
                        .map(data -> data.get("products")))
                .onItem().transformToUniAndConcatenate(product -> completeProduct(session, (ObjectNode) product, locations))
                .onItem().call(product -> session.productRead())
                .collect().asList();
    }

    /**
     * Some products by id (a patch), each read exactly as a products page reads it — the same fields, every variant
     * (follow-up pages beyond the first), inventory per location, metafields — so its canonical bytes are the ones a
     * full read gives. As many lookups per request as the query budget holds.
     *
     * @param locations the shop's locations in the order a full read used ({@code worker.shop_catalog_parts})
     * @return each id with its product, empty when Shopify answers null (it has no such product: deleted)
     */
    public Uni<Map<String, Optional<ObjectNode>>> productsByIds(ShopifyAdminGraphQL.Session session, List<String> ids,
                                                              List<ObjectNode> locations) {
        int budget = session.queryBudget();
        Optional<CatalogQueries.ProductsPage> sized = CatalogQueries.productsPage(budget, config.variantsPerProduct(),
                config.metafieldsPerProduct(), locations.size());
        if (sized.isEmpty()) {
            return Uni.createFrom().failure(new ShopifyApiException(session.shop() + ": " + locations.size()
                    + " locations make one product dearer than the query budget of " + budget));
        }
        CatalogQueries.ProductsPage page = sized.get();
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += page.first()) {
            batches.add(ids.subList(i, Math.min(ids.size(), i + page.first())));
        }
        Map<String, Optional<ObjectNode>> found = new LinkedHashMap<>();
        return Multi.createFrom().iterable(batches)
                .onItem().transformToUniAndConcatenate(batch -> productsBatch(session, batch, locations, page))
                .onItem().transformToIterable(Map::entrySet)
                .onItem().transformToUniAndConcatenate(entry -> entry.getValue() == null
                        ? Uni.createFrom().item(Map.entry(entry.getKey(), Optional.<ObjectNode>empty()))
                        : completeProduct(session, entry.getValue(), locations).map(product -> Map.entry(entry.getKey(), Optional.of(product))))
                .invoke(entry -> found.put(entry.getKey(), entry.getValue()))
                .collect().last()
                .map(ignored -> found);
    }

    /** One request: the batch's lookups; each id with its first page of product, null when Shopify has none. */
    private Uni<Map<String, ObjectNode>> productsBatch(ShopifyAdminGraphQL.Session session, List<String> batch,
                                                       List<ObjectNode> locations, CatalogQueries.ProductsPage page) {
        ObjectNode variables = locationVariables(locations).put("variants", page.variants()).put("metafields", page.metafields());
        for (int i = 0; i < batch.size(); i++) {
            variables.put("p" + i, batch.get(i));
        }
        return session.query("ProductsByIds", CatalogQueries.productsByIds(batch.size(), locations.size()), variables,
                        CatalogQueries.productsByIdsCost(batch.size(), page.metafields(), page.variants(), locations.size()))
                .map(data -> {
                    Map<String, ObjectNode> answered = new LinkedHashMap<>();
                    for (int i = 0; i < batch.size(); i++) {
                        JsonNode product = data.get("p" + i);
                        answered.put(batch.get(i), product == null || product.isNull() ? null : (ObjectNode) product);
                    }
                    return answered;
                });
    }

    /** Fetches the variants and metafields that did not fit the product's page, then flattens it. */
    private Uni<ObjectNode> completeProduct(ShopifyAdminGraphQL.Session session, ObjectNode product,
                                            List<ObjectNode> locations) {
        String id = product.get("id").asText();
        return CatalogFetcher.<JsonNode>rest(product.get("variants"), after -> moreVariants(session, id, after, locations))
                .invoke(variants -> {
                    ArrayNode variantArray = product.putArray("variants");
                    variants.forEach(variant -> variantArray.add(withInventoryLevels(variant, locations)));
                })
                .chain(() -> CatalogFetcher.<JsonNode>rest(product.get("metafields"), after -> moreMetafields(session, id, after)))
                .map(metafields -> {
                    product.putArray("metafields").addAll(metafields);
                    return product;
                });
    }

    private Uni<JsonNode> moreVariants(ShopifyAdminGraphQL.Session session, String productId, String after,
                                       List<ObjectNode> locations) {
        CatalogQueries.Page page = CatalogQueries.productVariantsPage(session.queryBudget(), locations.size());
        return session.query("ProductVariants", CatalogQueries.productVariants(locations.size()),
                        locationVariables(locations).put("id", productId).put("first", page.first()).put("after", after),
                        page.cost())
                .map(data -> connectionOf(data.get("product"), "variants", productId));
    }

    private Uni<JsonNode> moreMetafields(ShopifyAdminGraphQL.Session session, String productId, String after) {
        CatalogQueries.Page page = CatalogQueries.productMetafieldsPage(session.queryBudget());
        return session.query("ProductMetafields", CatalogQueries.productMetafields(),
                        variables().put("id", productId).put("first", page.first()).put("after", after),
                        page.cost())
                .map(data -> connectionOf(data.get("product"), "metafields", productId));
    }

    /**
     * Turns the {@code at0, at1, …} aliases back into {@code inventoryLevels: [{id, location, quantities}]}
     * (a copy). Public for the bulk read, whose variants carry the same aliases: one conversion, one shape.
     */
    public static ObjectNode withInventoryLevels(JsonNode variant, List<ObjectNode> locations) {
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
    private Uni<List<ObjectNode>> discounts(ShopifyAdminGraphQL.Session session) {
        if (discountPublication == DiscountPublication.NONE) {
            return Uni.createFrom().item(List.of());
        }
        int codes = config.codesPerDiscount();
        CatalogQueries.Page page = CatalogQueries.discountsPage(session.queryBudget(), codes);
        return pages(null, after -> session.query("CatalogDiscounts", CatalogQueries.DISCOUNTS,
                        variables().put("first", page.first()).put("after", after).put("codes", codes), page.cost())
                        .map(data -> data.get("discountNodes")))
                .filter(discountPublication::publishes)
                .map(node -> DiscountPublication.published((ObjectNode) node))
                .collect().asList();
    }

    /**
     * Every collection with all its product ids, as a full read gets them: for a patch that added or removed a
     * product, whose collections' members changed with it.
     */
    public Uni<List<ObjectNode>> allCollections(ShopifyAdminGraphQL.Session session) {
        return collections(session);
    }

    /**
     * Collections and discount nodes by id (a patch of {@code collections/*} and {@code discounts/*}), as many per
     * {@code nodes(ids:)} request as the budget holds, each read with a full read's selection, a collection completed
     * with the rest of its product ids, a discount kept only when {@link DiscountPublication} publishes it (in the
     * published form): so each node canonicalises to the bytes a full read gives.
     *
     * @param ids {@code gid://shopify/Collection/…} and {@code gid://shopify/DiscountNode/…} ids
     * @return each id with its node; empty when Shopify answers null (gone) or the discount is not published (none is
     *         read when {@link DiscountPublication#NONE})
     */
    public Uni<Map<String, Optional<ObjectNode>>> collectionsAndDiscountsByIds(ShopifyAdminGraphQL.Session session,
                                                                             List<String> ids) {
        List<String> read = ids.stream()
                .filter(id -> discountPublication != DiscountPublication.NONE || !id.startsWith(DISCOUNT_NODE)).toList();
        int products = Math.min(config.productsPerCollection(), CatalogQueries.MAX_PAGE);
        int codes = config.codesPerDiscount();
        CatalogQueries.Page page = CatalogQueries.nodesPage(session.queryBudget(), products, codes);
        Map<String, Optional<ObjectNode>> found = new LinkedHashMap<>();
        ids.forEach(id -> found.put(id, Optional.empty()));
        return Multi.createFrom().iterable(batches(read, page.first()))
                .onItem().transformToUniAndConcatenate(batch -> session.query("CatalogNodes", CatalogQueries.NODES,
                                variables().put("products", products).put("codes", codes).set("ids", idArray(batch)),
                                CatalogQueries.nodesCost(batch.size(), products, codes))
                        .map(data -> answered(batch, data.get("nodes"))))
                .onItem().transformToIterable(Map::entrySet)
                .onItem().transformToUniAndConcatenate(entry -> entry.getValue() == null
                        ? Uni.createFrom().item(Map.entry(entry.getKey(), Optional.<ObjectNode>empty()))
                        : completeNode(session, entry.getValue()).map(node -> Map.entry(entry.getKey(), node)))
                .invoke(entry -> found.put(entry.getKey(), entry.getValue()))
                .collect().last()
                .map(ignored -> found);
    }

    private static final String DISCOUNT_NODE = "gid://shopify/DiscountNode/";

    private Uni<Optional<ObjectNode>> completeNode(ShopifyAdminGraphQL.Session session, ObjectNode node) {
        if (node.get("id").asText().startsWith(DISCOUNT_NODE)) {
            return Uni.createFrom().item(discountPublication.publishes(node)
                    ? Optional.of(DiscountPublication.published(node)) : Optional.empty());
        }
        return completeCollection(session, node).map(Optional::of);
    }

    /**
     * The product owning each inventory item ({@code inventory_levels/*}), up to 250 items per {@code nodes(ids:)}
     * request as the budget allows.
     *
     * @return each item with its product's GID; empty when Shopify has no such item (its variant was deleted)
     */
    public Uni<Map<String, Optional<String>>> productsOfInventoryItems(ShopifyAdminGraphQL.Session session,
                                                                     List<String> itemIds) {
        int first = CatalogQueries.largestPage(session.queryBudget(), CatalogQueries::inventoryItemProductsCost);
        Map<String, Optional<String>> found = new LinkedHashMap<>();
        return Multi.createFrom().iterable(batches(itemIds, first))
                .onItem().transformToUniAndConcatenate(batch -> session.query("InventoryItemProducts",
                                CatalogQueries.INVENTORY_ITEM_PRODUCTS, variables().set("ids", idArray(batch)),
                                CatalogQueries.inventoryItemProductsCost(batch.size()))
                        .invoke(data -> answered(batch, data.get("nodes")).forEach((id, item) -> found.put(id,
                                Optional.ofNullable(item).map(i -> i.path("variant").path("product").path("id"))
                                        .filter(JsonNode::isTextual).map(JsonNode::asText)))))
                .collect().last()
                .map(ignored -> found);
    }

    private static <T> List<List<T>> batches(List<T> all, int size) {
        List<List<T>> batches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            batches.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return batches;
    }

    private static ArrayNode idArray(List<String> ids) {
        ArrayNode array = CanonicalJson.mapper().createArrayNode();
        ids.forEach(array::add);
        return array;
    }

    /** The answer of a {@code nodes(ids:)} lookup by id, in the order asked; null for a node Shopify has not. */
    private static Map<String, ObjectNode> answered(List<String> ids, JsonNode nodes) {
        Map<String, ObjectNode> answered = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode node = nodes == null ? null : nodes.get(i);
            answered.put(ids.get(i), node == null || !node.isObject() || node.isEmpty() ? null : (ObjectNode) node);
        }
        return answered;
    }

    /** Every collection, page after page, each completed with the rest of its product ids. */
    private Uni<List<ObjectNode>> collections(ShopifyAdminGraphQL.Session session) {
        CatalogQueries.CollectionsPage page = CatalogQueries.collectionsPage(session.queryBudget(),
                config.productsPerCollection());
        return pages(null, after -> session.query("CatalogCollections", CatalogQueries.COLLECTIONS,
                        variables().put("first", page.first()).put("after", after).put("products", page.products()),
                        page.cost())
                        .map(data -> data.get("collections")))
                .onItem().transformToUniAndConcatenate(collection -> completeCollection(session, (ObjectNode) collection))
                .collect().asList();
    }

    /** Every collection without its product ids (a bulk sync: its operation reads them). */
    private Uni<List<ObjectNode>> collectionHeads(ShopifyAdminGraphQL.Session session) {
        CatalogQueries.Page page = CatalogQueries.collectionHeadsPage(session.queryBudget());
        return pages(null, after -> session.query("CatalogCollectionHeads", CatalogQueries.COLLECTION_HEADS,
                        variables().put("first", page.first()).put("after", after), page.cost())
                        .map(data -> data.get("collections")))
                .map(collection -> (ObjectNode) collection)
                .collect().asList();
    }

    private Uni<ObjectNode> completeCollection(ShopifyAdminGraphQL.Session session, ObjectNode collection) {
        String id = collection.get("id").asText();
        CatalogQueries.Page page = CatalogQueries.collectionProductsPage(session.queryBudget());
        return CatalogFetcher.<JsonNode>rest(collection.get("products"), after -> session.query("CollectionProducts",
                        CatalogQueries.COLLECTION_PRODUCTS,
                        variables().put("id", id).put("first", page.first()).put("after", after), page.cost())
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
