package io.storefrontsync.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.sandbox.testing.EndToEndSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #6, the system's dependencies misbehaving under it, on one running system: Shopify
 * answering 429, 500, 503 and THROTTLED and Graph its rate-limit errors (codes 4, 17, 32, 613) and
 * 500s in the middle of syncs; Spaces (the world's S3 server) down for 60 s while syncs run;
 * PostgreSQL restarted while webhooks stream in.
 * <p>
 * What must hold throughout: every job ends succeeded, none dead; no version of any document in
 * Spaces is ever empty or partial (a sync that fails part-way writes nothing and is retried whole);
 * the gateway never acknowledges a webhook it did not store, and answers 5xx instead so Shopify
 * retries.
 * <p>
 * Timing knobs, not behaviour, are turned down so the test waits seconds after each fault: the first
 * job retry comes after 2 s instead of 5 s (with 12 attempts instead of 8, so they span far more than
 * the Spaces outage), a Graph pause is capped at 3 s instead of 60 s (the simulator asks for a
 * minute after a rate limit), a job cut by the database restart is reclaimed after a 20 s lease
 * instead of 60 s, the outbox backs off at most 10 s instead of 5 min.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DependencyFaultIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Duration SPACES_OUTAGE = Duration.ofSeconds(60);
    private static final List<String> SHOPS = InstalledShops.names("fault-shop", 2);

    private static EndToEndSystem system;
    private static SystemClient client;
    private static Db db;
    private static InstalledShops shops;
    private static String facebookUser;
    private static final List<String> pages = new ArrayList<>();
    /** Page id → the name its last change event gave it. */
    private static final Map<String, String> pageNames = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        long started = System.nanoTime();
        system = EndToEndSystem.start("DependencyFaultIT", Map.of(
                "SIM_SHOPIFY_SHOPS", InstalledShops.simulatorSetting(SHOPS),
                "SIM_SHOPIFY_PRODUCTS", "200",
                "SIM_SHOPIFY_BUCKET_SIZE", "10000", "SIM_SHOPIFY_RESTORE_RATE", "1000",
                "STOREFRONT_JOBS_RETRY_INITIAL_BACKOFF", "2s",
                // The 2 s first retry spends up to 7 attempts on the 60 s outage; a loaded CI machine gets margin.
                "STOREFRONT_JOBS_MAX_ATTEMPTS", "12",
                "STOREFRONT_JOBS_LEASE", "20s",
                "STOREFRONT_FACEBOOK_MAX_WAIT", "3s",
                "GATEWAY_OUTBOX_MAX_BACKOFF", "10s"));
        long systemUp = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        client = new SystemClient(system);
        db = new Db(system);
        shops = InstalledShops.install(client, SHOPS);
        SystemClient.Install facebook = client.connectFacebook();
        assertThat(facebook.status()).as(facebook.body()).isEqualTo(200);
        facebookUser = facebook.userId();
        facebook.json().path("pages").forEach(page -> pages.add(page.path("id").asText()));
        assertThat(pages).hasSize(2);
        shops.awaitInSpaces(SHOPS, TIMEOUT);
        for (String page : pages) {
            SystemClient.await("page_data.json of " + page, TIMEOUT, () -> client.object(pageKey(page)).isPresent());
        }
        SystemClient.await("the install syncs to finish", TIMEOUT, db::idle);
        System.out.printf("DependencyFaultIT: system up in %d s, shops and pages in Spaces after %d s%n", systemUp,
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
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
    void aShopifyStormShouldEndInWholeCatalogsWithNoJobDead() throws Exception {
        String partWay = SHOPS.get(0);
        String mixed = SHOPS.get(1);
        // The first shop's first sync gets two answers, then five 500s: more than one query's
        // retries, so that attempt fails part-way through the products; the retry then meets
        // 503s, 429s and THROTTLED before it gets through.
        int partWayFaults = arm(partWay, "slow", 2) + arm(partWay, "500", 5) + arm(partWay, "503", 2)
                + arm(partWay, "429", 3) + arm(partWay, "throttled", 3);
        // The second shop's sync meets every kind in turn, each within what one query absorbs.
        int mixedFaults = 0;
        for (String kind : List.of("throttled", "503", "429", "throttled", "500", "429", "throttled", "503")) {
            mixedFaults += arm(mixed, kind, 1);
        }
        Map<String, SpacesWatcher.Check> watched = new LinkedHashMap<>();
        for (String shop : SHOPS) {
            watched.put(shops.productsKey(shop), InstalledShops.wholeCatalog(shops.storeSize(shop)));
        }
        OffsetDateTime stormStart = OffsetDateTime.now();
        long started = System.nanoTime();
        try (SpacesWatcher watcher = new SpacesWatcher(system, watched)) {
            for (String shop : SHOPS) {
                assertThat(client.shopifyEvents(shop, "products/update", 30).path("delivered").asInt()).isEqualTo(30);
            }
            shops.awaitInSpaces(SHOPS, TIMEOUT);
            SystemClient.await("every job to finish", TIMEOUT, db::idle);
            watcher.readAllOnce();
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

            JsonNode partWayStats = shopState(partWay).path("stats");
            JsonNode mixedStats = shopState(mixed).path("stats");
            List<Map<String, Object>> jobs = db.rows("""
                    SELECT target_id, status, attempts, last_error FROM worker.jobs WHERE updated_at >= ? ORDER BY updated_at""",
                    stormStart);
            System.out.printf("DependencyFaultIT Shopify: %d + %d faults armed, %d + %d served (%d + %d THROTTLED answers); "
                            + "jobs %s; catalogs right after %d ms; watcher read %d versions, %d problems%n",
                    partWayFaults, mixedFaults, partWayStats.path("faultsServed").asLong(),
                    mixedStats.path("faultsServed").asLong(), partWayStats.path("throttledResponses").asLong(),
                    mixedStats.path("throttledResponses").asLong(), jobs, millis, watcher.reads(), watcher.violations().size());

            assertThat(shopState(partWay).path("pendingFaults").asInt()).as("every armed fault was met").isZero();
            assertThat(partWayStats.path("faultsServed").asInt()).isEqualTo(partWayFaults);
            assertThat(mixedStats.path("faultsServed").asInt()).isEqualTo(mixedFaults);
            assertThat(partWayStats.path("throttledResponses").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(mixedStats.path("throttledResponses").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(jobs).as("the sync that failed part-way was retried")
                    .anyMatch(j -> partWay.equals(j.get("target_id")) && String.valueOf(j.get("last_error")).contains("HTTP 500"));
            assertThat(watcher.violations()).isEmpty();
            assertThat(db.deadJobs()).isEmpty();
            assertThat(shops.mismatched(SHOPS)).isEmpty();
        }
    }

    @Test
    @Order(2)
    void aGraphRateLimitStormShouldEndInCompletePageDocumentsWithNoJobDead() throws Exception {
        SystemClient.await("the system to be idle", TIMEOUT, db::idle);
        for (int code : List.of(4, 17, 32, 613)) {
            armGraph("{\"kind\":\"rate_limit\",\"code\":" + code + ",\"count\":1}");
        }
        armGraph("{\"kind\":\"500\",\"count\":2}");
        Map<String, SpacesWatcher.Check> watched = new LinkedHashMap<>();
        for (String page : pages) {
            watched.put(pageKey(page), json -> page.equals(json.path("id").asText()) && !json.path("name").asText().isBlank()
                    ? Optional.empty() : Optional.of("not a whole page " + page + ": " + json));
        }
        OffsetDateTime stormStart = OffsetDateTime.now();
        long started = System.nanoTime();
        Map<String, String> names = new LinkedHashMap<>();
        try (SpacesWatcher watcher = new SpacesWatcher(system, watched)) {
            for (String page : pages) {
                HttpResponse<String> event = client.postJson(system.facebookSimulatorUrl() + "/_sim/pages/" + page
                        + "/events", "{\"field\":\"name\",\"count\":2}", null);
                JsonNode answer = SystemClient.JSON.readTree(event.body());
                assertThat(answer.path("delivered").asInt()).as(event.body()).isEqualTo(2);
                names.put(page, answer.path("events").get(1).path("value").asText());
            }
            for (String page : pages) {
                SystemClient.await("page " + page + " named " + names.get(page), TIMEOUT,
                        () -> names.get(page).equals(pageName(page)));
            }
            SystemClient.await("every job to finish", TIMEOUT, db::idle);
            watcher.readAllOnce();
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

            JsonNode armed = SystemClient.JSON.readTree(client.get(system.facebookSimulatorUrl() + "/_sim/faults", null)
                    .body()).path("armed");
            List<Map<String, Object>> jobs = db.rows("""
                    SELECT target_id, status, attempts, last_error FROM worker.jobs WHERE updated_at >= ? ORDER BY updated_at""",
                    stormStart);
            System.out.printf("DependencyFaultIT Graph: 6 faults armed, %d left; jobs %s; pages right after %d ms; "
                    + "watcher read %d versions, %d problems%n", armed.size(), jobs, millis, watcher.reads(),
                    watcher.violations().size());

            assertThat(armed).as("every armed Graph fault was met").isEmpty();
            assertThat(watcher.violations()).isEmpty();
            assertThat(db.deadJobs()).isEmpty();
            assertThat(jobs).allMatch(j -> List.of("succeeded", "failed").contains(j.get("status")), "finished");
        }
    }

    @Test
    @Order(3)
    void spacesDownFor60SecondsDuringSyncsShouldDelayJobsAndNeverLeaveAPartialObject() throws Exception {
        Map<String, SpacesWatcher.Check> watched = new LinkedHashMap<>();
        for (String shop : SHOPS) {
            watched.put(shops.productsKey(shop), InstalledShops.wholeCatalog(shops.storeSize(shop)));
            watched.put(shops.metadataKey(shop), json -> json.path("shop").isObject() ? Optional.empty()
                    : Optional.of("no shop in the metadata"));
        }
        for (String page : pages) {
            watched.put(pageKey(page), json -> page.equals(json.path("id").asText()) && !json.path("name").asText().isBlank()
                    ? Optional.empty() : Optional.of("not page " + page + ": " + json));
        }
        OffsetDateTime scenarioStart = OffsetDateTime.now();
        SpacesWatcher watcher = new SpacesWatcher(system, watched);
        long spacesBack;
        long readsBefore;
        try {
            changeEverything(20);
            awaitARunningSync(scenarioStart);
            system.stopSpaces();
            long down = System.nanoTime();
            readsBefore = watcher.reads();

            Thread.sleep(SPACES_OUTAGE.dividedBy(3).toMillis());
            changeEverything(10); // more work arrives while Spaces is away
            Thread.sleep(Math.max(0, SPACES_OUTAGE.toMillis() - Duration.ofNanos(System.nanoTime() - down).toMillis()));
            long failedDuringOutage = db.count("SELECT count(*) FROM worker.jobs WHERE updated_at >= ? AND last_error IS NOT NULL",
                    scenarioStart);
            long readsDuringOutage = watcher.reads() - readsBefore;
            system.startSpaces();
            long outage = Duration.ofNanos(System.nanoTime() - down).toMillis();
            long back = System.nanoTime();

            shops.awaitInSpaces(SHOPS, TIMEOUT);
            for (String page : pages) {
                SystemClient.await("page " + page + " named " + pageNames.get(page), TIMEOUT,
                        () -> pageNames.get(page).equals(pageName(page)));
            }
            SystemClient.await("every job to finish", TIMEOUT, db::idle);
            spacesBack = Duration.ofNanos(System.nanoTime() - back).toMillis();
            watcher.readAllOnce();

            List<Map<String, Object>> jobs = db.rows("""
                    SELECT target_id, status, attempts, last_error FROM worker.jobs WHERE updated_at >= ? ORDER BY updated_at""",
                    scenarioStart);
            long retried = jobs.stream().filter(j -> j.get("last_error") != null).count();
            int maxAttempts = jobs.stream().mapToInt(j -> (Integer) j.get("attempts")).max().orElse(0);
            System.out.printf("DependencyFaultIT Spaces: down %d ms; %d jobs touched, %d failed at least once (%d while "
                            + "it was down), up to %d attempts; all documents right %d ms after it came back; watcher read "
                            + "%d object versions (%d while down, %d refused), found %d problems%n",
                    outage, jobs.size(), retried, failedDuringOutage, maxAttempts, spacesBack, watcher.reads(),
                    readsDuringOutage, watcher.unavailableReads(), watcher.violations().size());

            assertThat(outage).isGreaterThanOrEqualTo(SPACES_OUTAGE.toMillis());
            assertThat(failedDuringOutage).as("syncs that met the outage and will retry").isPositive();
            assertThat(watcher.unavailableReads()).as("the watcher met the outage").isPositive();
            assertThat(watcher.violations()).isEmpty();
            assertThat(db.deadJobs()).isEmpty();
            assertThat(jobs).allMatch(j -> List.of("succeeded", "failed").contains(j.get("status")), "finished");
        } finally {
            watcher.close();
        }
        // Every object as it stands: whole, and recorded under the hash of exactly these bytes.
        for (String key : watched.keySet()) {
            byte[] body = client.object(key).orElseThrow();
            assertThat(body).as(key).isNotEmpty();
            assertThat(db.rows("SELECT sha256 FROM worker.documents WHERE object_key = ?", key))
                    .as(key).extracting(row -> row.get("sha256")).containsExactly(CanonicalJson.sha256Hex(body));
        }
        assertThat(shops.mismatched(SHOPS)).isEmpty();
    }

    @Test
    @Order(4)
    void postgresRestartedUnderLoadShouldNeverAcknowledgeAWebhookItDidNotStore() throws Exception {
        SystemClient.await("the system to be idle", TIMEOUT, db::idle);
        String secret = system.env().get("SHOPIFY_API_SECRET");
        SteadyWebhooks stream = new SteadyWebhooks(system.gateway().url(), secret, SHOPS).start(Duration.ofMillis(50));
        Thread.sleep(4000);
        Instant stopping = Instant.now();
        system.stopDatabase();
        Thread.sleep(5000);
        system.startDatabase();
        Instant up = Instant.now();
        // The stream goes on while we wait for both services to report ready again.
        SystemClient.await("both services ready again", TIMEOUT,
                () -> system.gateway().isReady() && system.worker().isReady());
        long readyAfter = Duration.between(up, Instant.now()).toMillis();
        Thread.sleep(Math.max(0, 8000 - readyAfter));
        stream.stop();
        List<SteadyWebhooks.Delivery> deliveries = stream.deliveries();

        List<SteadyWebhooks.Delivery> ok = deliveries.stream().filter(SteadyWebhooks.Delivery::ok).toList();
        List<SteadyWebhooks.Delivery> refused = deliveries.stream().filter(SteadyWebhooks.Delivery::serverError).toList();
        long refusedInOutage = refused.stream().filter(d -> !d.sent().isBefore(stopping) && d.sent().isBefore(up)).count();
        long okAfterRestart = ok.stream().filter(d -> d.sent().isAfter(up)).count();
        Instant lastRefused = refused.stream().map(SteadyWebhooks.Delivery::answered).max(Instant::compareTo).orElse(up);
        long slowestRefusal = refused.stream().mapToLong(d -> Duration.between(d.sent(), d.answered()).toMillis()).max().orElse(0);
        System.out.printf("DependencyFaultIT PostgreSQL: %d webhooks sent at 20/s, answers %s; %d refused with 5xx "
                        + "(%d sent during the %d ms outage, the slowest refusal in %d ms, the last one answered %d ms "
                        + "after PostgreSQL was back), %d stored after the restart; both services ready %d ms after "
                        + "PostgreSQL%n",
                deliveries.size(), SteadyWebhooks.summary(deliveries), refused.size(), refusedInOutage,
                Duration.between(stopping, up).toMillis(), slowestRefusal, Duration.between(up, lastRefused).toMillis(),
                okAfterRestart, readyAfter);

        assertThat(deliveries).as("every delivery got a 200 or a 5xx, never a 4xx or no answer")
                .allMatch(d -> d.ok() || d.serverError(), "200 or 5xx");
        assertThat(refusedInOutage).as("5xx while the database was down, so Shopify retries").isPositive();
        assertThat(okAfterRestart).as("webhooks stored again after the restart").isPositive();
        List<String> acknowledged = SteadyWebhooks.eventIds(ok);
        assertThat(db.count("SELECT count(*) FROM gateway.webhook_receipts WHERE dedupe_key = ANY(?)",
                acknowledged.stream().map(id -> "shopify:" + id).toList()))
                .as("every event answered 200 is in the receipts").isEqualTo(acknowledged.size());
        assertThat(db.count("SELECT count(*) FROM gateway.outbox WHERE event_id = ANY(?)", acknowledged))
                .as("every event answered 200 is in the outbox").isEqualTo(acknowledged.size());

        // Shopify's retries of the refused deliveries (same event ids) are now stored.
        SteadyWebhooks retries = new SteadyWebhooks(system.gateway().url(), secret, SHOPS);
        refused.forEach(d -> retries.send(d.eventId(), d.shop()));
        retries.stop();
        assertThat(retries.deliveries()).hasSize(refused.size()).allMatch(SteadyWebhooks.Delivery::ok, "200");
        List<String> all = SteadyWebhooks.eventIds(deliveries);
        assertThat(db.count("SELECT count(*) FROM gateway.webhook_receipts WHERE dedupe_key = ANY(?)",
                all.stream().map(id -> "shopify:" + id).toList())).isEqualTo(all.stream().distinct().count());

        // Real changes after the restart travel the whole way.
        for (String shop : SHOPS) {
            assertThat(client.shopifyEvents(shop, "products/update", 5).path("delivered").asInt()).isEqualTo(5);
        }
        shops.awaitInSpaces(SHOPS, TIMEOUT);
        SystemClient.await("the outbox to drain", TIMEOUT, () -> db.undeliveredOutboxRows() == 0);
        SystemClient.await("every job to finish", TIMEOUT, db::idle);
        assertThat(db.deadJobs()).isEmpty();
    }

    private static int arm(String shop, String kind, int count) throws Exception {
        ObjectNode fault = SystemClient.JSON.createObjectNode().put("shop", shop).put("kind", kind).put("count", count)
                .put("retryAfterSeconds", 1).put("delayMillis", 200);
        HttpResponse<String> armed = client.postJson(system.shopifySimulatorUrl() + "/_sim/faults", fault.toString(), null);
        assertThat(armed.statusCode()).as(armed.body()).isEqualTo(201);
        return count;
    }

    private static void armGraph(String fault) throws Exception {
        HttpResponse<String> armed = client.postJson(system.facebookSimulatorUrl() + "/_sim/faults", fault, null);
        assertThat(armed.statusCode()).as(armed.body()).isEqualTo(200);
    }

    private static JsonNode shopState(String shop) throws Exception {
        return SystemClient.JSON.readTree(client.get(system.shopifySimulatorUrl() + "/_sim/shops/" + shop + "/state", null)
                .body());
    }

    private static String pageKey(String pageId) {
        return "users/" + facebookUser + "/facebook/" + pageId + "/page_data.json";
    }

    /** Real store and Page changes (webhooks delivered by the simulators) for every shop and Page. */
    private static void changeEverything(int productUpdates) throws Exception {
        for (String shop : SHOPS) {
            assertThat(client.shopifyEvents(shop, "products/update", productUpdates).path("delivered").asInt())
                    .isEqualTo(productUpdates);
        }
        for (String page : pages) {
            HttpResponse<String> event = client.postJson(system.facebookSimulatorUrl() + "/_sim/pages/" + page + "/events",
                    "{\"field\":\"name\"}", null);
            JsonNode answer = SystemClient.JSON.readTree(event.body());
            assertThat(answer.path("delivered").asInt()).as(event.body()).isEqualTo(1);
            pageNames.put(page, answer.path("events").get(0).path("value").asText());
        }
    }

    /** Waits (briefly, closely) for a sync to be under way, so the outage starts in the middle of work. */
    private static void awaitARunningSync(OffsetDateTime since) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && db.countUnchecked(
                "SELECT count(*) FROM worker.jobs WHERE status = 'running' AND updated_at >= ?", since) == 0) {
            Thread.sleep(20);
        }
    }

    private static String pageName(String page) {
        try {
            Optional<byte[]> object = client.object(pageKey(page));
            return object.isEmpty() ? "" : SystemClient.JSON.readTree(object.get()).path("name").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
