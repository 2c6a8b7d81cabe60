package io.storefrontsync.worker.shopify;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prices of the catalog queries, computed by hand from the query texts with Shopify's documented
 * rules for the requested cost (GraphQL Admin API rate limits): a scalar or enum costs 0, an object 1,
 * an interface or union its dearest member, a connection 2 plus {@code first} times one node (the node
 * 1 plus what it selects); {@code pageInfo} is free. A list of objects that is not a connection
 * ({@code options}, {@code selectedOptions}, {@code quantities}, {@code rules}) costs 1, as Shopify
 * priced it and as the sandbox's simulator does. Then the page sizes chosen for a budget: the largest
 * that stays within it. {@code ShopifyThrottlingTest} checks the same formulas against the simulator
 * ({@code costMismatches} 0), this test says what they are.
 */
class CatalogQueriesTest {

    private static final int SHOPIFY_MAX_QUERY_COST = 1000;

    @Test
    void shopMetadataIsTheShopItsFourObjectsAndAPageOfLocationsWithTheirAddresses() {
        // shop 1 + primaryDomain 1 + currencyFormats 1 + billingAddress 1 + plan 1 = 5;
        // locations(first: 100): 2 + 100 × (location 1 + address 1) = 202.
        assertThat(CatalogQueries.shopMetadataCost(100)).isEqualTo(208);
        assertThat(CatalogQueries.locationsCost(100)).isEqualTo(202);
        assertThat(CatalogQueries.locationsCost(1)).isEqualTo(4);
    }

    @Test
    void aVariantIsItselfItsOptionsItsInventoryItemAndALevelWithQuantitiesPerLocation() {
        // variant 1 + selectedOptions 1 + inventoryItem 1 + per location: inventoryLevel 1 + quantities 1.
        assertThat(CatalogQueries.variantCost(0)).isEqualTo(3);
        assertThat(CatalogQueries.variantCost(2)).isEqualTo(7);
        assertThat(CatalogQueries.variantCost(100)).isEqualTo(203);
    }

    @Test
    void aProductIsItselfItsOptionsAndTwoNestedConnections() {
        // product 1 + options 1 + metafields(first: 10): 2 + 10 × 1 + variants(first: 10): 2 + 10 × 7 = 86.
        assertThat(CatalogQueries.productCost(10, 10, 2)).isEqualTo(86);
        // products(first: 11): 2 + 11 × 86.
        assertThat(CatalogQueries.productsCost(11, 10, 10, 2)).isEqualTo(948);
        assertThat(CatalogQueries.productsCost(1, 1, 1, 0)).isEqualTo(2 + (1 + 1 + 3 + 5));
    }

    @Test
    void followUpPagesOfOneProductAreTheProductLookupAndOneConnection() {
        // product(id:) 1 + variants(first: 142): 2 + 142 × 7.
        assertThat(CatalogQueries.productVariantsCost(142, 2)).isEqualTo(997);
        // product(id:) 1 + metafields(first: 250): 2 + 250 × 1.
        assertThat(CatalogQueries.productMetafieldsCost(250)).isEqualTo(253);
    }

    @Test
    void aDiscountIsPricedAsItsDearestMemberACodeDiscountWithAnAmount() {
        // DiscountCodeBasic / Bxgy: context 1 + codesCount 1 + codes(first: 5): 2 + 5 × 1
        // + customerGets 1 + value 1 + DiscountAmount.amount (MoneyV2) 1 = 12;
        // node 1 + discount 1 + 12 = 14 per discount; discountNodes(first: 71): 2 + 71 × 14.
        assertThat(CatalogQueries.discountsCost(1, 5)).isEqualTo(16);
        assertThat(CatalogQueries.discountsCost(71, 5)).isEqualTo(996);
        assertThat(CatalogQueries.discountsCost(1, 0)).as("codes(first: 0) still costs its 2").isEqualTo(11);
    }

    @Test
    void aCollectionIsItselfItsRulesItsCountAndAPageOfProductIds() {
        // collection 1 + ruleSet 1 + rules 1 + productsCount 1 + products(first: 100): 2 + 100 × 1 = 106;
        // collections(first: 9): 2 + 9 × 106.
        assertThat(CatalogQueries.collectionsCost(9, 100)).isEqualTo(956);
        // collection(id:) 1 + products(first: 250): 2 + 250.
        assertThat(CatalogQueries.collectionProductsCost(250)).isEqualTo(253);
    }

    @Test
    void theLargestPageIsTheLastSizeWithinTheBudget() {
        assertThat(CatalogQueries.largestPage(1000, n -> 2 + n * 86)).isEqualTo(11);
        assertThat(CatalogQueries.largestPage(948, n -> 2 + n * 86)).as("exactly the budget fits").isEqualTo(11);
        assertThat(CatalogQueries.largestPage(947, n -> 2 + n * 86)).isEqualTo(10);
        assertThat(CatalogQueries.largestPage(1000, n -> 3 + n)).as("never more than 250").isEqualTo(250);
        assertThat(CatalogQueries.largestPage(10, n -> 2 + n * 86))
                .as("at least 1, even when one node is dearer than the budget").isEqualTo(1);
    }

