package io.storefrontsync.gateway.webhook;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storefrontsync.common.signature.ShopifyWebhookVerifier;
import io.storefrontsync.gateway.support.GatewayDb;
import io.storefrontsync.gateway.support.OutboxScene;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
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
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = WorkerReceiver.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OutboxPublisherTest {

    @Inject
    Pool pool;
    @Inject
    Outbox outbox;

    @ConfigProperty(name = "gateway.shopify.api-secret")
    String secret;

    @ConfigProperty(name = "JWT_PUBLIC_KEY")
    String publicKey;

    GatewayDb db;
    String shop;
    WorkerReceiver worker;

    @BeforeEach
    void setUp() {
        OutboxScene scene = OutboxScene.start(pool, publicKey);
        db = scene.db();
        shop = scene.shop();
        worker = scene.worker();
    }

    @AfterEach
    void workerUp() {
        worker.up();
        worker.failNext(0);
    }

    @Test
    void shouldDeliverAStoredEventOnceWithAVerifiedServiceJwt() {
        String eventId = webhook();

        awaitDelivered(eventId);
        assertThat(worker.eventsWithId(eventId)).hasSize(1);
        assertThat(worker.eventsWithId(eventId).get(0).path("shop").asText()).isEqualTo(shop);
        assertThat(worker.rejections()).isEmpty();
    }

    @Test
    void aDeliverysTransactionShouldCommitWithoutWaitingForTheFlushAndBeBoundedWhileIdleOnlyItself() {
        // Limit 0: no row of other tests is taken, the transaction's settings are what is looked at.
        List<List<String>> settings = settingsInsideAndAfter(conn -> outbox.take(conn, 0, 0, Duration.ofMillis(12_345)));

        assertThat(settings.get(0)).as("inside the delivery's transaction").containsExactly("off", "12345ms");
        assertThat(settings.get(1)).as("after its commit, the session's own").containsExactly("on", "0");
    }

    @Test
    void aDeliveryHeldPastItsLimitShouldBeEndedByTheDatabaseAndItsRowsBeDueAgain() {
        String eventId = "held-" + UUID.randomUUID();
        // Not due for the application's own publisher; the transaction below makes it due for itself only.
        db.query("INSERT INTO gateway.outbox (event_id, payload, next_attempt_at) VALUES ($1, '{}'::jsonb, now() + interval '1 hour')",
                eventId);
        // Taken in a transaction that then stays idle, like a gateway frozen while the worker answers: the database
        // ends it after the limit, and the mark is rolled back with it.
        Throwable ended = pool.withTransaction(conn -> conn.preparedQuery(
                                "UPDATE gateway.outbox SET next_attempt_at = now() - interval '1 day' WHERE event_id = $1")
                        .execute(Tuple.of(eventId))
                        .chain(() -> outbox.take(conn, 1, 0, Duration.ofMillis(300)))
                        .invoke(taken -> assertThat(taken).extracting(Outbox.Taken::payload).containsExactly("{}"))
                        .chain(taken -> io.smallrye.mutiny.Uni.createFrom().voidItem()
                                .onItem().delayIt().by(Duration.ofMillis(1500)))
                        .chain(() -> conn.query("SELECT 1").execute()))
                .map(ignored -> (Throwable) null)
                .onFailure().recoverWithItem(failure -> failure)
                .await().atMost(Duration.ofSeconds(20));

        assertThat(ended).as("the idle transaction was ended by the database").isNotNull();
        assertThat(db.count("SELECT count(*) FROM gateway.outbox WHERE event_id = $1 AND delivered_at IS NULL "
                + "AND attempts = 0 AND next_attempt_at > now()", eventId)).as("the row as it was before the take")
                .isEqualTo(1);
        db.query("DELETE FROM gateway.outbox WHERE event_id = $1", eventId);
    }

    /**
     * {@code synchronous_commit} and {@code idle_in_transaction_session_timeout} inside a transaction that runs
     * {@code work}, then after its commit. The tests' PostgreSQL runs with the first off: the session asks for on, as
     * production runs.
     */
    private List<List<String>> settingsInsideAndAfter(
            java.util.function.Function<io.vertx.mutiny.sqlclient.SqlConnection, io.smallrye.mutiny.Uni<?>> work) {
        return pool.withConnection(conn -> conn.query("SET synchronous_commit = on").execute()
                        .chain(() -> conn.begin())
                        .chain(tx -> work.apply(conn)
                                .chain(() -> settings(conn))
                                .chain(inside -> tx.commit().chain(() -> settings(conn))
                                        .map(after -> List.of(inside, after))))
                        .call(() -> conn.query("RESET synchronous_commit").execute()))
                .await().atMost(Duration.ofSeconds(20));
    }

    @Test
    void aDeliveryShouldWriteOneVersionOfEachRowAFailureAHotOneAndTheTakeShouldReadTheUndeliveredIndex() {
        // One transaction, rolled back: its own counters (pg_stat_get_xact_*) are exact and immediate.
        List<Long> counts = pool.withTransaction(conn -> conn.query("""
                                INSERT INTO gateway.outbox (event_id, payload, delivered_at)
                                SELECT 'hot-delivered-' || n, '{}'::jsonb, now() FROM generate_series(1, 20000) n""")
                        .execute()
                        .chain(() -> conn.query("ANALYZE gateway.outbox").execute())
                        .chain(() -> conn.preparedQuery("EXPLAIN " + Outbox.TAKE).execute(Tuple.of(200L, 0L)))
                        .map(plan -> {
                            StringBuilder text = new StringBuilder();
                            plan.forEach(row -> text.append(row.getString(0)).append('\n'));
                            assertThat(text.toString()).as("the take's plan").contains("outbox_undelivered_idx")
                                    .doesNotContain("Seq Scan");
                            return text;
                        })
                        .chain(() -> conn.query("""
                                INSERT INTO gateway.outbox (event_id, payload)
                                SELECT 'hot-due-' || n, '{"topic":"products/update"}'::jsonb
                                  FROM generate_series(1, 5) n""").execute())
                        // Other tests' undelivered rows out of the take's way (rolled back with the rest).
                        .chain(() -> conn.query("""
                                UPDATE gateway.outbox SET next_attempt_at = now() + interval '1 hour'
                                 WHERE delivered_at IS NULL AND event_id NOT LIKE 'hot-%'""").execute())
                        .chain(() -> updates(conn))
                        .chain(before -> outbox.take(conn, 1000, 0, Duration.ofSeconds(30))
                                .chain(taken -> updates(conn).chain(afterTake -> conn.query(
                                                // A failed delivery's mark is rolled back before its failure is
                                                // recorded: undone here by hand, and not counted below.
                                                "UPDATE gateway.outbox SET delivered_at = NULL WHERE event_id LIKE 'hot-due-%'")
                                        .execute()
                                        .chain(() -> updates(conn))
                                        .chain(undone -> outbox.markFailed(conn,
                                                        taken.stream().map(Outbox.Taken::id).toArray(Long[]::new), "test",
                                                        Duration.ofSeconds(1), Duration.ofSeconds(5))
                                                .chain(() -> updates(conn))
                                                .invoke(after -> {
                                                    throw new Rollback(List.of((long) taken.size(),
                                                            afterTake.get(0) - before.get(0), after.get(0) - undone.get(0),
                                                            after.get(1) - undone.get(1)));
                                                }))))))
                .onFailure(Rollback.class).recoverWithItem(failure -> ((Rollback) failure).counts)
                .await().atMost(Duration.ofSeconds(60));

        assertThat(counts.get(0)).as("rows taken").isEqualTo(5);
        assertThat(counts.get(1)).as("updates of the take: one per row, the delivered mark included").isEqualTo(5);
        assertThat(counts.get(2)).as("updates of a failure").isEqualTo(5);
        assertThat(counts.get(3)).as("of which HOT").isEqualTo(5);
        assertThat(db.count("SELECT count(*) FROM gateway.outbox WHERE event_id LIKE 'hot-%'")).isZero();
        assertThat(db.query("SELECT array_to_string(reloptions, ',') AS o FROM pg_class WHERE oid = 'gateway.outbox'::regclass")
                .get(0).getString("o")).contains("fillfactor=75");
    }

    @Test
    void aFailureShouldNotBeRecordedOnARowDeliveredAfterAll() {
        // A commit that went through while its answer was lost with the connection: the rows are delivered, and the
        // failure the publisher saw must not put an error and a next attempt on them.
        String eventId = "delivered-after-all-" + UUID.randomUUID();
        long id = db.count("INSERT INTO gateway.outbox (event_id, payload, attempts, delivered_at) "
                + "VALUES ($1, '{}'::jsonb, 1, now()) RETURNING id", eventId);
        outbox.markFailed(pool, new Long[] {id}, "lost answer", Duration.ofSeconds(1), Duration.ofSeconds(5))
                .await().atMost(Duration.ofSeconds(10));

        Row row = db.query("SELECT attempts, last_error FROM gateway.outbox WHERE id = $1", id).get(0);
        assertThat(row.getInteger("attempts")).isEqualTo(1);
        assertThat(row.getString("last_error")).isNull();
    }

    @Test
    void aRowCommittedLateBelowTheFloorShouldStillBeDelivered() {
        // An id drawn now and committed only after later rows were delivered: what another instance's batch, or a
        // lifecycle transaction overtaken by a later commit, looks like.
        long lateId = db.count("SELECT nextval('gateway.outbox_id_seq')");
        String before = webhook();
        awaitDelivered(before);
        assertThat(db.count("SELECT id FROM gateway.outbox WHERE event_id = $1", before)).isGreaterThan(lateId);
        String eventId = "late-" + UUID.randomUUID();
        db.query("INSERT INTO gateway.outbox (id, event_id, payload) VALUES ($1, $2, jsonb_build_object('eventId', $2::text))",
                lateId, eventId);
        // Takes from this instance's floor (past `before`) skip it; a rescan (at most 1 s later) finds it.
        String after = webhook();

        awaitDelivered(after);
        awaitDelivered(eventId);
        assertThat(worker.eventsWithId(eventId)).hasSize(1);
    }

    @Test
    void shouldRetryWithBackoffAfterTheWorkerFails() {
        int jtisBefore = worker.jtis().size();
        worker.failNext(2);
        String eventId = webhook();

        awaitDelivered(eventId);
        Row row = db.query("SELECT attempts, last_error FROM gateway.outbox WHERE event_id = $1", eventId).get(0);
        assertThat(row.getInteger("attempts")).isGreaterThanOrEqualTo(3);
        assertThat(row.getString("last_error")).isNull();
        assertThat(worker.eventsWithId(eventId)).hasSize(1);
        // The receiver, like the worker, took each failed attempt's jti: every retry had to mint its own token.
        assertThat(worker.rejections()).as("no token refused (body hash, replayed jti)").isEmpty();
        List<String> jtis = worker.jtis().subList(jtisBefore, worker.jtis().size());
        assertThat(jtis).hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates();
    }

    @Test
    void shouldLoseNothingWhileTheWorkerIsDown() {
        worker.down();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(webhook());
        }
        await(() -> db.count("SELECT count(*) FROM gateway.outbox WHERE event_id = ANY($1) AND attempts >= 1 "
                + "AND delivered_at IS NULL AND last_error IS NOT NULL", (Object) ids.toArray(new String[0])) == 5,
                Duration.ofSeconds(20));

        worker.up();

        for (String id : ids) {
            awaitDelivered(id);
            assertThat(worker.eventsWithId(id)).hasSize(1);
        }
    }

    @Test
    void shouldKeepRetryingAtTheMaximumIntervalAfterManyAttempts() {
        worker.down();
        String eventId = webhook();
        await(() -> db.count("SELECT count(*) FROM gateway.outbox WHERE event_id = $1 AND attempts >= 1", eventId) == 1,
                Duration.ofSeconds(20));
        db.query("UPDATE gateway.outbox SET attempts = 500, next_attempt_at = now() WHERE event_id = $1", eventId);
        // The failed delivery's transaction rolls back; the failure then counts the try (501) and reschedules the row.
        await(() -> db.count("SELECT count(*) FROM gateway.outbox WHERE event_id = $1 AND attempts = 501 AND last_error IS NOT NULL "
                + "AND next_attempt_at < now() + interval '10 seconds'", eventId) == 1, Duration.ofSeconds(20));

        Row row = db.query("SELECT extract(epoch FROM next_attempt_at - now()) AS wait, delivered_at FROM gateway.outbox "
                + "WHERE event_id = $1", eventId).get(0);
        // %test max-backoff is 2 s: the row is still scheduled, at most the max interval away.
        assertThat(row.getNumeric("wait").doubleValue()).isLessThanOrEqualTo(2.0);
        worker.up();
        awaitDelivered(eventId);
    }

    private String webhook() {
        return webhook(secret, shop);
    }

    /** Sends one signed {@code products/update} for {@code shop} through the gateway; answers its event id. */
    static String webhook(String secret, String shop) {
        String eventId = UUID.randomUUID().toString();
        byte[] body = ShopifyWebhookRouteTest.product(11);
        given().header(ShopifyWebhook.HMAC, ShopifyWebhookVerifier.sign(body, secret))
                .header(ShopifyWebhook.TOPIC, "products/update")
                .header(ShopifyWebhook.SHOP_DOMAIN, shop)
                .header(ShopifyWebhook.API_VERSION, "2026-07")
                .header(ShopifyWebhook.WEBHOOK_ID, UUID.randomUUID().toString())
                .header(ShopifyWebhook.EVENT_ID, eventId)
                .contentType("application/json").body(body)
                .post("/shopify/webhook").then().statusCode(200);
        return eventId;
    }

    /** This transaction's updates of the outbox, and how many of them were HOT. */
    private static io.smallrye.mutiny.Uni<List<Long>> updates(io.vertx.mutiny.sqlclient.SqlConnection conn) {
        return conn.query("SELECT pg_stat_get_xact_tuples_updated('gateway.outbox'::regclass) AS n, "
                        + "pg_stat_get_xact_tuples_hot_updated('gateway.outbox'::regclass) AS hot").execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return List.of(row.getLong("n"), row.getLong("hot"));
                });
    }

    /** Ends the measuring transaction without committing, carrying what it measured. */
    private static final class Rollback extends RuntimeException {
        final List<Long> counts;

        Rollback(List<Long> counts) {
            super("rolled back on purpose", null, false, false);
            this.counts = counts;
        }
    }

    private static io.smallrye.mutiny.Uni<List<String>> settings(io.vertx.mutiny.sqlclient.SqlConnection conn) {
        return conn.query("SELECT current_setting('synchronous_commit') AS c, "
                        + "current_setting('idle_in_transaction_session_timeout') AS i").execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return List.of(row.getString("c"), row.getString("i"));
                });
    }

    private void awaitDelivered(String eventId) {
        await(() -> db.count("SELECT count(*) FROM gateway.outbox WHERE event_id = $1 AND delivered_at IS NOT NULL", eventId) == 1,
                Duration.ofSeconds(30));
    }

    static void await(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
