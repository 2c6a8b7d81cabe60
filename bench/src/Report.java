import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@code bench/RESULTS.md} from one run's figures. A full run rewrites the file and keeps
 * the sections of separate {@code --only sync} runs (each marked with its own command, date and
 * commit) and the written ones between {@code <!-- BEGIN notes <id> -->} and {@code <!-- END notes <id> -->}
 * (other runs' tables and what they chose, each with its command), after its own; an {@code --only sync} run
 * replaces only its own section.
 */
final class Report {

    private static final Pattern SECTION = Pattern.compile(
            "<!-- BEGIN ((?:sync-only|notes) [^ ]+) -->.*?<!-- END \\1 -->\\n?", Pattern.DOTALL);

    private Report() {
    }

    static void write(Bench.Options options, JsonNode r) throws Exception {
        String existing = Files.exists(options.results) ? Files.readString(options.results) : "";
        String text;
        if (options.only.equals("sync")) {
            String id = "sync-only restore-rate-" + options.restoreRate;
            String section = "<!-- BEGIN " + id + " -->\n" + syncOnlySection(r) + "<!-- END " + id + " -->\n";
            Matcher own = Pattern.compile("<!-- BEGIN " + Pattern.quote(id) + " -->.*?<!-- END " + Pattern.quote(id)
                    + " -->\\n?", Pattern.DOTALL).matcher(existing);
            text = own.find() ? existing.substring(0, own.start()) + section + existing.substring(own.end())
                    : (existing.isEmpty() ? "# Benchmark results\n\n" : existing + "\n") + section;
        } else {
            StringBuilder kept = new StringBuilder();
            Matcher sections = SECTION.matcher(existing);
            while (sections.find()) {
                kept.append('\n').append(sections.group());
            }
            text = full(r) + kept;
        }
        Files.writeString(options.results, text);
    }

    // --- the full run -------------------------------------------------------------------------------

    private static String full(JsonNode r) {
        StringBuilder md = new StringBuilder();
        JsonNode m = r.path("machine");
        JsonNode small = r.path("small");
        JsonNode large = r.path("large");
        JsonNode full = large.path("full_sync");
        int restore = full.path("restore_rate").asInt();
        md.append("# Benchmark results\n\n");
        md.append(String.format(Locale.ROOT, "Produced by `%s` on %s in %.1f min, at commit `%s`%s. Every figure below "
                        + "comes from that one run; each ratio compares two measurements of the same run (naive peer "
                        + "and ours interleaved, rate by rate). Regenerate with `bench/run-all.sh` (see "
                        + "[README.md](README.md)).\n\n",
                r.path("invocation").asText(), r.path("started").asText().replaceAll("\\.\\d+Z$", "Z"),
                r.path("duration_s").asDouble() / 60, m.path("git_commit").asText(),
                m.path("git_dirty").asBoolean() ? " (with uncommitted changes)" : ""));
        machine(md, m, small.path("ingest").path("naive_versions").asText());

        md.append("## Summary\n\n| measurement | result | goal |\n|---|---|---|\n");
        List<JsonNode> runs = list(small.path("ingest").path("runs"));
        JsonNode satOurs = find(runs, "ours", 0);
        JsonNode satNaive = find(runs, "naive", 0);
        md.append(String.format(Locale.ROOT, "| webhook ingest at saturation (%d in flight), verified + stored | ours **%s/s**, "
                        + "naive peer %s/s: ratio ours/naive **%.2f** | |\n",
                satOurs.path("concurrency").asInt(), num(satOurs.path("achieved_rate").asDouble()),
                num(satNaive.path("achieved_rate").asDouble()),
                ratio(satOurs.path("achieved_rate").asDouble(), satNaive.path("achieved_rate").asDouble())));
        StringBuilder p99 = new StringBuilder();
        for (JsonNode ours : runs) {
            if (ours.path("target").asText().equals("ours") && ours.path("target_rate").asInt() > 0) {
                JsonNode naive = find(runs, "naive", ours.path("target_rate").asInt());
                p99.append(String.format(Locale.ROOT, "%s%s/s: %s vs %s (ratio %s)", p99.length() == 0 ? "" : "; ",
                        num(ours.path("target_rate").asDouble()), withMs(pct(ours, "p99_ms")), withMs(pct(naive, "p99_ms")),
                        p99Ratio(ours, naive)));
            }
        }
        md.append("| webhook ingest p99, ours vs naive (ratio ours/naive) | ").append(p99).append(" | |\n");
        // A store above the bulk threshold (#13) is read by a bulk operation, whose time Shopify's pace decides, not
        // the points: there the paginated minimum says nothing.
        boolean bulk = "bulk".equals(full.path("job_result").path("read").asText());
        md.append(String.format(Locale.ROOT, "| full sync, %s products × 3 variants × 2 locations, bucket %d, restore %d/s | "
                        + "%s%d requests, cost %s points, **%.0f s**%s | as close to the minimum as possible |\n",
                num(full.path("job_result").path("products").asDouble()), full.path("bucket").asInt(), restore,
                bulk ? "bulk operation: " : "", full.path("job_result").path("requests").asInt(),
                num(full.path("job_result").path("cost").asDouble()), full.path("job_result").path("durationMs").asDouble() / 1000,
                bulk ? "" : String.format(Locale.ROOT, " vs minimum %.0f s (**×%.2f**)", full.path("minimum_ms").asDouble() / 1000,
                        full.path("time_over_minimum").asDouble())));
        md.append(String.format(Locale.ROOT, "| Spaces requests per unchanged resync | **%s** | 0 |\n",
                joined(list(small.path("unchanged_resync").path("runs")), "spaces_requests")));
        JsonNode burst = small.path("burst");
        md.append(String.format(Locale.ROOT, "| full fetches caused by %s products/update webhooks in %d s (one shop) | **%d** "
                        + "(and %d patch jobs) | ≤ 3 |\n", num(burst.path("events").asDouble()), burst.path("seconds").asInt(),
                burst.path("full_fetches").asInt(), burst.path("patch_jobs").asInt()));
        JsonNode latency = small.path("latency");
        md.append(String.format(Locale.ROOT, "| webhook-to-object latency of one change (%d samples, %d products, 2 s debounce included) "
                        + "| p50 **%.2f s**, p99 **%.2f s** | |\n",
                latency.path("samples").asInt(), small.path("products").asInt(), latency.path("p50_ms").asDouble() / 1000, latency.path("p99_ms").asDouble() / 1000));
        JsonNode fp = large.path("footprint");
        md.append(String.format(Locale.ROOT, "| footprint: time to ready / RSS idle / RSS after the %s-product sync | "
                        + "gateway %.2f s / %s / %s; worker %.2f s / %s / %s | |\n\n",
                num(full.path("job_result").path("products").asDouble()),
                fp.path("ready_ms").path("oauth-gateway").asDouble() / 1000, mib(fp.path("idle").path("oauth-gateway")),
                mib(fp.path("after_sync").path("oauth-gateway")),
                fp.path("ready_ms").path("sync-worker").asDouble() / 1000, mib(fp.path("idle").path("sync-worker")),
                mib(fp.path("after_sync").path("sync-worker"))));

        ingest(md, small.path("ingest"), small);
        md.append("## 2. Sync efficiency against the simulators\n\n");
        fullSync(md, large, restore == 100 ? "" : " The standard plan's 100/s would take about ten times as long "
                + "(~50 min), so the full run uses " + restore + "/s; `bench/run-all.sh --only sync --restore-rate 100` "
                + "measures the standard plan (its section, when it was run, is at the end of this file).");
        resync(md, small);
        burst(md, small);
        latency(md, small);
        footprint(md, small, large);
        commands(md, r);
        return md.toString();
    }

    private static void machine(StringBuilder md, JsonNode m, String naiveVersions) {
        md.append("## Machine\n\n| | |\n|---|---|\n");
        md.append("| CPU | ").append(m.path("cpu_model").asText()).append(" |\n");
        md.append("| cores | ").append(m.path("cores").asInt()).append(" (shared by the load generator, both services, "
                + "PostgreSQL, the S3 server and the simulators) |\n");
        md.append(String.format(Locale.ROOT, "| RAM | %.1f GiB |\n", m.path("ram_mib").asDouble() / 1024));
        md.append("| OS | ").append(m.path("os").asText()).append(", ").append(m.path("kernel").asText()).append(" |\n");
        md.append("| Java | ").append(m.path("java_version").asText().replace("\n", "<br>")).append(" |\n");
        if (!naiveVersions.isEmpty()) {
            md.append("| naive peer | ").append(naiveVersions).append(" (Debian packages), one uvicorn process |\n");
        }
        md.append("| database | PostgreSQL 14 (embedded, zonky), `fsync`, `synchronous_commit`, `full_page_writes` **on** "
                + "(`SANDBOX_POSTGRES_DURABLE=true`): a 200 from the gateway means the receipt is on disk |\n");
        md.append(String.format(Locale.ROOT, "| disk flush (8 KiB write + fdatasync, 200×, at start) | median %.2f ms, p99 %.2f ms |\n",
                m.path("fsync_median_ms").asDouble(), m.path("fsync_p99_ms").asDouble()));
        md.append("| load average at start (1, 5, 15 min) | ").append(m.path("loadavg_at_start").asText()).append(" |\n\n");
    }

    /** {@code --only ingest}: one line per run, for the console. */
    static String ingestSummary(JsonNode ingest) {
        StringBuilder out = new StringBuilder();
        for (JsonNode run : list(ingest.path("runs"))) {
            boolean ours = run.path("target").asText().equals("ours");
            out.append(String.format(Locale.ROOT, "%-6s %-10s %7s/s  p50 %s  p99 %s  max %s  CPU ms/1000 %s%s%n",
                    run.path("target").asText(), run.path("target_rate").asInt() == 0 ? "saturation"
                            : run.path("target_rate").asInt() + "/s", num(run.path("achieved_rate").asDouble()),
                    pct(run, "p50_ms"), pct(run, "p99_ms"), pct(run, "max_ms"), num(run.path("cpu_ms_per_1000").asDouble()),
                    ours ? String.format(Locale.ROOT, "  stored=200s %s  commits %d  mean batch %.1f  errors %s",
                            run.path("receipts_match").asBoolean() ? "yes" : "NO", run.path("batches").asLong(),
                            run.path("mean_batch").asDouble(), errors(run)) : ""));
        }
        return out.toString();
    }

    private static void ingest(StringBuilder md, JsonNode ingest, JsonNode small) {
        List<JsonNode> runs = list(ingest.path("runs"));
        if (runs.isEmpty()) {
            return;
        }
        JsonNode first = runs.get(0);
        md.append("## 1. Webhook ingest: ours vs the naive FastAPI peer\n\n");
        md.append(String.format(Locale.ROOT, """
                        `WebhookLoad` (a separate JVM on loopback) sends Shopify-signed `products/update` webhooks (~3 KB \
                        bodies, 1,024 distinct ones signed before the run; every request its own event id) for `demo-shop.myshopify.com`, installed through OAuth beforehand so that \
                        the gateway stores them. Fixed rates are open loop (latency counted from when a request was due, \
                        so a server that falls behind pays for the queue it causes), %d s each after a 3 s warm-up at the \
                        same rate; saturation is closed loop with %d requests in flight. Before the first measurement each \
                        server was primed, unmeasured, closed loop (naive %d s, ours %d s: the JVM's JIT compiler \
                        needs the traffic; without it the first rate measured pays for the compilation), then 10 s open \
                        loop at the first rate (one webhook per commit runs other code than the closed loop's batches). Naive peer and \
                        ours alternate at each rate. **Ours** verifies the HMAC, then hands the change to its group commit \
                        (`IngestBatcher`): the changes of concurrent requests go into one PostgreSQL statement (one \
                        transaction, one commit) that finds each shop's active connection, records the receipts \
                        (de-duplication) and the outbox events for the worker; each request is answered 200 after its \
                        batch committed ("commits" below: statements written, and the mean number of webhooks each \
                        carried, from `gateway_ingest_batch_size`); the \
                        outbox then delivers to the worker, which coalesces the events into sync jobs (full fetches of the \
                        %d-product store) — all on the same 2 cores during the measurement. **Naive** (`bench/naive-fastapi/app.py`) \
                        verifies the HMAC and answers; it stores nothing.

                        "Stored" checks the gateway's promise: the generator writes down the event id of every webhook \
                        answered 200 (warm-up included) and each must have its receipt in `gateway.webhook_receipts`. CPU is \
                        per 1,000 accepted webhooks: the server process, plus PostgreSQL for ours (the worker's share is \
                        listed apart), up to the end of the drain and before the benchmark's own checks. Drain: time after the last answer until every outbox row was delivered and no job \
                        was pending or running.

                        | rate | server | achieved/s | 200s | errors | p50 ms | p99 ms | p99.9 ms | max ms | stored = 200s | CPU ms / 1,000 | drain | load avg |
                        |---|---|---|---|---|---|---|---|---|---|---|---|---|
                        """, first.path("seconds").asInt(), find(runs, "ours", 0).path("concurrency").asInt(),
                primed(ingest, "naive"), primed(ingest, "ours"), small.path("products").asInt()));
        for (JsonNode run : runs) {
            boolean ours = run.path("target").asText().equals("ours");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                    run.path("target_rate").asInt() == 0 ? "saturation (" + run.path("concurrency").asInt() + " in flight)"
                            : num(run.path("target_rate").asDouble()) + "/s",
                    ours ? "**ours**" : "naive", num(run.path("achieved_rate").asDouble()), num(run.path("ok").asDouble()),
                    errors(run), pct(run, "p50_ms"), pct(run, "p99_ms"), pct(run, "p999_ms"), pct(run, "max_ms"),
                    ours ? (run.path("receipts_match").asBoolean() ? "yes (" : "**NO** (") + num(run.path("receipts_found").asDouble())
                            + " of " + num(run.path("receipts_expected").asDouble()) + ")"
                            + (run.path("stored_without_200_seen").asLong() > 0 ? "; " + num(run.path("stored_without_200_seen").asDouble())
                            + " more stored, answered after the cut-off" : "") : "n/a (stores nothing)",
                    num(run.path("cpu_ms_per_1000").asDouble()) + (ours ? String.format(Locale.ROOT, " (+ worker %s)",
                            num(run.path("cpu_ms_worker").asDouble() * 1000.0 / Math.max(1, run.path("receipts_stored").asDouble()))) : ""),
                    ours ? String.format(Locale.ROOT, "%.1f s, jobs: %d", run.path("drain_ms").asDouble() / 1000,
                            run.path("worker_jobs").asInt()) : "",
                    run.path("loadavg_before").asText().split(" ")[0]));
        }
        md.append("\n| rate | p99 ours, ms | p99 naive, ms | p99 ratio ours/naive | answered/s ratio ours/naive | ours: commits (mean batch) |\n|---|---|---|---|---|---|\n");
        for (JsonNode ours : runs) {
            if (!ours.path("target").asText().equals("ours")) {
                continue;
            }
            JsonNode naive = find(runs, "naive", ours.path("target_rate").asInt());
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %s |\n",
                    ours.path("target_rate").asInt() == 0 ? "saturation" : num(ours.path("target_rate").asDouble()) + "/s",
                    pct(ours, "p99_ms"), pct(naive, "p99_ms"), p99Ratio(ours, naive),
                    ratio(ours.path("achieved_rate").asDouble(), naive.path("achieved_rate").asDouble()),
                    ours.has("batches") ? String.format(Locale.ROOT, "%s (%.1f)%s", num(ours.path("batches").asDouble()),
                            ours.path("mean_batch").asDouble(), ours.path("batch_failures").asLong() > 0
                                    ? ", " + ours.path("batch_failures").asLong() + " failed" : "") : ""));
        }
        md.append("\nVert.x blocked-event-loop warnings in the small store's part of the run: gateway ")
                .append(blocked(small.path("event_loop_blocked").path("oauth-gateway"))).append(", worker ")
                .append(blocked(small.path("event_loop_blocked").path("sync-worker"))).append(".\n\n");
    }

    private static void fullSync(StringBuilder md, JsonNode large, String note) {
        JsonNode full = large.path("full_sync");
        JsonNode result = full.path("job_result");
        JsonNode sim = full.path("simulator_delta");
        JsonNode metrics = full.path("worker_metrics_delta");
        md.append(String.format(Locale.ROOT, "### Full sync of %s products (3 variants each, 2 locations), bucket %d points, restore rate %d/s\n\n",
                num(result.path("products").asDouble()), full.path("bucket").asInt(), full.path("restore_rate").asInt()));
        md.append(String.format(Locale.ROOT, """
                        The simulator's store (`%s`) is installed through OAuth; the install starts the first full sync. \
                        The simulator computes each query's cost as Shopify documents it and throttles with a leaky \
                        bucket; the minimum time is `(total cost − bucket) / restore rate`: the bucket starts full, then \
                        every point must be restored.%s

                        | | |
                        |---|---|
                        | Shopify requests (job result / simulator) | %d / %d (the simulator also counted the gateway's %d webhook-registration requests: %d in all) |
                        | actual cost, points (job result / worker metric / simulator) | %s / %s / %s |
                        | requested cost, points (simulator) | %s |
                        | pages of connections fetched | %d |
                        | dearest single query (requested) | %d points |
                        | waits for the bucket before a query / refusals (THROTTLED, 429) / retries | %d / %d / %d |
                        | read (paginated pages or a bulk operation, #13) | %s |
                        | sync time (job result) | **%.1f s** |
                        | minimum of a paginated read `(cost − %d) / %d` | %.1f s |
                        | time / minimum | **×%.3f** |
                        | install click to the catalog in Spaces | %.1f s (the job waited %.1f s in the queue) |
                        | Spaces requests / `shop_products.json` size | %.0f / %s |
                        | worker event loop blocked (Vert.x warnings, > 2 s each) | %s |

                        """, large.path("settings").toString().replace("\"", "").replace(",", ", "), note,
                result.path("requests").asInt(), sim.path("graphqlRequests").asInt() - full.path("registration_requests").asInt(),
                full.path("registration_requests").asInt(), sim.path("graphqlRequests").asInt(),
                num(result.path("cost").asDouble()), num(metrics.path("storefront_shopify_cost_total").asDouble()),
                num(sim.path("totalActualCost").asDouble()), num(sim.path("totalRequestedCost").asDouble()),
                result.path("pages").asInt(), result.path("maxRequestedCost").asInt(),
                result.path("throttledWaits").asInt(), result.path("refusals").asInt(), result.path("retries").asInt(),
                result.path("read").asText("paginated"), result.path("durationMs").asDouble() / 1000, full.path("bucket").asInt(),
                full.path("restore_rate").asInt(),
                full.path("minimum_ms").asDouble() / 1000, full.path("time_over_minimum").asDouble(),
                full.path("install_to_synced_ms").asDouble() / 1000, full.path("job_queue_ms").asDouble() / 1000,
                metrics.path("storefront_spaces_requests_total").asDouble(), bytes(full.path("products_object_bytes").asLong()),
                blocked(large.path("event_loop_blocked").path("sync-worker"))));
    }

    private static void resync(StringBuilder md, JsonNode small) {
        List<JsonNode> runs = list(small.path("unchanged_resync").path("runs"));
        md.append("### Unchanged resync (" + small.path("products").asInt() + " products, Plus limits)\n\n");
        md.append("After the install's sync, `POST /resync {\"userId\": …}` with an admin JWT (`POST /admin/token`), "
                + "three times; `storefront_spaces_requests_total` of the worker's `/q/metrics` read before and after "
                + "each. The catalog is fetched again (that is what a resync is for) but nothing changed, so nothing "
                + "should be sent to Spaces: the worker compares hashes with its table.\n\n"
                + "| resync | Spaces requests | of which PUT | documents skipped | Shopify requests | job time |\n|---|---|---|---|---|---|\n");
        int i = 1;
        for (JsonNode run : runs) {
            long ms = 0;
            for (JsonNode job : run.path("jobs")) {
                ms += job.path("duration_ms").asLong();
            }
            md.append(String.format(Locale.ROOT, "| %d | **%.0f** | %.0f | %.0f | %d | %.2f s |\n", i++,
                    run.path("spaces_requests").asDouble(), run.path("spaces_puts").asDouble(),
                    run.path("documents_skipped").asDouble(), run.path("shopify_requests").asInt(), ms / 1000.0));
        }
        md.append("\n");
    }

    private static void burst(StringBuilder md, JsonNode small) {
        JsonNode b = small.path("burst");
        JsonNode sim = b.path("simulator_delta");
        md.append(String.format(Locale.ROOT, """
                        ### Burst: %s products/update webhooks in %d s for one shop

                        The simulator changes a product and delivers its signed webhook to the gateway, %d a second for \
                        %d s (each delivery a real change, unique event id). Full fetches = sync jobs (a read of the whole \
                        store) of the shop started from the burst's start until the system was idle again (outbox \
                        delivered, no job pending or running); patch jobs re-read only the products announced (#14); \
                        the jobs' coalesced event counts add up to the events they absorbed.

                        | | |
                        |---|---|
                        | webhooks delivered / receipts stored | %s / %s |
                        | sending took | %.1f s |
                        | **full fetches** | **%d** (goal ≤ 3) |
                        | patch jobs | %d |
                        | events coalesced into those jobs | %s |
                        | Shopify requests / actual cost during the burst (simulator) | %d / %s |
                        | idle again after the last delivery | %.1f s |

                        """, num(b.path("events").asDouble()), b.path("seconds").asInt(),
                b.path("events").asInt() / Math.max(1, b.path("seconds").asInt()), b.path("seconds").asInt(),
                num(b.path("delivered").asDouble()), num(b.path("receipts_stored").asDouble()), b.path("sent_ms").asDouble() / 1000,
                b.path("full_fetches").asInt(), b.path("patch_jobs").asInt(), num(b.path("events_coalesced").asDouble()),
                sim.path("graphqlRequests").asInt(),
                num(sim.path("totalActualCost").asDouble()), b.path("idle_after_ms").asDouble() / 1000));
    }

    private static void latency(StringBuilder md, JsonNode small) {
        JsonNode l = small.path("latency");
        md.append(String.format(Locale.ROOT, """
                        ### Webhook-to-object latency of a single change (%d products, Plus limits)

                        One `products/update` at a time through the simulator (it renames the product "… (rev N)" and \
                        delivers the webhook); the clock runs from the call until `shop_products.json`, read from S3 with \
                        SigV4 as the bot reads it (HEAD every 20 ms, GET when the ETag changes), contains the new title. \
                        It includes the job queue's 2 s debounce (a burst becomes one sync), the runner's 1 s poll, a full \
                        fetch of the whole catalog (a webhook does not patch one product yet) and the upload. %d samples, \
                        each after the system was idle. The store is small on purpose: its full fetch (%s points) fits \
                        Shopify Plus's 10,000-point bucket, so the figure is our pipeline's; on a larger store the full \
                        fetch, and with it this latency, grows with the catalog (at Plus limits 650 products cost ~20,000 \
                        points: at least 10 s of waiting for the bucket alone).

                        | p50 | p99 | min | max | mean wait in the queue (debounce + poll) | mean sync job |
                        |---|---|---|---|---|---|
                        | **%.2f s** | **%.2f s** | %.2f s | %.2f s | %.2f s | %.2f s |

                        Samples (s): %s

                        """, small.path("products").asInt(), l.path("samples").asInt(),
                num(small.path("install").path("job_result").path("cost").asDouble()), l.path("p50_ms").asDouble() / 1000, l.path("p99_ms").asDouble() / 1000,
                l.path("min_ms").asDouble() / 1000, l.path("max_ms").asDouble() / 1000,
                l.path("mean_queued_ms").asDouble() / 1000, l.path("mean_run_ms").asDouble() / 1000,
                String.join(", ", list(l.path("runs")).stream().map(x -> String.format(Locale.ROOT, "%.2f",
                        x.path("ms").asDouble() / 1000)).toList())));
    }

    private static void footprint(StringBuilder md, JsonNode small, JsonNode large) {
        md.append("## 3. Footprint\n\n");
        md.append("Each service started as `run.sh` starts it (`java -jar target/quarkus-app/quarkus-run.jar`, JVM "
                + "defaults: on this machine G1 and a maximum heap of a quarter of the RAM), the worker first, then the "
                + "gateway, one at a time. Ready: from process start to the first 200 of `/q/health/ready` (polled every "
                + "20 ms; Quarkus's own \"started in\" in brackets). RSS: `VmRSS` of `/proc/<pid>/status` (peak: `VmHWM`) "
                + "after 10 s idle, and 2 s after the full sync of the large store finished.\n\n");
        md.append("| service | store | time to ready | RSS idle | RSS after the full sync (peak) |\n|---|---|---|---|---|\n");
        for (String service : List.of("oauth-gateway", "sync-worker")) {
            for (JsonNode world : List.of(large, small)) {
                JsonNode fp = world.path("footprint");
                if (fp.isMissingNode()) {
                    continue;
                }
                boolean isLarge = world == large;
                md.append(String.format(Locale.ROOT, "| %s | %s | %.2f s (%.2f s) | %s | %s |\n", service,
                        isLarge ? num(large.path("full_sync").path("job_result").path("products").asDouble()) + " products"
                                : small.path("products").asInt() + " products", fp.path("ready_ms").path(service).asDouble() / 1000,
                        fp.path("quarkus_started_s").path(service).asDouble(), mib(fp.path("idle").path(service)),
                        isLarge ? mib(fp.path("after_sync").path(service)) + " (" + peak(fp.path("after_sync").path(service)) + ")" : "—"));
            }
        }
        md.append("\n");
    }

    private static void commands(StringBuilder md, JsonNode r) {
        md.append("## Commands\n\n`").append(r.path("invocation").asText()).append("` ran, from the repository root "
                + "(secrets shown as the variable they come from; `$BENCH` is the run's temporary directory). The "
                + "services ran with the world's settings in their environment (`$BENCH/<store>/world/env`, the names "
                + "of `.env.example`) plus `QUARKUS_HTTP_HOST=127.0.0.1`, `QUARKUS_HTTP_PORT` (gateway 18080, worker "
                + "18081) and `QUARKUS_LOG_CONSOLE_JSON_ENABLED=false`, as `run.sh` starts them; the naive peer with "
                + "`SHOPIFY_API_SECRET`.\n\n```\n");
        for (JsonNode command : r.path("commands")) {
            md.append(shorten(command.asText())).append('\n');
        }
        md.append("```\n");
    }

    // --- a separate --only sync run -------------------------------------------------------------

    private static String syncOnlySection(JsonNode r) {
        StringBuilder md = new StringBuilder();
        JsonNode m = r.path("machine");
        JsonNode large = r.path("large");
        JsonNode full = large.path("full_sync");
        md.append(String.format(Locale.ROOT, "## Separate run: full sync at restore rate %d/s%s\n\n",
                full.path("restore_rate").asInt(), full.path("restore_rate").asInt() == 100 ? " (Shopify standard plan)" : ""));
        md.append(String.format(Locale.ROOT, "Produced by `%s` on %s in %.1f min, at commit `%s`%s, on the same kind of "
                        + "machine (%s, %d cores, %.1f GiB; load average at start %s).\n\n",
                r.path("invocation").asText(), r.path("started").asText().replaceAll("\\.\\d+Z$", "Z"),
                r.path("duration_s").asDouble() / 60, m.path("git_commit").asText(),
                m.path("git_dirty").asBoolean() ? " (with uncommitted changes)" : "", m.path("cpu_model").asText(),
                m.path("cores").asInt(), m.path("ram_mib").asDouble() / 1024, m.path("loadavg_at_start").asText()));
        StringBuilder sub = new StringBuilder();
        fullSync(sub, large, "");
        md.append(sub.toString().replaceFirst("^### ", "### "));
        JsonNode fp = large.path("footprint");
        md.append("| service | time to ready | RSS idle | RSS after the full sync (peak) |\n|---|---|---|---|\n");
        for (String service : List.of("oauth-gateway", "sync-worker")) {
            md.append(String.format(Locale.ROOT, "| %s | %.2f s | %s | %s (%s) |\n", service,
                    fp.path("ready_ms").path(service).asDouble() / 1000, mib(fp.path("idle").path(service)),
                    mib(fp.path("after_sync").path(service)), peak(fp.path("after_sync").path(service))));
        }
        md.append("\n<details><summary>Commands</summary>\n\n```\n");
        for (JsonNode command : r.path("commands")) {
            md.append(shorten(command.asText())).append('\n');
        }
        md.append("```\n</details>\n\n");
        return md.toString();
    }

    // --- formatting -----------------------------------------------------------------------------

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    private static JsonNode find(List<JsonNode> runs, String target, int rate) {
        return runs.stream().filter(r -> r.path("target").asText().equals(target) && r.path("target_rate").asInt() == rate)
                .findFirst().orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
    }

    private static String joined(List<JsonNode> runs, String field) {
        return String.join(", ", runs.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.path(field).asDouble())).toList());
    }

    private static int primed(JsonNode ingest, String target) {
        for (JsonNode p : ingest.path("priming")) {
            if (p.path("label").asText().startsWith(target)) {
                return p.path("seconds").asInt();
            }
        }
        return 0;
    }

    private static String blocked(JsonNode service) {
        return service.path("warnings").asInt() == 0 ? "none"
                : String.format(Locale.ROOT, "%d warning%s (one every 2 s while blocked); blocked for up to %.1f s",
                service.path("warnings").asInt(), service.path("warnings").asInt() == 1 ? "" : "s",
                service.path("max_ms").asDouble() / 1000);
    }

    private static String withMs(String value) {
        return value.endsWith(")") ? value : value + " ms";
    }

    private static String p99Ratio(JsonNode ours, JsonNode naive) {
        if (lowerBound(ours, "p99_ms") || lowerBound(naive, "p99_ms")) {
            return lowerBound(naive, "p99_ms") && !lowerBound(ours, "p99_ms") ? "< 1" : "n/a (unanswered)";
        }
        return String.format(Locale.ROOT, "%.2f", ratio(ours.path("p99_ms").asDouble(), naive.path("p99_ms").asDouble()));
    }

    private static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%,.0f", v);
    }

    private static String mib(JsonNode process) {
        return String.format(Locale.ROOT, "%.0f MiB", process.path("rss_kib").asDouble() / 1024);
    }

    private static String peak(JsonNode process) {
        return String.format(Locale.ROOT, "peak %.0f MiB", process.path("peak_rss_kib").asDouble() / 1024);
    }

    private static String bytes(long b) {
        return String.format(Locale.ROOT, "%.1f MB", b / 1e6);
    }

    private static String errors(JsonNode run) {
        List<String> parts = new ArrayList<>();
        run.path("errors").properties().forEach(e -> parts.add(e.getKey() + ": " + e.getValue().asText()));
        if (run.path("unanswered").asLong() > 0) {
            parts.add(num(run.path("unanswered").asDouble()) + " unanswered " + run.path("drain_seconds").asInt()
                    + " s after the window");
        }
        return parts.isEmpty() ? "0" : String.join(", ", parts);
    }

    /** A latency percentile that falls among unanswered requests (-1): longer than the drain, unknown. */
    private static boolean lowerBound(JsonNode run, String field) {
        return run.path(field).asDouble() < 0;
    }

    private static String pct(JsonNode run, String field) {
        return lowerBound(run, field) ? "> " + run.path("drain_seconds").asInt() + " s (unanswered)"
                : ms(run.path(field).asDouble());
    }

    /** The run's temporary directory and the compiled classes, named instead of spelled out. */
    private static String shorten(String command) {
        return command.replaceAll("/tmp/storefront-bench\\.[A-Za-z0-9]+", "\\$BENCH");
    }
}
