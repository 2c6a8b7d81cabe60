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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

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

    GatewayDb db;
    String shop;
    UUID user;
    WorkerReceiver worker;

    /** A shop of its own, the worker up and answering, and no row of earlier tests in the way. */
    @BeforeEach
    void aShopAndAnEmptyOutbox() {
        db = new GatewayDb(pool);
        shop = GatewayDb.uniqueShop();
        user = db.activeConnection(shop);
        worker = WorkerReceiver.get();
        worker.up();
        worker.failNext(0);
        clearEarlierRows(db);
    }

    @AfterEach
    void workerUp() {
        WorkerReceiver.get().release();
        WorkerReceiver.get().up();
        WorkerReceiver.get().failNext(0);
    }

    @Test
    void aBacklogOfSeveralDeliveriesShouldArriveWholeWhileTheDatabaseCutsTheGatewaysConnections() {
        int deliveriesBefore = worker.deliveries();
        worker.hold();
        int rows = 3 * config.batchSize() + 17;
        String prefix = backlog(db, shop, user, rows);

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
                // This test's own pooled connections are cut too: one may be handed out before its close is seen.
                onAConnectionThatIsUp(() -> db.query("""
                        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                         WHERE datname = current_database() AND pid <> pg_backend_pid()
                           AND backend_type = 'client backend'"""));
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

    @Test
    void aFailureAfterFullDeliveriesInOneDrainShouldBeRecordedOnItsOwnRowsOnly() {
        // One drain: two full deliveries the worker takes, then the short third one it refuses.
        worker.failAfter(2, 1);
        int deliveriesBefore = worker.deliveries();
        int rows = 2 * config.batchSize() + 17;
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(OutboxPublisher.class.getName());
        log.addHandler(capture);
        try {
            String prefix = backlog(db, shop, user, rows);
            publisher.trigger();
            // The refused rows go out again after their backoff; then every row is delivered.
            OutboxPublisherTest.await(() -> undelivered(db, prefix) == 0, TIMEOUT);

            List<String> first = worker.deliveryEventIds(deliveriesBefore);
            List<String> second = worker.deliveryEventIds(deliveriesBefore + 1);
            assertThat(first).as("the first delivery, full").hasSize(config.batchSize());
            assertThat(second).as("the second delivery, full").hasSize(config.batchSize());
            String[] deliveredFirst = concat(first, second).toArray(new String[0]);
            // The two deliveries before the refused one, in the same drain, were tried once: the failure was not
            // counted on them. The refused delivery's rows were tried twice: the refusal and the redelivery.
            assertThat(db.count("SELECT count(*) FROM gateway.outbox WHERE event_id = ANY($1) AND attempts = 1",
                    (Object) deliveredFirst)).as("rows delivered before the failure, tried once")
                    .isEqualTo(2L * config.batchSize());
            assertThat(db.count("SELECT count(*) FROM gateway.outbox WHERE event_id LIKE $1 "
                    + "AND NOT event_id = ANY($2) AND attempts = 2", prefix + "%", deliveredFirst))
                    .as("the refused delivery's rows, tried twice").isEqualTo(17);
            assertThat(db.count("SELECT count(*) FROM gateway.outbox WHERE event_id LIKE $1 AND last_error IS NOT NULL",
                    prefix + "%")).as("errors left on delivered rows").isZero();
            assertThat(warnings).as("the failure's warning counts the refused delivery's 17 rows only")
                    .anySatisfy(w -> assertThat(w).startsWith("delivery of 17 events to the worker failed"))
                    .noneSatisfy(w -> assertThat(w).startsWith("delivery of " + (2 * config.batchSize() + 17) + " events"));
            for (int g = 1; g <= rows; g++) {
                assertThat(worker.eventsWithId(prefix + g)).as(prefix + g).hasSize(1);
            }
        } finally {
            log.removeHandler(capture);
        }
    }

    @Test
    void anEventTheWorkerRefusesShouldBeSetAsideAloneWhileTheOthersTakenWithItAreDelivered() {
        int rows = 40;
        String prefix = "refused-" + UUID.randomUUID() + "-";
        String poison = prefix + 23;
        worker.refuse(poison);
        int refusalsBefore = worker.refusals();
        int deliveriesBefore = worker.deliveries();
        try {
            backlog(db, shop, user, rows, prefix);
            publisher.trigger();

            // Every other event arrives, once, although each delivery of all 40 carried the one the worker refuses.
            OutboxPublisherTest.await(() -> undelivered(db, prefix) == 1, TIMEOUT);
            for (int g = 1; g <= rows; g++) {
                if (g != 23) {
                    assertThat(worker.eventsWithId(prefix + g)).as(prefix + g).hasSize(1);
                }
            }
            assertThat(worker.eventsWithId(poison)).isEmpty();
            // Halved down to the one row within the delivery, first halves first: 1-40 refused, 1-20 taken, 21-40
            // refused, 21-30 refused, 21-25 refused, 21-22 taken, 23-25 refused, 23 refused alone, 24-25 taken,
            // 26-30 taken, 31-40 taken.
            List<Integer> accepted = new ArrayList<>();
            for (int i = deliveriesBefore; i < worker.deliveries(); i++) {
                accepted.add(worker.deliveryEventIds(i).size());
            }
            assertThat(accepted).as("the deliveries the worker took").containsExactly(20, 2, 2, 5, 10);
            assertThat(worker.refusals() - refusalsBefore).as("refused deliveries (the last alone, retried since)")
                    .isGreaterThanOrEqualTo(6);
            io.vertx.mutiny.sqlclient.Row set = db.query("SELECT attempts, last_error, delivered_at, "
                    + "next_attempt_at > now() AS later FROM gateway.outbox WHERE event_id = $1", poison).get(0);
            assertThat(set.getValue("delivered_at")).as("the refused event is not marked delivered").isNull();
            assertThat(set.getString("last_error")).isEqualTo("HTTP 400 from the worker");
            assertThat(set.getInteger("attempts")).isGreaterThanOrEqualTo(1);
            assertThat(db.count("SELECT count(*) FROM gateway.outbox WHERE event_id LIKE $1 AND event_id <> $2 "
                    + "AND (last_error IS NOT NULL OR attempts <> 1)", prefix + "%", poison))
                    .as("the others: delivered at their first try, no error").isZero();

            // Once the worker takes it (say, after the deploy that refused it ended), it goes out like any other.
            worker.stopRefusing();
            OutboxPublisherTest.await(() -> undelivered(db, prefix) == 0, TIMEOUT);
            assertThat(worker.eventsWithId(poison)).hasSize(1);
        } finally {
            worker.stopRefusing();
        }
    }

    /**
     * Rows earlier tests left undelivered are out of this test's way. The update waits for a delivery in flight (its
     * rows are locked until it commits), so none is under way when it returns.
     */
    private static void clearEarlierRows(GatewayDb db) {
        db.query("UPDATE gateway.outbox SET delivered_at = now() WHERE delivered_at IS NULL");
    }

    /** Inserts {@code rows} due outbox rows in one statement; answers the prefix of their event ids (prefix + 1..rows). */
    private String backlog(GatewayDb db, String shop, UUID user, int rows) {
        return backlog(db, shop, user, rows, "drain-" + UUID.randomUUID() + "-");
    }

    private String backlog(GatewayDb db, String shop, UUID user, int rows, String prefix) {
        ChangeEvent template = ChangeEvent.shopify(prefix + "0", "products/update", new ShopDomain(shop),
                new UserId(user), "gid://shopify/Product/1", Instant.now(), Instant.now());
        db.query("""
                INSERT INTO gateway.outbox (event_id, payload)
                SELECT $1 || g, jsonb_set(CAST($2::text AS jsonb), '{eventId}', to_jsonb($1 || g))
                  FROM generate_series(1, $3) g""", prefix, outbox.toJson(template), rows);
        return prefix;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static long undelivered(GatewayDb db, String prefix) {
        String sql = "SELECT count(*) FROM gateway.outbox WHERE event_id LIKE $1 AND delivered_at IS NULL";
        return onAConnectionThatIsUp(() -> db.count(sql, prefix + "%"));
    }

    /** Runs the query again once if its pooled connection had been cut. */
    private static <T> T onAConnectionThatIsUp(java.util.function.Supplier<T> query) {
        try {
            return query.get();
        } catch (RuntimeException cut) {
            sleep(100);
            return query.get();
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
