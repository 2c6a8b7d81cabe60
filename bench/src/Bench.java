import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark driver behind {@code bench/run-all.sh}: starts the worlds and services, runs every
 * measurement, and rewrites {@code bench/RESULTS.md} with the figures of this one run.
 *
 * <ol>
 *   <li>A store of 100 products at Shopify Plus limits: install, unchanged
 *       resyncs, a burst of webhooks, webhook-to-object latency, then webhook ingest against the
 *       naive peer.</li>
 *   <li>A store of 10,000 products (3 variants, 2 locations) under a 1000-point bucket: footprint of
 *       both services (time to ready, idle RSS), the full sync the install starts, RSS after it.</li>
 * </ol>
 * {@code --only sync} runs the second part alone and replaces only its own section of RESULTS.md.
 */
public final class Bench {

    /** Command-line settings; see {@code bench/run-all.sh --help}. */
    static final class Options {
        String only = "all";
        int restoreRate = 1000;
        int bucket = 1000;
        int syncProducts = 10_000;
        int smallProducts = 100;
        List<Integer> rates = List.of(500, 1000, 2000);
        int ingestSeconds = 20;
        int saturationConcurrency = 256;
        int primeSeconds = 30;
        int latencySamples = 20;
        int resyncs = 3;
        int burstEvents = 1000;
        int burstSeconds = 10;
        int idleSettleSeconds = 10;
        BenchWorld.Ports ports = BenchWorld.Ports.from(18080);
        Path work;
        Path classes;
        Path results = Path.of("bench", "RESULTS.md");
        /** Re-render RESULTS.md from a kept run's results.json (after a change to the report's layout). */
        Path renderFrom;
        String invocation = "bench/run-all.sh";

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--only" -> o.only = value;
                    case "--restore-rate" -> o.restoreRate = Integer.parseInt(value);
                    case "--bucket" -> o.bucket = Integer.parseInt(value);
                    case "--sync-products" -> o.syncProducts = Integer.parseInt(value);
                    case "--small-products" -> o.smallProducts = Integer.parseInt(value);
                    case "--rates" -> o.rates = Arrays.stream(value.split(",")).map(Integer::parseInt).toList();
                    case "--ingest-seconds" -> o.ingestSeconds = Integer.parseInt(value);
                    case "--saturation-concurrency" -> o.saturationConcurrency = Integer.parseInt(value);
                    case "--latency-samples" -> o.latencySamples = Integer.parseInt(value);
                    case "--prime-seconds" -> o.primeSeconds = Integer.parseInt(value);
                    case "--port-base" -> o.ports = BenchWorld.Ports.from(Integer.parseInt(value));
                    case "--work" -> o.work = Path.of(value);
                    case "--classes" -> o.classes = Path.of(value);
                    case "--results" -> o.results = Path.of(value);
                    case "--invocation" -> o.invocation = value;
                    case "--render-from" -> o.renderFrom = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see bench/run-all.sh --help)");
                }
                i++;
            }
            if (!o.only.equals("all") && !o.only.equals("sync") && !o.only.equals("ingest")) {
                throw new IllegalArgumentException("--only takes all, sync or ingest");
            }
            if (o.renderFrom == null && (o.work == null || o.classes == null)) {
                throw new IllegalArgumentException("--work and --classes are required (bench/run-all.sh sets them)");
            }
            return o;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options.renderFrom != null) {
            com.fasterxml.jackson.databind.JsonNode kept = BenchClient.JSON.readTree(options.renderFrom.toFile());
            options.only = kept.has("small") ? "all" : "sync";
            options.restoreRate = kept.path("large").path("full_sync").path("restore_rate").asInt();
            Report.write(options, kept);
            System.out.println("Rewrote " + options.results + " from " + options.renderFrom);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(Procs::stopAll, "bench-cleanup"));
        options.ports.requireFree();
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        ObjectNode results = BenchClient.JSON.createObjectNode();
        results.set("machine", Machine.describe(options.work));
        results.put("started", started.toString());
        results.put("invocation", options.invocation);
        if (!options.only.equals("sync")) {
            results.set("small", smallStore(options));
        }
        if (options.only.equals("ingest")) {
            // A look at the ingest alone (e.g. to compare settings of the gateway given in the environment): its
            // figures are printed, RESULTS.md keeps the last full run.
            Files.writeString(options.work.resolve("results.json"),
                    BenchClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
            System.out.println(Report.ingestSummary(results.path("small").path("ingest")));
            System.out.printf("Done in %.1f min; figures in %s (RESULTS.md unchanged)%n", (System.nanoTime() - t0) / 60e9,
                    options.work.resolve("results.json"));
            return;
        }
        results.set("large", largeStore(options));
        results.put("duration_s", (System.nanoTime() - t0) / 1e9);
        results.set("commands", BenchClient.JSON.valueToTree(Procs.commands()));
        Files.writeString(options.work.resolve("results.json"),
                BenchClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        Report.write(options, results);
        System.out.printf("Done in %.1f min; wrote %s%n", (System.nanoTime() - t0) / 60e9, options.results);
    }

    /**
     * A small store at Plus limits: install, resyncs, burst, latency, then ingest. Small (100
     * products, ~3,000 points a full fetch) so that a full fetch fits the bucket and each latency
     * sample measures our pipeline, not Shopify's rate limit, in bounded time.
     */
    private static ObjectNode smallStore(Options options) throws Exception {
        ObjectNode out = BenchClient.JSON.createObjectNode();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("SIM_SHOPIFY_PRODUCTS", String.valueOf(options.smallProducts));
        settings.put("SIM_SHOPIFY_BUCKET_SIZE", "10000");
        settings.put("SIM_SHOPIFY_RESTORE_RATE", "1000");
        out.set("settings", BenchClient.JSON.valueToTree(settings));
        out.put("products", options.smallProducts);
        log("[1/2] store of %d products, Shopify Plus limits (10,000 points, 1,000/s)", options.smallProducts);
        try (BenchWorld world = BenchWorld.start(options.work.resolve("small"), options.ports, settings)) {
            BenchWorld.Service worker = world.startService("sync-worker", jar("sync-worker"), options.ports.worker(),
                    options.ports.workerManagement(), jvmOptions("BENCH_WORKER_JVM_OPTIONS"), Map.of());
            BenchWorld.Service gateway = world.startService("oauth-gateway", jar("oauth-gateway"), options.ports.gateway(),
                    options.ports.gatewayManagement(), jvmOptions("BENCH_GATEWAY_JVM_OPTIONS"), Map.of());
            out.set("footprint", footprintAtStart(options, gateway, worker));
            try (BenchClient client = new BenchClient(world, gateway, worker)) {
                SyncBench sync = new SyncBench(client);
                log("  install + first full sync ...");
                ObjectNode install = sync.installAndFullSync(Duration.ofMinutes(5), 10_000, 1000);
                out.set("install", install);
                String userId = install.path("user_id").asText();
                if (options.only.equals("all")) {
                    log("  unchanged resync x%d ...", options.resyncs);
                    out.set("unchanged_resync", sync.unchangedResyncs(userId, options.resyncs));
                    log("  burst of %d products/update webhooks in %d s ...", options.burstEvents, options.burstSeconds);
                    out.set("burst", sync.burst(options.burstEvents, options.burstSeconds));
                    log("  webhook-to-object latency, %d samples ...", options.latencySamples);
                    out.set("latency", sync.latency(userId, options.latencySamples));
                }
                log("  webhook ingest, naive peer and ours ...");
                out.set("ingest", new IngestBench(world, gateway, worker, client, options).run());
            }
            out.set("event_loop_blocked", blockedWarnings(gateway, worker));
        }
        return out;
    }

    /** The 10,000-product store under a 1000-point bucket: footprint and the full sync. */
    private static ObjectNode largeStore(Options options) throws Exception {
        ObjectNode out = BenchClient.JSON.createObjectNode();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("SIM_SHOPIFY_PRODUCTS", String.valueOf(options.syncProducts));
        settings.put("SIM_SHOPIFY_VARIANTS_PER_PRODUCT", "3");
        settings.put("SIM_SHOPIFY_LOCATIONS", "2");
        settings.put("SIM_SHOPIFY_BUCKET_SIZE", String.valueOf(options.bucket));
        settings.put("SIM_SHOPIFY_RESTORE_RATE", String.valueOf(options.restoreRate));
        out.set("settings", BenchClient.JSON.valueToTree(settings));
        log("[%s] store of %,d products, bucket %d, restore rate %d/s",
                options.only.equals("all") ? "2/2" : "1/1", options.syncProducts, options.bucket, options.restoreRate);
        try (BenchWorld world = BenchWorld.start(options.work.resolve("large"), options.ports, settings)) {
            BenchWorld.Service worker = world.startService("sync-worker", jar("sync-worker"), options.ports.worker(),
                    options.ports.workerManagement());
            BenchWorld.Service gateway = world.startService("oauth-gateway", jar("oauth-gateway"), options.ports.gateway(),
                    options.ports.gatewayManagement());
            ObjectNode footprint = footprintAtStart(options, gateway, worker);
            try (BenchClient client = new BenchClient(world, gateway, worker)) {
                SyncBench sync = new SyncBench(client);
                // Generous: three times the theoretical minimum for ~30 points a product, plus 10 minutes.
                Duration timeout = Duration.ofSeconds(600 + 3L * options.syncProducts * 30 / options.restoreRate);
                log("  install + full sync ...");
                ObjectNode full = sync.installAndFullSync(timeout, options.bucket, options.restoreRate);
                out.set("full_sync", full);
                Thread.sleep(2000);
                footprint.set("after_sync", rss(gateway, worker));
                out.set("footprint", footprint);
                out.set("event_loop_blocked", blockedWarnings(gateway, worker));
                log("  %d products: %d requests, cost %d, %.0f s (minimum %.0f s); RSS after: gateway %d MiB, worker %d MiB",
                        full.path("job_result").path("products").asLong(), full.path("job_result").path("requests").asLong(),
                        full.path("job_result").path("cost").asLong(), full.path("job_result").path("durationMs").asLong() / 1000.0,
                        full.path("minimum_ms").asDouble() / 1000, Procs.rssKib(gateway.pid()) / 1024,
                        Procs.rssKib(worker.pid()) / 1024);
            }
        }
        return out;
    }

    /** Time to ready of each service (started one after the other), then RSS after a quiet settle. */
    private static ObjectNode footprintAtStart(Options options, BenchWorld.Service gateway, BenchWorld.Service worker)
            throws Exception {
        ObjectNode footprint = BenchClient.JSON.createObjectNode();
        ObjectNode ready = footprint.putObject("ready_ms");
        ready.put("oauth-gateway", gateway.readyMillis());
        ready.put("sync-worker", worker.readyMillis());
        ObjectNode quarkus = footprint.putObject("quarkus_started_s");
        quarkus.put("oauth-gateway", quarkusStarted(gateway.log()));
        quarkus.put("sync-worker", quarkusStarted(worker.log()));
        Thread.sleep(options.idleSettleSeconds * 1000L);
        footprint.set("idle", rss(gateway, worker));
        log("  ready: gateway %d ms, worker %d ms; idle RSS: gateway %d MiB, worker %d MiB",
                gateway.readyMillis(), worker.readyMillis(), Procs.rssKib(gateway.pid()) / 1024,
                Procs.rssKib(worker.pid()) / 1024);
        return footprint;
    }

    /** Vert.x's "Thread ... has been blocked for N ms" warnings per service: work done on an event loop. */
    private static ObjectNode blockedWarnings(BenchWorld.Service... services) throws Exception {
        ObjectNode out = BenchClient.JSON.createObjectNode();
        java.util.regex.Pattern blocked = java.util.regex.Pattern.compile("eventloop-thread-\\d+.*has been blocked for (\\d+) ms");
        for (BenchWorld.Service s : services) {
            long count = 0;
            long max = 0;
            for (String line : Files.readAllLines(s.log())) {
                java.util.regex.Matcher m = blocked.matcher(line);
                if (m.find()) {
                    count++;
                    max = Math.max(max, Long.parseLong(m.group(1)));
                }
            }
            ObjectNode one = out.putObject(s.name());
            one.put("warnings", count);
            one.put("max_ms", max);
        }
        return out;
    }

    /** Progress on the console, with the time of day. */
    static void log(String format, Object... args) {
        System.out.println(java.time.LocalTime.now().withNano(0) + " " + String.format(java.util.Locale.ROOT, format, args));
    }

    private static ObjectNode rss(BenchWorld.Service gateway, BenchWorld.Service worker) {
        ObjectNode rss = BenchClient.JSON.createObjectNode();
        for (BenchWorld.Service s : List.of(gateway, worker)) {
            ObjectNode one = rss.putObject(s.name());
            one.put("rss_kib", Procs.rssKib(s.pid()));
            one.put("peak_rss_kib", Procs.peakRssKib(s.pid()));
            one.put("cpu_ms", Procs.cpuMillis(s.pid()));
        }
        return rss;
    }

    /** Quarkus's own "started in X s" (JVM start to the HTTP server listening), for comparison. */
    private static double quarkusStarted(Path log) throws Exception {
        for (String line : Files.readAllLines(log)) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("started in ([0-9.]+)s").matcher(line);
            if (m.find()) {
                return Double.parseDouble(m.group(1));
            }
        }
        return -1;
    }

    /**
     * JVM options for one service of the small store's world (the ingest runs), from the environment, split on
     * spaces: e.g. {@code BENCH_GATEWAY_JVM_OPTIONS=-XX:StartFlightRecording=filename=/tmp/gw.jfr,settings=profile}
     * for a profile. None by default; a run that sets them measures the options too, so its figures are not the
     * plain service's.
     */
    private static List<String> jvmOptions(String variable) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? List.of() : List.of(value.strip().split("\\s+"));
    }

    private static Path jar(String service) {
        return Path.of(service, "target", "quarkus-app", "quarkus-run.jar");
    }

    /** What the figures were measured on. */
    static final class Machine {

        static ObjectNode describe(Path work) throws Exception {
            ObjectNode m = BenchClient.JSON.createObjectNode();
            String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
            m.put("cpu_model", cpuinfo.lines().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?"));
            m.put("cores", Runtime.getRuntime().availableProcessors());
            m.put("ram_mib", Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).orElse(-1L));
            m.put("kernel", Procs.output("uname", "-sr"));
            m.put("os", Files.exists(Path.of("/etc/os-release")) ? Files.readAllLines(Path.of("/etc/os-release")).stream()
                    .filter(l -> l.startsWith("PRETTY_NAME=")).findFirst().map(l -> l.substring(12).replace("\"", ""))
                    .orElse("?") : "?");
            m.put("java_version", Procs.output(BenchWorld.java(), "-version"));
            m.put("git_commit", Procs.output("git", "rev-parse", "HEAD"));
            m.put("git_branch", Procs.output("git", "rev-parse", "--abbrev-ref", "HEAD"));
            List<String> dirty = new ArrayList<>(Procs.output("git", "status", "--porcelain", "--untracked-files=no")
                    .lines().filter(l -> !l.isBlank() && !l.endsWith("bench/RESULTS.md")).toList());
            m.put("git_dirty", !dirty.isEmpty());
            m.put("loadavg_at_start", Procs.loadAverage());
            long[] flush = fsyncMicros(work.resolve("fsync-probe"), 200);
            m.put("fsync_median_ms", flush[flush.length / 2] / 1000.0);
            m.put("fsync_p99_ms", flush[(int) Math.ceil(flush.length * 0.99) - 1] / 1000.0);
            return m;
        }

        /**
         * What a durable commit waits for on this disk: 8 KiB written and flushed (fdatasync), {@code n}
         * times, in microseconds, sorted. The work directory is on the same file system as the database.
         */
        private static long[] fsyncMicros(Path file, int n) throws Exception {
            long[] micros = new long[n];
            java.nio.ByteBuffer block = java.nio.ByteBuffer.allocate(8192);
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
                for (int i = 0; i < n; i++) {
                    block.clear();
                    long started = System.nanoTime();
                    channel.write(block, (long) i * 8192);
                    channel.force(false);
                    micros[i] = (System.nanoTime() - started) / 1000;
                }
            } finally {
                Files.deleteIfExists(file);
            }
            Arrays.sort(micros);
            return micros;
        }
    }
}
