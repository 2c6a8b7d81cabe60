import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Sync efficiency against the simulators: what a full sync costs in Shopify requests, points and
 * time; what an unchanged resync costs in Spaces requests; how many full fetches a burst of
 * webhooks causes; how long a single change takes to reach the object the bot reads.
 */
final class SyncBench {

    private static final String SHOP = BenchWorld.SHOP;
    private static final String[] SIM_STATS = {"graphqlRequests", "totalRequestedCost", "totalActualCost",
            "throttledResponses", "maxCostRefusals", "invalidQueries"};
    private static final String[] WORKER_COUNTERS = {"storefront_shopify_requests_total", "storefront_shopify_cost_total",
            "storefront_shopify_throttled_total", "storefront_spaces_requests_total"};

    private final BenchClient client;

    SyncBench(BenchClient client) {
        this.client = client;
    }

    /**
     * Installs the app on the shop through OAuth and waits for the first full sync it starts.
     * Simulator and worker counters are read around it; the simulator's include the gateway's
     * webhook registration, the job's own figures do not.
     */
    ObjectNode installAndFullSync(Duration timeout, int bucket, int restoreRate) throws Exception {
        JsonNode simBefore = client.simState(SHOP).path("stats");
        String metricsBefore = client.workerMetrics();
        long started = System.nanoTime();
        JsonNode install = client.install(SHOP);
        long installMs = (System.nanoTime() - started) / 1_000_000;
        String userId = install.path("user_uuid").asText();
        Map<String, Object> job = awaitJobRow("install", timeout);
        long endToEndMs = (System.nanoTime() - started) / 1_000_000;
        JsonNode simAfter = client.simState(SHOP).path("stats");
        String metricsAfter = client.workerMetrics();

        ObjectNode out = BenchClient.JSON.createObjectNode();
        out.put("user_id", userId);
        out.put("install_callback_ms", installMs);
        out.put("install_to_synced_ms", endToEndMs);
        out.put("job_status", (String) job.get("status"));
        out.put("job_attempts", ((Number) job.get("attempts")).intValue());
        out.put("job_run_ms", ((Number) job.get("run_ms")).longValue());
        out.put("job_queue_ms", ((Number) job.get("queue_ms")).longValue());
        JsonNode result = BenchClient.JSON.readTree(String.valueOf(job.get("result")));
        out.set("job_result", result);
        out.set("simulator_delta", delta(simBefore, simAfter, SIM_STATS));
        out.set("worker_metrics_delta", metricsDelta(metricsBefore, metricsAfter));
        out.put("registration_requests", client.simState(SHOP).path("counts").path("webhookSubscriptions").asInt() + 1);
        long cost = result.path("cost").asLong();
        out.put("bucket", bucket);
        out.put("restore_rate", restoreRate);
        double minimumMs = Math.max(0, cost - bucket) * 1000.0 / restoreRate;
        out.put("minimum_ms", minimumMs);
        out.put("time_over_minimum", minimumMs == 0 ? 0 : result.path("durationMs").asLong() / minimumMs);
        out.put("products_object_bytes", client.count(
                "SELECT coalesce(max(size_bytes), 0) FROM worker.documents WHERE object_key = ?", productsKey(userId)));
        return out;
    }

    /** Resyncs of a store that did not change: the goal is no Spaces request at all. */
    ObjectNode unchangedResyncs(String userId, int times) throws Exception {
        client.awaitIdle(Duration.ofMinutes(2));
        String token = client.adminToken();
        ArrayNode runs = BenchClient.JSON.createArrayNode();
        for (int i = 0; i < times; i++) {
            String before = client.workerMetrics();
            JsonNode simBefore = client.simState(SHOP).path("stats");
            JsonNode receipt = client.resync(token, userId);
            ArrayNode jobs = BenchClient.JSON.createArrayNode();
            for (JsonNode enqueued : receipt.path("jobs")) {
                JsonNode job = client.awaitJob(token, enqueued.path("id").asText(), Duration.ofMinutes(10));
                ObjectNode view = BenchClient.JSON.createObjectNode();
                view.put("target", job.path("target").path("id").asText());
                view.put("status", job.path("status").asText());
                view.set("written", job.path("result").path("written"));
                view.set("skipped", job.path("result").path("skipped"));
                view.put("shopify_requests", job.path("result").path("requests").asLong());
                view.put("duration_ms", job.path("result").path("durationMs").asLong());
                jobs.add(view);
            }
            String after = client.workerMetrics();
            ObjectNode run = BenchClient.JSON.createObjectNode();
            run.put("spaces_requests", BenchClient.metric(after, "storefront_spaces_requests_total")
                    - BenchClient.metric(before, "storefront_spaces_requests_total"));
            run.put("spaces_puts", BenchClient.metric(after, "storefront_spaces_requests_total", "op=\"put")
                    - BenchClient.metric(before, "storefront_spaces_requests_total", "op=\"put"));
            run.put("documents_skipped", BenchClient.metric(after, "storefront_spaces_documents_total", "outcome=\"skipped\"")
                    - BenchClient.metric(before, "storefront_spaces_documents_total", "outcome=\"skipped\""));
            run.put("shopify_requests", client.simState(SHOP).path("stats").path("graphqlRequests").asLong()
                    - simBefore.path("graphqlRequests").asLong());
            run.set("jobs", jobs);
            runs.add(run);
            Bench.log("    resync %d: %.0f Spaces requests, %d Shopify requests", i + 1, run.path("spaces_requests").asDouble(),
                    run.path("shopify_requests").asLong());
        }
        ObjectNode out = BenchClient.JSON.createObjectNode();
        out.set("runs", runs);
        return out;
    }

