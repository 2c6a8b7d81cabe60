package io.storefrontsync.system;

import io.storefrontsync.sandbox.testing.EndToEndSystem;
import io.storefrontsync.sandbox.testing.FreePorts;
import io.storefrontsync.sandbox.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #15, shutdown: two workers on one database, four syncs held mid-request by a slow Shopify (25 s per answer),
 * and the instance holding them is sent SIGTERM, as a deploy does. With {@code quarkus.shutdown.timeout} at 2 s it
 * cannot wait for them: it must hand them back — lease released, no attempt counted — so the other instance claims
 * them within seconds (its next poll), not after the 60 s lease, and each job ends succeeded after one attempt.
 */
class WorkerShutdownIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Duration SLOW_ANSWER = Duration.ofSeconds(25);
    private static final List<String> SHOPS = InstalledShops.names("drain-shop", 4);

    private static EndToEndSystem system;
    private static ServiceProcess second;
    private static SystemClient client;
    private static Db db;
    private static InstalledShops shops;

    @BeforeAll
    static void start() throws Exception {
        system = EndToEndSystem.start("WorkerShutdownIT", Map.of(
                "SIM_SHOPIFY_SHOPS", InstalledShops.simulatorSetting(SHOPS),
                "SIM_SHOPIFY_PRODUCTS", "20", "SIM_SHOPIFY_COLLECTIONS", "3", "SIM_SHOPIFY_DISCOUNTS", "2",
                "SIM_SHOPIFY_BUCKET_SIZE", "10000", "SIM_SHOPIFY_RESTORE_RATE", "1000",
                "QUARKUS_SHUTDOWN_TIMEOUT", "2s"));
        second = new ServiceProcess("sync-worker-2", Path.of(System.getProperty("e2e.worker.jar")), system.env(),
                FreePorts.next(), Path.of("target", "e2e", "WorkerShutdownIT")).start();
        client = new SystemClient(system);
        db = new Db(system);
        shops = InstalledShops.install(client, SHOPS);
        shops.awaitInSpaces(SHOPS, TIMEOUT);
        SystemClient.await("the install syncs to finish", TIMEOUT, db::idle);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (second != null) {
            second.stop();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aWorkerStoppedMidSyncShouldHandItsJobsBackToTheOtherAtOnceWithoutBurningAnAttempt() throws Exception {
        for (String shop : SHOPS) {
            assertThat(client.postJson(system.shopifySimulatorUrl() + "/_sim/faults", SystemClient.JSON.createObjectNode()
                    .put("shop", shop).put("kind", "slow").put("count", 1).put("delayMillis", SLOW_ANSWER.toMillis())
                    .toString(), null).statusCode()).isEqualTo(201);
            client.shopifyEvents(shop, "inventory_levels/update", 1);
        }
        SystemClient.await("the four syncs to wait for Shopify's slow answer", TIMEOUT, () -> running().size() == SHOPS.size()
                && SHOPS.stream().allMatch(shop -> pendingFaults(shop) == 0));
        List<Map<String, Object>> held = running();

        // SIGTERM the instance holding more of them (the other one has free slots either way: 8 each).
        Map<Long, Long> byPid = held.stream().collect(Collectors.groupingBy(WorkerShutdownIT::ownerPid, Collectors.counting()));
        ServiceProcess first = system.worker();
        boolean stopFirst = byPid.getOrDefault(first.pid(), 0L) >= byPid.getOrDefault(second.pid(), 0L);
        ServiceProcess stopped = stopFirst ? first : second;
        ServiceProcess survivor = stopFirst ? second : first;
        long stoppedPid = stopped.pid();
        List<String> handedBack = held.stream().filter(row -> ownerPid(row) == stoppedPid)
                .map(row -> row.get("id").toString()).toList();

        long sigterm = System.nanoTime();
        stopped.stop();
        long exitedAt = System.nanoTime();
        List<Map<String, Object>> atExit = db.rows("""
                SELECT id::text AS id, status, attempts, lease_owner FROM worker.jobs WHERE id::text = ANY(?)""", handedBack);
        SystemClient.await("the survivor to claim the handed-back jobs", Duration.ofSeconds(50), () ->
                db.countUnchecked("""
                        SELECT count(*) FROM worker.jobs WHERE id::text = ANY(?)
                          AND (status = 'succeeded' OR (status = 'running' AND lease_owner LIKE ?))""",
                        handedBack, survivor.pid() + "@%") == handedBack.size());
        long claimedMillis = Duration.ofNanos(System.nanoTime() - exitedAt).toMillis();
        long stopMillis = Duration.ofNanos(exitedAt - sigterm).toMillis();

        shops.awaitInSpaces(SHOPS, TIMEOUT);
        SystemClient.await("every job to finish", TIMEOUT, db::idle);
        List<Map<String, Object>> finished = db.rows("""
                SELECT id::text AS id, status, attempts FROM worker.jobs WHERE id::text = ANY(?)""",
                held.stream().map(row -> row.get("id").toString()).toList());
        String log = Files.readString(stopped.log());
        System.out.printf("WorkerShutdownIT: %d of %d held syncs on the stopped worker; SIGTERM to exit %d ms; claimed by "
                + "the other %d ms after the exit (lease 60 s); at exit %s; finished %s%n", handedBack.size(), held.size(),
                stopMillis, claimedMillis, atExit, finished);

        assertThat(handedBack).as("jobs the SIGTERMed worker held").isNotEmpty();
        assertThat(stopMillis).as("the stop waited 2 s for the jobs, not for Shopify's 25 s answer")
                .isLessThan(SLOW_ANSWER.toMillis() - 5000);
        assertThat(atExit).as("released at exit: no row still leased to the stopped worker").allSatisfy(row -> {
            assertThat(String.valueOf(row.get("lease_owner"))).doesNotStartWith(stoppedPid + "@");
            assertThat(((Number) row.get("attempts")).intValue()).isLessThanOrEqualTo(1);
        });
        assertThat(claimedMillis).as("claimed by the other instance within seconds, far under the 60 s lease")
                .isLessThan(10_000);
        assertThat(finished).hasSize(held.size()).allSatisfy(row -> {
            assertThat(row.get("status")).isEqualTo("succeeded");
            assertThat(((Number) row.get("attempts")).intValue()).as("no attempt burned by the stop").isEqualTo(1);
        });
        assertThat(log).contains("handed back " + handedBack.size() + " unfinished job(s)");
        assertThat(db.deadJobs()).isEmpty();
        assertThat(db.count("SELECT count(*) FROM worker.jobs WHERE last_error LIKE 'lease of % expired%'")).isZero();
    }

    private static List<Map<String, Object>> running() {
        try {
            return db.rows("""
                    SELECT id::text AS id, target_id, lease_owner, attempts FROM worker.jobs
                    WHERE status = 'running' AND target_id = ANY(?)""", SHOPS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long ownerPid(Map<String, Object> row) {
        String owner = String.valueOf(row.get("lease_owner"));
        return Long.parseLong(owner.substring(0, owner.indexOf('@')));
    }

    private static int pendingFaults(String shop) {
        try {
            return SystemClient.JSON.readTree(client.get(system.shopifySimulatorUrl() + "/_sim/shops/" + shop + "/state", null)
                    .body()).path("pendingFaults").asInt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
