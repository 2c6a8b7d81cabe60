package io.storefrontsync.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storefrontsync.common.config.DatabaseUrl;
import io.storefrontsync.sandbox.DemoShop;
import io.storefrontsync.sandbox.testing.EndToEndSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #14's differential storm, end to end: the Shopify simulator applies seeded random sequences of
 * store changes and delivers their webhooks duplicated, delayed and out of order; once the system is
 * idle, the shop's documents in Spaces must be byte for byte what a fresh full sync of the same store
 * writes. Then webhooks that matter are dropped: the documents are stale until the daily poll heals them.
 *
 * <p>The test checks results, not the path: whether a topic is patched or triggers a full sync does not
 * matter here. The storm only draws the changes whose topics the gateway subscribed the shop to (read
 * from the simulator), as a change Shopify never reports could only be healed by the poll.
 * The daily poll ticks every 2 s here; a test makes it due by pretending the last slot claimed is two
 * days old (and keeps it quiet by claiming today's and tomorrow's slots).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShopifyStormIT {

    private static final String SHOP = DemoShop.DOMAIN;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final List<Integer> SEEDS = List.of(11, 12, 13);
    /** Storm kind → the webhook topic it sends (Storm.KINDS in the simulator). */
    private static final Map<String, String> KIND_TOPICS = SystemClient.ordered(
            "product_price", "products/update",
            "product_title", "products/update",
            "product_create", "products/create",
            "product_delete", "products/delete",
            "inventory_update", "inventory_levels/update",
            "inventory_connect", "inventory_levels/connect",
            "inventory_disconnect", "inventory_levels/disconnect",
            "collection_create", "collections/create",
            "collection_title", "collections/update",
            "collection_add", "collections/update",
            "collection_remove", "collections/update",
            "collection_delete", "collections/delete",
            "discount_create", "discounts/create",
            "discount_update", "discounts/update",
            "discount_delete", "discounts/delete",
            "shop_update", "shop/update",
            "location_create", "locations/create",
            "location_update", "locations/update",
            "location_delete", "locations/delete");

    private static EndToEndSystem system;
    private static SystemClient client;
    private static InstalledShops shops;

    @BeforeAll
    static void start() throws Exception {
        // Plus limits keep each full sync of the 150-product store to a second or two.
        system = EndToEndSystem.start("ShopifyStormIT", Map.of("SIM_SHOPIFY_PRODUCTS", "150",
                "SIM_SHOPIFY_BUCKET_SIZE", "10000", "SIM_SHOPIFY_RESTORE_RATE", "1000",
                "SYNC_DAILY_CRON", "0/2 * * * * ?"));
        client = new SystemClient(system);
        shops = InstalledShops.install(client, List.of(SHOP));
        shops.awaitInSpaces(List.of(SHOP), TIMEOUT);
        quietDailyPoll();
        awaitIdle();
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
    void afterEachStormTheDocumentsShouldBeByteIdenticalToAFreshFullSync() throws Exception {
        List<String> kinds = subscribedKinds();
        assertThat(kinds).contains("product_price", "product_delete", "inventory_update", "collection_add",
                "discount_delete");
        // The last storm changes only products: on a worker that patches products/* and fully syncs for other
        // topics, a mixed storm's full syncs would hide what the patches got wrong.
        List<String> productKinds = kinds.stream().filter(k -> k.startsWith("product_")).toList();
        for (int seed : SEEDS) {
            JsonNode storm = storm(seed, 60, 2, 1500, 0.0, List.of(), seed == SEEDS.get(SEEDS.size() - 1) ? productKinds : kinds);
            assertThat(storm.path("applied").asInt()).isEqualTo(60);
            assertThat(storm.path("failed").asInt()).as("deliveries the gateway refused").isZero();
            assertThat(storm.path("delivered").asInt()).isEqualTo(120);
            awaitIdle();
            Documents afterStorm = documents();
            assertThat(shops.differences(SHOP)).as("seed %d: products in Spaces vs the store", seed).isEmpty();

            String job = fullSync();
            assertThat(documents()).as("seed %d: the storm's documents vs a fresh full sync (job %s)", seed, job)
                    .isEqualTo(afterStorm);
        }
    }

    @Test
    @Order(2)
    void droppedPriceWebhooksShouldLeaveTheProductsStaleUntilTheDailyPollHealsThem() throws Exception {
        JsonNode storm = storm(21, 20, 1, 500, 0.5, List.of("product_price"), List.of("product_price"));
        awaitIdle();
        List<String> stale = staleVariants(storm);
        assertThat(stale).as("seed 21 drops the last price change of some variants").isNotEmpty();
        List<String> differences = shops.differences(SHOP);
        for (String variant : stale) {
            assertThat(differences).as("a dropped price change is not in Spaces").anyMatch(d -> d.startsWith(variant + ".price"));
        }

        OffsetDateTime before = OffsetDateTime.now();
        makeDailyPollDue();
        SystemClient.await("the daily poll's sync of the shop", TIMEOUT, () -> count("SELECT count(*) FROM worker.jobs "
                + "WHERE target_id = ? AND trigger = 'poll' AND status = 'succeeded' AND created_at >= ?", SHOP, before) >= 1);
        quietDailyPoll();
        awaitIdle();
        assertThat(shops.differences(SHOP)).as("healed by the poll").isEmpty();
        Documents healed = documents();
        fullSync();
        assertThat(documents()).as("the poll's documents vs a fresh full sync").isEqualTo(healed);
    }

    // ---- the storm ------------------------------------------------------------------------------------

    private static JsonNode storm(int seed, int mutations, int duplicate, int windowMs, double dropRate,
                                  List<String> dropKinds, List<String> kinds) throws Exception {
        ObjectNode body = SystemClient.JSON.createObjectNode().put("seed", seed).put("mutations", mutations)
                .put("duplicate", duplicate).put("reorderWindowMs", windowMs).put("dropRate", dropRate);
        ArrayNode drop = body.putArray("dropKinds");
        dropKinds.forEach(drop::add);
        ArrayNode allowed = body.putArray("kinds");
        kinds.forEach(allowed::add);
        HttpResponse<String> response = client.postJson(system.shopifySimulatorUrl() + "/_sim/shops/" + SHOP + "/storm",
                body.toString(), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = SystemClient.JSON.readTree(response.body());
        Map<String, Integer> perKind = new LinkedHashMap<>();
        answer.path("mutations").forEach(m -> perKind.merge(m.path("kind").asText(), 1, Integer::sum));
        System.out.printf("storm seed %d: %d changes %s, %d deliveries, %d dropped, %d ms%n", seed,
                answer.path("applied").asInt(), perKind, answer.path("delivered").asInt(), answer.path("dropped").asInt(),
                answer.path("durationMs").asLong());
        return answer;
    }

    /** The storm kinds whose topic the shop is subscribed to (the gateway chose them at install). */
    private static List<String> subscribedKinds() throws Exception {
        JsonNode state = SystemClient.JSON.readTree(client.get(system.shopifySimulatorUrl() + "/_sim/shops/" + SHOP + "/state",
                null).body());
        List<String> topics = new ArrayList<>();
        state.path("subscriptions").forEach(s -> topics.add(s.path("topic").asText()));
        List<String> kinds = new ArrayList<>();
        KIND_TOPICS.forEach((kind, topic) -> {
            if (topics.contains(topic.toUpperCase().replace('/', '_'))) {
                kinds.add(kind);
            }
        });
        System.out.printf("storm kinds for the subscribed topics %s: %s%n", topics, kinds);
        return kinds;
    }

    /**
     * The variants changed only by dropped webhooks: their product got no webhook at all, so nothing made the
     * worker read it again (any delivered one would: the storm applies every change before the first delivery).
     */
    private static List<String> staleVariants(JsonNode storm) {
        Map<String, Boolean> productReported = new LinkedHashMap<>();
        Map<String, List<String>> variants = new LinkedHashMap<>();
        storm.path("mutations").forEach(m -> {
            String product = m.path("targets").path("id").asText();
            productReported.merge(product, !m.path("dropped").asBoolean(), Boolean::logicalOr);
            variants.computeIfAbsent(product, p -> new ArrayList<>()).add(m.path("targets").path("variantId").asText());
        });
        return productReported.entrySet().stream().filter(e -> !e.getValue())
                .flatMap(e -> variants.get(e.getKey()).stream()).distinct().toList();
    }

    // ---- the system -----------------------------------------------------------------------------------

    /** The shop's documents as Spaces holds them; equal records mean byte-identical objects. */
    private record Documents(String products, String metadata) {
    }

    private static Documents documents() {
        return new Documents(new String(client.object(shops.productsKey(SHOP)).orElseThrow(), java.nio.charset.StandardCharsets.UTF_8),
                new String(client.object(shops.metadataKey(SHOP)).orElseThrow(), java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * An operator's {@code POST /resync} of the shop (admin JWT): a full read of the store. Waits until it
     * succeeded, checks it was no patch, and answers its id.
     */
    private static String fullSync() throws Exception {
        String token = SystemClient.JSON.readTree(client.post(system.gateway().url() + "/admin/token", new byte[0],
                Map.of("X-Admin-Api-Key", system.env().get("ADMIN_API_KEY"))).body()).path("access_token").asText();
        HttpResponse<String> resync = client.postJson(system.worker().url() + "/resync",
                SystemClient.JSON.createObjectNode().put("userId", shops.user(SHOP)).put("shop", SHOP).toString(), token);
        assertThat(resync.statusCode()).as(resync.body()).isEqualTo(202);
        JsonNode jobs = SystemClient.JSON.readTree(resync.body()).path("jobs");
        assertThat(jobs.size()).as(resync.body()).isEqualTo(1);
        String job = jobs.get(0).path("id").asText();
        SystemClient.await("the resync job " + job, TIMEOUT, () -> count(
                "SELECT count(*) FROM worker.jobs WHERE id = ?::uuid AND status IN ('succeeded', 'failed', 'dead')", job) == 1);
        assertThat(count("SELECT count(*) FROM worker.jobs WHERE id = ?::uuid AND status = 'succeeded' "
                + "AND trigger = 'resync' AND result->>'read' IS NOT NULL AND result->>'read' <> 'patch'", job))
                .as("the resync %s was a full read that succeeded", job).isEqualTo(1);
        awaitIdle();
        return job;
    }

    /** Nothing in the outbox and no job of the shop pending, running or parked, twice a second apart. */
    private static void awaitIdle() throws Exception {
        for (int i = 0; i < 2; i++) {
            SystemClient.await("the system to be idle", TIMEOUT, () ->
                    count("SELECT count(*) FROM gateway.outbox WHERE delivered_at IS NULL") == 0
                            && count("SELECT count(*) FROM worker.jobs WHERE target_id = ? "
                            + "AND status IN ('pending', 'running', 'waiting')", SHOP) == 0);
            Thread.sleep(1000);
        }
    }

    /** Claims every slot of today and tomorrow, so the ticking poll finds nothing due. */
    private static void quietDailyPoll() throws Exception {
        execute("INSERT INTO worker.poll_slots (day, slot, instance) SELECT d::date, s, 'ShopifyStormIT' "
                + "FROM generate_series((now() AT TIME ZONE 'UTC')::date, (now() AT TIME ZONE 'UTC')::date + 1, interval '1 day') AS d, generate_series(0, 95) AS s "
                + "ON CONFLICT (day, slot) DO NOTHING");
    }

    /** As if no instance had polled for two days: the next tick polls every slot of the last 24 hours. */
    private static void makeDailyPollDue() throws Exception {
        execute("BEGIN; DELETE FROM worker.poll_slots; INSERT INTO worker.poll_slots (day, slot, instance) "
                + "VALUES ((now() AT TIME ZONE 'UTC')::date - 2, 0, 'ShopifyStormIT'); COMMIT");
    }

    private static void execute(String sql) throws Exception {
        DatabaseUrl db = DatabaseUrl.parse(system.env().get("DATABASE_URL"));
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             Statement statement = c.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(String sql, Object... params) {
        try {
            return client.count(sql, params);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