    /**
     * {@code events} products/update webhooks for one shop over {@code seconds}, sent by the
     * simulator (which changes the products and signs each delivery) in one batch per second;
     * then every sync they caused is counted once the system is idle again.
     */
    ObjectNode burst(int events, int seconds) throws Exception {
        client.awaitIdle(Duration.ofMinutes(2));
        long dbStart = client.count("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint");
        long receiptsBefore = client.count("SELECT count(*) FROM gateway.webhook_receipts WHERE topic = 'products/update'");
        JsonNode simBefore = client.simState(SHOP).path("stats");
        int perSecond = events / seconds;
        ExecutorService senders = Executors.newFixedThreadPool(seconds);
        long started = System.nanoTime();
        List<Future<JsonNode>> batches = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            int count = s == seconds - 1 ? events - perSecond * (seconds - 1) : perSecond;
            long dueNanos = started + TimeUnit.SECONDS.toNanos(s);
            batches.add(senders.submit(() -> {
                long wait = dueNanos - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                return client.simEvents(SHOP, "products/update", count);
            }));
        }
        long delivered = 0;
        for (Future<JsonNode> batch : batches) {
            delivered += batch.get(2, TimeUnit.MINUTES).path("delivered").asLong();
        }
        senders.shutdown();
        long sentMs = (System.nanoTime() - started) / 1_000_000;
        long drainMs = client.awaitIdle(Duration.ofMinutes(5));
        JsonNode simAfter = client.simState(SHOP).path("stats");

