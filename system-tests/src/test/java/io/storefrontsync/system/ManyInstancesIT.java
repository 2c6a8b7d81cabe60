package io.storefrontsync.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storefrontsync.sandbox.testing.EndToEndSystem;
import io.storefrontsync.sandbox.testing.FreePorts;
import io.storefrontsync.sandbox.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
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
 * SIGTERMed and started again (a rolling deploy: its jobs finish within the 2 s shutdown timeout or are handed back,
 * never left to their lease), each while it runs jobs. Asserted: every webhook stored once and
 * every outbox row delivered, every event counted into a job, no job dead, no two runs of one target ever overlapping
 * ({@code worker.job_runs}, the audit V53 keeps of every run), every shop's catalog in Spaces equal to its store.
 *
 * <p>Each gateway sends to its own worker ({@code SYNC_WORKER_URL}: gateway 1 → worker 1, gateway 2 → worker 2), as
 * App Platform's internal routing would spread them; any gateway may deliver any outbox row.
 *
 * <p>The build runs it at 40 shops, for CI time; {@code bench/run-many-instances.sh} runs the same test at the issue's
 * 200 shops through the system properties below ({@code many.shops}, {@code many.latency-ms}, {@code many.events},
 * {@code many.timeout-minutes}). Either way it prints its figures and writes them to
 * {@code target/e2e/ManyInstancesIT/summary.json}, where the bench script takes them from.
 */
class ManyInstancesIT {

    /** Shops installed and stormed: 40 in the build, 200 in the bench run. */
    private static final int SHOP_COUNT = Integer.getInteger("many.shops", 40);
    /** Added by the simulator to every Admin API request once the shops are installed. */
    private static final int LATENCY_MS = Integer.getInteger("many.latency-ms", 100);
    /** Webhooks per shop and topic in the first wave; the second wave, after the restart, sends half as many. */
    private static final int EVENTS = Integer.getInteger("many.events", 10);
    /** Each wait's bound: 4 minutes at the build's 40 shops, growing with the shop count (20 at 200). */
    private static final Duration TIMEOUT = Duration.ofMinutes(Long.getLong("many.timeout-minutes",
            Math.max(4, (4L * SHOP_COUNT + 39) / 40)));
    private static final List<String> SHOPS = InstalledShops.names("fleet-shop", SHOP_COUNT);
    private static final List<String> TOPICS = List.of("products/update", "inventory_levels/update");
    private static final Path LOGS = Path.of("target", "e2e", "ManyInstancesIT");

