import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open-loop load generator for {@code POST /shopify/webhook}: sends Shopify-signed products/update
 * bodies (~3 KB, unique event ids) at a fixed rate, or as fast as the server answers with a fixed
 * number of requests in flight ({@code --rate 0}). Latency is measured from the moment a request
 * was due, not sent, so a server that falls behind is charged for the queueing it causes
 * (no coordinated omission).
 *
 * <pre>
 * java -cp 'deploy/sandbox/target/sandbox.jar:deploy/sandbox/target/lib/*' bench/src/WebhookLoad.java --url http://127.0.0.1:8080/shopify/webhook \
 *      --secret S --shop demo-shop.myshopify.com --rate 1000 --seconds 20 [--concurrency 256] [--label gateway]
 * </pre>
 * Prints one JSON line with the figures (and writes it to {@code --result FILE} when given).
 */
public final class WebhookLoad {

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = parse(args);
        URI url = URI.create(opt.get("url"));
        String secret = opt.get("secret");
        String shop = opt.getOrDefault("shop", "demo-shop.myshopify.com");
        int rate = Integer.parseInt(opt.getOrDefault("rate", "1000"));
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", "20"));
        int concurrency = Integer.parseInt(opt.getOrDefault("concurrency", "256"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup-seconds", "3"));
        // How long after the sending window answers are still awaited; later ones count as unanswered.
        int drain = Integer.parseInt(opt.getOrDefault("drain-seconds", "10"));
        String label = opt.getOrDefault("label", url.getHost() + ":" + url.getPort());

        Vertx vertx = Vertx.vertx();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        Signed signed = Signed.of(productBody(), mac, BODIES);

        // warm-up at the same rate, not measured (but counted: a server that stores must have stored these too)
        // --ok-ids FILE: the event id of every webhook answered 200 (warm-up included), one a line, so that a
        // caller can check each one was stored.
        java.util.Collection<String> okIds = opt.containsKey("ok-ids") ? new java.util.concurrent.ConcurrentLinkedQueue<>() : null;
        // The warm-up has its own client, closed at its end: requests a slow server left unanswered (and those
        // still queued in the pool) must not be sent during the measurement.
        HttpClient warmClient = client(vertx, url, concurrency);
        Result warm = run(vertx, warmClient, url, signed, shop, rate == 0 ? 0 : rate, warmup, concurrency,
                Math.min(drain, 3), null, okIds);
        warmClient.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        HttpClient client = client(vertx, url, concurrency);
        long[] latencies = new long[Math.max(1, rate == 0 ? 2_000_000 : rate * seconds + 1)];
        // The generator's own CPU over the measured part: the share of the machine's cores it takes from the server.
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        Result result = run(vertx, client, url, signed, shop, rate, seconds, concurrency, drain, latencies, okIds);
        long generatorCpuMs = (os.getProcessCpuTime() - cpuBefore) / 1_000_000;
        if (okIds != null) {
            java.nio.file.Files.write(java.nio.file.Path.of(opt.get("ok-ids")), okIds);
        }

        long[] sorted = Arrays.copyOf(latencies, result.recorded);
        Arrays.sort(sorted);
        String line = String.format(Locale.ROOT,
                "{\"label\":\"%s\",\"target_rate\":%d,\"seconds\":%d,\"concurrency\":%d,\"sent\":%d,\"ok\":%d,"
                        + "\"errors\":%s,\"elapsed_s\":%.3f,\"achieved_rate\":%.1f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,"
                        + "\"p999_ms\":%.2f,\"max_ms\":%.2f,\"unanswered\":%d,\"drain_seconds\":%d,"
                        + "\"warmup_sent\":%d,\"warmup_ok\":%d,\"warmup_errors\":%s,\"generator_cpu_ms\":%d}%n",
                label, rate, seconds, concurrency, result.sent, result.ok, json(result.errors), result.elapsedSeconds,
                result.ok / result.elapsedSeconds, pct(sorted, 0.50), pct(sorted, 0.99), pct(sorted, 0.999),
                pct(sorted, 1.0), result.unanswered, drain,
                warm.sent, warm.ok, json(warm.errors), generatorCpuMs);
        // --result FILE: the same line in a file of its own, which no log line of another thread can cut.
        if (opt.containsKey("result")) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(opt.get("result")), line);
        }
        System.out.print(line);
        System.out.flush();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // requests still queued towards a server far behind: nothing left to measure
        }
        System.exit(0);
    }

    /** {@code unanswered}: sent but not answered {@code drain} seconds after the window (a server far behind). */
    private record Result(long sent, long ok, Map<String, Integer> errors, int recorded, double elapsedSeconds,
                          long unanswered) {
    }

    private static Result run(Vertx vertx, HttpClient client, URI url, Signed signed, String shop,
                              int rate, int seconds, int concurrency, int drain, long[] latencies,
                              java.util.Collection<String> okIds) throws Exception {
        AtomicLong sent = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicInteger recorded = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        Map<String, Integer> errors = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong completed = new AtomicLong();

        // Answers and the cut-off at the end of the drain take turns on this lock.
        Object lock = new Object();
        boolean[] closed = {false};
        Completion record = (status, latency, eventId) -> {
            synchronized (lock) {
                if (closed[0]) {
                    return; // answered after the cut-off: already counted as unanswered
                }
                if (status == 200) {
                    ok.incrementAndGet();
                    if (okIds != null) {
                        okIds.add(eventId);
                    }
                } else {
                    errors.merge(String.valueOf(status), 1, Integer::sum);
                }
                if (latencies != null) {
                    int i = recorded.getAndIncrement();
                    if (i < latencies.length) {
                        latencies[i] = latency;
                    }
                }
            }
        };

        if (rate > 0) {
            // Open loop: request i is due at start + i / rate; a timer tick sends every request that is due.
            long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
            long total = (long) rate * seconds;
            AtomicLong next = new AtomicLong();
            vertx.setPeriodic(1, id -> {
                long now = System.nanoTime();
                while (next.get() < total && start + next.get() * intervalNanos <= now) {
                    long due = start + next.getAndIncrement() * intervalNanos;
                    sent.incrementAndGet();
                    inFlight.incrementAndGet();
                    sendOne(client, url, signed, shop, due, (status, latency, eventId) -> {
                        record.done(status, latency, eventId);
                        if (completed.incrementAndGet() == total) {
                            done.countDown();
                        }
                    });
                }
                if (next.get() >= total) {
                    vertx.cancelTimer(id);
                }
            });
            done.await(seconds + drain, TimeUnit.SECONDS);
        } else {
            // Closed loop at fixed concurrency (saturation throughput): every answer sends the next request at
            // once, so exactly `concurrency` requests are in flight until the end.
            CountDownLatch stopped = new CountDownLatch(concurrency);
            Runnable[] next = new Runnable[1];
            next[0] = () -> {
                if (System.nanoTime() >= end) {
                    stopped.countDown();
                    return;
                }
                sent.incrementAndGet();
                inFlight.incrementAndGet();
                sendOne(client, url, signed, shop, System.nanoTime(), (status, latency, eventId) -> {
                    record.done(status, latency, eventId);
                    inFlight.decrementAndGet();
                    next[0].run();
                });
            };
            vertx.runOnContext(v -> {
                for (int i = 0; i < concurrency; i++) {
                    next[0].run();
                }
            });
            stopped.await(seconds + drain, TimeUnit.SECONDS);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        // Requests still unanswered have no latency: they rank last, and a percentile among them prints as -1.
        synchronized (lock) {
            closed[0] = true;
        }
        int answered = Math.min(recorded.get(), latencies == null ? Integer.MAX_VALUE : latencies.length);
        long unanswered = Math.max(0, sent.get() - ok.get() - errors.values().stream().mapToLong(Integer::longValue).sum());
        int filled = answered;
        if (latencies != null) {
            for (long u = 0; u < unanswered && filled < latencies.length; u++) {
                latencies[filled++] = Long.MAX_VALUE;
            }
        }
        return new Result(sent.get(), ok.get(), new TreeMap<>(errors), latencies == null ? 0 : filled, elapsed, unanswered);
    }

    private static HttpClient client(Vertx vertx, URI url, int concurrency) {
        return vertx.createHttpClient(new HttpClientOptions()
                        .setDefaultHost(url.getHost()).setDefaultPort(url.getPort()).setKeepAlive(true)
                        .setConnectTimeout(5000).setIdleTimeout(30),
                new PoolOptions().setHttp1MaxSize(concurrency));
    }

    private interface Completion {
        void done(int status, long latencyNanos, String eventId);
    }

    private static void sendOne(HttpClient client, URI url, Signed signed, String shop, long due,
                                Completion completion) {
        long n = SEQUENCE.getAndIncrement();
        String eventId = RUN + n;
        Signed.Body body = signed.next(n);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(url.getPath())
                .putHeader("Content-Type", "application/json")
                .putHeader("X-Shopify-Hmac-Sha256", body.hmac())
                .putHeader("X-Shopify-Topic", "products/update")
                .putHeader("X-Shopify-Shop-Domain", shop)
                .putHeader("X-Shopify-API-Version", "2026-07")
                .putHeader("X-Shopify-Webhook-Id", "w" + eventId)
                .putHeader("X-Shopify-Event-Id", eventId)
                .putHeader("X-Shopify-Triggered-At", TriggeredAt.now());
        client.request(options)
                .compose(req -> req.send(body.bytes()))
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onComplete(ar -> completion.done(ar.succeeded() ? ar.result() : failureCode(ar.cause()),
                        System.nanoTime() - due, eventId));
    }

    /** Transport failures are reported by exception name instead of a status. */
    private static int failureCode(Throwable cause) {
        if (FAILURES_LOGGED.incrementAndGet() <= 5) {
            System.err.println("request failed: " + cause);
        }
        return -1;
    }

    private static final AtomicInteger FAILURES_LOGGED = new AtomicInteger();

    /** Distinct signed bodies the requests take turns with. */
    private static final int BODIES = 1024;
    /**
     * Event ids: this run's random prefix and a counter, unique across runs and cheap to make. The HMAC covers the body
     * only and the gateway tells deliveries apart by {@code X-Shopify-Event-Id}, so every request is a distinct
     * webhook while its body (and HMAC) comes from the precomputed ones: the generator's CPU, which shares the
     * machine's 2 cores with the server measured, goes to sending, not to hashing 3 KB for every request.
     */
    private static final String RUN = "load-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** {@code BODIES} distinct products/update bodies and their HMACs, made before anything is measured. */
    private record Signed(Body[] bodies) {
        /** The bytes are wrapped anew for each request: a sent buffer is not shared between requests in flight. */
        record Body(byte[] content, String hmac) {
            Buffer bytes() {
                return Buffer.buffer(content);
            }
        }

        static Signed of(String template, Mac mac, int count) {
            Body[] bodies = new Body[count];
            for (int i = 0; i < count; i++) {
                byte[] body = template.replace("__ID__", "body-" + i).getBytes(StandardCharsets.UTF_8);
                bodies[i] = new Body(body, Base64.getEncoder().encodeToString(mac.doFinal(body)));
            }
            return new Signed(bodies);
        }

        Body next(long n) {
            return bodies[(int) (n % bodies.length)];
        }
    }

    /** {@code X-Shopify-Triggered-At}: the current time as Shopify writes it, made again once per millisecond. */
    private static final class TriggeredAt {
        private static volatile long millis;
        private static volatile String text = "";

        static String now() {
            long now = System.currentTimeMillis();
            if (now != millis) {
                text = java.time.Instant.ofEpochMilli(now).toString();
                millis = now;
            }
            return text;
        }
    }

    /** A products/update body of realistic size (~3 KB), as Shopify sends it. */
    private static String productBody() {
        StringBuilder variants = new StringBuilder();
        for (int v = 0; v < 3; v++) {
            variants.append(v == 0 ? "" : ",").append("""
                    {"id":4470000000%d,"product_id":8800000000,"title":"Size %d","price":"29.90","sku":"TEE-__ID__-%d",\
                    "position":%d,"inventory_policy":"deny","compare_at_price":"39.90","option1":"Size %d",\
                    "created_at":"2026-01-01T00:00:00-00:00","updated_at":"2026-11-25T10:00:00-00:00","taxable":true,\
                    "barcode":"0123456789%d","inventory_item_id":5550000000%d,"inventory_quantity":%d,\
                    "admin_graphql_api_id":"gid://shopify/ProductVariant/4470000000%d"}""".formatted(v, v, v, v + 1, v, v, v, 10 * v, v));
        }
        return """
                {"admin_graphql_api_id":"gid://shopify/Product/8800000000","body_html":"<p>Soft organic cotton tee, \
                pre-shrunk, with a relaxed fit. Machine washable. Ships in recycled packaging. __ID__</p>",\
                "created_at":"2026-01-01T00:00:00-00:00","handle":"organic-tee","id":8800000000,\
                "product_type":"Shirts","published_at":"2026-01-01T00:00:00-00:00","template_suffix":null,\
                "title":"Organic Tee","updated_at":"2026-11-25T10:00:00-00:00","vendor":"Demo Apparel",\
                "status":"active","published_scope":"web","tags":"cotton, organic, summer",\
                "variants":[%s],\
                "options":[{"id":9900000000,"product_id":8800000000,"name":"Size","position":1,"values":["Size 0","Size 1","Size 2"]}],\
                "images":[{"id":7700000000,"alt":"Organic Tee","position":1,"product_id":8800000000,\
                "src":"https://cdn.shopify.com/s/files/1/0000/0001/products/tee.jpg","width":1200,"height":1200}],\
                "image":{"id":7700000000,"alt":"Organic Tee","position":1,"product_id":8800000000,\
                "src":"https://cdn.shopify.com/s/files/1/0000/0001/products/tee.jpg","width":1200,"height":1200},\
                "variant_gids":[{"admin_graphql_api_id":"gid://shopify/ProductVariant/44700000000"}]}""".formatted(variants);
    }

    private static String json(Map<String, Integer> errors) {
        StringBuilder sb = new StringBuilder("{");
        errors.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return sb.append('}').toString();
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        long value = sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        return value == Long.MAX_VALUE ? -1 : value / 1e6;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opt = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            opt.put(args[i].substring(2), args[i + 1]);
        }
        for (String required : new String[] {"url", "secret"}) {
            if (!opt.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        return opt;
    }
}
