import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Webhook ingest, ours against the naive peer, in the same run: {@link WebhookLoad} in its own JVM
 * fires signed products/update webhooks at each fixed rate and then closed-loop at saturation,
 * first at the naive FastAPI handler, then at our gateway. For ours, the stored receipts in the
 * database must match the 200s (warm-up included), and the next run starts only once the outbox
 * and the worker's queue are empty again.
 */
final class IngestBench {

    /** The unmeasured open-loop priming at the first rate, after the closed loop's. */
    private static final int OPEN_LOOP_PRIMING_SECONDS = 10;
    /** Events of the backlog whose drain is measured after the ingest runs (#17: the drain's own pace). */
    private static final int BACKLOG_EVENTS = 50_000;

    private final BenchWorld world;
    private final BenchWorld.Service gateway;
    private final BenchWorld.Service worker;
    private final BenchClient client;
    private final Bench.Options options;
    private final Path logs;

    IngestBench(BenchWorld world, BenchWorld.Service gateway, BenchWorld.Service worker, BenchClient client,
                Bench.Options options) {
        this.world = world;
        this.gateway = gateway;
        this.worker = worker;
        this.client = client;
        this.options = options;
        this.logs = world.logs();
    }

    ObjectNode run() throws Exception {
        ObjectNode out = BenchClient.JSON.createObjectNode();
        Process naive = startNaive();
        try {
            out.put("naive_versions", Procs.output("/usr/bin/python3", "-c",
                    "import sys, fastapi, uvicorn; print('Python', sys.version.split()[0], '/ FastAPI', "
                            + "fastapi.__version__, '/ uvicorn', uvicorn.__version__)"));
            // Unmeasured priming, closed loop: our JVM's JIT compiles the hot paths during its first thousands of
            // requests; without it the first rate measured would pay for that (the Python peer has no JIT).
            ArrayNode priming = out.putArray("priming");
            priming.add(prime("naive", options.ports.naive(), options.primeSeconds / 3, 0));
            priming.add(prime("ours", options.ports.gateway(), options.primeSeconds, 0));
            // Then open loop at the first rate measured: one webhook per commit runs other code than the closed loop's
            // large batches, and the first fixed rate after the closed loop alone paid for its compilation in its tail
            // (500/s right after it: p99 46 ms, p99.9 223 ms; the same rate measured again: 9.7 and 8.6 ms).
            int firstRate = options.rates.isEmpty() ? 0 : options.rates.get(0);
            if (firstRate > 0) {
                priming.add(prime("naive", options.ports.naive(), OPEN_LOOP_PRIMING_SECONDS, firstRate));
                priming.add(prime("ours", options.ports.gateway(), OPEN_LOOP_PRIMING_SECONDS, firstRate));
            }
            ArrayNode runs = out.putArray("runs");
            List<Integer> rates = new ArrayList<>(options.rates);
            rates.add(0);
            for (int rate : rates) {
                // Interleaved (naive, then ours, at each rate) so that background load on a shared
                // machine weighs on both alike.
                runs.add(once("naive", naive.pid(), options.ports.naive(), rate));
                runs.add(once("ours", gateway.pid(), options.ports.gateway(), rate));
            }
            out.set("backlog", backlog(BACKLOG_EVENTS));
        } finally {
            Procs.stop(naive, 10);
        }
        return out;
    }

    /** Unmeasured: closed loop when {@code rate} is 0, else open loop at {@code rate}. */
    private ObjectNode prime(String target, int port, int seconds, int rate) throws Exception {
        String label = target + "@priming" + (rate > 0 ? "-" + rate : "");
        List<String> command = List.of(BenchWorld.java(), "-cp", options.classes + ":" + BenchWorld.SANDBOX_CP, "WebhookLoad",
                "--url", "http://127.0.0.1:" + port + "/shopify/webhook", "--secret", world.env().get("SHOPIFY_API_SECRET"),
                "--shop", BenchWorld.SHOP, "--rate", String.valueOf(rate), "--seconds", String.valueOf(seconds),
                "--warmup-seconds", "1",
                "--concurrency", String.valueOf(rate == 0 ? options.saturationConcurrency : 256), "--label", label,
                "--result", logs.resolve("result-" + label.replace('@', '-') + ".json").toString());
        Path log = logs.resolve("load-" + label.replace('@', '-') + ".log");
        Process generator = Procs.start(command, Map.of(), log, world.secrets());
        if (!generator.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
            Procs.stop(generator, 5);
            throw new IllegalStateException("the load generator did not finish; see " + log);
        }
        ObjectNode result = resultOf(label, log);
        if (target.equals("ours")) {
            result.put("drain_ms", client.awaitIdle(Duration.ofMinutes(5)));
        }
        Bench.log("  %-18s %8.0f/s (unmeasured)", label, result.path("achieved_rate").asDouble());
        return result;
    }