    private static EndToEndSystem system;
    private static ServiceProcess worker2;
    private static ServiceProcess worker3;
    private static ServiceProcess gateway2;
    private static SystemClient client;
    private static Db db;
    private static InstalledShops shops;
    private static long installSeconds;

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
        assertThat(client.postJson(system.shopifySimulatorUrl() + "/_sim/latency", "{\"millis\":" + LATENCY_MS + "}", null)
                .statusCode()).isEqualTo(200);
        installSeconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        System.out.printf("ManyInstancesIT: 2 gateways, 3 workers up and %d shops installed after %d s%n", SHOPS.size(),
                installSeconds);
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
                calls.add(CompletableFuture.supplyAsync(() -> events(shop, topic, EVENTS, uri), senders));
            }
        }
        // The disruption comes three eighths into the first wave (300 of 800 webhooks at 40 shops).
        long firstWave = (long) SHOPS.size() * TOPICS.size() * EVENTS;
        SystemClient.await("the first " + firstWave * 3 / 8 + " webhooks to be stored", TIMEOUT, () -> db.countUnchecked(
                "SELECT count(*) FROM gateway.outbox WHERE created_at >= ?", runStart) >= firstWave * 3 / 8);
        long crashedPid = worker3.pid();
        long redeployedPid = worker2.pid();
        // Crash it while it holds work, so the kill surely cuts running jobs.
        SystemClient.await("worker 3 to be running a job", TIMEOUT, () -> isRunningJobs(crashedPid));
        OffsetDateTime killedAt = OffsetDateTime.now();
        worker3.kill();
        List<String> runningAtCrash = runningOf(crashedPid);
        // Stop the other while it holds work too, so the SIGTERM meets running jobs (at 200 shops it held none otherwise).
        SystemClient.await("worker 2 to be running a job", TIMEOUT, () -> isRunningJobs(redeployedPid));
        OffsetDateTime stoppedAt = OffsetDateTime.now();
        List<String> runningAtStop = runningOf(redeployedPid);
        worker2.stop();
        OffsetDateTime exitedAt = OffsetDateTime.now();
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
            second.add(CompletableFuture.supplyAsync(() -> events(shop, "inventory_levels/update", EVENTS / 2, uri),
                    senders));
        }
        for (CompletableFuture<JsonNode> call : second) {
            JsonNode answer = call.join();
            delivered += answer.path("delivered").asLong();
            answer.path("events").forEach(event -> eventIds.add(event.path("eventId").asText()));
        }
        senders.shutdown();
        int total = SHOPS.size() * (TOPICS.size() * EVENTS + EVENTS / 2);

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
        // Exact concurrency from the audit: at each run's start, the runs of its target open at that instant (itself included).
        long maxConcurrentPerTarget = db.count("""
                SELECT coalesce(max(n), 0) FROM (
                  SELECT count(*) AS n FROM worker.job_runs a JOIN worker.job_runs b
                    ON a.target_kind = b.target_kind AND a.target_id = b.target_id
                   AND a.started_at <@ tstzrange(b.started_at, coalesce(b.ended_at, 'infinity'))
                  GROUP BY a.id) runs""");
        long runs = db.count("SELECT count(*) FROM worker.job_runs WHERE started_at >= ?", runStart);
        long jobs = db.count("SELECT count(DISTINCT job_id) FROM worker.job_runs WHERE started_at >= ?", runStart);
        // SIGTERM: how the redeployed process's runs of the jobs it held ended, and when (ms after the signal): finished,
        // or given back: pending (waiting, for a parked job) or, when its target had a newer pending job, folded into
        // that one (failed, "handed back at shutdown …; continued in job …"). Its lease running out would also end one
        // pending, but that is asserted never to happen (stopLeaseExpiries).
        List<Map<String, Object>> stopRuns = db.rows("""
                SELECT r.job_id::text AS id, r.outcome,
                       coalesce(r.outcome IN ('pending', 'waiting') OR j.last_error LIKE 'handed back at shutdown%', false)
                         AS handed_back,
                       round(extract(epoch FROM r.ended_at - ?::timestamptz) * 1000)::bigint AS ended_ms
                  FROM worker.job_runs r JOIN worker.jobs j ON j.id = r.job_id
                 WHERE r.lease_owner LIKE ? AND r.job_id::text = ANY(?) ORDER BY r.ended_at""",
                stoppedAt, redeployedPid + "@%", runningAtStop);
        List<String> handedBack = stopRuns.stream().filter(row -> Boolean.TRUE.equals(row.get("handed_back")))
                .map(row -> (String) row.get("id")).toList();
        long finishedInGrace = stopRuns.stream().filter(row -> "succeeded".equals(row.get("outcome"))).count();
        // Attempts counted beyond one: a crash's cut run costs its job an attempt (the lease expires), a hand-back none.
        long attemptsBurned = db.count("""
                SELECT coalesce(sum(attempts - 1), 0) FROM worker.jobs
                 WHERE id IN (SELECT job_id FROM worker.job_runs WHERE started_at >= ?)""", runStart);
        long stopLeaseExpiries = db.count("SELECT count(*) FROM worker.jobs WHERE last_error LIKE ?",
                "lease of " + redeployedPid + "@% expired%");
        long leaseExpiries = db.count("""
                SELECT count(*) FROM worker.jobs WHERE id IN (SELECT job_id FROM worker.job_runs WHERE started_at >= ?)
                   AND last_error LIKE 'lease of % expired%'""", runStart);
        Map<String, Object> crashClaims = claimDelays(runningAtCrash, crashedPid, killedAt);
        // The takeover's first part: when a surviving worker's poll found the cut runs' lease run out and closed them.
        Map<String, Object> crashReclaims = db.rows("""
                SELECT count(*) AS runs, coalesce(round(min(ms)), -1) AS min, coalesce(round(max(ms)), -1) AS max FROM (
                  SELECT extract(epoch FROM ended_at - ?::timestamptz) * 1000 AS ms FROM worker.job_runs
                   WHERE job_id::text = ANY(?) AND lease_owner LIKE ?) reclaims""",
                killedAt, runningAtCrash, crashedPid + "@%").get(0);
        Map<String, Object> stopClaims = claimDelays(handedBack, redeployedPid, stoppedAt);
        double stormMinutes = settled / 60_000.0;
        ObjectNode summary = SystemClient.JSON.createObjectNode()
                .put("shops", SHOPS.size()).put("latency_ms", LATENCY_MS).put("events_per_shop_and_topic", EVENTS)
                .put("install_and_first_syncs_s", installSeconds)
                .put("webhooks_sent", eventIds.size()).put("webhooks_acknowledged", delivered)
                .put("webhooks_stored", receipts).put("outbox_rows_delivered", forwarded)
                .put("events_in_jobs", eventsInJobs)
                .put("disruption_at_ms", disruption).put("settled_after_ms", settled)
                .put("runs", runs).put("jobs_run", jobs).put("runs_succeeded", syncs)
                .put("jobs_per_minute", Math.round(syncs / stormMinutes * 10) / 10.0)
                .put("sigkill_jobs_cut", runningAtCrash.size())
                .put("sigterm_jobs_running_at_stop", runningAtStop.size())
                .put("sigterm_jobs_finished_before_exit", finishedInGrace)
                .put("sigterm_jobs_handed_back", handedBack.size())
                .put("sigterm_attempts_burned", stopLeaseExpiries)
                .put("attempts_burned", attemptsBurned).put("lease_expiries", leaseExpiries)
                .put("max_concurrent_runs_per_target", maxConcurrentPerTarget)
                .put("overlapping_run_pairs", overlapping).put("runs_never_closed", openRuns)
                .put("dead_jobs", db.deadJobs().size());
        summary.set("sigkill_lease_reclaimed_ms", SystemClient.JSON.valueToTree(crashReclaims));
        summary.set("sigkill_claimed_by_another_ms", SystemClient.JSON.valueToTree(crashClaims));
        summary.set("sigterm_claimed_by_another_ms", SystemClient.JSON.valueToTree(stopClaims));
        summary.put("sigterm_exit_ms", Duration.between(stoppedAt, exitedAt).toMillis());
        summary.set("sigterm_runs", SystemClient.JSON.valueToTree(stopRuns));
        summary.set("runs_per_instance", SystemClient.JSON.valueToTree(runsByOwner));
        Map<String, String> mismatched = shops.mismatched(SHOPS);
        summary.put("catalogs_compared", SHOPS.size()).put("catalogs_different", mismatched.size());
        Files.createDirectories(LOGS);
        SystemClient.JSON.writerWithDefaultPrettyPrinter().writeValue(LOGS.resolve("summary.json").toFile(), summary);
        System.out.println("ManyInstancesIT summary: " + summary);
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
        assertThat(maxConcurrentPerTarget).as("most runs of one target open at once (worker.job_runs)").isEqualTo(1);
        assertThat(openRuns).as("runs never closed").isZero();
        assertThat(instances).as("worker processes that ran jobs (3, and the redeployed one's new process)")
                .isGreaterThanOrEqualTo(3);
        assertThat(runningAtCrash).as("jobs the crash cut").isNotEmpty();
        assertThat(runningAtStop).as("jobs the SIGTERM met").isNotEmpty();
        assertThat(stopLeaseExpiries).as("jobs of the SIGTERMed worker left to run out their lease (an attempt burned)")
                .isZero();
        assertThat(reclaimed).as("the crashed worker's jobs finished by another after their lease")
                .isEqualTo(runningAtCrash.size());
        assertThat(db.deadJobs()).isEmpty();
        assertThat(mismatched).isEmpty();
    }

    /**
     * How long after {@code from} (the SIGKILL, the SIGTERM) another process started working the target of each of
     * {@code jobs}: the fastest and the slowest, and for how many targets. By target, not job: a cut job whose target
     * has a pending job meanwhile is folded into it ({@code failed}, "continued in job …") and that one runs. While the
     * cut job's lease holds, no run of its target can start anywhere, so the first one after {@code from} is the
     * takeover.
     */
    private static Map<String, Object> claimDelays(List<String> jobs, long pid, OffsetDateTime from) throws Exception {
        return db.rows("""
                SELECT count(*) AS targets, coalesce(round(min(ms)), -1) AS min, coalesce(round(max(ms)), -1) AS max FROM (
                  SELECT extract(epoch FROM min(r.started_at) - ?::timestamptz) * 1000 AS ms FROM worker.job_runs r
                   WHERE (r.target_kind, r.target_id) IN (SELECT target_kind, target_id FROM worker.jobs WHERE id::text = ANY(?))
                     AND r.lease_owner NOT LIKE ? AND r.started_at >= ?::timestamptz
                   GROUP BY r.target_kind, r.target_id) claims""", from, jobs, pid + "@%", from).get(0);
    }

    private static boolean isRunningJobs(long pid) {
        try {
            return !runningOf(pid).isEmpty();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
