package io.storefrontsync.worker.shopify;

import java.util.Optional;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The Admin GraphQL queries of a catalog fetch (checked against the 2026-07 schema) and their
 * requested cost by Shopify's documented rules: scalars and enums 0, objects 1, a connection 2 plus
 * {@code first} times the cost of one node, a union its dearest member. Page sizes are chosen from
 * these formulas so no query requests more than the budget (1000, or the bucket when smaller); the
 * client compares each formula with the {@code requestedQueryCost} Shopify reports.
 *
 * <p>Inventory is read per location with aliased {@code inventoryLevel(locationId:)} lookups (an
 * object and its quantities: 2 points per location) instead of an {@code inventoryLevels}
 * connection (2 + 3 per location, and a follow-up query per variant for more): cheaper, and no
 * nested paging. The aliases are turned back into an {@code inventoryLevels} array.
 *
 * <p>Each query sits next to its price, so that a change to one shows in the other. The prices and
 * the page sizes chosen from them ({@code *Page} methods) are pure functions with their own unit test
 * ({@code CatalogQueriesTest}); {@link CatalogFetcher} only reads the budget and sends what they say.
 */
final class CatalogQueries {

    static final String LOCATION_ALIAS = "at";
    /** Shopify's largest {@code first} on any connection. */
    static final int MAX_PAGE = 250;
    /** Locations asked for per page (a shop has a handful; their price, 2 each, is nothing). */
    static final int LOCATIONS_PER_PAGE = 100;

    private CatalogQueries() {
    }

    // ---- shop metadata ---------------------------------------------------------------------------

    /** Stable fields only: nothing that changes on its own (counters, usage, DST abbreviations). */
    static final String SHOP_METADATA = """
            query ShopMetadata($locations: Int!) {
              shop {
                id name email contactEmail description shopOwnerName myshopifyDomain url
                primaryDomain { id host url sslEnabled }
                currencyCode enabledPresentmentCurrencies ianaTimezone weightUnit unitSystem
                taxesIncluded taxShipping shipsToCountries
                currencyFormats { moneyFormat moneyWithCurrencyFormat }
                billingAddress { address1 address2 city company province provinceCode country countryCodeV2 zip phone }
                plan { publicDisplayName partnerDevelopment shopifyPlus }
              }
              locations(first: $locations, sortKey: ID) { ...LocationPage }
              productsCount { count precision }
            }
            """ + locationPageFragment();

    static final String LOCATIONS = """
            query Locations($locations: Int!, $after: String) {
              locations(first: $locations, after: $after, sortKey: ID) { ...LocationPage }
            }
            """ + locationPageFragment();

    private static String locationPageFragment() {
        return """
                fragment LocationPage on LocationConnection {
                  pageInfo { hasNextPage endCursor }
                  nodes {
                    id name isActive fulfillsOnlineOrders shipsInventory
                    address { address1 address2 city province provinceCode country countryCode zip phone formatted }
                  }
                }
                """;
    }

    /** shop (1) + primaryDomain, currencyFormats, billingAddress, plan (1 each). */
    static final int SHOP_COST = 5;

    /** A location (1) and its address (1). */
    static int locationsCost(int first) {
        return 2 + first * 2;
    }

    /**
     * The shop, the first page of locations and the product count, in one query: the count chooses between
     * paginated queries and a bulk operation ({@link ShopifyShopSync}) without a request of its own.
     */
    static int shopMetadataCost(int locations) {
        return SHOP_COST + locationsCost(locations) + PRODUCT_COUNT_COST;
    }

    // ---- products --------------------------------------------------------------------------------

    /** productsCount (asked with the shop metadata), an object: 1. */
    static final int PRODUCT_COUNT_COST = 1;

    static String products(int locations) {
        return """
                query CatalogProducts($first: Int!, $after: String, $variants: Int!, $metafields: Int!%s) {
                  products(first: $first, after: $after, sortKey: ID) {
                    pageInfo { hasNextPage endCursor }
                    nodes {%s}
                  }
                }
                """.formatted(locationVariables(locations), PRODUCT_FIELDS)
                + METAFIELD_PAGE + variantPage(locations);
    }

    /**
     * What a products page reads of each product, and a patch of each product it re-reads ({@link #productsByIds}):
     * one selection, so both give the same product.
     */
    private static final String PRODUCT_FIELDS = """

                      id handle title status vendor productType tags descriptionHtml templateSuffix
                      publishedAt createdAt updatedAt
                      options { id name position values }
                      metafields(first: $metafields, namespace: "custom") { ...MetafieldPage }
                      variants(first: $variants) { ...VariantPage }
                    """;

