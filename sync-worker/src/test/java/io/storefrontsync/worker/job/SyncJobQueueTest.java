package io.storefrontsync.worker.job;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.storefrontsync.worker.testing.JobRows;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.storefrontsync.worker.testing.Events.batch;
import static io.storefrontsync.worker.testing.Events.shopify;
import static io.storefrontsync.worker.testing.Shops.uniqueShop;
import static io.storefrontsync.worker.testing.TestTokens.serviceToken;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(SandboxWorldResource.class)
class SyncJobQueueTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    Pool pool;
    @Inject
    SyncJobQueue queue;
    @Inject
    JobRunner runner;

    private UUID user;
    private String shop;

    @BeforeEach
    void seed() {
        GatewaySchema.ensure(pool);
        user = GatewaySchema.seedUser(pool);
        shop = uniqueShop();
        GatewaySchema.seedShop(pool, user, shop, "active");
    }

    @Test
    void shouldReturnJobOfCrashedWorkerToQueueWhenLeaseExpires() {
        UUID crashed = JobRows.plantRunning(pool, shop, user, "crashed-worker", -5);

        queue.reclaimExpiredLeases().await().atMost(TIMEOUT);

        Row job = JobRows.byId(pool, crashed);
        assertThat(job.getString("status")).isEqualTo("pending");
        assertThat(job.getString("lease_owner")).isNull();
        assertThat(job.getString("last_error")).contains("lease of crashed-worker expired");
        assertThat(job.getInteger("attempts")).as("the lost attempt counts").isEqualTo(1);
    }

    @Test
    void shouldMergeExpiredJobIntoPendingJobOfSameTarget() {
        UUID crashed = JobRows.plantRunning(pool, shop, user, "crashed-worker", -5);
        given().filter(serviceToken()).contentType(ContentType.JSON)
                .body(batch(shopify(shop, "products/update")))
                .when().post("/internal/events").then().statusCode(202);

        queue.reclaimExpiredLeases().await().atMost(TIMEOUT);

        Row expired = JobRows.byId(pool, crashed);
        List<Row> pending = JobRows.withStatus(pool, shop, "pending");
        assertThat(pending).hasSize(1);
        assertThat(expired.getString("status")).isEqualTo("failed");
        assertThat(expired.getString("last_error")).contains("continued in job " + pending.get(0).getUUID("id"));
        assertThat(pending.get(0).getInteger("coalesced_events")).isEqualTo(2);
        assertThat(pending.get(0).getInteger("attempts")).isEqualTo(1);
    }

    @Test
    void shouldNotStartSecondJobWhileTargetIsRunning() {
        JobRows.plantRunning(pool, shop, user, "busy-worker", 300);
        EnqueuedJob next = queue.enqueue(pool, JobRequest.sync(JobTarget.shop(new ShopDomain(shop)), new UserId(user),
                JobTrigger.RESYNC)).await().atMost(TIMEOUT);

        runner.runDueJobs().await().atMost(TIMEOUT);

        Row waiting = JobRows.byId(pool, next.id());
        assertThat(waiting.getString("status")).isEqualTo("pending");
        assertThat(waiting.getInteger("attempts")).isZero();
    }

    @Test
    void shouldRetryFailingJobWithBackoffThenMarkItDead() {
        String unreachable = uniqueShop(); // no connection: the sync cannot fetch it
        EnqueuedJob job = queue.enqueue(pool, JobRequest.sync(JobTarget.shop(new ShopDomain(unreachable)),
                new UserId(user), JobTrigger.RESYNC)).await().atMost(TIMEOUT);

        Row row = JobRows.byId(pool, job.id());
        for (int poll = 0; poll < 40 && !"dead".equals(row.getString("status")); poll++) {
            runner.runDueJobs().await().atMost(TIMEOUT);
            row = JobRows.byId(pool, job.id());
        }

        assertThat(row.getString("status")).isEqualTo("dead");
        assertThat(row.getInteger("attempts")).isEqualTo(3); // %test.storefront.jobs.max-attempts
        assertThat(row.getString("last_error")).contains("no active Shopify connection");
        assertThat(row.getOffsetDateTime("finished_at")).isNotNull();
    }

    @Test
    void backoffShouldGrowExponentiallyWithJitterUpToTheCap() {
        Duration initial = Duration.ofSeconds(5);
        Duration max = Duration.ofMinutes(10);
        for (int attempt = 1; attempt <= 12; attempt++) {
            long full = Math.min(max.toMillis(), initial.toMillis() << (attempt - 1));
            Duration delay = RetryBackoff.after(attempt, initial, max);
            assertThat(delay.toMillis()).isBetween(full / 2, full);
        }
    }
}
