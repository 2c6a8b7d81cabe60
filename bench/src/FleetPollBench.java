import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Issue #15's fleet poll benchmark, behind {@code bench/run-fleet-poll.sh}: what one worker costs when the daily
 * poll of a whole fleet of small shops comes due. The shops are installed through OAuth (the gateway's real install
 * path, with the worker's cron off), then the worker is stopped. Each round ({@code --workers 1,3}: one per count)
 * starts fresh workers with their poll tick every 5 seconds while nothing is due, and once all are ready sets the
 * poll history to "the last slot claimed was this one, 24 hours ago" (one {@code worker.poll_slots} row): the next
 * tick catches up the 95 slots since, i.e. every shop at once, shared by all the round's workers. That is the daily poll's worst
 * case (the catch-up after a day's downtime); the normal spread polls 1/96 of the fleet per quarter hour. Measured
 * from the release until every poll job of the round finished: the completion time, jobs/min, the worker's peak RSS ({@code VmHWM}) and RSS
 * sampled every 250 ms, PostgreSQL's connections (peak of {@code pg_stat_activity}) and PostgreSQL's CPU (postmaster
 * and backends, {@code /proc}).
 */
final class FleetPollBench {

    private static final class Options {
        Path work;
        int shops = 200;
        int products = 5;
        /** One poll round per entry, in order ({@code --workers 1,3}), on the same installed fleet. */
        List<Integer> workers = List.of(1);
        BenchWorld.Ports ports = BenchWorld.Ports.from(18600);
        String invocation = "";
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        Runtime.getRuntime().addShutdownHook(new Thread(Procs::stopAll));
        ObjectNode out = new FleetPollBench().run(o);
        String json = BenchClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out);
        Files.writeString(o.work.resolve("fleet-poll.json"), json);
        System.out.println(json);
    }

    private ObjectNode run(Options o) throws Exception {
        o.ports.requireFree();
        List<String> shops = new ArrayList<>();
        for (int i = 1; i <= o.shops; i++) {
            shops.add(String.format("fleet-shop-%04d.myshopify.com", i));
        }
        ObjectNode out = BenchClient.JSON.createObjectNode();
        out.put("command", o.invocation);
        out.put("started", Instant.now().toString());
        out.put("cpus", Runtime.getRuntime().availableProcessors());
        out.put("shops", o.shops);
        out.put("products_per_shop", o.products);
        out.put("workers", o.workers.toString());
        Map<String, String> settings = Map.of(
                "SIM_SHOPIFY_SHOPS", String.join(",", shops),
                "SIM_SHOPIFY_PRODUCTS", String.valueOf(o.products), "SIM_SHOPIFY_VARIANTS_PER_PRODUCT", "1",
                "SIM_SHOPIFY_COLLECTIONS", "1", "SIM_SHOPIFY_DISCOUNTS", "1",
                "SIM_SHOPIFY_BUCKET_SIZE", "10000", "SIM_SHOPIFY_RESTORE_RATE", "1000",
                "SYNC_DAILY_CRON", "off");
        Path gatewayJar = Path.of("oauth-gateway/target/quarkus-app/quarkus-run.jar");
        Path workerJar = Path.of("sync-worker/target/quarkus-app/quarkus-run.jar");
        try (BenchWorld world = BenchWorld.start(o.work, o.ports, settings)) {
            BenchWorld.Service installer = world.startService("sync-worker-install", workerJar, o.ports.worker(),
                    o.ports.workerManagement());
            BenchWorld.Service gateway = world.startService("oauth-gateway", gatewayJar, o.ports.gateway(),
                    o.ports.gatewayManagement());
            try (BenchClient client = new BenchClient(world, gateway, installer)) {
                long installStart = System.nanoTime();
                for (String shop : shops) {
                    client.install(shop.replace(".myshopify.com", ""));
                }
                client.awaitIdle(Duration.ofMinutes(15));
                long installSeconds = Duration.ofNanos(System.nanoTime() - installStart).toSeconds();
                out.put("install_and_first_sync_s", installSeconds);
                Bench.log("installed and synced %d shops in %d s", shops.size(), installSeconds);
                Procs.stop(installer.process(), 30);

                ArrayNode runs = out.putArray("runs");
                for (int workers : o.workers) {
                    runs.add(poll(o, world, client, workerJar, workers));
                }
            }
        }
        out.put("finished", Instant.now().toString());
        return out;
    }

    /** How many of the simulator's shops a request has touched, so generated and held ({@code GET /_sim/shops}). */
    private static long simulatorShopsMaterialised(BenchWorld world) throws Exception {
        HttpResponse<String> shops = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(world.shopifySimulator() + "/_sim/shops")).build(), HttpResponse.BodyHandlers.ofString());
        return BenchClient.JSON.readTree(shops.body()).path("materialised").asLong(-1);
    }

    /**
     * One poll of the whole fleet on {@code workers} fresh workers: the poll history set to "the last slot claimed
     * was this one, yesterday", the workers started, measured until every poll job enqueued since finished, then
     * stopped (so the next round starts from the same state).
     */
    private static ObjectNode poll(Options o, BenchWorld world, BenchClient client, Path workerJar, int workers)
            throws Exception {
        ObjectNode out = BenchClient.JSON.createObjectNode();
        out.put("workers", workers);
        long jobsBefore = client.count("SELECT count(*) FROM worker.jobs WHERE trigger = 'poll'");
        long deadBefore = client.count("SELECT count(*) FROM worker.jobs WHERE trigger = 'poll' AND status = 'dead'");
        // Nothing due while the workers start (the last slot claimed is tomorrow's first), so no worker polls before
        // all are up.
        setLastClaimedSlot(client, "(now() AT TIME ZONE 'UTC')::date + 1", "0");
        long started = System.nanoTime();
        List<Long> pids = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            BenchWorld.Service worker = world.startService("sync-worker-" + workers + "w-" + (w + 1), workerJar,
                    o.ports.worker() + w, o.ports.workerManagement() + w, List.of(),
                    Map.of("SYNC_DAILY_CRON", "*/5 * * * * ?"));
            pids.add(worker.pid());
            processes.add(worker.process());
        }
        long startMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        long postmaster = world.postgresPid();
        long pgCpuBefore = Procs.cpuMillisWithDescendants(postmaster);
        String loadBefore = Procs.loadAverage();
        // Every worker ready: the last slot claimed becomes the current one, yesterday, so the next tick (every 5 s)
        // of whichever worker comes first catches up every slot since, i.e. every shop at once.
        setLastClaimedSlot(client, "(now() AT TIME ZONE 'UTC')::date - 1",
                "floor(extract(epoch FROM (now() AT TIME ZONE 'UTC')::time) / 900)::int");
        long peakConnections = 0;
        long peakRssKib = 0;
        long expected = -1;
        long done = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        long firstEnqueued = 0;
        while (true) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the fleet poll did not finish within 15 minutes: "
                        + done + " of " + expected);
            }
            Thread.sleep(250);
            peakConnections = Math.max(peakConnections, client.count("SELECT count(*) FROM pg_stat_activity "
                    + "WHERE backend_type = 'client backend'"));
            peakRssKib = Math.max(peakRssKib, pids.stream().mapToLong(Procs::rssKib).sum());
            if (expected < 0) {
                expected = client.count("SELECT coalesce(sum(jobs_enqueued), -1) FROM worker.poll_slots "
                        + "WHERE instance <> 'fleet-poll-bench' AND jobs_enqueued > 0");
                if (expected > 0) {
                    firstEnqueued = System.nanoTime();
                }
                continue;
            }
            done = client.count("SELECT count(*) FROM worker.jobs WHERE trigger = 'poll' AND status IN "
                    + "('succeeded', 'dead')") - jobsBefore;
            if (done >= expected) {
                break;
            }
        }
        long pollMillis = Duration.ofNanos(System.nanoTime() - firstEnqueued).toMillis();
        long pgCpu = Procs.cpuMillisWithDescendants(postmaster) - pgCpuBefore;
        long dead = client.count("SELECT count(*) FROM worker.jobs WHERE trigger = 'poll' AND status = 'dead'")
                - deadBefore;
        long workersCpu = pids.stream().mapToLong(Procs::cpuMillis).sum();
        long hwm = pids.stream().mapToLong(Procs::peakRssKib).sum();
        out.put("poll_jobs", expected);
        out.put("poll_jobs_dead", dead);
        out.put("workers_start_ms", startMillis);
        out.put("poll_completion_ms", pollMillis);
        out.put("jobs_per_minute", Math.round(expected * 60_000.0 / pollMillis * 10) / 10.0);
        out.put("worker_peak_rss_mib_vmhwm", hwm / 1024);
        out.put("worker_peak_rss_mib_sampled", peakRssKib / 1024);
        out.put("pg_client_connections_peak", peakConnections);
        out.put("pg_cpu_ms", pgCpu);
        out.put("pg_cpu_share_of_one_core", Math.round(pgCpu * 100.0 / pollMillis) / 100.0);
        out.put("workers_cpu_ms_incl_start", workersCpu);
        out.put("simulator_shops_materialised", simulatorShopsMaterialised(world));
        out.put("load_before", loadBefore);
        out.put("load_after", Procs.loadAverage());
        Bench.log("fleet poll: %d jobs (%d dead) in %d ms = %.1f/min; worker peak RSS %d MiB; PostgreSQL: "
                        + "%d connections at most, %d ms CPU; load %s -> %s", expected, dead, pollMillis,
                expected * 60_000.0 / pollMillis, hwm / 1024, peakConnections, pgCpu, loadBefore,
                Procs.loadAverage());
        processes.forEach(process -> Procs.stop(process, 30));
        return out;
    }

    private static void setLastClaimedSlot(BenchClient client, String day, String slot) throws Exception {
        client.count("""
                WITH d AS (DELETE FROM worker.poll_slots RETURNING 1),
                     i AS (INSERT INTO worker.poll_slots (day, slot, instance)
                           SELECT %s, %s, 'fleet-poll-bench' RETURNING 1)
                SELECT (SELECT count(*) FROM d) + (SELECT count(*) FROM i)""".formatted(day, slot));
    }

    private static Options parse(String[] args) {
        Options o = new Options();
        DriverArgs.each(args, (name, value) -> {
            switch (name) {
                case "--work" -> o.work = Path.of(value);
                case "--shops" -> o.shops = Integer.parseInt(value);
                case "--products" -> o.products = Integer.parseInt(value);
                case "--workers" -> o.workers = java.util.Arrays.stream(value.split(",")).map(String::trim)
                        .map(Integer::parseInt).toList();
                case "--port-base" -> o.ports = BenchWorld.Ports.from(Integer.parseInt(value));
                case "--invocation" -> o.invocation = value;
                default -> throw DriverArgs.unknown(name);
            }
        });
        DriverArgs.requireWork(o.work);
        return o;
    }
}
