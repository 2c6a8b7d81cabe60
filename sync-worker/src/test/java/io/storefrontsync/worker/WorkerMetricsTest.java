package io.storefrontsync.worker;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.sandbox.testing.DocumentedMetrics;
import io.storefrontsync.sandbox.testing.MetricsScrape;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.job.JobQueueGauges;
import io.storefrontsync.worker.job.JobRequest;
import io.storefrontsync.worker.job.JobRunner;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.JobTrigger;
import io.storefrontsync.worker.job.SyncJobQueue;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.storefrontsync.worker.testing.HealthRows;
import io.storefrontsync.worker.testing.JobRows;
import io.storefrontsync.worker.testing.ShopifySandbox;
import io.storefrontsync.worker.testing.SimulatedFacebook;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.storefrontsync.worker.testing.ShopifySandbox.SHOP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every metric docs/OPERATIONS.md documents for the worker, scraped from {@code /q/metrics} before and after
 * real syncs of the simulated shop and a simulated Page (with one Shopify 429 and one Graph rate-limit
 * answer on the way): each name is exported and moves by what the jobs did. Same world as
 * {@code ShopifyShopSyncTest} (a fast-refilling bucket), so the two share one application start.
 */
@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, initArgs = {
        @ResourceArg(name = "set.SIM_SHOPIFY_BUCKET_SIZE", value = "1000"),
        @ResourceArg(name = "set.SIM_SHOPIFY_RESTORE_RATE", value = "20000")})
class WorkerMetricsTest {

    /** Health, metrics and the OpenAPI document are on the management interface (a free port in tests). */
    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** The names docs/OPERATIONS.md documents for the worker ("Metrics"), as Prometheus exports them. */
    private static final List<String> DOCUMENTED = DocumentedMetrics.of("sync-worker");

    @Inject
    Pool pool;
    @Inject
    SyncJobQueue queue;
    @Inject
    JobRunner runner;
    @Inject
    JobQueueGauges gauges;

    private UserId user;
    private String page;

    @BeforeEach
    void connectShopAndPage() {
        GatewaySchema.ensure(pool);
        JobRows.discardPending(pool, SHOP);
        UUID owner = GatewaySchema.seedUser(pool);
        user = new UserId(owner);
        ShopifySandbox.install(pool, owner, SHOP);
        Map<String, String> tokens = SimulatedFacebook.loginPageTokens();
        page = tokens.keySet().iterator().next();
        JobRows.discardPending(pool, page);
        HealthRows.clearPage(pool, page);
        GatewaySchema.connectPage(pool, owner, page, tokens.get(page));
    }

    @AfterEach
    void clearFaults() {
        ShopifySandbox.clearFaults();
        SimulatedFacebook.clearFaults();
        GatewaySchema.setPageStatus(pool, page, "deleted");
    }

    @Test
    void everyDocumentedMetricShouldBeExportedAndMoveWithTheWorkDone() {
        MetricsScrape before = scrape();

        List<UUID> jobs = List.of(enqueue(JobTarget.shop(new ShopDomain(SHOP))), enqueue(JobTarget.page(new PageId(page))));
        MetricsScrape queued = scrape();
        assertThat(delta(before, queued, "storefront_jobs_total", "event", "enqueued")).isEqualTo(2);
        assertThat(delta(before, queued, "storefront_jobs_by_state", "state", "pending")).isEqualTo(2);
        assertThat(delta(before, queued, "storefront_jobs_due")).isEqualTo(2);

        // Our two jobs become the oldest due ones: the age gauge follows run_after.
        pool.preparedQuery("UPDATE worker.jobs SET run_after = now() - interval '90 seconds' WHERE id = ANY($1)")
                .execute(Tuple.of(jobs.toArray(new UUID[0]))).await().atMost(TIMEOUT);
        assertThat(scrape().value("storefront_jobs_oldest_due_seconds")).isBetween(90.0, 150.0);

        ShopifySandbox.fault(SHOP, "429", 1, Map.of("retryAfterSeconds", 1));
        ShopifySandbox.deprecate("https://shopify.dev/changelog/a-field-this-sync-reads");
        SimulatedFacebook.armFault(Map.of("kind", "rate_limit", "code", 4, "count", 1));
        List<JsonObject> results = runToEnd(jobs);
        MetricsScrape after = scrape();

        assertThat(after.names()).containsAll(DOCUMENTED);
        assertJobs(before, queued, after);
        assertShopify(before, after, results.get(0));
        assertFacebook(before, after);
        assertThat(delta(before, after, "storefront_spaces_documents_total", "outcome", "written")).isEqualTo(3);
        assertThat(delta(before, after, "storefront_spaces_requests_total", "op", "put")).isEqualTo(3);
        assertThat(delta(before, after, "storefront_spaces_bytes_written_total")).isEqualTo(storedBytes());

        // The same data again: nothing written, every document skipped.
        List<JsonObject> again = runToEnd(List.of(enqueue(JobTarget.shop(new ShopDomain(SHOP))),
                enqueue(JobTarget.page(new PageId(page)))));
        MetricsScrape unchanged = scrape();
        assertThat(again).allSatisfy(result -> assertThat(result.getJsonArray("written")).isEmpty());
        assertThat(delta(after, unchanged, "storefront_spaces_documents_total", "outcome", "skipped")).isEqualTo(3);
        assertThat(delta(after, unchanged, "storefront_spaces_documents_total", "outcome", "written")).isZero();
        assertThat(delta(after, unchanged, "storefront_spaces_bytes_written_total")).isZero();
    }

