package io.storefrontsync.gateway.webhook;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.support.GatewayDb;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drain of a deep outbox (issue #17): a backlog of several deliveries' worth of rows, as an outage of the worker
 * leaves it, goes out whole while the database cuts the gateway's connections (what a restart of PostgreSQL does to
 * them). The first delivery's transaction is cut for certain while the worker holds its answer (rows taken and marked,
 * not committed): its commit fails, the rows stay undelivered and go out again, so the worker sees them twice and takes
 * each event id once; the other connections are cut again and again while the rest drains. Every event reaches the worker
 * and every row ends marked delivered.
 */
@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = WorkerReceiver.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OutboxDrainTest {

    private static final int CUTS = 6;
    /** The backend of a delivery whose rows are taken and marked while the worker has not answered yet. */
    private static final String HELD_DELIVERY = """
            SELECT pid FROM pg_stat_activity WHERE state = 'idle in transaction'
               AND query LIKE 'UPDATE gateway.outbox SET attempts = attempts + 1, delivered_at%'""";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Inject
    Pool pool;
    @Inject
    Outbox outbox;
    @Inject
    OutboxPublisher publisher;
    @Inject
    OutboxConfig config;

    @AfterEach
    void workerUp() {
        WorkerReceiver.get().release();
        WorkerReceiver.get().up();
        WorkerReceiver.get().failNext(0);
    }

    @Test
    void aBacklogOfSeveralDeliveriesShouldArriveWholeWhileTheDatabaseCutsTheGatewaysConnections() {
        GatewayDb db = new GatewayDb(pool);
        String shop = GatewayDb.uniqueShop();
        UUID user = db.activeConnection(shop);
        WorkerReceiver worker = WorkerReceiver.get();
        worker.up();
        worker.failNext(0);
        // Rows earlier test classes left undelivered are out of this test's way. The update waits for a delivery in
        // flight (its rows are locked until it commits), so none is under way when the count below is read.
        db.query("UPDATE gateway.outbox SET delivered_at = now() WHERE delivered_at IS NULL");
        int deliveriesBefore = worker.deliveries();
        worker.hold();
        int rows = 3 * config.batchSize() + 17;
        String prefix = "drain-" + UUID.randomUUID() + "-";
        ChangeEvent template = ChangeEvent.shopify(prefix + "0", "products/update", new ShopDomain(shop),
                new UserId(user), "gid://shopify/Product/1", Instant.now(), Instant.now());
        db.query("""
                INSERT INTO gateway.outbox (event_id, payload)
                SELECT $1 || g, jsonb_set(CAST($2::text AS jsonb), '{eventId}', to_jsonb($1 || g))
                  FROM generate_series(1, $3) g""", prefix, outbox.toJson(template), rows);

        publisher.trigger();
        OutboxPublisherTest.await(() -> worker.deliveries() > deliveriesBefore, TIMEOUT);
        List<String> cutDelivery = worker.deliveryEventIds(deliveriesBefore);
        // The first delivery is in the worker's hands, its transaction (rows taken and marked) open: cut it, then let
        // the worker answer. The commit fails, the mark is gone, and the rows must go out again.
        OutboxPublisherTest.await(() -> !db.query(HELD_DELIVERY).isEmpty(), TIMEOUT);
        assertThat(db.count("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) AS done FROM ("
                + HELD_DELIVERY + ") held) cut WHERE done")).as("delivery transactions cut while held").isEqualTo(1);
        worker.release();

        int cuts = 0;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (undelivered(db, prefix) > 0) {
            assertThat(System.nanoTime()).as("drained within " + TIMEOUT).isLessThan(deadline);
            if (cuts < CUTS) {
                db.query("""
                        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                         WHERE datname = current_database() AND pid <> pg_backend_pid()
                           AND backend_type = 'client backend'""");
                cuts++;
            }
            sleep(150);
        }

        List<String> missing = new ArrayList<>();
        for (int g = 1; g <= rows; g++) {
            if (worker.eventsWithId(prefix + g).isEmpty()) {
                missing.add(prefix + g);
            }
        }
        assertThat(missing).as("events the worker never received").isEmpty();
        assertThat(cutDelivery).as("a full first delivery of this test's rows").hasSize(config.batchSize())
                .allSatisfy(id -> assertThat(id).startsWith(prefix));
        // Every event of the delivery whose mark was cut went out again (a later cut may hit another mark too).
        assertThat(cutDelivery).as("events sent again after their delivered mark was cut")
                .allSatisfy(id -> assertThat(worker.eventsWithId(id)).hasSizeGreaterThanOrEqualTo(2));
        assertThat(worker.rejections()).isEmpty();
        assertThat(db.count("SELECT count(*) FROM gateway.outbox WHERE event_id LIKE $1 AND delivered_at IS NOT NULL",
                prefix + "%")).isEqualTo(rows);
    }

    private static long undelivered(GatewayDb db, String prefix) {
        String sql = "SELECT count(*) FROM gateway.outbox WHERE event_id LIKE $1 AND delivered_at IS NULL";
        try {
            return db.count(sql, prefix + "%");
        } catch (RuntimeException cut) {
            sleep(100);
            return db.count(sql, prefix + "%");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
