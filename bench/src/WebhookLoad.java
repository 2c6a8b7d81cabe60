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
 * Prints one JSON line with the figures.
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
        String label = opt.getOrDefault("label", url.getHost() + ":" + url.getPort());

        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                        .setDefaultHost(url.getHost()).setDefaultPort(url.getPort()).setKeepAlive(true)
                        .setConnectTimeout(5000).setIdleTimeout(30),
                new PoolOptions().setHttp1MaxSize(concurrency));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String template = productBody();

        // warm-up at the same rate, not measured
        run(vertx, client, url, mac, template, shop, rate == 0 ? 0 : rate, warmup, concurrency, null);
        long[] latencies = new long[Math.max(1, rate == 0 ? 2_000_000 : rate * seconds + 1)];
        Result result = run(vertx, client, url, mac, template, shop, rate, seconds, concurrency, latencies);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        long[] sorted = Arrays.copyOf(latencies, result.recorded);
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT,
                "{\"label\":\"%s\",\"target_rate\":%d,\"seconds\":%d,\"sent\":%d,\"ok\":%d,\"errors\":%s,"
                        + "\"achieved_rate\":%.1f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"p999_ms\":%.2f,\"max_ms\":%.2f}%n",
                label, rate, seconds, result.sent, result.ok, json(result.errors), result.ok / result.elapsedSeconds,
                pct(sorted, 0.50), pct(sorted, 0.99), pct(sorted, 0.999),
                sorted.length == 0 ? 0.0 : sorted[sorted.length - 1] / 1e6);
    }

    private record Result(long sent, long ok, Map<String, Integer> errors, int recorded, double elapsedSeconds) {
    }

    private static Result run(Vertx vertx, HttpClient client, URI url, Mac mac, String template, String shop,
                              int rate, int seconds, int concurrency, long[] latencies) throws Exception {
        AtomicLong sent = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicInteger recorded = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        Map<String, Integer> errors = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong completed = new AtomicLong();

        Runnable[] send = new Runnable[1];
        send[0] = () -> {
            long due = System.nanoTime();
            sendOne(client, url, mac, template, shop, due, (status, latency) -> {
                if (status == 200) {
                    ok.incrementAndGet();
                } else {
                    errors.merge(String.valueOf(status), 1, Integer::sum);
                }
                if (latencies != null) {
                    int i = recorded.getAndIncrement();
                    if (i < latencies.length) {
                        latencies[i] = latency;
                    }
                }
                inFlight.decrementAndGet();
                completed.incrementAndGet();
            });
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
                    sendOne(client, url, mac, template, shop, due, (status, latency) -> {
                        if (status == 200) {
                            ok.incrementAndGet();
                        } else {
                            errors.merge(String.valueOf(status), 1, Integer::sum);
                        }
                        if (latencies != null) {
                            int i = recorded.getAndIncrement();
                            if (i < latencies.length) {
                                latencies[i] = latency;
                            }
                        }
                        if (completed.incrementAndGet() == total) {
                            done.countDown();
                        }
                    });
                }
                if (next.get() >= total) {
                    vertx.cancelTimer(id);
                }
            });
            if (!done.await(seconds + 60L, TimeUnit.SECONDS)) {
                errors.merge("timeout", (int) (total - completed.get()), Integer::sum);
            }
        } else {
            // Closed loop at fixed concurrency: saturation throughput.
            vertx.setPeriodic(1, id -> {
                if (System.nanoTime() >= end) {
                    vertx.cancelTimer(id);
                    return;
                }
                while (inFlight.get() < concurrency) {
                    inFlight.incrementAndGet();
                    sent.incrementAndGet();
                    send[0].run();
                }
            });
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()));
            while (inFlight.get() > 0 && System.nanoTime() < end + TimeUnit.SECONDS.toNanos(30)) {
                Thread.sleep(10);
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Result(sent.get(), ok.get(), new TreeMap<>(errors), Math.min(recorded.get(),
                latencies == null ? 0 : latencies.length), elapsed);
    }

    private interface Completion {
        void done(int status, long latencyNanos);
    }

    private static void sendOne(HttpClient client, URI url, Mac mac, String template, String shop, long due,
                                Completion completion) {
        String eventId = UUID.randomUUID().toString();
        byte[] body = template.replace("__ID__", eventId).getBytes(StandardCharsets.UTF_8);
        String hmac;
        synchronized (mac) {
            hmac = Base64.getEncoder().encodeToString(mac.doFinal(body));
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(url.getPath())
                .putHeader("Content-Type", "application/json")
                .putHeader("X-Shopify-Hmac-Sha256", hmac)
                .putHeader("X-Shopify-Topic", "products/update")
                .putHeader("X-Shopify-Shop-Domain", shop)
                .putHeader("X-Shopify-API-Version", "2026-07")
                .putHeader("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                .putHeader("X-Shopify-Event-Id", eventId)
                .putHeader("X-Shopify-Triggered-At", java.time.Instant.now().toString());
        client.request(options)
                .compose(req -> req.send(Buffer.buffer(body)))
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onComplete(ar -> completion.done(ar.succeeded() ? ar.result() : failureCode(ar.cause()), System.nanoTime() - due));
    }

    /** Transport failures are reported by exception name instead of a status. */
    private static int failureCode(Throwable cause) {
        System.err.println("request failed: " + cause);
        return -1;
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
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
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