    private void assertJobs(MetricsScrape before, MetricsScrape queued, MetricsScrape after) {
        assertThat(delta(before, after, "storefront_jobs_total", "event", "claimed")).isEqualTo(2);
        assertThat(delta(before, after, "storefront_jobs_total", "event", "succeeded")).isEqualTo(2);
        assertThat(delta(before, after, "storefront_jobs_by_state", "state", "succeeded")).isEqualTo(2);
        assertThat(delta(queued, after, "storefront_jobs_by_state", "state", "pending")).isEqualTo(-2);
        assertThat(delta(queued, after, "storefront_jobs_due")).isEqualTo(-2);
        assertThat(after.labelValues("storefront_jobs_by_state", "state"))
                .containsExactlyInAnyOrder("pending", "running", "waiting", "succeeded", "failed", "dead", "cancelled");
    }

    private void assertShopify(MetricsScrape before, MetricsScrape after, JsonObject result) {
        int pages = result.getInteger("pages");
        assertThat(pages).isGreaterThan(3);
        assertThat(delta(before, after, "storefront_shopify_pages_total")).isEqualTo(pages);
        assertThat(after.labelValues("storefront_shopify_pages_total", "query"))
                .contains("ShopMetadata", "CatalogProducts", "CatalogDiscounts", "CatalogCollections");
        assertThat(delta(before, after, "storefront_shopify_requests_total", "outcome", "ok")).isEqualTo(pages);
        assertThat(delta(before, after, "storefront_shopify_requests_total", "outcome", "429")).isEqualTo(1);
        assertThat(delta(before, after, "storefront_shopify_cost_total")).isEqualTo(result.getLong("cost").doubleValue());
        assertThat(delta(before, after, "storefront_shopify_throttled_total", "reason", "429")).isEqualTo(1);
        assertThat(delta(before, after, "storefront_shopify_deprecated_total"))
                .as("every answer carried X-Shopify-API-Deprecated-Reason, the 429 too").isEqualTo(pages + 1);
        assertThat(after.labelValues("storefront_shopify_deprecated_total", "operation")).contains("CatalogProducts");
        assertThat(delta(before, after, "storefront_shopify_throttle_wait_seconds_count", "reason", "429")).isEqualTo(1);
        assertThat(delta(before, after, "storefront_shopify_throttle_wait_seconds_sum", "reason", "429"))
                .as("Retry-After: 1 is waited out").isBetween(1.0, 1.2);
        double bucketWaits = delta(before, after, "storefront_shopify_throttle_wait_seconds_count", "reason", "wait");
        assertThat(bucketWaits).isEqualTo(delta(before, after, "storefront_shopify_throttled_total", "reason", "wait"));
        assertThat(bucketWaits + 1).as("every wait of the sync, as its result counts them")
                .isEqualTo(result.getInteger("throttledWaits").doubleValue());
    }

    private void assertFacebook(MetricsScrape before, MetricsScrape after) {
        assertThat(delta(before, after, "storefront_facebook_pages_fetched_total")).isEqualTo(1);
        assertThat(delta(before, after, "storefront_facebook_requests_total", "outcome", "ok")).isEqualTo(1);
        assertThat(delta(before, after, "storefront_facebook_requests_total", "outcome", "rate_limited")).isEqualTo(1);
        assertThat(delta(before, after, "storefront_facebook_rate_limited_total", "code", "4")).isEqualTo(1);
        assertThat(delta(before, after, "storefront_facebook_wait_seconds_count", "reason", "retry")).isEqualTo(1);
        assertThat(delta(before, after, "storefront_facebook_wait_seconds_sum", "reason", "retry")).isPositive();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Refreshes the queue gauges (the timer would within 15 s), then scrapes. */
    private MetricsScrape scrape() {
        gauges.refresh().await().atMost(TIMEOUT);
        return MetricsScrape.parse(given().port(managementPort).when().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    private static double delta(MetricsScrape before, MetricsScrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private UUID enqueue(JobTarget target) {
        return queue.enqueue(pool, JobRequest.sync(target, user, JobTrigger.RESYNC)).await().atMost(TIMEOUT).id();
    }

    /** Runs the queue until these jobs have finished; @return their results, in order. */
    private List<JsonObject> runToEnd(List<UUID> ids) {
        for (int poll = 0; poll < 20 && !finished(ids); poll++) {
            runner.runDueJobs().await().atMost(TIMEOUT);
        }
        List<JsonObject> results = new ArrayList<>();
        for (UUID id : ids) {
            Row job = JobRows.byId(pool, id);
            assertThat(job.getString("status")).as("job %s", id).isEqualTo("succeeded");
            results.add((JsonObject) job.getValue("result"));
        }
        return results;
    }

    private boolean finished(List<UUID> ids) {
        return ids.stream().noneMatch(id -> List.of("pending", "running").contains(JobRows.byId(pool, id).getString("status")));
    }

    /** What the documents table says this user's objects weigh: the bytes the writes put. */
    private double storedBytes() {
        return pool.preparedQuery("SELECT coalesce(sum(size_bytes), 0) FROM worker.documents WHERE user_id = $1")
                .execute(Tuple.of(user.value())).await().atMost(TIMEOUT).iterator().next().getLong(0).doubleValue();
    }
}
