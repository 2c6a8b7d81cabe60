package io.storefrontsync.sandbox.shopify;

import io.storefrontsync.common.signature.ShopifyWebhookVerifier;
import io.storefrontsync.common.signature.SignatureVerificationException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookDeliveryTest {

    record Received(Map<String, String> headers, byte[] body) {
    }

    private static SimulatorFixture sim;
    private static HttpServer receiver;
    private static final List<Received> received = new CopyOnWriteArrayList<>();
    /** How many of the next requests the receiver fails with 500. */
    private static final AtomicInteger failNext = new AtomicInteger();
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        sim = new SimulatorFixture(SimulatorFixture.smallStore(20)
                .withWebhookRetries(3, Duration.ofMillis(50), Duration.ofSeconds(2)));
        receiver = sim.vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            request.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
            received.add(new Received(headers, body.getBytes()));
            request.response().setStatusCode(failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 200).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        token = sim.install().getString("access_token");
        subscribe("PRODUCTS_UPDATE");
        subscribe("PRODUCTS_DELETE");
        subscribe("APP_UNINSTALLED");
    }

    private static void subscribe(String topic) throws Exception {
        JsonObject response = sim.graphql(token, "mutation($topic: WebhookSubscriptionTopic!, $uri: String!) { "
                        + "webhookSubscriptionCreate(topic: $topic, webhookSubscription: {uri: $uri, format: JSON}) { "
                        + "webhookSubscription { id } userErrors { message } } }",
                new JsonObject().put("topic", topic).put("uri", "http://127.0.0.1:" + receiver.actualPort() + "/webhooks"));
        assertThat(response.getJsonObject("data").getJsonObject("webhookSubscriptionCreate")
                .getJsonArray("userErrors")).isEmpty();
    }

    @AfterAll
    static void stop() throws Exception {
        receiver.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        sim.close();
    }

    @BeforeEach
    void clear() {
        received.clear();
        failNext.set(0);
    }

    private JsonObject fire(String topic, int count) throws Exception {
        var response = sim.postJson(sim.base() + "/_sim/shops/" + SimulatorFixture.SHOP + "/events",
                new JsonObject().put("topic", topic).put("count", count));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    @Test
    void shouldDeliverSignedProductUpdatesAndChangeTheStore() throws Exception {
        JsonObject answer = fire("products/update", 2);
        assertThat(answer.getInteger("delivered")).isEqualTo(2);
        assertThat(answer.getInteger("failed")).isZero();
        assertThat(received).hasSize(2);
        JsonArray events = answer.getJsonArray("events");
        assertThat(events.getJsonObject(0).getString("eventId")).isNotEqualTo(events.getJsonObject(1).getString("eventId"));

        Received webhook = received.get(0);
        assertThat(webhook.headers().get("Content-Type")).startsWith("application/json");
        assertThat(webhook.headers().get("X-Shopify-Topic")).isEqualTo("products/update");
        assertThat(webhook.headers().get("X-Shopify-Shop-Domain")).isEqualTo(SimulatorFixture.SHOP);
        assertThat(webhook.headers().get("X-Shopify-API-Version")).isEqualTo("2026-07");
        assertThat(webhook.headers().get("X-Shopify-Webhook-Id")).matches("[0-9a-f-]{36}");
        assertThat(webhook.headers().get("X-Shopify-Event-Id")).matches("[0-9a-f-]{36}");
        assertThat(Instant.parse(webhook.headers().get("X-Shopify-Triggered-At"))).isBefore(Instant.now().plusSeconds(1));
        // Verified from Shopify's docs, independently of the simulator's Signatures:
        assertThat(webhook.headers().get("X-Shopify-Hmac-Sha256")).isEqualTo(base64Hmac(webhook.body(), SimulatorFixture.SECRET));
        assertThat(webhook.headers().get("X-Shopify-Hmac-Sha256")).isNotEqualTo(base64Hmac(webhook.body(), "wrong-secret"));
        // ...and the gateway's verifier (common) accepts it, and refuses it under another secret.
        ShopifyWebhookVerifier.verify(webhook.body(), webhook.headers().get("X-Shopify-Hmac-Sha256"), SimulatorFixture.SECRET);
        assertThatThrownBy(() -> ShopifyWebhookVerifier.verify(webhook.body(),
                webhook.headers().get("X-Shopify-Hmac-Sha256"), "wrong-secret"))
                .isInstanceOf(SignatureVerificationException.class);

        JsonObject product = new JsonObject(new String(webhook.body(), StandardCharsets.UTF_8));
        assertThat(product.getLong("id")).isPositive();
        assertThat(product.getString("admin_graphql_api_id")).isEqualTo("gid://shopify/Product/" + product.getLong("id"));
        assertThat(product.getString("title")).contains("(rev ");
        assertThat(product.getString("updated_at")).startsWith("2026-01-01T00:0");
        assertThat(product.getJsonArray("variants")).hasSize(3);

        JsonObject viaGraphQL = sim.graphql(token, "query($id: ID!) { product(id: $id) { title updatedAt } }",
                new JsonObject().put("id", product.getString("admin_graphql_api_id")));
        assertThat(viaGraphQL.getJsonObject("data").getJsonObject("product").getString("title"))
                .isEqualTo(product.getString("title"));
    }

    @Test
    void shouldRetryFailedDeliveriesWithTheSameIds() throws Exception {
        failNext.set(1);
        JsonObject answer = fire("products/update", 1);
        assertThat(answer.getInteger("delivered")).isEqualTo(1);
        assertThat(answer.getJsonArray("events").getJsonObject(0).getInteger("attempts")).isEqualTo(2);
        assertThat(received).hasSize(2);
        assertThat(received.get(1).headers().get("X-Shopify-Webhook-Id")).isEqualTo(received.get(0).headers().get("X-Shopify-Webhook-Id"));
        assertThat(received.get(1).headers().get("X-Shopify-Event-Id")).isEqualTo(received.get(0).headers().get("X-Shopify-Event-Id"));

        failNext.set(10);
        JsonObject failed = fire("products/update", 1);
        assertThat(failed.getInteger("failed")).isEqualTo(1);
        assertThat(failed.getJsonArray("events").getJsonObject(0).getInteger("attempts")).isEqualTo(3);
        assertThat(sim.state().getJsonObject("stats").getLong("webhooksFailed")).isGreaterThanOrEqualTo(1L);
    }

    @Test
    void shouldDeleteProductsAndCountThem() throws Exception {
        int before = new JsonObject(sim.get(sim.base() + "/_sim/shops/" + SimulatorFixture.SHOP + "/products/count").body())
                .getInteger("count");
        JsonObject answer = fire("products/delete", 1);
        assertThat(answer.getInteger("delivered")).isEqualTo(1);
        JsonObject payload = new JsonObject(new String(received.get(0).body(), StandardCharsets.UTF_8));
        assertThat(payload.fieldNames()).containsExactly("id");
        int after = new JsonObject(sim.get(sim.base() + "/_sim/shops/" + SimulatorFixture.SHOP + "/products/count").body())
                .getInteger("count");
        assertThat(after).isEqualTo(before - 1);
        JsonObject gone = sim.graphql(token, "query($id: ID!) { product(id: $id) { id } }",
                new JsonObject().put("id", "gid://shopify/Product/" + payload.getLong("id")));
        assertThat(gone.getJsonObject("data").getValue("product")).isNull();
        // Events without a subscription still change the store.
        JsonObject created = fire("products/create", 2);
        assertThat(created.getInteger("changes")).isEqualTo(2);
        assertThat(created.getJsonArray("events").getJsonObject(0).getString("status")).isEqualTo("no_subscription");
    }

    @Test
    void shouldRevokeTokensOnUninstall() throws Exception {
        String ownToken = sim.install().getString("access_token");
        JsonObject answer = fire("app/uninstalled", 1);
        assertThat(answer.getInteger("delivered")).isEqualTo(1);
        assertThat(received.get(0).headers().get("X-Shopify-Topic")).isEqualTo("app/uninstalled");
        assertThat(sim.graphqlRaw(ownToken, new JsonObject().put("query", "{ shop { id } }")).statusCode()).isEqualTo(401);
        assertThat(sim.state().getJsonArray("subscriptions")).isEmpty();
        // Reinstall for the other tests.
        token = sim.install().getString("access_token");
        subscribe("PRODUCTS_UPDATE");
        subscribe("PRODUCTS_DELETE");
        subscribe("APP_UNINSTALLED");
    }

    @Test
    void shouldReportInventoryChangesWithTheGraphQLLevelId() throws Exception {
        subscribe("INVENTORY_LEVELS_UPDATE");
        JsonObject answer = fire("inventory_levels/update", 1);
        assertThat(answer.getInteger("delivered")).isEqualTo(1);
        JsonObject payload = new JsonObject(new String(received.get(0).body(), StandardCharsets.UTF_8));
        JsonObject item = sim.graphql(token, "query($id: ID!) { inventoryItem(id: $id) { inventoryLevels(first: 5) { "
                        + "nodes { id quantities(names: [\"available\"]) { quantity } } } } }",
                new JsonObject().put("id", "gid://shopify/InventoryItem/" + payload.getLong("inventory_item_id")))
                .getJsonObject("data").getJsonObject("inventoryItem");
        JsonArray levels = item.getJsonObject("inventoryLevels").getJsonArray("nodes");
        JsonObject level = levels.stream().map(JsonObject.class::cast)
                .filter(l -> l.getString("id").equals(payload.getString("admin_graphql_api_id")))
                .findFirst().orElseThrow();
        assertThat(level.getJsonArray("quantities").getJsonObject(0).getInteger("quantity"))
                .isEqualTo(payload.getInteger("available"));
    }

    @Test
    void shouldSendComplianceWebhooksToTheGivenUri() throws Exception {
        String uri = "http://127.0.0.1:" + receiver.actualPort() + "/compliance";
        var response = sim.postJson(sim.base() + "/_sim/shops/" + SimulatorFixture.SHOP + "/events",
                new JsonObject().put("topic", "customers/redact").put("uri", uri));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).headers().get("X-Shopify-Topic")).isEqualTo("customers/redact");
        JsonObject payload = new JsonObject(new String(received.get(0).body(), StandardCharsets.UTF_8));
        assertThat(payload.getString("shop_domain")).isEqualTo(SimulatorFixture.SHOP);
        assertThat(payload.getJsonObject("customer").getString("email")).endsWith("@example.com");
        assertThat(payload.getJsonArray("orders_to_redact")).hasSize(1);

        var withoutUri = sim.postJson(sim.base() + "/_sim/shops/" + SimulatorFixture.SHOP + "/events",
                new JsonObject().put("topic", "shop/redact"));
        assertThat(withoutUri.statusCode()).isEqualTo(400);
    }

    private static String base64Hmac(byte[] body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body));
    }
}