    private ObjectNode once(String target, long serverPid, int port, int rate) throws Exception {
        int concurrency = rate == 0 ? options.saturationConcurrency : 256;
        boolean ours = target.equals("ours");
        String label = target + (rate == 0 ? "@saturation" : "@" + rate);
        String load = Procs.loadAverage();
        long receiptsBefore = ours ? receipts() : 0;
        long outboxBefore = ours ? client.count("SELECT count(*) FROM gateway.outbox") : 0;
        long jobsBefore = ours ? client.count("SELECT count(*) FROM worker.jobs") : 0;
        long outboxIdBefore = ours ? client.count("SELECT coalesce(max(id), 0) FROM gateway.outbox") : 0;
        Cpu before = cpu(serverPid);
        String metricsBefore = ours ? client.gatewayMetrics() : "";

        List<String> command = List.of(BenchWorld.java(), "-cp", options.classes + ":" + BenchWorld.SANDBOX_CP, "WebhookLoad",
                "--url", "http://127.0.0.1:" + port + "/shopify/webhook", "--secret", world.env().get("SHOPIFY_API_SECRET"),
                "--shop", BenchWorld.SHOP, "--rate", String.valueOf(rate), "--seconds", String.valueOf(options.ingestSeconds),
                "--concurrency", String.valueOf(concurrency), "--label", label, "--ok-ids",
                logs.resolve("ok-ids-" + label.replace('@', '-') + ".txt").toString(),
                "--result", logs.resolve("result-" + label.replace('@', '-') + ".json").toString());
        Path log = logs.resolve("load-" + label.replace('@', '-') + ".log");
        Process generator = Procs.start(command, Map.of(), log, world.secrets());
        if (!generator.waitFor(options.ingestSeconds + 180L, TimeUnit.SECONDS)) {
            Procs.stop(generator, 5);
            throw new IllegalStateException("the load generator did not finish; see " + log);
        }
        ObjectNode result = resultOf(label, log);
        long drainMs = 0;
        if (ours) {
            // Our work is not over at the 200: the outbox still delivers to the worker, which coalesces. Its CPU counts,
            // up to the moment all is delivered; the checks below are the benchmark's own queries and do not.
            drainMs = client.awaitIdle(Duration.ofMinutes(5));
        }
        Cpu after = cpu(serverPid);
        if (ours) {
            // What the 200s promised must be in the database: the receipt of every event id answered 200.
            List<String> okIds = Files.readAllLines(logs.resolve("ok-ids-" + label.replace('@', '-') + ".txt"));
            long promised = result.path("ok").asLong() + result.path("warmup_ok").asLong();
            long found = client.countKeys("SELECT count(*) FROM gateway.webhook_receipts WHERE dedupe_key = ANY(?)",
                    okIds.stream().map(id -> "shopify:" + id).toList());
            long stored = receipts() - receiptsBefore;
            result.put("receipts_expected", promised);
            result.put("receipts_found", found);
            result.put("receipts_match", found == promised && okIds.size() == promised);
            // Committed, but answered after the generator's cut-off (or the connection was closed first).
            result.put("receipts_stored", stored);
            result.put("stored_without_200_seen", stored - promised);
            result.put("outbox_rows", client.count("SELECT count(*) FROM gateway.outbox") - outboxBefore);
            // Group commit: statements (= commits) and the changes they carried, from the gateway's own summary.
            String metricsAfter = client.gatewayMetrics();
            double batches = BenchClient.metric(metricsAfter, "gateway_ingest_batch_size_count")
                    - BenchClient.metric(metricsBefore, "gateway_ingest_batch_size_count");
            double batched = BenchClient.metric(metricsAfter, "gateway_ingest_batch_size_sum")
                    - BenchClient.metric(metricsBefore, "gateway_ingest_batch_size_sum");
            result.put("batches", (long) batches);
            result.put("mean_batch", batches == 0 ? 0 : batched / batches);
            result.put("batch_failures", (long) (BenchClient.metric(metricsAfter, "gateway_ingest_batch_failures_total")
                    - BenchClient.metric(metricsBefore, "gateway_ingest_batch_failures_total")));
            result.put("drain_ms", drainMs);
            result.put("worker_jobs", client.count("SELECT count(*) FROM worker.jobs") - jobsBefore);
            result.set("deliveries", deliveries("id > ?", outboxIdBefore));
        }
        long accepted = result.path("ok").asLong() + result.path("warmup_ok").asLong();
        result.put("target", target);
        result.put("loadavg_before", load);
        result.put("cpu_ms_server", after.server - before.server);
        if (ours) {
            result.put("cpu_ms_postgres", after.postgres - before.postgres);
            result.put("cpu_ms_worker", after.worker - before.worker);
        }
        long cpuOfIngest = (after.server - before.server) + (ours ? after.postgres - before.postgres : 0);
        result.put("cpu_ms_per_1000", accepted == 0 ? 0 : cpuOfIngest * 1000.0 / accepted);
        result.put("command", Procs.commands().get(Procs.commands().size() - 1));
        Bench.log("  %-18s %8.0f/s  p50 %7.2f ms  p99 %8.2f ms  p99.9 %8.2f ms  errors %s%s", label,
                result.path("achieved_rate").asDouble(), result.path("p50_ms").asDouble(),
                result.path("p99_ms").asDouble(), result.path("p999_ms").asDouble(),
                result.path("errors") + String.format(java.util.Locale.ROOT, "  generator %.2f cores",
                        result.path("generator_cpu_ms").asDouble() / 1000.0
                                / Math.max(0.001, result.path("elapsed_s").asDouble())),
                ours ? "  every 200 stored: " + (result.path("receipts_match").asBoolean() ? "yes" : "NO")
                        + ", drained in " + drainMs + " ms, " + result.path("batches").asLong() + " commits (mean batch "
                        + String.format(java.util.Locale.ROOT, "%.1f", result.path("mean_batch").asDouble()) + "), "
                        + result.path("deliveries").path("deliveries").asLong() + " deliveries (mean "
                        + String.format(java.util.Locale.ROOT, "%.1f events, last %.1f s after the last row)",
                                result.path("deliveries").path("mean_events").asDouble(),
                                result.path("deliveries").path("last_mark_after_last_row_s").asDouble()) : "");
        return result;
    }

