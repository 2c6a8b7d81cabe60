package io.storefrontsync.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefrontsync.sandbox.testing.EndToEndSystem;
import io.storefrontsync.sandbox.testing.FreePorts;
import io.storefrontsync.sandbox.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #15, many instances: two gateways and three workers on one PostgreSQL, against a Shopify simulator answering
 * each Admin API request 100 ms late (a realistic round trip). Webhooks for 40 shops arrive at both gateways; in the
 * middle of the stream one worker is SIGKILLed (a crash: its jobs come back after their lease) and another is
 * SIGTERMed and started again (a rolling deploy: its jobs are handed back). Asserted: every webhook stored once and
 * every outbox row delivered, every event counted into a job, no job dead, no two runs of one target ever overlapping
 * ({@code worker.job_runs}, the audit V53 keeps of every run), every shop's catalog in Spaces equal to its store.
 *
 * <p>Each gateway sends to its own worker ({@code SYNC_WORKER_URL}: gateway 1 → worker 1, gateway 2 → worker 2), as
 * App Platform's internal routing would spread them; any gateway may deliver any outbox row.
 */
class ManyInstancesIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final List<String> SHOPS = InstalledShops.names("fleet-shop", 40);
    private static final List<String> TOPICS = List.of("products/update", "inventory_levels/update");
    private static final Path LOGS = Path.of("target", "e2e", "ManyInstancesIT");

    private static EndToEndSystem system;
    private static ServiceProcess worker2;
    private static ServiceProcess worker3;
    private static ServiceProcess gateway2;
    private static SystemClient client;
    private static Db db;
    private static InstalledShops shops;

    @BeforeAll
    static void start() throws Exception {
        long started = System.nanoTime();
        system = EndToEndSystem.start("ManyInstancesIT", Map.of(
                "SIM_SHOPIFY_SHOPS", InstalledShops.simulatorSetting(SHOPS),
                "SIM_SHOPIFY_PRODUCTS", "20", "SIM_SHOPIFY_COLLECTIONS", "3", "SIM_SHOPIFY_DISCOUNTS", "2",
                "SIM_SHOPIFY_BUCKET_SIZE", "10000", "SIM_SHOPIFY_RESTORE_RATE", "1000",
                "SIM_SHOPIFY_WEBHOOK_MAX_ATTEMPTS", "8",
                "STOREFRONT_JOBS_LEASE", "20s",
                "GATEWAY_OUTBOX_MAX_BACKOFF", "5s",
                "QUARKUS_SHUTDOWN_TIMEOUT", "2s"));
        Path workerJar = Path.of(System.getProperty("e2e.worker.jar"));
        worker2 = new ServiceProcess("sync-worker-2", workerJar, system.env(), FreePorts.next(), LOGS);
        worker3 = new ServiceProcess("sync-worker-3", workerJar, system.env(), FreePorts.next(), LOGS);
        Map<String, String> gateway2Env = new HashMap<>(system.env());
        gateway2Env.put("SYNC_WORKER_URL", worker2.url());
        gateway2 = new ServiceProcess("oauth-gateway-2", Path.of(System.getProperty("e2e.gateway.jar")), gateway2Env,
                FreePorts.next(), LOGS);
        CompletableFuture.allOf(CompletableFuture.runAsync(worker2::start), CompletableFuture.runAsync(worker3::start),
                CompletableFuture.runAsync(gateway2::start)).join();
        client = new SystemClient(system);
        db = new Db(system);
        shops = InstalledShops.install(client, SHOPS);
        shops.awaitInSpaces(SHOPS, TIMEOUT);
        SystemClient.await("the install syncs to finish", TIMEOUT, db::idle);
        assertThat(client.postJson(system.shopifySimulatorUrl() + "/_sim/latency", "{\"millis\":100}", null).statusCode())
                .isEqualTo(200);
        System.out.printf("ManyInstancesIT: 2 gateways, 3 workers up and %d shops installed after %d s%n", SHOPS.size(),
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        for (ServiceProcess process : new ServiceProcess[] {gateway2, worker2, worker3}) {
            if (process != null) {
                process.stop();
            }
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void twoGatewaysAndThreeWorkersShouldLoseNothingWhenOneWorkerCrashesAndOneIsRedeployed() throws Exception {
        OffsetDateTime runStart = OffsetDateTime.now();
        long started = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < SHOPS.size(); i++) {
            // Even shops through their subscriptions (gateway 1), odd ones straight at gateway 2.
            String uri = i % 2 == 0 ? null : gateway2.url() + "/shopify/webhook";
            for (String topic : TOPICS) {
                String shop = SHOPS.get(i);
                calls.add(CompletableFuture.supplyAsync(() -> events(shop, topic, 10, uri), senders));
            }
        }
        SystemClient.await("the first 300 webhooks to be stored", TIMEOUT, () -> db.countUnchecked(
                "SELECT count(*) FROM gateway.outbox WHERE created_at >= ?", runStart) >= 300);
        long crashedPid = worker3.pid();
        long redeployedPid = worker2.pid();
        // Crash it while it holds work, so the kill surely cuts running jobs.
        SystemClient.await("worker 3 to be running a job", TIMEOUT, () -> {
            try {
                return !runningOf(crashedPid).isEmpty();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        worker3.kill();
        List<String> runningAtCrash = runningOf(crashedPid);
        List<String> runningAtStop = runningOf(redeployedPid);
        worker2.stop();
        worker2.start();
        long disruption = Duration.ofNanos(System.nanoTime() - started).toMillis();

        List<String> eventIds = new ArrayList<>();
        long delivered = 0;
        for (CompletableFuture<JsonNode> call : calls) {
            JsonNode answer = call.join();
            delivered += answer.path("delivered").asLong();
            answer.path("events").forEach(event -> eventIds.add(event.path("eventId").asText()));
        }
        // A second wave after the restart, so the redeployed worker and both gateways carry it too.
        List<CompletableFuture<JsonNode>> second = new ArrayList<>();
        for (int i = 0; i < SHOPS.size(); i++) {
            String uri = i % 2 == 0 ? gateway2.url() + "/shopify/webhook" : null;
            String shop = SHOPS.get(i);
            second.add(CompletableFuture.supplyAsync(() -> events(shop, "inventory_levels/update", 5, uri), senders));
        }
        for (CompletableFuture<JsonNode> call : second) {
            JsonNode answer = call.join();
            delivered += answer.path("delivered").asLong();
            answer.path("events").forEach(event -> eventIds.add(event.path("eventId").asText()));
        }
        senders.shutdown();
        int total = SHOPS.size() * (TOPICS.size() * 10 + 5);

        shops.awaitInSpaces(SHOPS, TIMEOUT);
        SystemClient.await("the outbox to drain", TIMEOUT, () -> db.undeliveredOutboxRows() == 0);
        SystemClient.await("every job to finish", TIMEOUT, db::idle);
        shops.awaitInSpaces(SHOPS, TIMEOUT);
        long settled = Duration.ofNanos(System.nanoTime() - started).toMillis();

        long receipts = db.count("SELECT count(*) FROM gateway.webhook_receipts WHERE dedupe_key = ANY(?)",
                eventIds.stream().map(id -> "shopify:" + id).toList());
        long forwarded = db.count("SELECT count(*) FROM gateway.outbox WHERE event_id = ANY(?) AND delivered_at IS NOT NULL",
                eventIds);
        long eventsInJobs = db.count("""
                SELECT coalesce(sum(coalesced_events), 0) FROM worker.jobs
                WHERE created_at >= ? AND trigger = 'webhook' AND status <> 'failed'""", runStart);
        long overlapping = db.count("""
                SELECT count(*) FROM worker.job_runs a JOIN worker.job_runs b
                  ON a.target_kind = b.target_kind AND a.target_id = b.target_id AND a.id < b.id
                 WHERE tstzrange(a.started_at, coalesce(a.ended_at, 'infinity'))
                       && tstzrange(b.started_at, coalesce(b.ended_at, 'infinity'))""");
        long openRuns = db.count("SELECT count(*) FROM worker.job_runs WHERE ended_at IS NULL");
        List<Map<String, Object>> runsByOwner = db.rows("""
                SELECT split_part(lease_owner, '@', 1) AS pid, outcome, count(*) AS runs
                  FROM worker.job_runs WHERE started_at >= ? GROUP BY 1, 2 ORDER BY 1, 2""", runStart);
        long instances = runsByOwner.stream().map(row -> row.get("pid")).distinct().count();
        long reclaimed = db.count("""
                SELECT count(*) FROM worker.jobs WHERE id::text = ANY(?) AND status IN ('succeeded', 'failed')""",
                runningAtCrash);
        long syncs = db.count("""
                SELECT count(*) FROM worker.job_runs WHERE started_at >= ? AND outcome = 'succeeded'""", runStart);
        System.out.printf("ManyInstancesIT: %d webhooks over %d shops through 2 gateways, %d acknowledged; worker 3 "
                        + "(pid %d) SIGKILLed holding %d jobs, worker 2 (pid %d) SIGTERMed holding %d and restarted, "
                        + "%d ms into the run; %d receipts, %d delivered outbox rows, %d events in jobs, %d runs succeeded; "
                        + "runs per instance %s; settled after %d ms%n",
                eventIds.size(), SHOPS.size(), delivered, crashedPid, runningAtCrash.size(), redeployedPid,
                runningAtStop.size(), disruption, receipts, forwarded, eventsInJobs, syncs, runsByOwner, settled);

        assertThat(eventIds).hasSize(total).doesNotHaveDuplicates();
        assertThat(delivered).as("webhooks the gateways acknowledged with 2xx").isEqualTo(total);
        assertThat(receipts).as("events stored by the gateways").isEqualTo(total);
        assertThat(forwarded).as("outbox rows delivered to a worker").isEqualTo(total);
        assertThat(db.undeliveredOutboxRows()).isZero();
        assertThat(eventsInJobs).as("events the workers queued as (coalesced) jobs").isGreaterThanOrEqualTo(total);
        assertThat(overlapping).as("runs of one target that overlapped (worker.job_runs)").isZero();
        assertThat(openRuns).as("runs never closed").isZero();
        assertThat(instances).as("worker processes that ran jobs (3, and the redeployed one's new process)")
                .isGreaterThanOrEqualTo(3);
        assertThat(runningAtCrash).as("jobs the crash cut").isNotEmpty();
        assertThat(reclaimed).as("the crashed worker's jobs finished by another after their lease")
                .isEqualTo(runningAtCrash.size());
        assertThat(db.deadJobs()).isEmpty();
        assertThat(shops.mismatched(SHOPS)).isEmpty();
    }

    private static List<String> runningOf(long pid) throws Exception {
        return db.rows("SELECT id::text AS id FROM worker.jobs WHERE status = 'running' AND lease_owner LIKE ?", pid + "@%")
                .stream().map(row -> (String) row.get("id")).toList();
    }

    private static JsonNode events(String shop, String topic, int count, String uri) {
        try {
            var body = SystemClient.JSON.createObjectNode().put("topic", topic).put("count", count);
            if (uri != null) {
                body.put("uri", uri);
            }
            var response = client.postJson(system.shopifySimulatorUrl() + "/_sim/shops/" + shop + "/events",
                    body.toString(), null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return SystemClient.JSON.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(topic + " events for " + shop, e);
        }
    }
}
