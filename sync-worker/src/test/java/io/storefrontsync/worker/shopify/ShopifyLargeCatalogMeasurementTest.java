package io.storefrontsync.worker.shopify;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.job.JobRequest;
import io.storefrontsync.worker.job.JobRunner;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.JobTrigger;
import io.storefrontsync.worker.job.SyncJobQueue;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.storefrontsync.worker.testing.JobRows;
import io.storefrontsync.worker.testing.ShopifySandbox;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.storefrontsync.worker.testing.ShopifySandbox.SHOP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measurement, not a regular test (about ten minutes): a 2,000-product store under a 1000-point
 * bucket refilling at 100/s. Logs requests, actual cost and the measured time against the
 * theoretical minimum (total cost − initial bucket) / restore rate. Run with
 * {@code ./mvnw -pl sync-worker -am verify -Pmeasure -Dtest=ShopifyLargeCatalogMeasurementTest -Dsurefire.failIfNoSpecifiedTests=false}
 * (a measurement, ~10 minutes: excluded from the normal build, not skipped in it).
 */
@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, initArgs = {
        @ResourceArg(name = "set.SIM_SHOPIFY_PRODUCTS", value = "2000"),
        @ResourceArg(name = "set.SIM_SHOPIFY_BUCKET_SIZE", value = "1000"),
        @ResourceArg(name = "set.SIM_SHOPIFY_RESTORE_RATE", value = "100")})
class ShopifyLargeCatalogMeasurementTest {

    private static final Logger LOG = Logger.getLogger(ShopifyLargeCatalogMeasurementTest.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    @Inject
    Pool pool;
    @Inject
    SyncJobQueue queue;
    @Inject
    JobRunner runner;

    @Test
    void fullSyncOf2000ProductsUnderStandardBucketShouldSucceedAndReportItsCost() {
        GatewaySchema.ensure(pool);
        UUID owner = GatewaySchema.seedUser(pool);
        ShopifySandbox.install(pool, owner, SHOP);
        JsonPath before = ShopifySandbox.state(SHOP);

        UUID id = queue.enqueue(pool, JobRequest.sync(JobTarget.shop(new ShopDomain(SHOP)), new UserId(owner),
                JobTrigger.RESYNC)).await().atMost(TIMEOUT).id();
        long started = System.nanoTime();
        runner.runDueJobs().await().atMost(TIMEOUT);
        long measuredMs = (System.nanoTime() - started) / 1_000_000;
        Row job = JobRows.byId(pool, id);

        JsonPath after = ShopifySandbox.state(SHOP);
        long requests = after.getLong("stats.graphqlRequests") - before.getLong("stats.graphqlRequests");
        long actualCost = after.getLong("stats.totalActualCost") - before.getLong("stats.totalActualCost");
        long requestedCost = after.getLong("stats.totalRequestedCost") - before.getLong("stats.totalRequestedCost");
        long throttled = after.getLong("stats.throttledResponses") - before.getLong("stats.throttledResponses");
        long minimumMs = Math.max(0, (actualCost - 1000) * 1000 / 100);
        JsonObject result = (JsonObject) job.getValue("result");
        LOG.infof("MEASUREMENT 2000 products @1000/100: status %s, %d requests, actual cost %d (requested %d), "
                        + "%d THROTTLED, measured %d ms (job %s ms) vs theoretical minimum %d ms; result %s",
                job.getString("status"), requests, actualCost, requestedCost, throttled, measuredMs,
                result == null ? "?" : result.getLong("durationMs"), minimumMs, result);
        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(result.getInteger("products")).isEqualTo(2000);
    }
}
