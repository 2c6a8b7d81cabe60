package io.storefrontsync.gateway.webhook;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.storefrontsync.common.signature.ShopifyOAuthQueryVerifier;
import io.storefrontsync.common.signature.ShopifyWebhookVerifier;
import io.storefrontsync.gateway.support.GatewayDb;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = WorkerReceiver.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ShopifyWebhookRouteTest {

    /** Health, metrics and the OpenAPI document are on the management interface (a free port in tests). */
    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    @Inject
    Pool pool;

    @ConfigProperty(name = "gateway.shopify.api-secret")
    String secret;

    GatewayDb db;
    String shop;
    UUID user;

    @BeforeEach
    void knownShop() {
        db = new GatewayDb(pool);
        shop = GatewayDb.uniqueShop();
        user = db.activeConnection(shop);
    }

    @Test
    void shouldStoreAValidWebhookWithOneOutboxRow() {
        String eventId = UUID.randomUUID().toString();
        byte[] body = product(42);

        deliver(body, headers("products/update", eventId)).statusCode(200).body("status", is("stored"));

        List<Row> rows = outboxRows(eventId);
        assertThat(rows).hasSize(1);
        JsonObject payload = new JsonObject(rows.get(0).getString("payload"));
        assertThat(payload.getString("source")).isEqualTo("SHOPIFY");
        assertThat(payload.getString("topic")).isEqualTo("products/update");
        assertThat(payload.getString("shop")).isEqualTo(shop);
        assertThat(payload.getString("userId")).isEqualTo(user.toString());
        assertThat(payload.getString("resourceId")).isEqualTo("gid://shopify/Product/42");
        assertThat(db.count("SELECT count(*) FROM gateway.webhook_receipts WHERE dedupe_key = $1", "shopify:" + eventId))
                .isEqualTo(1);
    }

    @Test
    void shouldStoreADuplicateEventIdOnlyOnce() {
        String eventId = UUID.randomUUID().toString();
        byte[] body = product(7);

        deliver(body, headers("products/update", eventId)).statusCode(200).body("status", is("stored"));
        // Shopify's retries carry a new webhook id but the same event id.
        deliver(body, headers("products/update", eventId)).statusCode(200).body("status", is("duplicate"));
        deliver(body, headers("products/update", eventId)).statusCode(200).body("status", is("duplicate"));

        assertThat(outboxRows(eventId)).hasSize(1);
    }

    @Test
    void shouldDeduplicateByWebhookIdWhenThereIsNoEventId() {
        Map<String, String> headers = headers("products/create", null);
        String webhookId = headers.get(ShopifyWebhook.WEBHOOK_ID);

        deliver(product(8), headers).statusCode(200).body("status", is("stored"));
        deliver(product(8), headers).statusCode(200).body("status", is("duplicate"));

        assertThat(outboxRows(webhookId)).hasSize(1);
    }

    @Test
    void concurrentTwinsOfOneEventShouldBeStoredExactlyOnce() throws Exception {
        String eventId = UUID.randomUUID().toString();
        byte[] body = product(11);
        Map<String, String> headers = headers("products/update", eventId);
        int twins = 16;
        ExecutorService pool = Executors.newFixedThreadPool(twins);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < twins; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return deliver(body, headers).statusCode(200).extract().path("status");
                }));
            }
            start.countDown();
            List<String> statuses = new ArrayList<>();
            for (Future<String> answer : answers) {
                statuses.add(answer.get(60, TimeUnit.SECONDS));
            }

            assertThat(statuses).containsOnly("stored", "duplicate").containsOnlyOnce("stored");
        } finally {
            pool.shutdownNow();
        }
        assertThat(outboxRows(eventId)).hasSize(1);
        assertThat(db.count("SELECT count(*) FROM gateway.webhook_receipts WHERE dedupe_key = $1", "shopify:" + eventId))
                .isEqualTo(1);
    }

    @Test
    void shouldIgnoreWebhooksForAShopThatMustReinstall() {
        db.query("UPDATE gateway.shopify_connections SET status = 'needs_reinstall' WHERE shop = $1", shop);
        String eventId = UUID.randomUUID().toString();

        deliver(product(12), headers("products/update", eventId)).statusCode(200).body("status", is("ignored"));

        assertNothingStored(eventId);
    }

    @Test
    void shouldRejectABadHmacWith401AndStoreNothing() {
        String eventId = UUID.randomUUID().toString();
        Map<String, String> headers = headers("products/update", eventId);
        headers.put(ShopifyWebhook.HMAC, ShopifyWebhookVerifier.sign(product(1), "not-the-secret"));

        given().headers(headers).contentType("application/json").body(product(1))
                .post("/shopify/webhook").then().statusCode(401).body("error", is("invalid_hmac"))
                .body("message", containsString("HMAC"));

        assertNothingStored(eventId);
    }

    @Test
    void shouldRejectATamperedBodyWith401() {
        String eventId = UUID.randomUUID().toString();
        Map<String, String> headers = headers("products/update", eventId);
        headers.put(ShopifyWebhook.HMAC, ShopifyWebhookVerifier.sign(product(1), secret));

        given().headers(headers).contentType("application/json").body(product(2))
                .post("/shopify/webhook").then().statusCode(401);

        assertNothingStored(eventId);
    }

    @Test
    void shouldCheckTheHmacBeforeTheOtherHeaders() {
        Map<String, String> headers = headers("products/update", UUID.randomUUID().toString());
        headers.remove(ShopifyWebhook.TOPIC);
        headers.put(ShopifyWebhook.HMAC, ShopifyWebhookVerifier.sign(product(1), "not-the-secret"));

        given().headers(headers).contentType("application/json").body(product(1))
                .post("/shopify/webhook").then().statusCode(401);
    }

    @Test
    void shouldAnswer400WithoutAnHmacHeaderLikeShopifysLibrary() {
        String eventId = UUID.randomUUID().toString();
        Map<String, String> headers = headers("products/update", eventId);
        headers.remove(ShopifyWebhook.HMAC);

        given().headers(headers).contentType("application/json").body(product(1))
                .post("/shopify/webhook").then().statusCode(400).body("error", is("missing_hmac"));

        assertNothingStored(eventId);
    }

    @Test
    void shouldAnswer400ForEachMissingRequiredHeader() {
        for (String required : List.of(ShopifyWebhook.TOPIC, ShopifyWebhook.SHOP_DOMAIN, ShopifyWebhook.API_VERSION,
                ShopifyWebhook.WEBHOOK_ID)) {
            String eventId = UUID.randomUUID().toString();
            Map<String, String> headers = headers("products/update", eventId);
            headers.remove(required);

            deliver(product(3), headers).statusCode(400).body("error", is("missing_headers"))
                    .body("message", containsString(required));
            assertNothingStored(eventId);
        }
    }

    @Test
    void shouldAnswer400ForAShopDomainOutsideMyshopify() {
        for (String bad : List.of("evil.example", "x.myshopify.com.evil.tld")) {
            String eventId = UUID.randomUUID().toString();
            Map<String, String> headers = headers("products/update", eventId);
            headers.put(ShopifyWebhook.SHOP_DOMAIN, bad);

            deliver(product(3), headers).statusCode(400).body("error", is("invalid_shop"));
            assertNothingStored(eventId);
        }
    }

    @Test
    void shouldAnswer400WithoutABody() {
        Map<String, String> headers = headers("products/update", UUID.randomUUID().toString());
        headers.put(ShopifyWebhook.HMAC, ShopifyWebhookVerifier.sign(new byte[0], secret));
        given().headers(headers).post("/shopify/webhook").then().statusCode(400).body("error", is("missing_body"));
    }

    @Test
    void shouldIgnoreWebhooksForAnUnknownShop() {
        String eventId = UUID.randomUUID().toString();
        Map<String, String> headers = headers("products/update", eventId);
        headers.put(ShopifyWebhook.SHOP_DOMAIN, GatewayDb.uniqueShop());

        deliver(product(5), headers).statusCode(200).body("status", is("ignored"));

        assertNothingStored(eventId);
    }

    @Test
    void shouldRecordCustomerComplianceRequestsWithoutForwardingThem() {
        for (String topic : List.of("customers/data_request", "customers/redact")) {
            String eventId = UUID.randomUUID().toString();
            byte[] body = ("{\"shop_domain\":\"" + shop + "\",\"customer\":{\"id\":1}}").getBytes(StandardCharsets.UTF_8);

            deliver(body, headers(topic, eventId)).statusCode(200).body("status", is("recorded"));
            deliver(body, headers(topic, eventId)).statusCode(200).body("status", is("duplicate"));

            assertThat(db.count("SELECT count(*) FROM gateway.webhook_receipts WHERE dedupe_key = $1 AND topic = $2",
                    "shopify:" + eventId, topic)).isEqualTo(1);
            assertThat(outboxRows(eventId)).isEmpty();
        }
    }

    @Test
    void shouldDeleteTokensAndPublishOnAppUninstalled() {
        String eventId = UUID.randomUUID().toString();

        deliver(shopBody(shop), headers("app/uninstalled", eventId)).statusCode(200).body("status", is("stored"));

        Row connection = db.query("SELECT status, access_token_enc, refresh_token_enc FROM gateway.shopify_connections WHERE shop = $1", shop).get(0);
        assertThat(connection.getString("status")).isEqualTo("uninstalled");
        assertThat(connection.getString("access_token_enc")).isNull();
        assertThat(connection.getString("refresh_token_enc")).isNull();
        assertThat(outboxRows(eventId)).hasSize(1);

        // Syncing stops: later webhooks for the shop are ignored.
        String later = UUID.randomUUID().toString();
        deliver(product(9), headers("products/update", later)).statusCode(200).body("status", is("ignored"));
        assertThat(outboxRows(later)).isEmpty();
    }

    @Test
    void shouldDeleteTheShopsRowsAndPublishOnShopRedact() {
        String uninstalled = UUID.randomUUID().toString();
        deliver(shopBody(shop), headers("app/uninstalled", uninstalled)).statusCode(200).body("status", is("stored"));
        String eventId = UUID.randomUUID().toString();

        deliver(redactBody(shop), headers("shop/redact", eventId)).statusCode(200).body("status", is("stored"));

        assertThat(db.count("SELECT count(*) FROM gateway.shopify_connections WHERE shop = $1", shop)).isZero();
        List<Row> rows = outboxRows(eventId);
        assertThat(rows).hasSize(1);
        JsonObject payload = new JsonObject(rows.get(0).getString("payload"));
        assertThat(payload.getString("topic")).isEqualTo("shop/redact");
        assertThat(payload.getString("userId")).isEqualTo(user.toString());
    }

    /**
     * The forgery of issue #11: the OAuth callback's hmac (hex, over the sorted query) re-encoded in base64
     * verifies as a webhook signature over that query string, under the app's one secret. Sent as a lifecycle
     * webhook for someone else's shop it must change nothing.
     */
    @Test
    void anOAuthCallbackSignatureReplayedAsAWebhookIsRefusedAndNothingChanges() {
        Map<String, List<String>> callback = new LinkedHashMap<>();
        callback.put("code", List.of("a1b2c3"));
        callback.put("host", List.of("YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvYXR0YWNrZXI"));
        callback.put("shop", List.of("attacker.myshopify.com"));
        callback.put("state", List.of("nonce"));
        callback.put("timestamp", List.of(Long.toString(java.time.Instant.now().getEpochSecond())));
        String hexHmac = ShopifyOAuthQueryVerifier.sign(callback, secret);
        byte[] query = String.join("&", new java.util.TreeMap<>(callback).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().get(0)).toList()).getBytes(StandardCharsets.UTF_8);
        String forged = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hexHmac));
        // The premise: today's HMAC check alone accepts it.
        ShopifyWebhookVerifier.verify(query, forged, secret);

        for (String topic : List.of("app/uninstalled", "shop/redact", "products/update", "customers/redact")) {
            String eventId = UUID.randomUUID().toString();
            Map<String, String> headers = headers(topic, eventId);
            headers.put(ShopifyWebhook.HMAC, forged);
            deliverRaw(query, headers).statusCode(400).body("error", is("invalid_body"));
            assertNothingStored(eventId);
        }
        assertStillInstalledWithTokens();
    }

    @Test
    void aBodyThatIsNotExactlyOneJsonObjectIsRefusedWith400ForEveryTopic() {
        List<String> bodies = List.of("code=1&shop=x", "[]", "[{\"id\":1}]", "\"text\"", "42", "null",
                "{\"id\":1}{\"id\":2}", "{\"id\":1} trailing", "{\"id\":", "{\"id\":1,\"id\":2}",
                "[".repeat(200), "{\"a\":".repeat(ShopifyWebhookBody.MAX_NESTING_DEPTH + 1) + "1"
                        + "}".repeat(ShopifyWebhookBody.MAX_NESTING_DEPTH + 1));
        for (String topic : List.of("products/update", "app/uninstalled", "shop/redact", "customers/data_request")) {
            for (String body : bodies) {
                String eventId = UUID.randomUUID().toString();
                deliver(body.getBytes(StandardCharsets.UTF_8), headers(topic, eventId))
                        .statusCode(400).body("error", is("invalid_body"));
                assertNothingStored(eventId);
            }
        }
        assertStillInstalledWithTokens();
    }

    @Test
    void aLifecycleBodyNamingAnotherShopIsRefusedWith400() {
        String other = GatewayDb.uniqueShop();
        Map<String, byte[]> forged = new LinkedHashMap<>();
        forged.put("app/uninstalled", shopBody(other));
        forged.put("shop/redact", redactBody(other));
        forged.put("customers/redact", redactBody(other));
        forged.put("customers/data_request", redactBody(other));
        for (Map.Entry<String, byte[]> delivery : forged.entrySet()) {
            String eventId = UUID.randomUUID().toString();
            deliver(delivery.getValue(), headers(delivery.getKey(), eventId))
                    .statusCode(400).body("error", is("shop_mismatch"));
            assertNothingStored(eventId);
        }
        // The primary (custom) domain is not the shop: app/uninstalled is matched on myshopify_domain.
        String eventId = UUID.randomUUID().toString();
        byte[] customDomain = ("{\"id\":1,\"domain\":\"shop.example\",\"myshopify_domain\":\"" + other + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        deliver(customDomain, headers("app/uninstalled", eventId)).statusCode(400).body("error", is("shop_mismatch"));
        assertNothingStored(eventId);
        assertStillInstalledWithTokens();
    }

    @Test
    void shopRedactForAnInstalledShopIsRecordedAndDeletesNothing() {
        String eventId = UUID.randomUUID().toString();

        deliver(redactBody(shop), headers("shop/redact", eventId)).statusCode(200).body("status", is("recorded"));

        assertThat(db.count("SELECT count(*) FROM gateway.webhook_receipts WHERE dedupe_key = $1", "shopify:" + eventId))
                .isEqualTo(1);
        assertThat(outboxRows(eventId)).isEmpty();
        assertStillInstalledWithTokens();
    }

    @Test
    void appUninstalledForAShopThatMustReinstallDeletesTheTokensAndTellsTheWorker() {
        db.query("UPDATE gateway.shopify_connections SET status = 'needs_reinstall' WHERE shop = $1", shop);
        String eventId = UUID.randomUUID().toString();

        deliver(shopBody(shop), headers("app/uninstalled", eventId)).statusCode(200).body("status", is("stored"));

        Row connection = db.query("SELECT status, access_token_enc, refresh_token_enc FROM gateway.shopify_connections WHERE shop = $1", shop).get(0);
        assertThat(connection.getString("status")).isEqualTo("uninstalled");
        assertThat(connection.getString("access_token_enc")).isNull();
        assertThat(connection.getString("refresh_token_enc")).isNull();
        List<Row> rows = outboxRows(eventId);
        assertThat(rows).hasSize(1);
        assertThat(new JsonObject(rows.get(0).getString("payload")).getString("topic")).isEqualTo("app/uninstalled");

        // Once uninstalled, a second uninstall (another delivery) has nothing left to do.
        String again = UUID.randomUUID().toString();
        deliver(shopBody(shop), headers("app/uninstalled", again)).statusCode(200).body("status", is("ignored"));
        assertThat(outboxRows(again)).isEmpty();
    }

    private void assertStillInstalledWithTokens() {
        Row connection = db.query("SELECT status, access_token_enc FROM gateway.shopify_connections WHERE shop = $1", shop).get(0);
        assertThat(connection.getString("status")).isEqualTo("active");
        assertThat(connection.getString("access_token_enc")).isNotNull();
    }

    /** app/uninstalled carries the shop resource, as Shopify sends it. */
    private static byte[] shopBody(String shop) {
        return ("{\"id\":1,\"name\":\"Shop\",\"domain\":\"" + shop + "\",\"myshopify_domain\":\"" + shop + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** shop/redact and customers/* carry shop_domain. */
    private static byte[] redactBody(String shop) {
        return ("{\"shop_id\":1,\"shop_domain\":\"" + shop + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRefuseAnOversizeBodyWith413() {
        byte[] body = new byte[2 * 1024 * 1024 + 1];
        Arrays.fill(body, (byte) ' ');
        String eventId = UUID.randomUUID().toString();
        Map<String, String> headers = headers("products/update", eventId);
        headers.put(ShopifyWebhook.HMAC, ShopifyWebhookVerifier.sign(body, secret));

        given().headers(headers).contentType("application/json").body(body)
                .post("/shopify/webhook").then().statusCode(413);

        assertNothingStored(eventId);
    }

    @Test
    void shouldRefuseAnOversizeBodyStreamedWithoutALengthWith413() throws Exception {
        // Chunked: no Content-Length for the HTTP layer to refuse up front, so the route counts what arrives.
        String eventId = UUID.randomUUID().toString();
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        int port = io.restassured.RestAssured.port;
        String status;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            StringBuilder head = new StringBuilder("POST /shopify/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n");
            headers("products/update", eventId).forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append(ShopifyWebhook.HMAC).append(": ").append(ShopifyWebhookVerifier.sign(product(1), secret)).append("\r\n\r\n");
            java.io.OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            try {
                for (int sent = 0; sent <= 2 * 1024 * 1024 + chunk.length; sent += chunk.length) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (java.io.IOException closedByTheServer) {
                // expected once the server has answered and closed: the answer is read below
            }
            status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
        }

        assertThat(status).startsWith("HTTP/1.1 413");
        assertNothingStored(eventId);
    }

    @Test
    void shouldAnswer405ToAnythingButPost() {
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
            given().headers(headers("products/update", UUID.randomUUID().toString()))
                    .request(method, "/shopify/webhook").then().statusCode(405)
                    .header("Allow", "POST").contentType("application/json").body("error", is("http_405"));
        }
    }

    @Test
    void aRepeatedHeaderIsReadAsItsValuesJoinedAndRefused() {
        // Two X-Shopify-Topic values read as "products/update,products/update": not a topic, so 400, nothing stored.
        String eventId = UUID.randomUUID().toString();
        byte[] body = product(5);
        Map<String, String> headers = headers("products/update", eventId);
        headers.put(ShopifyWebhook.HMAC, ShopifyWebhookVerifier.sign(body, secret));
        given().headers(headers).header(ShopifyWebhook.TOPIC, "products/update").contentType("application/json")
                .body(body).post("/shopify/webhook").then().statusCode(400).contentType("application/json")
                .body("error", is("invalid_headers"));

        assertNothingStored(eventId);
    }

    @Test
    void shouldCountRejectionsByReason() {
        Map<String, String> headers = headers("products/update", UUID.randomUUID().toString());
        headers.put(ShopifyWebhook.HMAC, ShopifyWebhookVerifier.sign(product(1), "wrong"));
        deliverRaw(product(1), headers).statusCode(401);

        given().port(managementPort).get("/q/metrics").then().statusCode(200)
                .body(containsString("gateway_webhooks_rejected_total{reason=\"invalid_hmac\",source=\"shopify\"}"))
                .body(containsString("gateway_outbox_backlog"));
    }

    private void assertNothingStored(String eventId) {
        assertThat(db.count("SELECT count(*) FROM gateway.webhook_receipts WHERE dedupe_key = $1", "shopify:" + eventId)).isZero();
        assertThat(outboxRows(eventId)).isEmpty();
    }

    private List<Row> outboxRows(String eventId) {
        return db.query("SELECT payload::text AS payload FROM gateway.outbox WHERE event_id = $1", eventId);
    }

    private Map<String, String> headers(String topic, String eventId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ShopifyWebhook.TOPIC, topic);
        headers.put(ShopifyWebhook.SHOP_DOMAIN, shop);
        headers.put(ShopifyWebhook.API_VERSION, "2026-07");
        headers.put(ShopifyWebhook.WEBHOOK_ID, UUID.randomUUID().toString());
        headers.put(ShopifyWebhook.TRIGGERED_AT, "2026-07-01T10:00:00.000Z");
        if (eventId != null) {
            headers.put(ShopifyWebhook.EVENT_ID, eventId);
        }
        return headers;
    }

    private ValidatableResponse deliver(byte[] body, Map<String, String> headers) {
        Map<String, String> signed = new LinkedHashMap<>(headers);
        signed.put(ShopifyWebhook.HMAC, ShopifyWebhookVerifier.sign(body, secret));
        return deliverRaw(body, signed);
    }

    private ValidatableResponse deliverRaw(byte[] body, Map<String, String> headers) {
        RequestSpecification request = given().headers(headers).contentType("application/json").body(body);
        return request.post("/shopify/webhook").then();
    }

    static byte[] product(long id) {
        return ("{\"id\":" + id + ",\"admin_graphql_api_id\":\"gid://shopify/Product/" + id + "\",\"title\":\"T\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
