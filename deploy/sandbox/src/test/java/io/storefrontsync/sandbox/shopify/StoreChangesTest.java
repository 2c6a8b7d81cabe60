package io.storefrontsync.sandbox.shopify;

import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every store change #14 patches, fired through {@code POST /_sim/shops/{shop}/events} with an
 * explicit target: the store (read back through Admin GraphQL) changed as the webhook announced,
 * and the webhook carries the REST fields Shopify documents for its topic.
 */
class StoreChangesTest {

    private static SimulatorFixture sim;
    private static HttpServer receiver;
    private static final List<JsonObject> received = new CopyOnWriteArrayList<>();
    private static final List<String> topics = new CopyOnWriteArrayList<>();
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        sim = new SimulatorFixture(SimulatorFixture.smallStore(12));
        receiver = sim.vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            topics.add(request.getHeader("X-Shopify-Topic"));
            received.add(new JsonObject(body.toString(StandardCharsets.UTF_8)));
            request.response().setStatusCode(200).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        token = sim.install().getString("access_token");
        for (String topic : StoreChanges.TOPICS) {
            JsonObject response = sim.graphql(token, "mutation($topic: WebhookSubscriptionTopic!, $uri: String!) { "
                            + "webhookSubscriptionCreate(topic: $topic, webhookSubscription: {uri: $uri, format: JSON}) { "
                            + "userErrors { message } } }",
                    new JsonObject().put("topic", WebhookPayloads.topicEnum(topic))
                            .put("uri", "http://127.0.0.1:" + receiver.actualPort() + "/webhooks"));
            assertThat(response.getJsonObject("data").getJsonObject("webhookSubscriptionCreate")
                    .getJsonArray("userErrors")).as(topic).isEmpty();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        receiver.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        sim.close();
    }

    @BeforeEach
    void clear() {
        received.clear();
        topics.clear();
    }

