package io.storefrontsync.gateway.webhook;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storefrontsync.common.signature.ShopifyWebhookVerifier;
import io.storefrontsync.gateway.support.GatewayDb;
import io.storefrontsync.gateway.support.OutboxScene;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.storefrontsync.sandbox.testing.DocumentedMetrics;
import io.storefrontsync.sandbox.testing.MetricsScrape;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.storefrontsync.gateway.webhook.OutboxPublisherTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every metric docs/OPERATIONS.md documents for the gateway, scraped from {@code /q/metrics} before and after
 * real webhook traffic and outbox deliveries (with the worker down for a while): each name is exported
 * and moves by exactly what was sent.
 */
@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = WorkerReceiver.class, scope = TestResourceScope.MATCHING_RESOURCES)
class GatewayMetricsTest {

    /** Health, metrics and the OpenAPI document are on the management interface (a free port in tests). */
    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * The names docs/OPERATIONS.md documents for the gateway ("Metrics"), as Prometheus exports them, but the
     * re-encryption counter: it exists once a token was re-encrypted, which {@code TokenReencryptionJobTest} does.
     */
    private static final List<String> DOCUMENTED = DocumentedMetrics.of("oauth-gateway").stream()
            .filter(name -> !name.equals("gateway_token_reencryption_total")).toList();

    @Inject
    Pool pool;
    @Inject
    OutboxPublisher publisher;

    @ConfigProperty(name = "gateway.shopify.api-secret")
    String secret;
    @ConfigProperty(name = "gateway.facebook.verify-token")
    String verifyToken;
    @ConfigProperty(name = "JWT_PUBLIC_KEY")
    String publicKey;

    GatewayDb db;
    String shop;
    WorkerReceiver worker;

    @BeforeEach
    void setUp() {
        OutboxScene scene = OutboxScene.start(pool, publicKey);
        db = scene.db();
        shop = scene.shop();
        worker = scene.worker();
    }

    @AfterEach
    void workerUp() {
        worker.up();
    }

    @Test
    void everyDocumentedMetricShouldBeExportedAndMoveByWhatWasSent() {
        // Start from an empty outbox, so the backlog gauges and the delivered counter move by our events only.
        await(() -> undelivered() == 0, TIMEOUT);
        MetricsScrape before = scrape();
        assertThat(before.value("gateway_outbox_backlog")).isZero();

        worker.down();
        String stalled = webhook(UUID.randomUUID().toString(), secret);
        await(() -> db.count("SELECT count(*) FROM gateway.outbox WHERE event_id = $1 AND last_error IS NOT NULL", stalled) == 1,
                TIMEOUT);
        await(() -> scrape().value("gateway_outbox_oldest_pending_seconds") >= 1, TIMEOUT);
        MetricsScrape down = scrape();
        assertThat(down.value("gateway_outbox_backlog")).isEqualTo(1);
        assertThat(delta(before, down, "gateway_outbox_delivery_failures_total")).isPositive();

        worker.up();
        String second = UUID.randomUUID().toString();
        webhook(second, secret);
        webhook(second, secret);
        // Signed for another API version than SHOPIFY_API_VERSION (2026-07): counted; a forged one is not.
        String third = webhook(UUID.randomUUID().toString(), secret, "2026-04");
        webhook(UUID.randomUUID().toString(), "not-the-secret", "2025-01");
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", verifyToken)
                .queryParam("hub.challenge", "1158201444").when().get("/facebook/webhook").then().statusCode(200);
        for (String eventId : List.of(stalled, second, third)) {
            await(() -> worker.eventsWithId(eventId).size() == 1, TIMEOUT);
        }
        await(() -> undelivered() == 0, TIMEOUT);
        MetricsScrape after = scrape();

        assertThat(after.names()).containsAll(DOCUMENTED);
        assertThat(delta(before, after, "gateway_webhooks_received_total", "source", "shopify")).isEqualTo(5);
        assertThat(delta(before, after, "gateway_webhooks_rejected_total", "source", "shopify", "reason", "invalid_hmac"))
                .isEqualTo(1);
        assertThat(delta(before, after, "gateway_webhooks_outcome_total", "source", "shopify", "outcome", "stored"))
                .isEqualTo(3);
        assertThat(delta(before, after, "gateway_webhooks_outcome_total", "source", "shopify", "outcome", "duplicate"))
                .isEqualTo(1);
        assertThat(delta(before, after, "gateway_webhooks_duplicates_total", "source", "shopify")).isEqualTo(1);
        assertThat(delta(before, after, "gateway_webhooks_verifications_total", "source", "facebook", "result", "accepted"))
                .isEqualTo(1);
        assertThat(delta(before, after, "gateway_outbox_delivered_total")).isEqualTo(3);
        assertThat(delta(before, after, "gateway_webhooks_api_version_mismatch_total", "version", "2026-04")).isEqualTo(1);
        assertThat(delta(before, after, "gateway_webhooks_api_version_mismatch_total")).as("only verified webhooks")
                .isEqualTo(1);
        assertThat(delta(down, after, "gateway_outbox_delivery_failures_total")).as("no failure once the worker is up")
                .isLessThanOrEqualTo(1);
        assertThat(after.value("gateway_outbox_backlog")).isZero();
        assertThat(after.value("gateway_outbox_oldest_pending_seconds")).isZero();
    }

    /** Re-reads the backlog gauges (the poll would within a second), then scrapes. */
    private MetricsScrape scrape() {
        publisher.refreshBacklog().await().atMost(TIMEOUT);
        return MetricsScrape.parse(given().port(managementPort).when().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    private static double delta(MetricsScrape before, MetricsScrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private long undelivered() {
        return db.count("SELECT count(*) FROM gateway.outbox WHERE delivered_at IS NULL");
    }

    /** A Shopify products/update webhook for the test's shop, signed with {@code key}; @return its event id */
    private String webhook(String eventId, String key) {
        return webhook(eventId, key, "2026-07");
    }

    private String webhook(String eventId, String key, String apiVersion) {
        byte[] body = ShopifyWebhookRouteTest.product(12);
        given().header(ShopifyWebhook.HMAC, ShopifyWebhookVerifier.sign(body, key))
                .header(ShopifyWebhook.TOPIC, "products/update")
                .header(ShopifyWebhook.SHOP_DOMAIN, shop)
                .header(ShopifyWebhook.API_VERSION, apiVersion)
                .header(ShopifyWebhook.WEBHOOK_ID, UUID.randomUUID().toString())
                .header(ShopifyWebhook.EVENT_ID, eventId)
                .contentType("application/json").body(body)
                .post("/shopify/webhook");
        return eventId;
    }
}
