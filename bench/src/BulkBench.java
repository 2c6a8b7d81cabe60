import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue #13's benchmarks, behind {@code bench/run-bulk.sh}: full syncs of large stores through the worker's bulk
 * path (a Shopify bulk operation, JSONL streamed into {@code worker.shop_products}) or, forced with
 * {@code STOREFRONT_SHOPIFY_BULK_THRESHOLD=0}, through paginated queries; one scenario per run, its figures printed
 * as one JSON document (and written to {@code <work>/<label>.json}).
 * <ul>
 *   <li>{@code --scenario standard}: one store installed through OAuth; the worker at JVM defaults, as
 *       {@code RESULTS.md}'s paginated figure was taken. Time install → job succeeded, the simulator's request and
 *       point counters, the job result (read, bulkShopifyMs, bulkReadMs...).</li>
 *   <li>{@code --scenario memory}: the worker with a heap cap ({@code --worker-xmx}, GC log, and
 *       {@code -XX:+ExitOnOutOfMemoryError} so that running out of heap is an outcome, not a limping process);
 *       the large store plus {@code --others} shops added by the simulator's control API and filled with
 *       {@code products/create} events, all four installed at once. Peak RSS ({@code VmHWM}), RSS sampled every
 *       0.5 s, heap after/before each GC from the GC log.</li>
 * </ul>
 */
final class BulkBench {