    /**
     * The outbox's own pace, apart from ingest's: {@code events} copies of the newest products/update row are
     * inserted at once (fresh event ids, one statement), as an outage of the worker would leave them, and delivered
     * from the publisher's next poll on. The rate is taken between the first and the last delivered mark, so neither
     * the poll's wait nor the worker's debounced patch job counts.
     */
    private ObjectNode backlog(int events) throws Exception {
        String prefix = "bench-backlog-" + System.nanoTime() + "-";
        String load = Procs.loadAverage();
        long inserted = client.count("""
                WITH template AS (SELECT payload FROM gateway.outbox WHERE payload ->> 'topic' = 'products/update'
                                   ORDER BY id DESC LIMIT 1),
                     ins AS (INSERT INTO gateway.outbox (event_id, payload)
                             SELECT ? || g, jsonb_set(t.payload, '{eventId}', to_jsonb(? || g))
                               FROM generate_series(1, ?) g, template t RETURNING 1)
                SELECT count(*) FROM ins""", prefix, prefix, events);
        long idleMs = client.awaitIdle(Duration.ofMinutes(10));
        ObjectNode result = deliveries("event_id LIKE ?", prefix + "%");
        result.put("events", inserted);
        result.put("idle_after_ms", idleMs);
        result.put("loadavg_before", load);
        Bench.log("  ours@backlog       %d events at %.0f/s: %d deliveries (mean %.1f events), first to last mark "
                        + "%.1f s; idle after %.1f s", inserted, result.path("events_per_s").asDouble(),
                result.path("deliveries").asLong(), result.path("mean_events").asDouble(),
                result.path("span_s").asDouble(), idleMs / 1000.0);
        return result;
    }

