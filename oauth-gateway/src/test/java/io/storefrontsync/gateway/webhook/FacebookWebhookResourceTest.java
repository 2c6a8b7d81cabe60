package io.storefrontsync.gateway.webhook;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.storefrontsync.common.signature.MetaSignatureVerifier;
import io.storefrontsync.gateway.facebook.FacebookConfig;
import io.storefrontsync.gateway.support.FacebookLogin;
import io.storefrontsync.gateway.support.GatewayDb;
import io.storefrontsync.gateway.support.ShopifyInstall;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = WorkerReceiver.class, scope = TestResourceScope.MATCHING_RESOURCES)
class FacebookWebhookResourceTest {

    /** Health, metrics and the OpenAPI document are on the management interface (a free port in tests). */
    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    @Inject
    Pool pool;

    @Inject
    FacebookConfig config;

    @TestHTTPResource("/facebook/webhook")
    URL webhookUrl;

    GatewayDb db;
    String page;
    UUID user;

    @BeforeEach
    void connectedPage() {
        db = new GatewayDb(pool);
        page = GatewayDb.uniquePageId();
        user = db.activeFacebookPage(page);
    }

    @Test
    void shouldEchoTheChallengeForTheVerifyToken() {
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", config.verifyToken())
                .queryParam("hub.challenge", "1158201444")
                .get("/facebook/webhook")
                .then().statusCode(200).contentType(containsString("text/plain")).body(is("1158201444"));
    }

    @Test
    void shouldRefuseVerificationWithAWrongTokenOrMode() {
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", config.verifyToken() + "x")
                .queryParam("hub.challenge", "1").get("/facebook/webhook").then().statusCode(403);
        given().queryParam("hub.mode", "unsubscribe").queryParam("hub.verify_token", config.verifyToken())
                .queryParam("hub.challenge", "1").get("/facebook/webhook").then().statusCode(403);
        given().queryParam("hub.mode", "subscribe").queryParam("hub.challenge", "1")
                .get("/facebook/webhook").then().statusCode(403).body("error", is("verification_failed"));
    }

    @Test
    void shouldStoreOneOutboxEventForASignedDelivery() {
        byte[] body = delivery("page", entry(page, "website", "https://example.com"));

        deliver(body, Map.of("X-Hub-Signature-256", sign(body)))
                .statusCode(200).body("stored", is(1)).body("duplicates", is(0)).body("ignored", is(0));

        List<Row> rows = outboxRows(page);
        assertThat(rows).hasSize(1);
        JsonObject payload = new JsonObject(rows.get(0).getString("payload"));
        assertThat(payload.getString("source")).isEqualTo("FACEBOOK");
        assertThat(payload.getString("topic")).isEqualTo("page/website");
        assertThat(payload.getString("pageId")).isEqualTo(page);
        assertThat(payload.getString("userId")).isEqualTo(user.toString());
        assertThat(payload.getString("eventId")).startsWith("fb:");
        assertThat(db.count("SELECT count(*) FROM gateway.webhook_receipts WHERE source = 'facebook' AND dedupe_key = $1",
                "facebook:" + payload.getString("eventId").substring(3))).isEqualTo(1);
    }

    @Test
    void shouldUsePageUpdateWhenAnEntryHasNoChangeField() {
        byte[] body = delivery("page", new JsonObject().put("id", page).put("time", Instant.now().toEpochMilli())
                .put("messaging", new JsonArray().add(new JsonObject().put("message", new JsonObject().put("mid", "m1")))));

        deliver(body, Map.of("X-Hub-Signature-256", sign(body))).statusCode(200).body("stored", is(1));

        assertThat(new JsonObject(outboxRows(page).get(0).getString("payload")).getString("topic")).isEqualTo("page/update");
    }

    @Test
    void shouldRejectAMissingOrWrongSignatureWith401AndStoreNothing() {
        byte[] body = delivery("page", entry(page, "name", "Renamed"));

        deliver(body, Map.of()).statusCode(401).body("error", is("missing_signature"));
        deliver(body, Map.of("X-Hub-Signature-256", MetaSignatureVerifier.sign(body, "not-the-app-secret")))
                .statusCode(401).body("error", is("invalid_signature"));
        deliver(body, Map.of("X-Hub-Signature-256", "sha256=" + "0".repeat(64))).statusCode(401);

        assertThat(outboxRows(page)).isEmpty();
    }

    @Test
    void shouldRejectTheSha1SignatureAloneWith401() {
        byte[] body = delivery("page", entry(page, "name", "Renamed"));

        deliver(body, Map.of("X-Hub-Signature", "sha1=" + "a".repeat(40)))
                .statusCode(401).body("error", is("sha1_only")).body("message", containsString("X-Hub-Signature-256"));

        assertThat(outboxRows(page)).isEmpty();
    }

