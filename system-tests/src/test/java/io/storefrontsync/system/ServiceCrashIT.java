package io.storefrontsync.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefrontsync.sandbox.testing.EndToEndSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #6, crashes: the worker SIGKILLed in the middle of a 5,000-webhook burst over 20 shops, and
 * the gateway SIGKILLed with undelivered outbox rows. Both come back on the same database; not one
 * event may be lost and every shop's catalog in Spaces must end equal to its store.
 * <p>
 * The webhooks are real: the Shopify simulator changes its stores and delivers signed webhooks,
 * retrying as Shopify does (8 attempts here, compressed into about a minute) when the gateway does
 * not answer 2xx in time. Timing knobs, not behaviour, are turned down so the test waits seconds:
 * a crashed worker's job lease is 20 s instead of 60 s, the outbox backs off at most 10 s instead
 * of 5 min.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceCrashIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final List<String> SHOPS = InstalledShops.names("crash-shop", 21);
    /**
     * The burst's shops; the last shop only gets the held change. A shop inside the burst would have its job
     * debounced by its own stream of events (up to 10 s), and the kill could come after the whole burst was
     * delivered, with nothing left to meet the dead worker.
     */
    private static final List<String> BURST_SHOPS = SHOPS.subList(0, 20);
    private static final int EVENTS_PER_SHOP_AND_TOPIC = 125;
    private static final List<String> TOPICS = List.of("products/update", "inventory_levels/update");

    private static EndToEndSystem system;
    private static SystemClient client;
    private static Db db;
    private static InstalledShops shops;

    @BeforeAll
    static void start() throws Exception {
        long started = System.nanoTime();
        system = EndToEndSystem.start("ServiceCrashIT", Map.of(
                "SIM_SHOPIFY_SHOPS", InstalledShops.simulatorSetting(SHOPS),
                "SIM_SHOPIFY_PRODUCTS", "20", "SIM_SHOPIFY_COLLECTIONS", "3", "SIM_SHOPIFY_DISCOUNTS", "2",
                "SIM_SHOPIFY_BUCKET_SIZE", "10000", "SIM_SHOPIFY_RESTORE_RATE", "1000",
                "SIM_SHOPIFY_WEBHOOK_MAX_ATTEMPTS", "8",
                "STOREFRONT_JOBS_LEASE", "20s",
                "GATEWAY_OUTBOX_MAX_BACKOFF", "10s"));
        client = new SystemClient(system);
        db = new Db(system);
        long systemUp = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        shops = InstalledShops.install(client, SHOPS);
        shops.awaitInSpaces(SHOPS, TIMEOUT);
        SystemClient.await("the install syncs to finish", TIMEOUT, db::idle);
        System.out.printf("ServiceCrashIT: system up in %d s, %d shops installed and synced after %d s%n", systemUp,
                SHOPS.size(), Duration.ofNanos(System.nanoTime() - started).toSeconds());
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
    void aWorkerKilledInTheMiddleOfA5000WebhookBurstShouldLoseNoEvent() throws Exception {
        OffsetDateTime burstStart = OffsetDateTime.now();
        long started = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        for (String shop : BURST_SHOPS) {
            for (String topic : TOPICS) {
                calls.add(CompletableFuture.supplyAsync(() -> events(shop, topic, EVENTS_PER_SHOP_AND_TOPIC), senders));
            }
        }
        int total = BURST_SHOPS.size() * TOPICS.size() * EVENTS_PER_SHOP_AND_TOPIC + 1; // the burst and the held change

        SystemClient.await("the first 1,500 webhooks to be stored", TIMEOUT, () -> db.countUnchecked(
                "SELECT count(*) FROM gateway.outbox WHERE created_at >= ?", burstStart) >= 1500);
        // One more change, whose sync a slow Shopify answer holds mid-request, so the kill surely cuts a running job.
        String heldShop = SHOPS.get(SHOPS.size() - 1);
        assertThat(client.postJson(system.shopifySimulatorUrl() + "/_sim/faults", SystemClient.JSON.createObjectNode()
                .put("shop", heldShop).put("kind", "slow").put("count", 1).put("delayMillis", 5000).toString(), null)
                .statusCode()).isEqualTo(201);
        JsonNode held = events(heldShop, "products/update", 1);
        SystemClient.await("a sync of " + heldShop + " waiting for Shopify", TIMEOUT, () -> pendingFaults(heldShop) == 0
                && db.countUnchecked("SELECT count(*) FROM worker.jobs WHERE target_id = ? AND status = 'running'", heldShop) > 0);
        long storedAtKill = db.count("SELECT count(*) FROM gateway.outbox WHERE created_at >= ?", burstStart);
        system.worker().kill();
        long killedAt = System.nanoTime();
        // Nothing can finish these any more: the process that leased them is gone.
        List<String> orphaned = db.rows("SELECT id::text AS id FROM worker.jobs WHERE status = 'running'").stream()
                .map(row -> (String) row.get("id")).toList();
        system.worker().start();
        long workerDown = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();

        List<String> eventIds = new ArrayList<>();
        long delivered = held.path("delivered").asLong();
        long failed = held.path("failed").asLong();
        held.path("events").forEach(event -> eventIds.add(event.path("eventId").asText()));
        for (CompletableFuture<JsonNode> call : calls) {
            JsonNode answer = call.join();
            delivered += answer.path("delivered").asLong();
            failed += answer.path("failed").asLong();
            answer.path("events").forEach(event -> eventIds.add(event.path("eventId").asText()));
        }
        senders.shutdown();
        long burstMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        shops.awaitInSpaces(SHOPS, TIMEOUT);
        SystemClient.await("the outbox to drain", TIMEOUT, () -> db.undeliveredOutboxRows() == 0);
        SystemClient.await("every job to finish", TIMEOUT, db::idle);
        long recovered = Duration.ofNanos(System.nanoTime() - started).toMillis();

        long receipts = db.count("SELECT count(*) FROM gateway.webhook_receipts WHERE dedupe_key = ANY(?)",
                eventIds.stream().map(id -> "shopify:" + id).toList());
        long forwarded = db.count("SELECT count(*) FROM gateway.outbox WHERE event_id = ANY(?) AND delivered_at IS NOT NULL",
                eventIds);
        long retriedRows = db.count("SELECT count(*) FROM gateway.outbox WHERE event_id = ANY(?) AND attempts > 1", eventIds);
        long eventsInJobs = db.count("""
                SELECT coalesce(sum(coalesced_events), 0) FROM worker.jobs
                WHERE created_at >= ? AND trigger = 'webhook' AND status <> 'failed'""", burstStart);
        long reclaimed = db.count("""
                SELECT count(*) FROM worker.jobs WHERE id::text = ANY(?) AND last_error LIKE 'lease of % expired%'
                  AND status IN ('succeeded', 'failed')""", orphaned);
        System.out.printf("ServiceCrashIT burst: %d changes over %d shops, %d delivered (%d given up by the simulator), "
                        + "worker killed after %d stored and back %d ms later; %d receipts, %d forwarded to the worker "
                        + "(%d after failed attempts), %d events counted into jobs, %d of the %d jobs cut by the kill reclaimed; "
                        + "burst %d ms, everything in Spaces %d ms after the burst began%n",
                eventIds.size(), SHOPS.size(), delivered, failed, storedAtKill, workerDown, receipts, forwarded,
                retriedRows, eventsInJobs, reclaimed, orphaned.size(), burstMillis, recovered);

        assertThat(eventIds).hasSize(total).doesNotHaveDuplicates();
        assertThat(delivered).as("webhooks the gateway acknowledged with 2xx").isEqualTo(total);
        assertThat(receipts).as("events stored by the gateway").isEqualTo(total);
        assertThat(forwarded).as("events the worker acknowledged (outbox rows delivered)").isEqualTo(total);
        assertThat(retriedRows).as("deliveries that met the dead worker and were retried").isPositive();
        assertThat(eventsInJobs).as("events the worker queued as (coalesced) jobs").isGreaterThanOrEqualTo(total);
        assertThat(orphaned).as("jobs the kill cut in the middle").isNotEmpty();
        assertThat(reclaimed).as("cut jobs taken back after their lease and finished").isEqualTo(orphaned.size());
        assertThat(db.deadJobs()).isEmpty();
        assertThat(shops.mismatched(SHOPS)).isEmpty();
        for (String shop : SHOPS) {
            assertThat(client.object(shops.metadataKey(shop))).as(shop).isPresent();
        }
    }

    @Test
    @Order(2)
    void aGatewayKilledWithUndeliveredOutboxRowsShouldDeliverThemAfterItRestarts() throws Exception {
        SystemClient.await("the system to be idle", TIMEOUT, db::idle);
        List<String> quiet = SHOPS.subList(0, 2);
        String lateShop = SHOPS.get(2);
        system.worker().kill();

        List<String> waiting = new ArrayList<>();
        for (String shop : quiet) {
            JsonNode answer = events(shop, "products/update", 50);
            assertThat(answer.path("delivered").asInt()).as("the gateway takes webhooks without the worker").isEqualTo(50);
            answer.path("events").forEach(event -> waiting.add(event.path("eventId").asText()));
        }
        long undelivered = db.count("SELECT count(*) FROM gateway.outbox WHERE event_id = ANY(?) AND delivered_at IS NULL",
                waiting);
        assertThat(undelivered).as("outbox rows the worker never got").isEqualTo(waiting.size());

        system.gateway().kill();
        long killedAt = System.nanoTime();
        // Shopify keeps retrying what the dead gateway does not answer.
        CompletableFuture<JsonNode> late = CompletableFuture.supplyAsync(() -> events(lateShop, "products/update", 30));
        Thread.sleep(2000);
        CompletableFuture<Void> worker = CompletableFuture.runAsync(() -> system.worker().start());
        system.gateway().start();
        long gatewayDown = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
        worker.join();

        JsonNode lateAnswer = late.join();
        List<String> lateIds = new ArrayList<>();
        lateAnswer.path("events").forEach(event -> lateIds.add(event.path("eventId").asText()));
        List<String> affected = List.of(quiet.get(0), quiet.get(1), lateShop);
        shops.awaitInSpaces(affected, TIMEOUT);
        SystemClient.await("the outbox to drain", TIMEOUT, () -> db.undeliveredOutboxRows() == 0);
        SystemClient.await("every job to finish", TIMEOUT, db::idle);
        long drained = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();

        long lateAttempts = 0;
        for (JsonNode event : lateAnswer.path("events")) {
            lateAttempts = Math.max(lateAttempts, event.path("attempts").asLong());
        }
        System.out.printf("ServiceCrashIT gateway: %d undelivered rows when it was killed, down %d ms; %d webhooks sent "
                        + "meanwhile delivered after up to %d attempts; outbox drained and Spaces equal %d ms after the kill%n",
                undelivered, gatewayDown, lateIds.size(), lateAttempts, drained);

        assertThat(lateAnswer.path("delivered").asInt()).as("webhooks retried until the gateway was back").isEqualTo(30);
        assertThat(lateAttempts).as("some delivery met the dead gateway").isGreaterThan(1);
        List<String> all = new ArrayList<>(waiting);
        all.addAll(lateIds);
        assertThat(db.count("SELECT count(*) FROM gateway.outbox WHERE event_id = ANY(?) AND delivered_at IS NOT NULL", all))
                .isEqualTo(all.size());
        assertThat(db.deadJobs()).isEmpty();
        assertThat(shops.mismatched(affected)).isEmpty();
    }

    private static int pendingFaults(String shop) {
        try {
            return SystemClient.JSON.readTree(client.get(system.shopifySimulatorUrl() + "/_sim/shops/" + shop
                    + "/state", null).body()).path("pendingFaults").asInt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode events(String shop, String topic, int count) {
        try {
            return client.shopifyEvents(shop, topic, count);
        } catch (Exception e) {
            throw new IllegalStateException(topic + " events for " + shop, e);
        }
    }
}
