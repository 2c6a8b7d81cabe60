import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Issue #14's benchmarks, behind {@code bench/run-patch.sh}: what one product change costs once the store is
 * synced. A store of {@code --products} (3 variants, 2 locations) at standard-plan limits (bucket 1,000, 100
 * points/s), installed through OAuth; after its first sync:
 * <ul>
 *   <li><b>single changes</b>, {@code --samples} times, one at a time: the simulator changes one variant's price
 *       to a price no other change uses and delivers {@code products/update}; the time from that call until
 *       {@code shop_products.json} (read from S3 with SigV4: HEAD until its ETag moves, then GET) holds the new
 *       price; per change, the Shopify requests and points (the simulator's counters) and the bytes the worker
 *       PUT to Spaces ({@code storefront_spaces_bytes_written_total}), each measured until the system is idle;</li>
 *   <li><b>a burst</b>: {@code --burst-changes} price changes spread over {@code --burst-products} distinct
 *       products in {@code --burst-seconds}, paced by the clock ({@code ?async=true}, so the delivery does not
 *       slow the pace); the points and requests spent and the time, from the first change, until the object
 *       holds every product's last price.</li>
 * </ul>
 * The figures are printed as one JSON document (also {@code <work>/<label>.json}).
 */
final class PatchBench {

    private static final class Options {
        Path work;
        String label;
        int products = 10_000;
        int variants = 3;
        int locations = 2;
        int bucket = 1000;
        int restoreRate = 100;
        int samples = 20;
        int burstChanges = 1000;
        int burstProducts = 100;
        int burstSeconds = 10;
        int timeoutMinutes = 60;
        // Away from run-all.sh's 18080..18121 and run-bulk.sh's 18300..18341.
        BenchWorld.Ports ports = BenchWorld.Ports.from(18500);
        String invocation = "";
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private BenchWorld world;
    private BenchClient client;
    /** Prices already used: each change sets one never seen before, so its arrival in the object is unambiguous. */
    private int nextPrice = 1;

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        Runtime.getRuntime().addShutdownHook(new Thread(Procs::stopAll));
        ObjectNode out = new PatchBench().run(o);
        String json = BenchClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out);
        Files.writeString(o.work.resolve(o.label + ".json"), json);
        System.out.println(json);
    }

    private static Options parse(String[] args) {
        Options o = new Options();
        DriverArgs.each(args, (name, value) -> {
            switch (name) {
                case "--work" -> o.work = Path.of(value);
                case "--label" -> o.label = value;
                case "--products" -> o.products = Integer.parseInt(value);
                case "--bucket" -> o.bucket = Integer.parseInt(value);
                case "--restore-rate" -> o.restoreRate = Integer.parseInt(value);
                case "--samples" -> o.samples = Integer.parseInt(value);
                case "--burst-changes" -> o.burstChanges = Integer.parseInt(value);
                case "--burst-products" -> o.burstProducts = Integer.parseInt(value);
                case "--burst-seconds" -> o.burstSeconds = Integer.parseInt(value);
                case "--timeout-minutes" -> o.timeoutMinutes = Integer.parseInt(value);
                case "--port-base" -> o.ports = BenchWorld.Ports.from(Integer.parseInt(value));
                case "--invocation" -> o.invocation = value;
                default -> throw DriverArgs.unknown(name);
            }
        });
        DriverArgs.requireWork(o.work);
        if (o.samples < 1 || o.burstProducts < 1 || o.burstProducts > o.products || o.burstChanges < o.burstProducts) {
            throw new IllegalArgumentException("need samples >= 1 and 1 <= burst-products <= min(products, burst-changes)");
        }
        if (o.label == null) {
            o.label = "patch-" + o.products;
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
        settings.put("SIM_SHOPIFY_TOKEN_LIFETIME_SECONDS", "86400");
        out.set("simulator_settings", BenchClient.JSON.valueToTree(settings));
        Duration timeout = Duration.ofMinutes(o.timeoutMinutes);
        Path dir = o.work.resolve(o.label);
        try (BenchWorld started = BenchWorld.start(dir, o.ports, settings, List.of("-Xmx4g"), Duration.ofMinutes(30))) {
            world = started;
            BenchWorld.Service worker = world.startService("sync-worker", jar("sync-worker"), o.ports.worker(),
                    o.ports.workerManagement());
            BenchWorld.Service gateway = world.startService("oauth-gateway", jar("oauth-gateway"), o.ports.gateway(),
                    o.ports.gatewayManagement());
            try (BenchClient opened = new BenchClient(world, gateway, worker)) {
                client = opened;
                long installStarted = System.nanoTime();
                JsonNode install = client.install(BenchWorld.SHOP);
                String key = "users/" + install.path("user_uuid").asText() + "/shopify/" + BenchWorld.SHOP
                        + "/shop_products.json";
                // The first sync of a large store parks on its bulk operation ('waiting', which idle() ignores):
                // wait for its object first.
                long deadline = System.nanoTime() + timeout.toNanos();
                while (client.s3ETag(key).isEmpty()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no " + key + " after " + timeout);
                    }
                    Thread.sleep(200);
                }
                client.awaitIdle(timeout);
                out.put("first_sync_ms", (System.nanoTime() - installStarted) / 1_000_000);
                log("first sync done in %d ms", out.path("first_sync_ms").asLong());
                List<String[]> variants = firstVariants();
                out.set("single_changes", singleChanges(o, key, variants, timeout));
                out.set("burst", burst(o, key, variants, timeout));
            }
        }
        out.put("loadavg_at_end", Procs.loadAverage());
        return out;
    }

    /** One change at a time; each measured until the object shows it and the system is idle again. */
    private ObjectNode singleChanges(Options o, String key, List<String[]> variants, Duration timeout) throws Exception {
        long[] latency = new long[o.samples];
        ArrayNode samples = BenchClient.JSON.createArrayNode();
        long requests = 0;
        long points = 0;
        double bytes = 0;
        for (int i = 0; i < o.samples; i++) {
            String[] target = variants.get((i * 7919) % variants.size());
            Counters before = counters();
            String price = price();
            String etag = client.s3ETag(key).orElse("");
            long started = System.nanoTime();
            change(target, price, false);
            awaitObjectHolds(key, etag, List.of(price), timeout);
            latency[i] = (System.nanoTime() - started) / 1_000_000;
            client.awaitIdle(timeout);
            Counters after = counters();
            ObjectNode sample = samples.addObject();
            sample.put("ms", latency[i]);
            sample.put("shopify_requests", after.requests - before.requests);
            sample.put("points", after.points - before.points);
            sample.put("bytes_written", (long) (after.bytes - before.bytes));
            requests += after.requests - before.requests;
            points += after.points - before.points;
            bytes += after.bytes - before.bytes;
            log("change %d: %d ms, %d requests, %d points, %d bytes", i + 1, latency[i],
                    after.requests - before.requests, after.points - before.points, (long) (after.bytes - before.bytes));
        }
        long[] sorted = latency.clone();
        Arrays.sort(sorted);
        ObjectNode out = BenchClient.JSON.createObjectNode();
        out.put("samples", o.samples);
        out.put("p50_ms", percentile(sorted, 50));
        out.put("p99_ms", percentile(sorted, 99));
        out.put("max_ms", sorted[sorted.length - 1]);
        out.put("shopify_requests_per_change", (double) requests / o.samples);
        out.put("points_per_change", (double) points / o.samples);
        out.put("bytes_written_per_change", bytes / o.samples);
        out.set("each", samples);
        return out;
    }

    /** {@code burstChanges} changes over {@code burstProducts} products, paced evenly over {@code burstSeconds}. */
    private ObjectNode burst(Options o, String key, List<String[]> variants, Duration timeout) throws Exception {
        List<String[]> targets = new ArrayList<>();
        for (int p = 0; p < o.burstProducts; p++) {
            targets.add(variants.get((int) ((long) p * variants.size() / o.burstProducts)));
        }
        Map<String, String> lastPrice = new LinkedHashMap<>();
        Counters before = counters();
        String etag = client.s3ETag(key).orElse("");
        long intervalNanos = Duration.ofSeconds(o.burstSeconds).toNanos() / o.burstChanges;
        // Sent without waiting for each answer, so that a slow answer does not hold the pace back.
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < o.burstChanges; i++) {
            long due = started + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            String[] target = targets.get(i % targets.size());
            String price = price();
            sent.add(http.sendAsync(changeRequest(target, price, true), HttpResponse.BodyHandlers.ofString()));
            lastPrice.put(target[0], price);
        }
        long sentMs = (System.nanoTime() - started) / 1_000_000;
        for (CompletableFuture<HttpResponse<String>> answer : sent) {
            if (answer.join().statusCode() != 202) {
                throw new IllegalStateException("the simulator answered " + answer.join().statusCode() + ": " + answer.join().body());
            }
        }
        // Concurrent requests may reach the simulator out of order: the store's prices now are what must show.
        Map<String, String> storePrices = variantPrices();
        List<String> expected = targets.stream().map(t -> storePrices.get(t[1])).distinct().toList();
        awaitObjectHolds(key, etag, expected, timeout);
        long currentMs = (System.nanoTime() - started) / 1_000_000;
        long idleMs = client.awaitIdle(timeout) + currentMs;
        Counters after = counters();
        ObjectNode out = BenchClient.JSON.createObjectNode();
        out.put("changes", o.burstChanges);
        out.put("distinct_products", lastPrice.size());
        out.put("sent_in_ms", sentMs);
        out.put("first_change_to_object_current_ms", currentMs);
        out.put("first_change_to_idle_ms", idleMs);
        out.put("shopify_requests", after.requests - before.requests);
        out.put("points", after.points - before.points);
        out.put("bytes_written", (long) (after.bytes - before.bytes));
        out.put("jobs", client.count("SELECT count(*) FROM worker.jobs WHERE target_id = ? AND trigger = 'webhook' "
                + "AND created_at >= now() - make_interval(secs => ?)", BenchWorld.SHOP, (double) idleMs / 1000 + 1));
        log("burst: %d changes over %d products sent in %d ms, object current after %d ms, %d points",
                o.burstChanges, lastPrice.size(), sentMs, currentMs, after.points - before.points);
        return out;
    }

    // ---- the pieces --------------------------------------------------------------------------------------

    private record Counters(long requests, long points, double bytes) {
    }

    private Counters counters() throws Exception {
        JsonNode stats = client.simState(BenchWorld.SHOP).path("stats");
        return new Counters(stats.path("graphqlRequests").asLong(), stats.path("totalActualCost").asLong(),
                BenchClient.metric(client.workerMetrics(), "storefront_spaces_bytes_written_total"));
    }

    /** A price no earlier change used (and the fixture's prices, at most 110.00, never): {@code 5000.01} on. */
    private String price() {
        int n = nextPrice++;
        return String.format(Locale.ROOT, "%d.%02d", 5000 + n / 100, n % 100);
    }

    /** Every variant's current price in the simulator's store, by variant id. */
    private Map<String, String> variantPrices() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(world.shopifySimulator()
                + "/_sim/shops/" + BenchWorld.SHOP + "/products")).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, String> prices = new LinkedHashMap<>();
        for (JsonNode product : BenchClient.JSON.readTree(answer.body()).path("products")) {
            for (JsonNode variant : product.path("variants")) {
                prices.put(variant.path("id").asText(), variant.path("price").asText());
            }
        }
        return prices;
    }

    /** Every product's first variant, as {@code [productId, variantId]}, in the store's order. */
    private List<String[]> firstVariants() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(world.shopifySimulator()
                + "/_sim/shops/" + BenchWorld.SHOP + "/products")).build(), HttpResponse.BodyHandlers.ofString());
        List<String[]> variants = new ArrayList<>();
        for (JsonNode product : BenchClient.JSON.readTree(answer.body()).path("products")) {
            variants.add(new String[] {product.path("id").asText(), product.path("variants").get(0).path("id").asText()});
        }
        return variants;
    }

    /** The simulator sets the variant's price and delivers {@code products/update} (or only queues it, async). */
    private void change(String[] target, String price, boolean async) throws Exception {
        HttpResponse<String> answer = http.send(changeRequest(target, price, async), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != (async ? 202 : 200)) {
            throw new IllegalStateException("the simulator answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    private HttpRequest changeRequest(String[] target, String price, boolean async) {
        String body = BenchClient.JSON.createObjectNode().put("topic", "products/update").put("id", target[0])
                .put("change", "price").put("variantId", target[1]).put("price", price).toString();
        return HttpRequest.newBuilder(URI.create(world.shopifySimulator() + "/_sim/shops/" + BenchWorld.SHOP + "/events"
                        + (async ? "?async=true" : "")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** HEAD until the ETag moves from {@code etag}, then GET: done when the object holds every price. */
    private void awaitObjectHolds(String key, String etag, List<String> prices, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String seen = etag;
        while (System.nanoTime() < deadline) {
            Optional<String> now = client.s3ETag(key);
            if (now.isPresent() && !now.get().equals(seen)) {
                seen = now.get();
                String body = new String(client.s3Get(key).orElseThrow(), StandardCharsets.UTF_8);
                if (prices.stream().allMatch(body::contains)) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(key + " did not show " + prices.size() + " new price(s) within " + timeout);
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static void log(String format, Object... args) {
        System.err.println(java.time.LocalTime.now().withNano(0) + " " + String.format(Locale.ROOT, format, args));
    }

    private static Path jar(String service) {
        return Path.of(service, "target", "quarkus-app", "quarkus-run.jar");
    }
}