    /**
     * Some products by id, for a patch: one aliased {@code product(id:)} lookup each ({@code p0, p1, …}, variables
     * {@code $p0, …}), the same fields as a products page. A product Shopify no longer has answers null. Lookups
     * rather than {@code nodes(ids:)}: each is priced as the object it is, exactly like a page's node.
     */
    static String productsByIds(int products, int locations) {
        String ids = IntStream.range(0, products).mapToObj(i -> ", $p" + i + ": ID!").collect(Collectors.joining());
        String lookups = IntStream.range(0, products)
                .mapToObj(i -> "  p%d: product(id: $p%d) {%s}".formatted(i, i, PRODUCT_FIELDS))
                .collect(Collectors.joining("\n"));
        return """
                query ProductsByIds($variants: Int!, $metafields: Int!%s%s) {
                %s
                }
                """.formatted(ids, locationVariables(locations), lookups)
                + METAFIELD_PAGE + variantPage(locations);
    }

    /** {@code products} lookups of {@link #productsByIds}: no connection around them, only the products. */
    static int productsByIdsCost(int products, int metafields, int variants, int locations) {
        return products * productCost(metafields, variants, locations);
    }

    static String productVariants(int locations) {
        return """
                query ProductVariants($id: ID!, $first: Int!, $after: String%s) {
                  product(id: $id) { variants(first: $first, after: $after) { ...VariantPage } }
                }
                """.formatted(locationVariables(locations)) + variantPage(locations);
    }

    static String productMetafields() {
        return """
                query ProductMetafields($id: ID!, $first: Int!, $after: String) {
                  product(id: $id) { metafields(first: $first, after: $after, namespace: "custom") { ...MetafieldPage } }
                }
                """ + METAFIELD_PAGE;
    }

    private static final String METAFIELD_PAGE = """
            fragment MetafieldPage on MetafieldConnection {
              pageInfo { hasNextPage endCursor }
              nodes { id namespace key type value }
            }
            """;

    private static String variantPage(int locations) {
        String levels = IntStream.range(0, locations)
                .mapToObj(i -> "      %s%d: inventoryLevel(locationId: $loc%d) { id quantities(names: [\"available\", \"on_hand\"]) { name quantity } }"
                        .formatted(LOCATION_ALIAS, i, i))
                .collect(Collectors.joining("\n"));
        return """
                fragment VariantPage on ProductVariantConnection {
                  pageInfo { hasNextPage endCursor }
                  nodes {
                    id title sku barcode price compareAtPrice position taxable inventoryPolicy
                    selectedOptions { name value }
                    inventoryItem {
                      id tracked requiresShipping
                %s
                    }
                  }
                }
                """.formatted(levels);
    }

    private static String locationVariables(int locations) {
        return IntStream.range(0, locations).mapToObj(i -> ", $loc" + i + ": ID!").collect(Collectors.joining());
    }

    /** A variant (1), its selectedOptions (1), its inventoryItem (1) and per location a level (1) with its quantities (1). */
    static int variantCost(int locations) {
        return 3 + 2 * locations;
    }

    /** A product (1), options (1), its metafields and variants connections. */
    static int productCost(int metafields, int variants, int locations) {
        return 1 + 1 + (2 + metafields) + (2 + variants * variantCost(locations));
    }

    static int productsCost(int first, int metafields, int variants, int locations) {
        return 2 + first * productCost(metafields, variants, locations);
    }

    /** product(id:) (1) and one connection page. */
    static int productVariantsCost(int first, int locations) {
        return 1 + 2 + first * variantCost(locations);
    }

    static int productMetafieldsCost(int first) {
        return 1 + 2 + first;
    }

    // ---- discounts -------------------------------------------------------------------------------

    /** {@code context} says who may use a discount: {@link DiscountPublication} publishes only those open to all buyers. */
    private static final String COMMON_DISCOUNT_FIELDS = "title status startsAt endsAt discountClasses context { __typename }";
    private static final String CODE_FIELDS = "usageLimit appliesOncePerCustomer codesCount { count } codes(first: $codes) { nodes { code } }";
    private static final String CUSTOMER_GETS = """
            customerGets {
              value {
                __typename
                ... on DiscountPercentage { percentage }
                ... on DiscountAmount { amount { amount currencyCode } appliesOnEachItem }
              }
            }""";