    @Test
    void productsPageWithTheDefaultsUnderShopifysLimit() {
        // The defaults: 10 variants, 10 metafields; a shop with 2 locations.
        assertThat(CatalogQueries.productsPage(SHOPIFY_MAX_QUERY_COST, 10, 10, 2))
                .hasValue(new CatalogQueries.ProductsPage(11, 10, 10, 948));
    }

    @Test
    void productsPageInASmallerBucketAsksForFewerProducts() {
        assertThat(CatalogQueries.productsPage(500, 10, 10, 2))
                .hasValue(new CatalogQueries.ProductsPage(5, 10, 10, 2 + 5 * 86));
        assertThat(CatalogQueries.productsPage(88, 10, 10, 2))
                .hasValue(new CatalogQueries.ProductsPage(1, 10, 10, 88));
    }

    @Test
    void productsPageAsksForFewerVariantsWhenManyLocationsMakeOneProductDearerThanTheBudget() {
        // 100 locations: a variant costs 203; with 10 variants one product costs 2046.
        // 4 variants: 2 + (1 + 1 + 12 + 2 + 4 × 203) = 830 fits; 5 variants: 1033 does not.
        assertThat(CatalogQueries.productsPage(SHOPIFY_MAX_QUERY_COST, 10, 10, 100))
                .hasValue(new CatalogQueries.ProductsPage(1, 4, 10, 830));
        // 250 locations: a variant costs 503; one variant: 2 + (1 + 1 + 12 + 2 + 503) = 521.
        assertThat(CatalogQueries.productsPage(SHOPIFY_MAX_QUERY_COST, 10, 10, 250))
                .hasValue(new CatalogQueries.ProductsPage(1, 1, 10, 521));
    }

    @Test
    void productsPageIsEmptyWhenOneProductWithOneVariantIsDearerThanTheBudget() {
        // 500 locations: a variant costs 1003 on its own.
        assertThat(CatalogQueries.productsPage(SHOPIFY_MAX_QUERY_COST, 10, 10, 500)).isEmpty();
        // 2 locations, one variant: 2 + (1 + 1 + 12 + 2 + 7) = 25.
        assertThat(CatalogQueries.productsPage(24, 10, 10, 2)).as("a tiny bucket").isEmpty();
        assertThat(CatalogQueries.productsPage(25, 10, 10, 2)).hasValue(new CatalogQueries.ProductsPage(1, 1, 10, 25));
    }

    @Test
    void productsPageNeverAsksForMoreThan250VariantsOrMetafields() {
        CatalogQueries.ProductsPage page = CatalogQueries.productsPage(1_000_000, 1000, 1000, 0).orElseThrow();

        assertThat(page.variants()).isEqualTo(250);
        assertThat(page.metafields()).isEqualTo(250);
        // product: 1 + 1 + (2 + 250) + (2 + 250 × 3) = 1006; 250 of them: 2 + 251,500.
        assertThat(page.first()).isEqualTo(250);
        assertThat(page.cost()).isEqualTo(251_502);
    }

    @Test
    void followUpPagesFillTheBudget() {
        assertThat(CatalogQueries.productVariantsPage(SHOPIFY_MAX_QUERY_COST, 2))
                .isEqualTo(new CatalogQueries.Page(142, 997));
        assertThat(CatalogQueries.productMetafieldsPage(SHOPIFY_MAX_QUERY_COST))
                .isEqualTo(new CatalogQueries.Page(250, 253));
        assertThat(CatalogQueries.collectionProductsPage(SHOPIFY_MAX_QUERY_COST))
                .isEqualTo(new CatalogQueries.Page(250, 253));
        // 100 points: 3 + 97.
        assertThat(CatalogQueries.collectionProductsPage(100)).isEqualTo(new CatalogQueries.Page(97, 100));
    }

    @Test
    void discountsAndCollectionsPagesFillTheBudget() {
        assertThat(CatalogQueries.discountsPage(SHOPIFY_MAX_QUERY_COST, 5)).isEqualTo(new CatalogQueries.Page(71, 996));
        assertThat(CatalogQueries.collectionsPage(SHOPIFY_MAX_QUERY_COST, 100))
                .isEqualTo(new CatalogQueries.CollectionsPage(9, 100, 956));
        // More product ids than a connection gives are cut to 250: 2 + n × 256 ≤ 1000 → 3 collections.
        assertThat(CatalogQueries.collectionsPage(SHOPIFY_MAX_QUERY_COST, 400))
                .isEqualTo(new CatalogQueries.CollectionsPage(3, 250, 770));
    }
}