        ObjectNode out = BenchClient.JSON.createObjectNode();
        out.put("events", events);
        out.put("seconds", seconds);
        out.put("delivered", delivered);
        out.put("sent_ms", sentMs);
        out.put("idle_after_ms", drainMs);
        out.put("receipts_stored", client.count("SELECT count(*) FROM gateway.webhook_receipts WHERE topic = 'products/update'")
                - receiptsBefore);
        String since = "target_id = ? AND created_at >= to_timestamp(? / 1000.0)";
        // Since #14 a products/* webhook makes a patch job (re-reads its products) unless the burst is large:
        // only sync jobs read the whole store.
        out.put("full_fetches", client.count("SELECT count(*) FROM worker.jobs WHERE " + since
                + " AND started_at IS NOT NULL AND action = 'sync'", SHOP, dbStart));
        out.put("patch_jobs", client.count("SELECT count(*) FROM worker.jobs WHERE " + since
                + " AND started_at IS NOT NULL AND action = 'patch'", SHOP, dbStart));
        out.put("jobs_succeeded", client.count("SELECT count(*) FROM worker.jobs WHERE " + since
                + " AND status = 'succeeded'", SHOP, dbStart));
        out.put("events_coalesced", client.count("SELECT coalesce(sum(coalesced_events), 0) FROM worker.jobs WHERE " + since,
                SHOP, dbStart));
        out.set("simulator_delta", delta(simBefore, simAfter, SIM_STATS));
        Bench.log("    %d delivered in %d ms, %d full fetches, %d patch jobs, %d events coalesced", delivered, sentMs,
                out.path("full_fetches").asLong(), out.path("patch_jobs").asLong(), out.path("events_coalesced").asLong());
        return out;
    }

    /**
     * Webhook-to-object latency of single changes: the simulator changes one product and delivers
     * the webhook; the clock stops when {@code shop_products.json}, read from S3 as the bot reads it,
     * holds the new title. The 2 s debounce of the job queue is part of it by design.
     */
    ObjectNode latency(String userId, int samples) throws Exception {
        String key = productsKey(userId);
        ArrayNode runs = BenchClient.JSON.createArrayNode();
        long[] millis = new long[samples];
        for (int i = 0; i < samples; i++) {
            client.awaitIdle(Duration.ofMinutes(2));
            String etag = client.s3ETag(key).orElse("");
            long dbStart = client.count("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint");
            long started = System.nanoTime();
            client.simEvents(SHOP, "products/update", 1);
            long deliveredMs = (System.nanoTime() - started) / 1_000_000;
            // The simulator titles the changed product "<title> (rev N)", N its change counter.
            String marker = "(rev " + client.simState(SHOP).path("counts").path("changes").asLong() + ")\"";
            long deadline = started + TimeUnit.SECONDS.toNanos(120);
            long elapsed = -1;
            while (System.nanoTime() < deadline) {
                Optional<String> now = client.s3ETag(key);
                if (now.isPresent() && !now.get().equals(etag)) {
                    etag = now.get();
                    Optional<byte[]> body = client.s3Get(key);
                    if (body.isPresent() && new String(body.get(), StandardCharsets.UTF_8).contains(marker)) {
                        elapsed = (System.nanoTime() - started) / 1_000_000;
                        break;
                    }
                }
                Thread.sleep(20);
            }
            if (elapsed < 0) {
                throw new IllegalStateException("change " + marker + " did not reach " + key + " within 120 s");
            }
            millis[i] = elapsed;
            Bench.log("    sample %d: %d ms", i + 1, elapsed);
            ObjectNode run = BenchClient.JSON.createObjectNode();
            run.put("ms", elapsed);
            run.put("webhook_delivered_ms", deliveredMs);
            client.row("""
                            SELECT (extract(epoch FROM started_at - created_at) * 1000)::bigint AS queued_ms,
                                   (extract(epoch FROM finished_at - started_at) * 1000)::bigint AS run_ms
                              FROM worker.jobs WHERE target_id = ? AND created_at >= to_timestamp(? / 1000.0)
                             ORDER BY created_at LIMIT 1""", SHOP, dbStart)
                    .ifPresent(job -> {
                        run.put("job_queued_ms", ((Number) job.get("queued_ms")).longValue());
                        run.put("job_run_ms", job.get("run_ms") == null ? -1 : ((Number) job.get("run_ms")).longValue());
                    });
            runs.add(run);
        }
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        ObjectNode out = BenchClient.JSON.createObjectNode();
        out.put("samples", samples);
        out.put("p50_ms", percentile(sorted, 0.50));
        out.put("p99_ms", percentile(sorted, 0.99));
        out.put("min_ms", sorted[0]);
        out.put("max_ms", sorted[sorted.length - 1]);
        out.put("mean_queued_ms", mean(runs, "job_queued_ms"));
        out.put("mean_run_ms", mean(runs, "job_run_ms"));
        out.set("runs", runs);
        return out;
    }

    /** The job of {@code trigger} for the shop, once it succeeded or died, with its timings. */
    private Map<String, Object> awaitJobRow(String trigger, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Map<String, Object>> job = client.row("""
                    SELECT status, attempts, result::text AS result,
                           (extract(epoch FROM finished_at - started_at) * 1000)::bigint AS run_ms,
                           (extract(epoch FROM started_at - created_at) * 1000)::bigint AS queue_ms
                      FROM worker.jobs WHERE target_id = ? AND trigger = ? ORDER BY created_at DESC LIMIT 1""",
                    SHOP, trigger);
            if (job.isPresent() && ("succeeded".equals(job.get().get("status")) || "dead".equals(job.get().get("status")))) {
                if (!"succeeded".equals(job.get().get("status"))) {
                    throw new IllegalStateException("the " + trigger + " sync died: " + job.get());
                }
                return job.get();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the " + trigger + " sync did not finish within " + timeout);
    }

    static String productsKey(String userId) {
        return SpacesKeys.shopifyShopProducts(new UserId(UUID.fromString(userId)), new ShopDomain(SHOP));
    }

    private static ObjectNode delta(JsonNode before, JsonNode after, String[] fields) {
        ObjectNode delta = BenchClient.JSON.createObjectNode();
        for (String field : fields) {
            delta.put(field, after.path(field).asLong() - before.path(field).asLong());
        }
        return delta;
    }

    private static ObjectNode metricsDelta(String before, String after) {
        ObjectNode delta = BenchClient.JSON.createObjectNode();
        for (String counter : WORKER_COUNTERS) {
            delta.put(counter, BenchClient.metric(after, counter) - BenchClient.metric(before, counter));
        }
        return delta;
    }

    private static long percentile(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double mean(ArrayNode runs, String field) {
        return java.util.stream.StreamSupport.stream(runs.spliterator(), false)
                .filter(r -> r.has(field) && r.path(field).asLong() >= 0)
                .mapToLong(r -> r.path(field).asLong()).average().orElse(-1);
    }
}
