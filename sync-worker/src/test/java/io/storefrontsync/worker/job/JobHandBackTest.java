package io.storefrontsync.worker.job;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.storefrontsync.worker.testing.JobRows;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import static io.storefrontsync.worker.testing.Shops.uniqueShop;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A graceful stop's hand-back ({@link SyncJobQueue#handBack}), read back from {@code worker.jobs}: the job is due at
 * once for any instance, its lease is cleared and the attempt its claim counted is given back; a resumed bulk job is
 * parked again with its operation; a newer pending job of the target takes the work over; a job no longer ours is
 * left alone. That another instance then claims it at once is {@code WorkerShutdownIT}'s (system-tests).
 */
@QuarkusTest
@WithTestResource(SandboxWorldResource.class)
class JobHandBackTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    Pool pool;
    @Inject
    SyncJobQueue queue;
    @Inject
    JobStore store;
    @Inject
    MeterRegistry registry;

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
    void shouldReturnClaimedJobToPendingWithItsAttemptGivenBackAndNoLease() {
        UUID id = JobRows.plantRunning(pool, shop, user, queue.workerId(), 60);
        double before = handedBack();

        boolean handed = queue.handBack(find(id)).await().atMost(TIMEOUT);

        Row row = JobRows.byId(pool, id);
        assertThat(handed).isTrue();
        assertThat(row.getString("status")).isEqualTo("pending");
        assertThat(row.getInteger("attempts")).as("the attempt the claim counted is given back").isZero();
        assertThat(row.getString("lease_owner")).isNull();
        assertThat(row.getOffsetDateTime("lease_until")).isNull();
        assertThat(row.getOffsetDateTime("run_after")).isBeforeOrEqualTo(now());
        assertThat(row.getString("last_error")).isNull();
        assertThat(handedBack() - before).isEqualTo(1.0);
    }

    @Test
    void resumedParkedJobShouldBeParkedAgainWithItsOperationAndAttempt() {
        JsonObject parked = new JsonObject().put("operation", "gid://shopify/BulkOperation/7").put("polls", 3);
        UUID id = JobRows.plantResumedParked(pool, shop, user, queue.workerId(), parked);

        queue.handBack(find(id)).await().atMost(TIMEOUT);

        Row row = JobRows.byId(pool, id);
        assertThat(row.getString("status")).isEqualTo("waiting");
        assertThat(row.getInteger("attempts")).as("resuming never counted an attempt").isEqualTo(2);
        assertThat(((JsonObject) row.getValue("parked")).getString("operation")).isEqualTo("gid://shopify/BulkOperation/7");
        assertThat(row.getString("lease_owner")).isNull();
        assertThat(row.getOffsetDateTime("run_after")).as("its next status check is due now").isBeforeOrEqualTo(now());
    }

    @Test
    void newerPendingJobOfTheTargetShouldTakeTheWorkOverWithoutTheAttempt() {
        UUID id = JobRows.plantRunning(pool, shop, user, queue.workerId(), 60);
        EnqueuedJob pending = queue.enqueue(pool, JobRequest.sync(JobTarget.shop(new ShopDomain(shop)), new UserId(user),
                JobTrigger.RESYNC)).await().atMost(TIMEOUT);

        queue.handBack(find(id)).await().atMost(TIMEOUT);

        Row handed = JobRows.byId(pool, id);
        Row successor = JobRows.byId(pool, pending.id());
        assertThat(handed.getString("status")).isEqualTo("failed");
        assertThat(handed.getString("last_error")).contains("handed back at shutdown").contains(pending.id().toString());
        assertThat(handed.getString("lease_owner")).isNull();
        assertThat(successor.getString("status")).isEqualTo("pending");
        assertThat(successor.getInteger("attempts")).isZero();
        assertThat(successor.getInteger("coalesced_events")).isEqualTo(2);
    }

    @Test
    void jobLeasedToAnotherInstanceShouldBeLeftAlone() {
        UUID id = JobRows.plantRunning(pool, shop, user, "another-instance", 60);

        boolean handed = queue.handBack(find(id)).await().atMost(TIMEOUT);

        Row row = JobRows.byId(pool, id);
        assertThat(handed).isFalse();
        assertThat(row.getString("status")).isEqualTo("running");
        assertThat(row.getInteger("attempts")).isEqualTo(1);
        assertThat(row.getString("lease_owner")).isEqualTo("another-instance");
    }

    private SyncJob find(UUID id) {
        return store.find(id).await().atMost(TIMEOUT).orElseThrow();
    }

    private double handedBack() {
        var counter = registry.find("storefront.jobs").tag("event", "handed_back").counter();
        return counter == null ? 0 : counter.count();
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now().plusSeconds(1);
    }
}