    /** What a full read and a patch ({@link #NODES}) read of each discount node: one selection, the same node. */
    private static final String DISCOUNT_NODE_FIELDS = """
                  id
                  discount {
                    __typename
                    ... on DiscountCodeBasic { %1$s summary %2$s %3$s }
                    ... on DiscountCodeBxgy { %1$s summary %2$s %3$s }
                    ... on DiscountCodeFreeShipping { %1$s summary %2$s }
                    ... on DiscountCodeApp { %1$s %2$s }
                    ... on DiscountAutomaticBasic { %1$s summary %3$s }
                    ... on DiscountAutomaticBxgy { %1$s summary %3$s }
                    ... on DiscountAutomaticFreeShipping { %1$s summary }
                    ... on DiscountAutomaticApp { %1$s }
                  }
            """.formatted(COMMON_DISCOUNT_FIELDS, CODE_FIELDS, CUSTOMER_GETS);

    static final String DISCOUNTS = """
            query CatalogDiscounts($first: Int!, $after: String, $codes: Int!) {
              discountNodes(first: $first, after: $after, sortKey: ID) {
                pageInfo { hasNextPage endCursor }
                nodes {
            %s
                }
              }
            }
            """.formatted(DISCOUNT_NODE_FIELDS);

    /**
     * A discount node (1) and its discount (1) priced as the dearest member, a basic or buy-x-get-y
     * code discount: context (1), codesCount (1), codes (2 + codes), customerGets (1) with value (1)
     * whose dearest member, DiscountAmount, holds a MoneyV2 (1).
     */
    static int discountsCost(int first, int codes) {
        int dearestMember = 1 + 1 + (2 + codes) + 3;
        return 2 + first * (1 + 1 + dearestMember);
    }

    // ---- collections -----------------------------------------------------------------------------

    /** A collection's own fields, without its members: what {@link #COLLECTION_HEADS} reads for a bulk sync. */
    private static final String COLLECTION_HEAD_FIELDS = """
                  id title handle descriptionHtml sortOrder templateSuffix updatedAt
                  ruleSet { appliedDisjunctively rules { column relation condition } }
                  productsCount { count precision }
            """;

    /** What a full read and a patch ({@link #NODES}) read of each collection: one selection, the same node. */
    private static final String COLLECTION_FIELDS = COLLECTION_HEAD_FIELDS + """
                  products(first: $products) { ...ProductIdPage }
            """;

    static final String COLLECTIONS = """
            query CatalogCollections($first: Int!, $after: String, $products: Int!) {
              collections(first: $first, after: $after, sortKey: ID) {
                pageInfo { hasNextPage endCursor }
                nodes {
            %s
                }
              }
            }
            fragment ProductIdPage on ProductConnection { pageInfo { hasNextPage endCursor } nodes { id } }
            """.formatted(COLLECTION_FIELDS);

    /**
     * Every collection without its product ids, for a sync that reads the members from its bulk operation
     * ({@code BulkCatalogQuery}: each product's {@code collections}); the members are put back as {@link #COLLECTIONS}
     * reads them ({@code CatalogFetcher.withMembers}).
     */
    static final String COLLECTION_HEADS = """
            query CatalogCollectionHeads($first: Int!, $after: String) {
              collections(first: $first, after: $after, sortKey: ID) {
                pageInfo { hasNextPage endCursor }
                nodes {
            %s
                }
              }
            }
            """.formatted(COLLECTION_HEAD_FIELDS);

    /**
     * Collections and discount nodes by id, for a patch ({@code collections/*}, {@code discounts/*}): one
     * {@code nodes(ids:)} lookup with the very selections of {@link #COLLECTIONS} and {@link #DISCOUNTS}, so each
     * node canonicalises to the bytes a full read gives. A node Shopify no longer has answers null.
     */
    static final String NODES = """
            query CatalogNodes($ids: [ID!]!, $products: Int!, $codes: Int!) {
              nodes(ids: $ids) {
                ... on Collection {
            %s
                }
                ... on DiscountNode {
            %s
                }
              }
            }
            fragment ProductIdPage on ProductConnection { pageInfo { hasNextPage endCursor } nodes { id } }
            """.formatted(COLLECTION_FIELDS, DISCOUNT_NODE_FIELDS);

    /** {@code first} nodes of {@link #NODES}, each priced as the dearer of a collection and a discount node. */
    static int nodesCost(int first, int products, int codes) {
        int collection = 1 + 2 + 1 + (2 + products);
        int discount = 1 + 1 + (1 + 1 + (2 + codes) + 3);
        return first * Math.max(collection, discount);
    }

    /** A page of {@link #NODES} for a budget: how many ids one request asks for. */
    static Page nodesPage(int budget, int products, int codes) {
        return page(budget, n -> nodesCost(n, Math.min(products, MAX_PAGE), codes));
    }

    /**
     * The product owning each inventory item ({@code inventory_levels/*}: the webhook names the item, the document
     * holds the product): one {@code nodes(ids:)} lookup, an item (1), its variant (1) and the variant's product (1).
     */
    static final String INVENTORY_ITEM_PRODUCTS = """
            query InventoryItemProducts($ids: [ID!]!) {
              nodes(ids: $ids) { ... on InventoryItem { id variant { id product { id } } } }
            }
            """;

