package io.storefrontsync.sandbox.shopify;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AdminGraphQLTest {

    private static final int PRODUCTS = 57;
    private static SimulatorFixture sim;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        sim = new SimulatorFixture(SimulatorFixture.smallStore(PRODUCTS));
        token = sim.install().getString("access_token");
    }

    @AfterAll
    static void stop() throws Exception {
        sim.close();
    }

    @Test
    void shouldAnswerShopQueryWithCost() throws Exception {
        JsonObject response = sim.graphql(token,
                "{ shop { id name myshopifyDomain currencyCode primaryDomain { host url } plan { publicDisplayName } } }");
        JsonObject shop = response.getJsonObject("data").getJsonObject("shop");
        assertThat(shop.getString("myshopifyDomain")).isEqualTo(SimulatorFixture.SHOP);
        assertThat(shop.getString("id")).startsWith("gid://shopify/Shop/");
        assertThat(shop.getJsonObject("primaryDomain").getString("host")).isEqualTo("test-shop.example");
        JsonObject cost = response.getJsonObject("extensions").getJsonObject("cost");
        // shop 1 + primaryDomain 1 + plan 1
        assertThat(cost.getInteger("requestedQueryCost")).isEqualTo(3);
        assertThat(cost.getInteger("actualQueryCost")).isEqualTo(3);
        assertThat(cost.getJsonObject("throttleStatus").getDouble("maximumAvailable")).isEqualTo(1000.0);
    }

    @Test
    void shouldRejectUnknownFieldLikeShopify() throws Exception {
        JsonObject response = sim.graphql(token, "{ products(first: 5) { edges { node { id titel } } } }");
        assertThat(response.containsKey("data")).isFalse();
        JsonObject error = response.getJsonArray("errors").getJsonObject(0);
        assertThat(error.getString("message")).isEqualTo("Field 'titel' doesn't exist on type 'Product'");
        assertThat(error.getJsonObject("extensions").getString("code")).isEqualTo("undefinedField");
        assertThat(error.getJsonObject("extensions").getString("typeName")).isEqualTo("Product");
        assertThat(error.getJsonArray("path").getList()).containsExactly("query", "products", "edges", "node", "titel");
        assertThat(error.getJsonArray("locations").getJsonObject(0).getInteger("line")).isEqualTo(1);
    }

    @Test
    void shouldRejectPageSizeAbove250() throws Exception {
        JsonObject response = sim.graphql(token, "{ products(first: 251) { nodes { id } } }");
        assertThat(response.containsKey("data")).isFalse();
        JsonObject error = response.getJsonArray("errors").getJsonObject(0);
        assertThat(error.getString("message")).contains("first").contains("250");
        assertThat(error.getJsonArray("path").getList()).containsExactly("query", "products");
    }

    @Test
    void shouldAnswerSyntaxErrorsAndMissingQueryLikeShopify() throws Exception {
        JsonObject response = sim.graphql(token, "{ shop { id ");
        assertThat(response.getJsonArray("errors").getJsonObject(0).getString("message")).startsWith("Parse error on");
        HttpResponse<String> missing = sim.graphqlRaw(token, new JsonObject().put("variables", new JsonObject()));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(missing.body()).getJsonObject("errors").getString("query"))
                .isEqualTo("Required parameter missing or invalid");
    }

    @Test
    void shouldLookUpNodesByIdAndSetResponseHeaders() throws Exception {
        JsonObject first = sim.graphql(token, "{ products(first: 2) { nodes { id variants(first: 1) { nodes { id } } } } }")
                .getJsonObject("data").getJsonObject("products");
        String productId = first.getJsonArray("nodes").getJsonObject(0).getString("id");
        String variantId = first.getJsonArray("nodes").getJsonObject(1).getJsonObject("variants")
                .getJsonArray("nodes").getJsonObject(0).getString("id");
        HttpResponse<String> raw = sim.graphqlRaw(token, new JsonObject()
                .put("query", "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Product { title } "
                        + "... on ProductVariant { sku } } }")
                .put("variables", new JsonObject().put("ids", new JsonArray().add(productId).add(variantId)
                        .add("gid://shopify/Product/1"))));
        assertThat(raw.headers().firstValue("X-Shopify-API-Version")).hasValue("2026-07");
        assertThat(raw.headers().firstValue("X-Request-Id")).isPresent();
        JsonArray nodes = new JsonObject(raw.body()).getJsonObject("data").getJsonArray("nodes");
        assertThat(nodes.getJsonObject(0).getString("__typename")).isEqualTo("Product");
        assertThat(nodes.getJsonObject(0).getString("title")).isNotBlank();
        assertThat(nodes.getJsonObject(1).getString("sku")).startsWith("SKU-");
        assertThat(nodes.getValue(2)).isNull();
    }

    @Test
    void shouldRequireFirstOrLast() throws Exception {
        JsonObject response = sim.graphql(token, "{ products { nodes { id } } }");
        assertThat(response.getJsonArray("errors").getJsonObject(0).getString("message"))
                .isEqualTo("you must provide one of first or last");
    }

    @Test
    void shouldRefuseQueriesAbove1000Points() throws Exception {
        // 2 + 250 × (1 + (2 + 10 × 1)) = 3252
        JsonObject response = sim.graphql(token,
                "{ products(first: 250) { nodes { id variants(first: 10) { nodes { id } } } } }");
        JsonObject error = response.getJsonArray("errors").getJsonObject(0);
        assertThat(error.getJsonObject("extensions").getString("code")).isEqualTo("MAX_COST_EXCEEDED");
        assertThat(error.getJsonObject("extensions").getInteger("cost")).isEqualTo(3252);
        assertThat(error.getJsonObject("extensions").getInteger("maxCost")).isEqualTo(1000);
        assertThat(error.getString("message")).startsWith("Query cost is 3252, which exceeds the single query max cost limit (1000).");
        assertThat(response.getJsonObject("extensions").getJsonObject("cost").getValue("actualQueryCost")).isNull();
    }

    @Test
    void shouldComputeRequestedAndActualCostByHand() throws Exception {
        // requested: products 2 + 10 × (node 1 + variants (2 + 3 × (node 1 + inventoryItem 1)) + metafields (2 + 5 × 1))
        //          = 2 + 10 × (1 + 8 + 7) = 162
        // actual, with 3 variants and 2 metafields per product, 10 products returned:
        //          = 2 + 10 × (1 + (2 + 3 × 2) + (2 + 2)) = 162 - 10 × 3 = 132
        String query = "{ products(first: 10) { edges { cursor node { id title "
                + "variants(first: 3) { nodes { id price inventoryItem { id tracked } } } "
                + "metafields(first: 5, namespace: \"custom\") { nodes { key value type } } } } "
                + "pageInfo { hasNextPage endCursor } } }";
        JsonObject response = sim.graphql(token, query);
        assertThat(response.containsKey("errors")).isFalse();
        JsonObject cost = response.getJsonObject("extensions").getJsonObject("cost");
        assertThat(cost.getInteger("requestedQueryCost")).isEqualTo(162);
        assertThat(cost.getInteger("actualQueryCost")).isEqualTo(132);
    }

    @Test
    void shouldPageThroughEveryProductExactlyOnce() throws Exception {
        Set<String> seen = new HashSet<>();
        int pages = 0;
        String after = null;
        int variantsSeen = 0;
        do {
            JsonObject variables = new JsonObject().put("after", after);
            JsonObject response = sim.graphql(token, "query Page($after: String) { products(first: 10, after: $after) { "
                    + "edges { cursor node { id variants(first: 2) { pageInfo { hasNextPage endCursor } nodes { id } } } } "
                    + "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }", variables);
            JsonObject products = response.getJsonObject("data").getJsonObject("products");
            JsonArray edges = products.getJsonArray("edges");
            for (int i = 0; i < edges.size(); i++) {
                JsonObject node = edges.getJsonObject(i).getJsonObject("node");
                assertThat(seen.add(node.getString("id"))).as("duplicate %s", node.getString("id")).isTrue();
                variantsSeen += countVariants(node);
            }
            JsonObject pageInfo = products.getJsonObject("pageInfo");
            assertThat(pageInfo.getBoolean("hasPreviousPage")).isEqualTo(pages > 0);
            after = pageInfo.getBoolean("hasNextPage") ? pageInfo.getString("endCursor") : null;
            pages++;
        } while (after != null);
        assertThat(seen).hasSize(PRODUCTS);
        assertThat(pages).isEqualTo(6);
        assertThat(variantsSeen).isEqualTo(PRODUCTS * 3);

        // The control API's view of the store (used by end-to-end tests) holds the same products.
        JsonArray held = new JsonObject(sim.get(sim.base() + "/_sim/shops/" + SimulatorFixture.SHOP + "/products").body())
                .getJsonArray("products");
        Set<String> heldIds = new HashSet<>();
        for (int i = 0; i < held.size(); i++) {
            heldIds.add(held.getJsonObject(i).getString("id"));
        }
        assertThat(heldIds).isEqualTo(seen);
    }

    /** Pages through one product's variants two at a time via node(id:). */
    private int countVariants(JsonObject product) throws Exception {
        JsonObject variants = product.getJsonObject("variants");
        int count = variants.getJsonArray("nodes").size();
        String after = variants.getJsonObject("pageInfo").getBoolean("hasNextPage")
                ? variants.getJsonObject("pageInfo").getString("endCursor") : null;
        while (after != null) {
            JsonObject response = sim.graphql(token, "query($id: ID!, $after: String) { product(id: $id) { "
                    + "variants(first: 2, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } } }",
                    new JsonObject().put("id", product.getString("id")).put("after", after));
            JsonObject page = response.getJsonObject("data").getJsonObject("product").getJsonObject("variants");
            count += page.getJsonArray("nodes").size();
            after = page.getJsonObject("pageInfo").getBoolean("hasNextPage")
                    ? page.getJsonObject("pageInfo").getString("endCursor") : null;
        }
        return count;
    }

    @Test
    void shouldPageBackwardsWithLastAndBefore() throws Exception {
        JsonObject last = sim.graphql(token, "{ products(last: 3) { nodes { id } pageInfo { hasPreviousPage hasNextPage startCursor } } }")
                .getJsonObject("data").getJsonObject("products");
        assertThat(last.getJsonArray("nodes")).hasSize(3);
        assertThat(last.getJsonObject("pageInfo").getBoolean("hasPreviousPage")).isTrue();
        assertThat(last.getJsonObject("pageInfo").getBoolean("hasNextPage")).isFalse();
        JsonObject before = sim.graphql(token, "query($c: String) { products(last: 2, before: $c) { nodes { id } } }",
                new JsonObject().put("c", last.getJsonObject("pageInfo").getString("startCursor")))
                .getJsonObject("data").getJsonObject("products");
        assertThat(before.getJsonArray("nodes")).hasSize(2);
    }

    @Test
    void shouldServeInventoryLevelsDiscountsCollectionsAndPlaceholders() throws Exception {
        String query = "{ products(first: 1) { nodes { id status tags seo { title } category { id } "
                + "collections(first: 5) { nodes { id title } } "
                + "variants(first: 1) { nodes { selectedOptions { name value } inventoryItem { "
                + "inventoryLevels(first: 5) { edges { node { id location { id name } "
                + "quantities(names: [\"available\", \"on_hand\"]) { name quantity } } } } } } } } } "
                + "locations(first: 5) { nodes { id name } } "
                + "collections(first: 5) { nodes { id title handle products(first: 2) { nodes { id } } } } "
                + "discountNodes(first: 5) { nodes { id discount { __typename "
                + "... on DiscountCodeBasic { title codes(first: 1) { nodes { code } } } "
                + "... on DiscountAutomaticBasic { title startsAt } } } } }";
        JsonObject response = sim.graphql(token, query);
        assertThat(response.containsKey("errors")).as(response.encodePrettily()).isFalse();
        JsonObject data = response.getJsonObject("data");
        JsonObject product = data.getJsonObject("products").getJsonArray("nodes").getJsonObject(0);
        assertThat(product.getJsonObject("seo").getString("title")).isNull();
        JsonArray levels = product.getJsonObject("variants").getJsonArray("nodes").getJsonObject(0)
                .getJsonObject("inventoryItem").getJsonObject("inventoryLevels").getJsonArray("edges");
        assertThat(levels).hasSize(2);
        JsonArray quantities = levels.getJsonObject(0).getJsonObject("node").getJsonArray("quantities");
        assertThat(quantities.getJsonObject(0).getString("name")).isEqualTo("available");
        assertThat(quantities.getJsonObject(1).getString("name")).isEqualTo("on_hand");
        assertThat(data.getJsonObject("locations").getJsonArray("nodes")).hasSize(2);
        assertThat(data.getJsonObject("collections").getJsonArray("nodes")).hasSize(4);
        JsonArray discounts = data.getJsonObject("discountNodes").getJsonArray("nodes");
        assertThat(discounts).hasSize(5);
        assertThat(discounts.getJsonObject(0).getJsonObject("discount").getString("__typename")).isEqualTo("DiscountCodeBasic");
        assertThat(discounts.getJsonObject(0).getJsonObject("discount").getJsonObject("codes").getJsonArray("nodes")
                .getJsonObject(0).getString("code")).startsWith("SAVE");
    }

    @Test
    void shouldRejectMissingOrWrongTokenAndUnknownVersionOrShop() throws Exception {
        HttpResponse<String> missing = sim.graphqlRaw(null, new JsonObject().put("query", "{ shop { id } }"));
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(new JsonObject(missing.body()).getString("errors")).isEqualTo(ShopifyErrors.INVALID_TOKEN);
        assertThat(sim.graphqlRaw("shpat_wrong", new JsonObject().put("query", "{ shop { id } }")).statusCode()).isEqualTo(401);
        HttpResponse<String> badVersion = sim.post(sim.shopUrl() + "/admin/api/2019-13/graphql.json", "application/json",
                "{\"query\":\"{ shop { id } }\"}");
        assertThat(badVersion.statusCode()).isEqualTo(404);
        HttpResponse<String> unknownShop = sim.post(sim.base() + "/nobody.myshopify.com/admin/api/2026-07/graphql.json",
                "application/json", "{\"query\":\"{ shop { id } }\"}");
        assertThat(unknownShop.statusCode()).isEqualTo(404);
    }

    @Test
    void shouldCreateListAndDeleteWebhookSubscriptions() throws Exception {
        String create = "mutation($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) { "
                + "webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) { "
                + "webhookSubscription { id topic uri format } userErrors { field message } } }";
        JsonObject variables = new JsonObject().put("topic", "COLLECTIONS_DELETE")
                .put("sub", new JsonObject().put("uri", "https://app.example/shopify/webhook").put("format", "JSON"));
        JsonObject created = sim.graphql(token, create, variables);
        assertThat(created.getJsonObject("extensions").getJsonObject("cost").getInteger("requestedQueryCost")).isEqualTo(10);
        JsonObject subscription = created.getJsonObject("data").getJsonObject("webhookSubscriptionCreate")
                .getJsonObject("webhookSubscription");
        assertThat(subscription.getString("topic")).isEqualTo("COLLECTIONS_DELETE");
        JsonObject again = sim.graphql(token, create, variables).getJsonObject("data").getJsonObject("webhookSubscriptionCreate");
        assertThat(again.getJsonArray("userErrors").getJsonObject(0).getString("message"))
                .isEqualTo("Address for this topic has already been taken");
        JsonObject listed = sim.graphql(token, "{ webhookSubscriptions(first: 10, topics: [COLLECTIONS_DELETE]) { nodes { id uri } } }");
        assertThat(listed.getJsonObject("data").getJsonObject("webhookSubscriptions").getJsonArray("nodes")).hasSize(1);
        JsonObject deleted = sim.graphql(token, "mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { message } } }",
                new JsonObject().put("id", subscription.getString("id")));
        assertThat(deleted.getJsonObject("data").getJsonObject("webhookSubscriptionDelete").getString("deletedWebhookSubscriptionId"))
                .isEqualTo(subscription.getString("id"));
    }
}