    /** Fires one event and answers the one webhook it delivered. */
    private static JsonObject fire(String topic, JsonObject targets) throws Exception {
        HttpResponse<String> response = post(targets.copy().put("topic", topic));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getInteger("delivered")).as(response.body()).isEqualTo(1);
        assertThat(topics).containsExactly(topic);
        JsonObject payload = received.get(0);
        received.clear();
        topics.clear();
        return payload;
    }

    private static HttpResponse<String> post(JsonObject event) throws Exception {
        return sim.postJson(sim.base() + "/_sim/shops/" + SimulatorFixture.SHOP + "/events", event);
    }

    private static JsonObject query(String query, JsonObject variables) throws Exception {
        JsonObject answer = sim.graphql(token, query, variables);
        assertThat(answer.getJsonArray("errors")).as(answer.encode()).isNull();
        return answer.getJsonObject("data");
    }

    private static JsonObject product(String id) throws Exception {
        return query("query($id: ID!) { product(id: $id) { id title updatedAt collections(first: 20) { nodes { id } } "
                + "variants(first: 10) { nodes { id price inventoryQuantity inventoryItem { id } } } } }",
                new JsonObject().put("id", id)).getJsonObject("product");
    }

    private static JsonObject firstProduct() throws Exception {
        String id = query("{ products(first: 1) { nodes { id } } }", null).getJsonObject("products")
                .getJsonArray("nodes").getJsonObject(0).getString("id");
        return product(id);
    }

    private static JsonArray locations() throws Exception {
        return query("{ locations(first: 50) { nodes { id name } } }", null).getJsonObject("locations").getJsonArray("nodes");
    }

    @Test
    void shouldChangeOneVariantsPriceAndNothingElse() throws Exception {
        JsonObject before = firstProduct();
        String variantId = before.getJsonObject("variants").getJsonArray("nodes").getJsonObject(1).getString("id");
        JsonObject payload = fire("products/update", new JsonObject().put("id", before.getString("id"))
                .put("change", "price").put("variantId", variantId).put("price", "12.3"));

        JsonObject after = product(before.getString("id"));
        assertThat(after.getString("title")).isEqualTo(before.getString("title"));
        assertThat(after.getString("updatedAt")).isNotEqualTo(before.getString("updatedAt"));
        assertThat(after.getJsonObject("variants").getJsonArray("nodes").getJsonObject(1).getString("price")).isEqualTo("12.30");
        assertThat(payload.getString("admin_graphql_api_id")).isEqualTo(before.getString("id"));
        assertThat(payload.getString("updated_at")).isEqualTo(after.getString("updatedAt"));
        assertThat(payload.getJsonArray("variants").getJsonObject(1).getString("price")).isEqualTo("12.30");
        assertThat(payload.getJsonArray("variants").getJsonObject(1).getString("admin_graphql_api_id")).isEqualTo(variantId);
        assertThat(payload.getJsonArray("variants").getJsonObject(0).getString("price"))
                .isEqualTo(before.getJsonObject("variants").getJsonArray("nodes").getJsonObject(0).getString("price"));
    }

    @Test
    void shouldChangeATitleAndNoPrice() throws Exception {
        JsonObject before = firstProduct();
        JsonObject payload = fire("products/update", new JsonObject().put("id", before.getString("id")).put("change", "title"));
        JsonObject after = product(before.getString("id"));
        assertThat(after.getString("title")).contains("(rev ").isEqualTo(payload.getString("title"));
        assertThat(after.getJsonObject("variants")).isEqualTo(before.getJsonObject("variants"));
    }

    @Test
    void shouldDeleteTheNamedProductAndItsMemberships() throws Exception {
        JsonObject created = fire("products/create", new JsonObject());
        String id = created.getString("admin_graphql_api_id");
        JsonObject product = product(id);
        assertThat(product.getString("title")).isEqualTo(created.getString("title"));
        String collection = product.getJsonObject("collections").getJsonArray("nodes").getJsonObject(0).getString("id");

        JsonObject payload = fire("products/delete", new JsonObject().put("id", id));
        assertThat(payload.fieldNames()).containsExactly("id");
        assertThat(payload.getLong("id")).isEqualTo(FixtureIds.numeric(id));
        assertThat(product(id)).isNull();
        JsonArray members = query("query($id: ID!) { collection(id: $id) { products(first: 250) { nodes { id } } } }",
                new JsonObject().put("id", collection)).getJsonObject("collection").getJsonObject("products").getJsonArray("nodes");
        assertThat(members.stream().map(m -> ((JsonObject) m).getString("id"))).doesNotContain(id);
        assertThat(post(new JsonObject().put("topic", "products/delete").put("id", id)).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldMoveOneInventoryLevelDisconnectAndReconnectIt() throws Exception {
        JsonObject product = firstProduct();
        JsonObject variant = product.getJsonObject("variants").getJsonArray("nodes").getJsonObject(0);
        String item = variant.getJsonObject("inventoryItem").getString("id");
        String location = locations().getJsonObject(1).getString("id");
        String levelQuery = "query($item: ID!, $location: ID!) { inventoryItem(id: $item) { inventoryLevel(locationId: $location) { "
                + "id quantities(names: [\"available\"]) { quantity } } } }";
        JsonObject ids = new JsonObject().put("item", item).put("location", location);
        int available = query(levelQuery, ids).getJsonObject("inventoryItem").getJsonObject("inventoryLevel")
                .getJsonArray("quantities").getJsonObject(0).getInteger("quantity");
        JsonObject target = new JsonObject().put("inventoryItemId", item).put("locationId", location);

        JsonObject update = fire("inventory_levels/update", target.copy().put("delta", -3));
        assertThat(update.getInteger("available")).isEqualTo(available - 3);
        assertThat(update.getLong("inventory_item_id")).isEqualTo(FixtureIds.numeric(item));
        assertThat(update.getLong("location_id")).isEqualTo(FixtureIds.numeric(location));
        assertThat(update.getString("updated_at")).isNotBlank();
        assertThat(product(product.getString("id")).getJsonObject("variants").getJsonArray("nodes").getJsonObject(0)
                .getInteger("inventoryQuantity")).isEqualTo(variant.getInteger("inventoryQuantity") - 3);

        JsonObject disconnect = fire("inventory_levels/disconnect", target);
        assertThat(disconnect.fieldNames()).containsExactly("inventory_item_id", "location_id");
        assertThat(query(levelQuery, ids).getJsonObject("inventoryItem").getValue("inventoryLevel")).isNull();
        assertThat(product(product.getString("id")).getJsonObject("variants").getJsonArray("nodes").getJsonObject(0)
                .getInteger("inventoryQuantity")).isEqualTo(variant.getInteger("inventoryQuantity") - available);
        assertThat(post(target.copy().put("topic", "inventory_levels/disconnect")).statusCode()).isEqualTo(404);

        JsonObject connect = fire("inventory_levels/connect", target.copy().put("available", 4));
        assertThat(connect.getInteger("available")).isEqualTo(4);
        assertThat(connect.getString("admin_graphql_api_id")).isEqualTo(
                "gid://shopify/InventoryLevel/" + FixtureIds.numeric(location) + "?inventory_item_id=" + FixtureIds.numeric(item));
        assertThat(query(levelQuery, ids).getJsonObject("inventoryItem").getJsonObject("inventoryLevel")
                .getJsonArray("quantities").getJsonObject(0).getInteger("quantity")).isEqualTo(4);
        assertThat(post(target.copy().put("topic", "inventory_levels/connect")).statusCode()).isEqualTo(409);
    }

    @Test
    void shouldCreateChangeMembershipOfAndDeleteACustomCollection() throws Exception {
        JsonObject product = firstProduct();
        String productId = product.getString("id");
        JsonObject created = fire("collections/create", new JsonObject().put("productIds", new JsonArray().add(productId)));
        String id = created.getString("admin_graphql_api_id");
        assertThat(created.getLong("id")).isEqualTo(FixtureIds.numeric(id));
        assertThat(created.fieldNames()).contains("handle", "title", "updated_at", "published_scope");
        String members = "query($id: ID!) { collection(id: $id) { title updatedAt productsCount { count } "
                + "products(first: 250) { nodes { id } } } }";
        JsonObject collection = query(members, new JsonObject().put("id", id)).getJsonObject("collection");
        assertThat(collection.getString("title")).isEqualTo(created.getString("title"));
        assertThat(collection.getJsonObject("products").getJsonArray("nodes")).containsExactly(new JsonObject().put("id", productId));

        JsonObject removed = fire("collections/update", new JsonObject().put("id", id).put("removeProductId", productId));
        collection = query(members, new JsonObject().put("id", id)).getJsonObject("collection");
        assertThat(collection.getJsonObject("products").getJsonArray("nodes")).isEmpty();
        assertThat(collection.getJsonObject("productsCount").getInteger("count")).isZero();
        assertThat(removed.getString("updated_at")).isEqualTo(collection.getString("updatedAt"))
                .isNotEqualTo(created.getString("updated_at"));
        // A membership change does not move the product's updated_at (Shopify's behaviour).
        assertThat(product(productId).getString("updatedAt")).isEqualTo(product.getString("updatedAt"));

        fire("collections/update", new JsonObject().put("id", id).put("addProductId", productId));
        assertThat(product(productId).getJsonObject("collections").getJsonArray("nodes"))
                .contains(new JsonObject().put("id", id));
        assertThat(post(new JsonObject().put("topic", "collections/update").put("id", id).put("addProductId", productId))
                .statusCode()).isEqualTo(409);

        JsonObject deleted = fire("collections/delete", new JsonObject().put("id", id));
        assertThat(deleted.fieldNames()).containsExactly("id", "published_scope", "admin_graphql_api_id");
        assertThat(query(members, new JsonObject().put("id", id)).getValue("collection")).isNull();
        assertThat(product(productId).getJsonObject("collections").getJsonArray("nodes"))
                .doesNotContain(new JsonObject().put("id", id));
    }

    @Test
    void shouldRefuseToPickTheMembersOfASmartCollection() throws Exception {
        JsonArray collections = query("{ collections(first: 50) { nodes { id ruleSet { appliedDisjunctively } } } }", null)
                .getJsonObject("collections").getJsonArray("nodes");
        String smart = collections.stream().map(JsonObject.class::cast).filter(c -> c.getValue("ruleSet") != null)
                .findFirst().orElseThrow().getString("id");
        HttpResponse<String> refused = post(new JsonObject().put("topic", "collections/update").put("id", smart)
                .put("addProductId", firstProduct().getString("id")));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("smart collection");
        assertThat(received).isEmpty();
    }

    @Test
    void shouldMoveASmartCollectionsMembersWithoutAWebhook() throws Exception {
        JsonArray collections = query("{ collections(first: 50) { nodes { id updatedAt ruleSet { appliedDisjunctively } } } }", null)
                .getJsonObject("collections").getJsonArray("nodes");
        JsonObject smart = collections.stream().map(JsonObject.class::cast).filter(c -> c.getValue("ruleSet") != null)
                .findFirst().orElseThrow();
        String custom = collections.stream().map(JsonObject.class::cast).filter(c -> c.getValue("ruleSet") == null)
                .findFirst().orElseThrow().getString("id");
        String members = "query($id: ID!) { collection(id: $id) { updatedAt products(first: 250) { nodes { id } } } }";
        JsonArray before = query(members, new JsonObject().put("id", smart.getString("id"))).getJsonObject("collection")
                .getJsonObject("products").getJsonArray("nodes");
        String outsider = query("{ products(first: 50) { nodes { id } } }", null).getJsonObject("products").getJsonArray("nodes")
                .stream().map(p -> ((JsonObject) p).getString("id"))
                .filter(id -> !before.contains(new JsonObject().put("id", id))).findFirst().orElseThrow();
        String url = sim.base() + "/_sim/shops/" + SimulatorFixture.SHOP + "/smart-collection-members";

        HttpResponse<String> added = sim.postJson(url, new JsonObject().put("id", smart.getString("id")).put("addProductId", outsider));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        JsonObject after = query(members, new JsonObject().put("id", smart.getString("id"))).getJsonObject("collection");
        assertThat(after.getJsonObject("products").getJsonArray("nodes")).hasSize(before.size() + 1)
                .contains(new JsonObject().put("id", outsider));
        assertThat(after.getString("updatedAt")).isEqualTo(smart.getString("updatedAt"));
        Thread.sleep(200);
        assertThat(received).as("Shopify sends no webhook for a rule-driven membership change").isEmpty();

        assertThat(sim.postJson(url, new JsonObject().put("id", smart.getString("id")).put("addProductId", outsider))
                .statusCode()).isEqualTo(409);
        assertThat(sim.postJson(url, new JsonObject().put("id", custom).put("addProductId", outsider)).statusCode())
                .isEqualTo(409);
        assertThat(sim.postJson(url, new JsonObject().put("id", smart.getString("id"))).statusCode()).isEqualTo(400);
        HttpResponse<String> removed = sim.postJson(url, new JsonObject().put("id", smart.getString("id"))
                .put("removeProductId", outsider));
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        assertThat(query(members, new JsonObject().put("id", smart.getString("id"))).getJsonObject("collection")
                .getJsonObject("products").getJsonArray("nodes")).isEqualTo(before);
    }

    @Test
    void shouldCreateRetitleAndDeleteADiscount() throws Exception {
        String nodeQuery = "query($id: ID!) { discountNode(id: $id) { id discount { ... on DiscountCodeBasic { title updatedAt } "
                + "... on DiscountAutomaticBasic { title updatedAt } ... on DiscountCodeFreeShipping { title updatedAt } } } }";
        JsonObject created = fire("discounts/create", new JsonObject());
        String id = created.getString("admin_graphql_api_id");
        assertThat(created.fieldNames()).containsExactly("admin_graphql_api_id", "title", "status", "created_at", "updated_at");
        JsonObject node = query(nodeQuery, new JsonObject().put("id", id)).getJsonObject("discountNode");
        assertThat(node.getJsonObject("discount").getString("title")).isEqualTo(created.getString("title"));

        JsonObject updated = fire("discounts/update", new JsonObject().put("id", id));
        node = query(nodeQuery, new JsonObject().put("id", id)).getJsonObject("discountNode");
        assertThat(node.getJsonObject("discount").getString("title")).contains("(rev ").isEqualTo(updated.getString("title"));
        assertThat(node.getJsonObject("discount").getString("updatedAt")).isEqualTo(updated.getString("updated_at"));

        JsonObject deleted = fire("discounts/delete", new JsonObject().put("id", id));
        assertThat(deleted.fieldNames()).containsExactly("admin_graphql_api_id", "deleted_at");
        assertThat(deleted.getString("admin_graphql_api_id")).isEqualTo(id);
        assertThat(query(nodeQuery, new JsonObject().put("id", id)).getValue("discountNode")).isNull();
        assertThat(post(new JsonObject().put("topic", "discounts/update").put("id", id)).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldRenameTheShop() throws Exception {
        JsonObject payload = fire("shop/update", new JsonObject());
        assertThat(query("{ shop { name } }", null).getJsonObject("shop").getString("name"))
                .contains("(rev ").isEqualTo(payload.getString("name"));
        assertThat(payload.getString("myshopify_domain")).isEqualTo(SimulatorFixture.SHOP);
    }

    @Test
    void shouldCreateRenameAndDeleteALocationButNotOneThatStocksInventory() throws Exception {
        int before = locations().size();
        JsonObject created = fire("locations/create", new JsonObject());
        String id = created.getString("admin_graphql_api_id");
        assertThat(created.getLong("id")).isEqualTo(FixtureIds.numeric(id));
        assertThat(created.fieldNames()).contains("name", "address1", "city", "country_code", "active", "updated_at");
        assertThat(locations()).hasSize(before + 1).contains(new JsonObject().put("id", id).put("name", created.getString("name")));

        JsonObject renamed = fire("locations/update", new JsonObject().put("id", id));
        assertThat(renamed.getString("name")).contains("(rev ");
        assertThat(locations()).contains(new JsonObject().put("id", id).put("name", renamed.getString("name")));

        HttpResponse<String> stocked = post(new JsonObject().put("topic", "locations/delete")
                .put("id", locations().getJsonObject(0).getString("id")));
        assertThat(stocked.statusCode()).isEqualTo(409);

        JsonObject deleted = fire("locations/delete", new JsonObject().put("id", id));
        assertThat(deleted).isEqualTo(new JsonObject().put("id", FixtureIds.numeric(id)));
        assertThat(locations()).hasSize(before);
    }

    @Test
    void shouldAnswerClearErrorsForBadTargets() throws Exception {
        assertThat(post(new JsonObject().put("topic", "products/update").put("id", "gid://shopify/Product/1")).statusCode())
                .isEqualTo(404);
        assertThat(post(new JsonObject().put("topic", "products/update").put("change", "colour")).statusCode()).isEqualTo(400);
        assertThat(post(new JsonObject().put("topic", "collections/update").put("addProductId", "x")).statusCode()).isEqualTo(400);
        JsonObject variant = firstProduct().getJsonObject("variants").getJsonArray("nodes").getJsonObject(0);
        assertThat(post(new JsonObject().put("topic", "inventory_levels/update")
                .put("inventoryItemId", variant.getJsonObject("inventoryItem").getString("id"))
                .put("locationId", locations().getJsonObject(0).getString("id")).put("delta", "many")).statusCode())
                .isEqualTo(400);
        assertThat(received).isEmpty();
    }
}