    private static final Pattern GC_LINE = Pattern.compile("\\[([0-9.]+)s\\].*GC\\((\\d+)\\) (Pause .*?) (\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private static final class Options {
        Path work;
        String scenario = "standard";
        String label;
        String read = "bulk";
        int products = 10_000;
        int variants = 3;
        int locations = 2;
        int bucket = 1000;
        int restoreRate = 100;
        int bulkPace = 20_000;
        int others = 0;
        int otherProducts = 2000;
        String workerXmx = "";
        String simulatorXmx = "8g";
        int timeoutMinutes = 30;
        // Away from run-all.sh's 18080..18121, so both can run on one machine.
        BenchWorld.Ports ports = BenchWorld.Ports.from(18300);
        String invocation = "";
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--gc-summary")) {
            // A kept run's GC log read again (e.g. after a change to what is summarised).
            System.out.println(gcSummary(Path.of(args[1])).toPrettyString());
            return;
        }
        Options o = parse(args);
        Runtime.getRuntime().addShutdownHook(new Thread(Procs::stopAll));
        ObjectNode out = new BulkBench().run(o);
        String json = BenchClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out);
        Files.writeString(o.work.resolve(o.label + ".json"), json);
        System.out.println(json);
    }

    private static Options parse(String[] args) {
        Options o = new Options();
        DriverArgs.each(args, (name, value) -> {
            switch (name) {
                case "--work" -> o.work = Path.of(value);
                case "--scenario" -> o.scenario = value;
                case "--label" -> o.label = value;
                case "--read" -> o.read = value;
                case "--products" -> o.products = Integer.parseInt(value);
                case "--bucket" -> o.bucket = Integer.parseInt(value);
                case "--restore-rate" -> o.restoreRate = Integer.parseInt(value);
                case "--bulk-pace" -> o.bulkPace = Integer.parseInt(value);
                case "--others" -> o.others = Integer.parseInt(value);
                case "--other-products" -> o.otherProducts = Integer.parseInt(value);
                case "--worker-xmx" -> o.workerXmx = value;
                case "--simulator-xmx" -> o.simulatorXmx = value;
                case "--timeout-minutes" -> o.timeoutMinutes = Integer.parseInt(value);
                case "--port-base" -> o.ports = BenchWorld.Ports.from(Integer.parseInt(value));
                case "--invocation" -> o.invocation = value;
                default -> throw DriverArgs.unknown(name);
            }
        });
        DriverArgs.requireWork(o.work);
        if (!o.scenario.equals("standard") && !o.scenario.equals("memory")) {
            throw new IllegalArgumentException("--scenario is standard or memory");
        }
        if (!o.read.equals("bulk") && !o.read.equals("paginated")) {
            throw new IllegalArgumentException("--read is bulk or paginated");
        }
        if (o.label == null) {
            o.label = o.scenario + "-" + o.read + "-" + o.products;
        }
        return o;
    }

    private ObjectNode run(Options o) throws Exception {
        o.ports.requireFree();
        ObjectNode out = BenchClient.JSON.createObjectNode();
        out.put("label", o.label);
        out.put("invocation", o.invocation);
        out.put("started", Instant.now().toString());
        out.put("loadavg_at_start", Procs.loadAverage());
        out.put("commit", Procs.output("git", "rev-parse", "HEAD"));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("SIM_SHOPIFY_PRODUCTS", String.valueOf(o.products));
        settings.put("SIM_SHOPIFY_VARIANTS_PER_PRODUCT", String.valueOf(o.variants));
        settings.put("SIM_SHOPIFY_LOCATIONS", String.valueOf(o.locations));
        settings.put("SIM_SHOPIFY_BUCKET_SIZE", String.valueOf(o.bucket));
        settings.put("SIM_SHOPIFY_RESTORE_RATE", String.valueOf(o.restoreRate));
        settings.put("SIM_SHOPIFY_BULK_OBJECTS_PER_SECOND", String.valueOf(o.bulkPace));
        // Long enough that no token refresh happens inside a long paginated sync (not what is measured).
        settings.put("SIM_SHOPIFY_TOKEN_LIFETIME_SECONDS", "86400");
        out.set("simulator_settings", BenchClient.JSON.valueToTree(settings));

        Map<String, String> workerEnv = new LinkedHashMap<>();
        if (o.read.equals("paginated")) {
            workerEnv.put("STOREFRONT_SHOPIFY_BULK_THRESHOLD", "0");
        }
        // The bulk package's debug lines (operation started, lines staged, read done) time the phases.
        workerEnv.put("QUARKUS_LOG_CATEGORY__IO_STOREFRONTSYNC_WORKER_SHOPIFY_BULK__LEVEL", "DEBUG");
        Path dir = o.work.resolve(o.label);
        Path gcLog = dir.resolve("logs").resolve("worker-gc.log");
        List<String> workerJvm = new ArrayList<>();
        if (!o.workerXmx.isEmpty()) {
            workerJvm.add("-Xmx" + o.workerXmx);
            workerJvm.add("-XX:+ExitOnOutOfMemoryError");
        }
        workerJvm.add("-Xlog:gc:file=" + gcLog + ":uptime");
        out.set("worker_env", BenchClient.JSON.valueToTree(workerEnv));
        out.set("worker_jvm_options", BenchClient.JSON.valueToTree(workerJvm));

        long worldStarted = System.nanoTime();
        try (BenchWorld world = BenchWorld.start(dir, o.ports, settings, List.of("-Xmx" + o.simulatorXmx),
                Duration.ofMinutes(30))) {
            out.put("world_start_ms", (System.nanoTime() - worldStarted) / 1_000_000);
            BenchWorld.Service worker = world.startService("sync-worker", jar("sync-worker"), o.ports.worker(),
                    o.ports.workerManagement(), workerJvm, workerEnv);
            BenchWorld.Service gateway = world.startService("oauth-gateway", jar("oauth-gateway"), o.ports.gateway(),
                    o.ports.gatewayManagement());
            out.put("worker_pid", worker.pid());
            out.put("worker_rss_ready_mib", Procs.rssKib(worker.pid()) / 1024.0);
            try (BenchClient client = new BenchClient(world, gateway, worker)) {
                List<String> shops = new ArrayList<>(List.of(BenchWorld.SHOP));
                shops.addAll(addOtherShops(world, o));
                out.put("shops", shops.size());
                Sampler sampler = new Sampler(worker.pid());
                Thread sampling = new Thread(sampler, "rss-sampler");
                sampling.setDaemon(true);
                Map<String, JsonNode> simBefore = new LinkedHashMap<>();
                for (String shop : shops) {
                    simBefore.put(shop, simState(world, shop).path("stats"));
                }
                sampling.start();
                long started = System.nanoTime();
                for (String shop : shops) {
                    client.install(shop);
                }
                log("installed %d shop(s) in %d ms; waiting for their syncs", shops.size(),
                        (System.nanoTime() - started) / 1_000_000);
                ArrayNode jobs = out.putArray("jobs");
                Map<String, Long> finishedMs = awaitAll(client, worker, shops, started, Duration.ofMinutes(o.timeoutMinutes));
                sampler.stop();
                for (String shop : shops) {
                    ObjectNode job = jobs.addObject();
                    job.put("shop", shop);
                    job.put("install_to_finished_ms", finishedMs.getOrDefault(shop, -1L));
                    Optional<Map<String, Object>> row = client.row("""
                            SELECT status, attempts, result::text AS result, last_error,
                                   (extract(epoch FROM finished_at - created_at) * 1000)::bigint AS created_to_finished_ms
                              FROM worker.jobs WHERE target_id = ? AND trigger = 'install'
                             ORDER BY created_at LIMIT 1""", shop);
                    if (row.isPresent()) {
                        job.put("status", String.valueOf(row.get().get("status")));
                        job.put("attempts", ((Number) row.get().get("attempts")).intValue());
                        Object ms = row.get().get("created_to_finished_ms");
                        job.put("created_to_finished_ms", ms == null ? -1 : ((Number) ms).longValue());
                        Object result = row.get().get("result");
                        if (result != null) {
                            job.set("result", BenchClient.JSON.readTree(String.valueOf(result)));
                        }
                        Object error = row.get().get("last_error");
                        job.put("last_error", error == null ? null : String.valueOf(error));
                    }
                    if (worker.process().isAlive()) {
                        JsonNode after = simState(world, shop).path("stats");
                        ObjectNode delta = job.putObject("simulator_delta");
                        for (String field : List.of("graphqlRequests", "totalRequestedCost", "totalActualCost",
                                "throttledResponses", "maxCostRefusals")) {
                            delta.put(field, after.path(field).asLong() - simBefore.get(shop).path(field).asLong());
                        }
                    }
                    job.set("bulk_operations", simBulk(world, shop));
                }
                out.put("worker_alive_at_end", worker.process().isAlive());
                out.put("worker_exit_code", worker.process().isAlive() ? null : worker.process().exitValue());
                out.put("worker_peak_rss_mib", sampler.peakHwmKib.get() / 1024.0);
                out.put("worker_max_sampled_rss_mib", sampler.maxRssKib.get() / 1024.0);
                out.put("rss_samples", sampler.samples.get());
                out.set("gc", gcSummary(gcLog));
                out.set("worker_log_findings", grep(worker.log(), "OutOfMemoryError|Exception|ERROR|WARN.*blocked"));
                if (worker.process().isAlive()) {
                    out.put("shop_products_rows", client.count("SELECT count(*) FROM worker.shop_products"));
                    out.put("bulk_lines_rows_left", client.count("SELECT count(*) FROM worker.bulk_lines"));
                }
                out.put("loadavg_at_end", Procs.loadAverage());
            }
        }
        return out;
    }

    /** {@code --others} empty shops from {@code POST /_sim/shops}, each given products by products/create events. */
    private static List<String> addOtherShops(BenchWorld world, Options o) throws Exception {
        List<String> shops = new ArrayList<>();
        if (o.others == 0) {
            return shops;
        }
        JsonNode added = BenchClient.JSON.readTree(post(world.shopifySimulator() + "/_sim/shops",
                BenchClient.JSON.createObjectNode().put("prefix", "other-").put("count", o.others).toString(), 201));
        for (JsonNode shop : added.path("shops")) {
            String domain = shop.path("shop").asText();
            post(world.shopifySimulator() + "/_sim/shops/" + domain + "/events", BenchClient.JSON.createObjectNode()
                    .put("topic", "products/create").put("count", o.otherProducts).toString(), 200);
            shops.add(domain);
        }
        return shops;
    }

    /** Waits until every shop's install job succeeded or died, or the worker exited; answers when each finished. */
    private static Map<String, Long> awaitAll(BenchClient client, BenchWorld.Service worker, List<String> shops,
                                              long started, Duration timeout) throws Exception {
        Map<String, Long> finished = new LinkedHashMap<>();
        long deadline = started + timeout.toNanos();
        long lastLog = 0;
        while (finished.size() < shops.size()) {
            if (!worker.process().isAlive()) {
                log("the worker exited (%d) after %d ms", worker.process().exitValue(),
                        (System.nanoTime() - started) / 1_000_000);
                return finished;
            }
            if (System.nanoTime() > deadline) {
                log("not all syncs finished within %s", timeout);
                return finished;
            }
            for (String shop : shops) {
                if (finished.containsKey(shop)) {
                    continue;
                }
                Optional<Map<String, Object>> row = client.row("""
                        SELECT status FROM worker.jobs WHERE target_id = ? AND trigger = 'install'
                         ORDER BY created_at LIMIT 1""", shop);
                String status = row.map(r -> String.valueOf(r.get("status"))).orElse("");
                if (status.equals("succeeded") || status.equals("dead") || status.equals("cancelled")) {
                    long ms = (System.nanoTime() - started) / 1_000_000;
                    finished.put(shop, ms);
                    log("  %s: %s after %d ms", shop, status, ms);
                }
            }
            if (System.nanoTime() - lastLog > Duration.ofSeconds(30).toNanos()) {
                lastLog = System.nanoTime();
                log("  %d s: worker RSS %d MiB, %d of %d done", (lastLog - started) / 1_000_000_000,
                        Procs.rssKib(worker.pid()) / 1024, finished.size(), shops.size());
            }
            Thread.sleep(250);
        }
        return finished;
    }

    /** Peak and sampled RSS of the worker, every 0.5 s, until stopped or the process is gone. */
    private static final class Sampler implements Runnable {
        final long pid;
        final AtomicLong maxRssKib = new AtomicLong();
        final AtomicLong peakHwmKib = new AtomicLong();
        final AtomicLong samples = new AtomicLong();
        volatile boolean running = true;

        Sampler(long pid) {
            this.pid = pid;
        }

        void stop() {
            running = false;
            sample();
        }

        private void sample() {
            long rss = Procs.rssKib(pid);
            long hwm = Procs.peakRssKib(pid);
            if (rss > 0) {
                maxRssKib.accumulateAndGet(rss, Math::max);
                samples.incrementAndGet();
            }
            if (hwm > 0) {
                peakHwmKib.accumulateAndGet(hwm, Math::max);
            }
        }

        @Override
        public void run() {
            while (running) {
                sample();
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** From {@code -Xlog:gc}: pauses, the highest heap occupancy before a collection and after one, the heap size. */
    static ObjectNode gcSummary(Path gcLog) throws IOException {
        ObjectNode gc = BenchClient.JSON.createObjectNode();
        if (!Files.exists(gcLog)) {
            return gc;
        }
        long pauses = 0;
        long maxBefore = 0;
        long maxAfter = 0;
        long maxCommitted = 0;
        long fullPauses = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_LINE.matcher(line);
            if (m.find()) {
                pauses++;
                if (m.group(3).contains("Full")) {
                    fullPauses++;
                }
                maxBefore = Math.max(maxBefore, Long.parseLong(m.group(4)));
                maxAfter = Math.max(maxAfter, Long.parseLong(m.group(5)));
                maxCommitted = Math.max(maxCommitted, Long.parseLong(m.group(6)));
            }
        }
        gc.put("collections", pauses);
        gc.put("full_collections", fullPauses);
        gc.put("peak_heap_used_before_gc_mib", maxBefore);
        gc.put("peak_heap_live_after_gc_mib", maxAfter);
        gc.put("peak_heap_committed_mib", maxCommitted);
        return gc;
    }

    private static ArrayNode grep(Path log, String regex) throws IOException {
        ArrayNode lines = BenchClient.JSON.createArrayNode();
        Pattern p = Pattern.compile(regex);
        for (String line : Files.readAllLines(log)) {
            if (p.matcher(line).find() && lines.size() < 40) {
                lines.add(line.length() > 400 ? line.substring(0, 400) : line);
            }
        }
        return lines;
    }

    private static JsonNode simState(BenchWorld world, String shop) throws Exception {
        return BenchClient.JSON.readTree(get(world.shopifySimulator() + "/_sim/shops/" + shop + "/state"));
    }

    private static JsonNode simBulk(BenchWorld world, String shop) {
        try {
            return BenchClient.JSON.readTree(get(world.shopifySimulator() + "/_sim/shops/" + shop + "/bulk"));
        } catch (Exception e) {
            return BenchClient.JSON.getNodeFactory().textNode("unavailable: " + e.getMessage());
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static String post(String url, String body, int expected) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException("POST " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** Progress goes to stderr: stdout is the JSON document. */
    private static void log(String format, Object... args) {
        System.err.println(java.time.LocalTime.now().withNano(0) + " " + String.format(java.util.Locale.ROOT, format, args));
    }

    private static Path jar(String service) {
        return Path.of(service, "target", "quarkus-app", "quarkus-run.jar");
    }
}
