import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Issue #15's scaling benchmark, behind {@code bench/run-scale.sh}: how many full syncs a minute one worker and three
 * workers (one database, one gateway) complete when a sync is I/O-bound — every Admin API request answered
 * {@code --latency-ms} late by the Shopify simulator ({@code POST /_sim/latency}), small stores, each worker at its
 * default {@code storefront.jobs.concurrency} (8). The shops are installed through OAuth with no latency; then, per
 * configuration, one unmeasured warm-up round and then {@code --rounds} times: {@code POST /resync} for every shop's user, timed until every job it made
 * succeeded. Full syncs of unchanged stores: every page is fetched, nothing is written to Spaces.
 */
final class ScaleBench {

    private static final class Options {
        Path work;
        int shops = 48;
        int products = 20;
        int latencyMs = 100;
        int rounds = 2;
        BenchWorld.Ports ports = BenchWorld.Ports.from(18500);
        String invocation = "";
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        Runtime.getRuntime().addShutdownHook(new Thread(Procs::stopAll));
        ObjectNode out = new ScaleBench().run(o);
        String json = BenchClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out);
        Files.writeString(o.work.resolve("scale.json"), json);
        System.out.println(json);
    }

    private ObjectNode run(Options o) throws Exception {
        o.ports.requireFree();
        List<String> shops = new ArrayList<>();
        for (int i = 1; i <= o.shops; i++) {
            shops.add(String.format("scale-shop-%03d.myshopify.com", i));
        }
        ObjectNode out = BenchClient.JSON.createObjectNode();
        out.put("command", o.invocation);
        out.put("started", Instant.now().toString());
        out.put("cpus", Runtime.getRuntime().availableProcessors());
        out.put("shops", o.shops);
        out.put("products_per_shop", o.products);
        out.put("latency_ms", o.latencyMs);
        Map<String, String> settings = Map.of(
                "SIM_SHOPIFY_SHOPS", String.join(",", shops),
                "SIM_SHOPIFY_PRODUCTS", String.valueOf(o.products), "SIM_SHOPIFY_COLLECTIONS", "3",
                "SIM_SHOPIFY_DISCOUNTS", "2",
                "SIM_SHOPIFY_BUCKET_SIZE", "10000", "SIM_SHOPIFY_RESTORE_RATE", "1000",
                "SYNC_DAILY_CRON", "off");
        Path gatewayJar = Path.of("oauth-gateway/target/quarkus-app/quarkus-run.jar");
        Path workerJar = Path.of("sync-worker/target/quarkus-app/quarkus-run.jar");
        try (BenchWorld world = BenchWorld.start(o.work, o.ports, settings)) {
            BenchWorld.Service worker = world.startService("sync-worker", workerJar, o.ports.worker(),
                    o.ports.workerManagement());
            BenchWorld.Service gateway = world.startService("oauth-gateway", gatewayJar, o.ports.gateway(),
                    o.ports.gatewayManagement());
            try (BenchClient client = new BenchClient(world, gateway, worker)) {
                Set<String> users = new LinkedHashSet<>();
                long installStart = System.nanoTime();
                for (String shop : shops) {
                    users.add(client.install(shop.replace(".myshopify.com", "")).path("user_uuid").asText());
                }
                client.awaitIdle(Duration.ofMinutes(10));
                Bench.log("installed and synced %d shops (%d users) in %d s", shops.size(), users.size(),
                        Duration.ofNanos(System.nanoTime() - installStart).toSeconds());
                latency(world, o.latencyMs);
                String token = client.adminToken();

                ArrayNode results = out.putArray("runs");
                List<Long> pids = new ArrayList<>(List.of(worker.pid()));
                // One unmeasured round per configuration: the workers' JIT warms on the same work first.
                round(client, token, users, shops.size(), 1, 0, pids);
                for (int round = 1; round <= o.rounds; round++) {
                    results.add(round(client, token, users, shops.size(), 1, round, pids));
                }
                BenchWorld.Service second = world.startService("sync-worker-2", workerJar, o.ports.worker() + 1,
                        o.ports.workerManagement() + 1);
                BenchWorld.Service third = world.startService("sync-worker-3", workerJar, o.ports.worker() + 2,
                        o.ports.workerManagement() + 2);
                pids.add(second.pid());
                pids.add(third.pid());
                round(client, token, users, shops.size(), 3, 0, pids);
                for (int round = 1; round <= o.rounds; round++) {
                    results.add(round(client, token, users, shops.size(), 3, round, pids));
                }
                double one = best(results, 1);
                double three = best(results, 3);
                out.put("best_syncs_per_minute_1_worker", Math.round(one * 10) / 10.0);
                out.put("best_syncs_per_minute_3_workers", Math.round(three * 10) / 10.0);
                out.put("ratio_3_to_1", Math.round(three / one * 100) / 100.0);
            }
        }
        out.put("finished", Instant.now().toString());
        return out;
    }

    private ObjectNode round(BenchClient client, String token, Set<String> users, int expected, int workers, int round,
                             List<Long> pids) throws Exception {
        String loadBefore = Procs.loadAverage();
        long cpuBefore = pids.stream().mapToLong(Procs::cpuMillis).sum();
        Timestamp since = new Timestamp(System.currentTimeMillis() - 1000);
        long started = System.nanoTime();
        for (String user : users) {
            client.resync(token, user);
        }
        long deadline = started + Duration.ofMinutes(10).toNanos();
        long done;
        do {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the resyncs did not finish within 10 minutes");
            }
            Thread.sleep(50);
            done = client.count("SELECT count(*) FROM worker.jobs WHERE trigger = 'resync' AND status = 'succeeded' "
                    + "AND created_at >= ?", since);
        } while (done < expected);
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        long cpu = pids.stream().mapToLong(Procs::cpuMillis).sum() - cpuBefore;
        long dead = client.count("SELECT count(*) FROM worker.jobs WHERE status = 'dead' AND created_at >= ?", since);
        Map<String, Object> timing = client.row("""
                SELECT round(avg(extract(epoch FROM j.finished_at - j.started_at)) * 1000) AS run_ms_avg,
                       round(max(extract(epoch FROM j.finished_at - j.started_at)) * 1000) AS run_ms_max,
                       round(avg(extract(epoch FROM j.started_at - j.created_at)) * 1000) AS queued_ms_avg,
                       count(DISTINCT split_part(r.lease_owner, '@', 1)) AS instances
                  FROM worker.jobs j LEFT JOIN worker.job_runs r ON r.job_id = j.id
                 WHERE j.trigger = 'resync' AND j.created_at >= ?""", since).orElseThrow();
        ObjectNode run = BenchClient.JSON.createObjectNode();
        run.put("workers", workers);
        run.put("round", round);
        run.put("syncs", done);
        run.put("dead", dead);
        run.put("ms", millis);
        run.put("syncs_per_minute", Math.round(done * 60_000.0 / millis * 10) / 10.0);
        run.put("workers_cpu_ms", cpu);
        run.put("sync_ms_avg", ((Number) timing.get("run_ms_avg")).longValue());
        run.put("sync_ms_max", ((Number) timing.get("run_ms_max")).longValue());
        run.put("queued_ms_avg", ((Number) timing.get("queued_ms_avg")).longValue());
        run.put("instances_that_ran", ((Number) timing.get("instances")).longValue());
        run.put("load_before", loadBefore);
        run.put("load_after", Procs.loadAverage());
        Bench.log("%d worker(s), round %s: %d syncs in %d ms = %.1f/min (a sync %d ms on average, queued %d ms; %d "
                        + "instances ran them; workers' CPU %d ms, load %s -> %s)", workers, round == 0 ? "warm-up" : round,
                done, millis, done * 60_000.0 / millis, run.path("sync_ms_avg").asLong(), run.path("queued_ms_avg").asLong(),
                run.path("instances_that_ran").asLong(), cpu, loadBefore, run.path("load_after").asText());
        return run;
    }

    private static double best(ArrayNode runs, int workers) {
        double best = 0;
        for (JsonNode run : runs) {
            if (run.path("workers").asInt() == workers) {
                best = Math.max(best, run.path("syncs_per_minute").asDouble());
            }
        }
        return best;
    }

    private static void latency(BenchWorld world, int millis) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(world.shopifySimulator() + "/_sim/latency")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"millis\":" + millis + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("POST /_sim/latency answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    private static Options parse(String[] args) {
        Options o = new Options();
        DriverArgs.each(args, (name, value) -> {
            switch (name) {
                case "--work" -> o.work = Path.of(value);
                case "--shops" -> o.shops = Integer.parseInt(value);
                case "--products" -> o.products = Integer.parseInt(value);
                case "--latency-ms" -> o.latencyMs = Integer.parseInt(value);
                case "--rounds" -> o.rounds = Integer.parseInt(value);
                case "--port-base" -> o.ports = BenchWorld.Ports.from(Integer.parseInt(value));
                case "--invocation" -> o.invocation = value;
                default -> throw DriverArgs.unknown(name);
            }
        });
        DriverArgs.requireWork(o.work);
        return o;
    }
}