    @Test
    void shouldRejectAnObjectOtherThanPageOrMalformedJsonWith400() {
        byte[] user = delivery("user", entry(page, "name", "x"));
        byte[] malformed = "{\"object\":\"page\",\"entry\":[".getBytes(StandardCharsets.UTF_8);

        deliver(user, Map.of("X-Hub-Signature-256", sign(user))).statusCode(400).body("error", is("unsupported_object"));
        deliver(malformed, Map.of("X-Hub-Signature-256", sign(malformed))).statusCode(400).body("error", is("malformed_json"));

        assertThat(outboxRows(page)).isEmpty();
    }

    @Test
    void shouldStoreADuplicateDeliveryOnce() {
        byte[] body = delivery("page", entry(page, "phone", "+1 555 0100"));

        deliver(body, Map.of("X-Hub-Signature-256", sign(body))).statusCode(200).body("stored", is(1));
        deliver(body, Map.of("X-Hub-Signature-256", sign(body))).statusCode(200).body("stored", is(0))
                .body("duplicates", is(1));

        assertThat(outboxRows(page)).hasSize(1);
    }

    @Test
    void shouldIgnoreAnUnknownPageWith200() {
        String unknown = GatewayDb.uniquePageId();
        byte[] body = delivery("page", entry(unknown, "name", "x"));

        deliver(body, Map.of("X-Hub-Signature-256", sign(body))).statusCode(200).body("ignored", is(1))
                .body("stored", is(0));

        assertThat(outboxRows(unknown)).isEmpty();
    }

    @Test
    void shouldStoreOneEventPerEntry() {
        String other = GatewayDb.uniquePageId();
        db.activeFacebookPage(other);
        byte[] body = delivery("page", entry(page, "name", "A"), entry(other, "hours", "9-5"), entry(GatewayDb.uniquePageId(), "name", "B"));

        deliver(body, Map.of("X-Hub-Signature-256", sign(body))).statusCode(200).body("stored", is(2)).body("ignored", is(1));

        assertThat(outboxRows(page)).hasSize(1);
        assertThat(outboxRows(other)).hasSize(1);
    }

    @Test
    void shouldCountFacebookWebhooksInMetrics() {
        byte[] body = delivery("page", entry(page, "name", "x"));
        deliver(body, Map.of()).statusCode(401);

        String metrics = given().port(managementPort).get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(metrics).contains("gateway_webhooks_received_total{source=\"facebook\"}")
                .contains("gateway_webhooks_rejected_total{reason=\"missing_signature\",source=\"facebook\"}");
    }

    /**
     * The simulator as Meta: the app subscription's verification GET reaches this gateway, and a change on a Page
     * connected through Login arrives signed, as one outbox event.
     */
    @Test
    void shouldReceiveAPageChangeFromTheSimulatorAfterTheVerificationHandshake() {
        ShopifyInstall.Installed merchant = ShopifyInstall.demoShop();
        String connectedPage = FacebookLogin.connectPages(merchant.session()).jsonPath().getString("pages[0].id");
        given().formParam("object", "page").formParam("callback_url", webhookUrl.toString())
                .formParam("verify_token", config.verifyToken())
                .formParam("fields", String.join(",", config.subscribedFields()))
                .formParam("access_token", config.appId() + "|" + config.appSecret())
                .post(config.graphUrl() + "/" + config.graphVersion() + "/" + config.appId() + "/subscriptions")
                .then().statusCode(200).body("success", is(true));
        long before = db.count("SELECT coalesce(max(id), 0) FROM gateway.outbox");

        given().contentType("application/json").body("{\"field\":\"name\"}")
                .post(config.graphUrl() + "/_sim/pages/" + connectedPage + "/events")
                .then().statusCode(200).body("delivered", is(1));

        List<Row> rows = db.query("SELECT payload::text FROM gateway.outbox WHERE id > $1 AND payload->>'pageId' = $2",
                before, connectedPage);
        assertThat(rows).hasSize(1);
        JsonObject payload = new JsonObject(rows.get(0).getString(0));
        assertThat(payload.getString("topic")).isEqualTo("page/name");
        assertThat(payload.getString("userId")).isEqualTo(merchant.userUuid());
    }

    private ValidatableResponse deliver(byte[] body, Map<String, String> headers) {
        return given().contentType("application/json").headers(headers).body(body).post("/facebook/webhook").then();
    }

    private String sign(byte[] body) {
        return MetaSignatureVerifier.sign(body, config.appSecret());
    }

    private List<Row> outboxRows(String pageId) {
        return db.query("SELECT event_id, payload::text AS payload FROM gateway.outbox WHERE payload->>'pageId' = $1",
                pageId);
    }

    private static byte[] delivery(String object, JsonObject... entries) {
        JsonArray entry = new JsonArray();
        for (JsonObject e : entries) {
            entry.add(e);
        }
        return new JsonObject().put("object", object).put("entry", entry).encode().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject entry(String pageId, String field, Object value) {
        return new JsonObject().put("id", pageId).put("time", Instant.now().getEpochSecond())
                .put("changes", new JsonArray().add(new JsonObject().put("field", field).put("value", value)));
    }
}
