package io.storefrontsync.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefrontsync.common.signature.ShopifyWebhookVerifier;
import io.storefrontsync.sandbox.DemoShop;
import io.storefrontsync.sandbox.testing.EndToEndSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #3 end to end, with both packaged services as real processes: a merchant installs the app
 * through the Shopify simulator's OAuth, and from then on Spaces holds every product of the store —
 * through webhooks, bursts, and a worker that was down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShopifyPipelineIT {

    private static final String SHOP = DemoShop.DOMAIN;
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(3);

    private static EndToEndSystem system;
    private static SystemClient client;
    private static InstalledShops shops;

    @BeforeAll
    static void start() {
        // Shopify Plus limits (10,000 points, 1,000/s): a full sync of the 650-product store takes
        // seconds instead of minutes. Standard-plan throttling (1000/100) is ShopifyThrottlingTest's.
        system = EndToEndSystem.start("ShopifyPipelineIT",
                Map.of("SIM_SHOPIFY_BUCKET_SIZE", "10000", "SIM_SHOPIFY_RESTORE_RATE", "1000"));
        client = new SystemClient(system);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void installShouldPutEveryProductOfTheStoreInSpaces() throws Exception {
        shops = InstalledShops.install(client, List.of(SHOP));
        SystemClient.Install install = shops.answer(SHOP);

        assertThat(install.status()).as(install.body()).isEqualTo(200);
        assertThat(install.json().path("webhook_result").path("status").asText()).isEqualTo("success");
        assertThat(install.json().path("sync_result").path("status").asText()).isEqualTo("success");
        assertThat(UUID.fromString(shops.user(SHOP))).isNotNull();

        awaitStoreInSpaces();
        assertThat(client.object(shops.metadataKey(SHOP))).isPresent();
        assertThat(new String(client.object(shops.metadataKey(SHOP)).orElseThrow(), StandardCharsets.UTF_8)).contains(SHOP);
        JsonNode products = client.simulatorProducts(SHOP);
        assertThat(products.size()).as("the simulated store needs several pages").isGreaterThanOrEqualTo(600);

        List<String> tokens = client.simulatorTokens();
        assertThat(tokens).isNotEmpty();
        for (String token : tokens) {
            assertThat(install.body()).doesNotContain(token);
            assertThat(new String(client.object(shops.productsKey(SHOP)).orElseThrow(), StandardCharsets.UTF_8)).doesNotContain(token);
            assertThat(new String(client.object(shops.metadataKey(SHOP)).orElseThrow(), StandardCharsets.UTF_8)).doesNotContain(token);
        }
    }

    @Test
    @Order(2)
    void aWebhookDeliveredThreeTimesShouldBeStoredOnceAndForgedOnesNotAtAll() throws Exception {
        String eventId = UUID.randomUUID().toString();
        byte[] body = ("{\"id\":1,\"admin_graphql_api_id\":\"gid://shopify/Product/1\",\"title\":\"x\"}")
                .getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new HashMap<>(Map.of(
                "Content-Type", "application/json",
                "X-Shopify-Hmac-Sha256", ShopifyWebhookVerifier.sign(body, system.env().get("SHOPIFY_API_SECRET")),
                "X-Shopify-Topic", "products/update",
                "X-Shopify-Shop-Domain", SHOP,
                "X-Shopify-API-Version", "2026-07",
                "X-Shopify-Webhook-Id", UUID.randomUUID().toString(),
                "X-Shopify-Event-Id", eventId));
        String url = system.gateway().url() + "/shopify/webhook";

        for (int i = 0; i < 3; i++) {
            assertThat(client.post(url, body, headers).statusCode()).isEqualTo(200);
        }
        assertThat(client.count("SELECT count(*) FROM gateway.outbox WHERE event_id = ?", eventId)).isEqualTo(1);

        String forgedId = UUID.randomUUID().toString();
        Map<String, String> forged = new HashMap<>(headers);
        forged.put("X-Shopify-Event-Id", forgedId);
        forged.put("X-Shopify-Hmac-Sha256", ShopifyWebhookVerifier.sign(body, "not-the-secret"));
        assertThat(client.post(url, body, forged).statusCode()).isEqualTo(401);
        Map<String, String> missingTopic = new HashMap<>(headers);
        missingTopic.put("X-Shopify-Event-Id", forgedId);
        missingTopic.remove("X-Shopify-Topic");
        assertThat(client.post(url, body, missingTopic).statusCode()).isEqualTo(400);
        assertThat(client.count("SELECT count(*) FROM gateway.outbox WHERE event_id = ?", forgedId)).isZero();
    }

    @Test
    @Order(3)
    void aBurstOf200UpdatesShouldCoalesceIntoAtMostTwoFullFetches() throws Exception {
        awaitIdle();
        OffsetDateTime before = OffsetDateTime.now();

        JsonNode burst = client.shopifyEvents(SHOP, "products/update", 200);
        assertThat(burst.path("delivered").asInt()).isEqualTo(200);

        awaitStoreInSpaces();
        awaitIdle();
        long jobs = client.count("SELECT count(*) FROM worker.jobs WHERE target_id = ? AND created_at >= ? "
                + "AND status = 'succeeded'", SHOP, before);
        // products/* patch their products (#14); a job with more changed products than a patch takes, or a sync,
        // reads the whole catalog.
        long fullFetches = client.count("SELECT count(*) FROM worker.jobs WHERE target_id = ? AND created_at >= ? "
                + "AND status = 'succeeded' AND result->>'read' <> 'patch'", SHOP, before);
        System.out.printf("burst of 200 products/update -> %d jobs, %d full syncs%n", jobs, fullFetches);
        assertThat(fullFetches).isLessThanOrEqualTo(2L);
        assertThat(jobs).as("200 events coalesced into a few jobs").isBetween(1L, 5L);
    }

    @Test
    @Order(4)
    void eventsArrivingWhileTheWorkerIsDownShouldAllBeProcessedAfterItStarts() throws Exception {
        awaitIdle();
        system.worker().kill();

        JsonNode changes = client.shopifyEvents(SHOP, "products/update", 20);
        assertThat(changes.path("delivered").asInt()).as("the gateway accepts webhooks without the worker").isEqualTo(20);
        assertThat(client.count("SELECT count(*) FROM gateway.outbox WHERE delivered_at IS NULL")).isPositive();

        system.worker().start();

        awaitStoreInSpaces();
        SystemClient.await("the outbox to drain", SYNC_TIMEOUT, () -> uncheckedCount(
                "SELECT count(*) FROM gateway.outbox WHERE delivered_at IS NULL") == 0);
    }

    @Test
    @Order(5)
    void noTokenOrSecretShouldEverReachALog() throws Exception {
        List<String> secrets = new java.util.ArrayList<>(client.simulatorTokens());
        for (String name : List.of("SHOPIFY_API_SECRET", "FACEBOOK_APP_SECRET", "STATE_TOKEN_SECRET",
                "ADMIN_API_KEY", "SPACES_SECRET_KEY", "JWT_PRIVATE_KEY")) {
            secrets.add(system.env().get(name));
        }
        String key = system.env().get("TOKEN_ENCRYPTION_KEY");
        secrets.add(key.substring(key.indexOf(':') + 1));
        for (var service : List.of(system.gateway(), system.worker())) {  // this system's own logs (target/e2e/<test>/)
            String log = Files.readString(service.log());
            assertThat(log).as("%s log", service.log()).isNotEmpty();
            for (String secret : secrets) {
                assertThat(log).as("%s log", service.log()).doesNotContain(secret);
            }
        }
    }

    /** Waits until the products object in Spaces holds exactly the simulator's current store. */
    private static void awaitStoreInSpaces() throws Exception {
        shops.awaitInSpaces(List.of(SHOP), SYNC_TIMEOUT);
    }

    /** No job of the shop pending or running. */
    /**
     * Every event delivered and every job of the shop finished. The outbox is read first: a row's delivered mark
     * commits after the worker's intake did, so once no row is undelivered, the jobs its events made are visible to the
     * second query. Jobs alone are not enough: an event still on its way (the outbox's linger, a delivery in flight)
     * becomes a job after the check, dated before a test's "since now".
     */
    private static void awaitIdle() throws Exception {
        SystemClient.await("the outbox delivered and the shop's jobs finished", SYNC_TIMEOUT, () -> uncheckedCount(
                "SELECT count(*) FROM gateway.outbox WHERE delivered_at IS NULL") == 0
                && uncheckedCount("SELECT count(*) FROM worker.jobs WHERE target_id = '" + SHOP
                        + "' AND status IN ('pending', 'running', 'waiting')") == 0);
    }

    private static long uncheckedCount(String sql) {
        try {
            return client.count(sql);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