    /**
     * How the outbox rows matching {@code where} travelled to the worker: deliveries (one delivered mark each, so one
     * distinct {@code delivered_at}), events per delivery, the span between the first and the last mark and the
     * events per second over it, and how long after the newest row was written the last one was delivered.
     */
    private ObjectNode deliveries(String where, Object param) throws Exception {
        Map<String, Object> row = client.row("""
                SELECT count(*) AS events, count(DISTINCT delivered_at) AS deliveries, max(attempts) AS max_attempts,
                       extract(epoch FROM max(delivered_at) - min(delivered_at)) AS span_s,
                       extract(epoch FROM max(delivered_at) - max(created_at)) AS lag_s
                  FROM gateway.outbox WHERE\s""" + where, param).orElseThrow();
        ObjectNode out = BenchClient.JSON.createObjectNode();
        long events = ((Number) row.get("events")).longValue();
        long deliveries = ((Number) row.get("deliveries")).longValue();
        double span = row.get("span_s") == null ? 0 : ((Number) row.get("span_s")).doubleValue();
        out.put("deliveries", deliveries);
        out.put("mean_events", deliveries == 0 ? 0 : (double) events / deliveries);
        out.put("max_attempts", row.get("max_attempts") == null ? 0 : ((Number) row.get("max_attempts")).longValue());
        out.put("span_s", span);
        out.put("events_per_s", span == 0 ? 0 : events / span);
        out.put("last_mark_after_last_row_s", row.get("lag_s") == null ? 0 : ((Number) row.get("lag_s")).doubleValue());
        return out;
    }

    private record Cpu(long server, long postgres, long worker) {
    }

    private Cpu cpu(long serverPid) throws Exception {
        return new Cpu(Procs.cpuMillis(serverPid), Procs.cpuMillisWithDescendants(world.postgresPid()),
                Procs.cpuMillis(worker.pid()));
    }

    private long receipts() throws Exception {
        return client.count("SELECT count(*) FROM gateway.webhook_receipts WHERE source = 'shopify' AND topic = 'products/update'");
    }

    /** The naive peer as its docstring runs it, with uvicorn's access log off (ours logs no line per webhook either). */
    private Process startNaive() throws Exception {
        int port = options.ports.naive();
        List<String> command = List.of("/usr/bin/python3", "-m", "uvicorn", "app:app", "--app-dir", "bench/naive-fastapi",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--no-access-log");
        Process naive = Procs.start(command, Map.of("SHOPIFY_API_SECRET", world.env().get("SHOPIFY_API_SECRET")),
                logs.resolve("naive-fastapi.log"), world.secrets());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!naive.isAlive()) {
                throw new IllegalStateException("the naive FastAPI peer exited; see " + logs.resolve("naive-fastapi.log"));
            }
            try {
                HttpResponse<Void> docs = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/openapi.json"))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (docs.statusCode() == 200) {
                    return naive;
                }
            } catch (java.io.IOException e) {
                // not yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the naive FastAPI peer did not start");
    }

    /** The generator's result, from the file it wrote (its stdout is shared with its error lines). */
    private ObjectNode resultOf(String label, Path log) throws Exception {
        Path file = logs.resolve("result-" + label.replace('@', '-') + ".json");
        if (Files.exists(file)) {
            return (ObjectNode) BenchClient.JSON.readTree(Files.readString(file));
        }
        return lastJsonLine(log);
    }

    private static ObjectNode lastJsonLine(Path log) throws Exception {
        List<String> lines = Files.readAllLines(log);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("{\"label\"")) {
                JsonNode node = BenchClient.JSON.readTree(lines.get(i));
                return (ObjectNode) node;
            }
        }
        throw new IllegalStateException("no result line from the load generator; see " + log);
    }
}