    static int inventoryItemProductsCost(int items) {
        return items * 3;
    }

    static final String COLLECTION_PRODUCTS = """
            query CollectionProducts($id: ID!, $first: Int!, $after: String) {
              collection(id: $id) { products(first: $first, after: $after) { ...ProductIdPage } }
            }
            fragment ProductIdPage on ProductConnection { pageInfo { hasNextPage endCursor } nodes { id } }
            """;

    /** A collection (1), ruleSet (1) with rules (1), productsCount (1), and a page of product ids. */
    static int collectionsCost(int first, int products) {
        return 2 + first * (1 + 2 + 1 + (2 + products));
    }

    /** {@link #COLLECTION_HEADS}: a collection (1), ruleSet (1) with rules (1), productsCount (1). */
    static int collectionHeadsCost(int first) {
        return 2 + first * (1 + 2 + 1);
    }

    static int collectionProductsCost(int first) {
        return 1 + 2 + first;
    }

    // ---- page sizes for a budget -----------------------------------------------------------------

    /** How many nodes one query asks for, and what it then requests. */
    record Page(int first, int cost) {
    }

    /**
     * The products query for a budget: as many products per page as fit, each with up to
     * {@code variantsWanted} variants and {@code metafieldsWanted} metafields (at most 250 each). When one
     * product with that many variants is dearer than the budget (many locations make each variant dear),
     * fewer variants are asked for with it and the rest come from follow-up pages.
     *
     * @return empty when even one product with one variant costs more than the budget
     */
    static Optional<ProductsPage> productsPage(int budget, int variantsWanted, int metafieldsWanted, int locations) {
        int metafields = Math.min(metafieldsWanted, MAX_PAGE);
        int variants = Math.min(variantsWanted, MAX_PAGE);
        while (variants > 1 && productsCost(1, metafields, variants, locations) > budget) {
            variants--;
        }
        if (productsCost(1, metafields, variants, locations) > budget) {
            return Optional.empty();
        }
        int perProduct = variants;
        Page page = page(budget, n -> productsCost(n, metafields, perProduct, locations));
        return Optional.of(new ProductsPage(page.first(), variants, metafields, page.cost()));
    }

    /** A page of {@link #products}: {@code first} products with up to {@code variants} and {@code metafields} each. */
    record ProductsPage(int first, int variants, int metafields, int cost) {
    }

    /** A follow-up page of one product's variants. */
    static Page productVariantsPage(int budget, int locations) {
        return page(budget, n -> productVariantsCost(n, locations));
    }

    /** A follow-up page of one product's metafields. */
    static Page productMetafieldsPage(int budget) {
        return page(budget, CatalogQueries::productMetafieldsCost);
    }

    /** A page of discounts, each listing up to {@code codes} redeem codes. */
    static Page discountsPage(int budget, int codes) {
        return page(budget, n -> discountsCost(n, codes));
    }

    /**
     * A page of collections, each with up to {@code productsWanted} product ids (at most 250).
     *
     * @return the page; its {@code products} is what the query's {@code $products} must say
     */
    static CollectionsPage collectionsPage(int budget, int productsWanted) {
        int products = Math.min(productsWanted, MAX_PAGE);
        Page page = page(budget, n -> collectionsCost(n, products));
        return new CollectionsPage(page.first(), products, page.cost());
    }

    /** A page of {@link #COLLECTIONS}: {@code first} collections with up to {@code products} product ids each. */
    record CollectionsPage(int first, int products, int cost) {
    }

    /** A page of {@link #COLLECTION_HEADS}. */
    static Page collectionHeadsPage(int budget) {
        return page(budget, CatalogQueries::collectionHeadsCost);
    }

    /** A follow-up page of one collection's product ids. */
    static Page collectionProductsPage(int budget) {
        return page(budget, CatalogQueries::collectionProductsCost);
    }

    /** The largest page within the budget, and its price. */
    static Page page(int budget, IntUnaryOperator costOfPage) {
        int first = largestPage(budget, costOfPage);
        return new Page(first, costOfPage.applyAsInt(first));
    }

    /**
     * The largest page whose cost stays within the budget (at least 1, at most 250). At least 1 even
     * when one node is dearer than the budget: Shopify then refuses the query, and the sync fails saying so.
     */
    static int largestPage(int budget, IntUnaryOperator costOfPage) {
        int size = MAX_PAGE;
        while (size > 1 && costOfPage.applyAsInt(size) > budget) {
            size--;
        }
        return size;
    }
}
