package io.storefrontsync.gateway.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.storefrontsync.common.signature.ShopifyWebhookVerifier;
import io.storefrontsync.gateway.support.GatewayDb;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit of webhooks ({@link IngestBatcher}) over HTTP, against the real database. Which requests share a
 * batch is made certain, not left to timing: the test holds an open transaction that inserted the receipt key of a
 * first webhook, so that webhook's batch waits on the key (PostgreSQL's row lock) while the next requests queue
 * behind it; releasing (or killing) it decides what happens next.
 */
@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = WorkerReceiver.class, scope = TestResourceScope.MATCHING_RESOURCES)
class IngestBatchTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    Pool pool;
    @Inject
    MeterRegistry registry;
    @Inject
    IngestBatcher batcher;

    @ConfigProperty(name = "gateway.shopify.api-secret")
    String secret;

    GatewayDb db;
    String shop;
    ExecutorService senders;
    SqlConnection holder;
    Transaction held;

    @BeforeEach
    void setUp() {
        db = new GatewayDb(pool);
        shop = GatewayDb.uniqueShop();
        db.activeConnection(shop);
        senders = Executors.newFixedThreadPool(32);
    }

    @AfterEach
    void tearDown() {
        senders.shutdownNow();
        release();
    }

    @Test
    void concurrentRequestsShouldShareOneStatementAndCommit() throws Exception {
        String first = UUID.randomUUID().toString();
        hold("shopify:" + first);
        double batchesBefore = batches();
        double changesBefore = batchedChanges();
        Future<Response> blocked = send(first);
        int waiting = awaitBatchWaitingOnTheHeldKey();

        List<String> concurrent = new ArrayList<>();
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String eventId = UUID.randomUUID().toString();
            concurrent.add(eventId);
            answers.add(send(eventId));
        }
        await(() -> queued() == 20, "the 20 requests queue behind the batch in flight");
        assertThat(answers).noneMatch(Future::isDone);
        for (String eventId : concurrent) {
            assertThat(receipts(eventId)).as("nothing written before its batch").isZero();
        }
        release();

        assertStored(blocked);
        for (Future<Response> answer : answers) {
            assertStored(answer);
        }
        assertThat(batches() - batchesBefore).as("one batch for the first, one for the 20").isEqualTo(2);
        assertThat(batchedChanges() - changesBefore).isEqualTo(21);
        for (String eventId : concurrent) {
            assertThat(outboxRows(eventId)).isEqualTo(1);
        }
        assertThat(waiting).isPositive();
    }

    @Test
    void aDuplicateInsideABatchShouldBeStoredOnce() throws Exception {
        String first = UUID.randomUUID().toString();
        hold("shopify:" + first);
        double batchesBefore = batches();
        Future<Response> blocked = send(first);
        awaitBatchWaitingOnTheHeldKey();

        String twin = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        List<Future<Response>> twins = List.of(send(twin), send(twin), send(twin)); // each with its own webhook id
        Future<Response> single = send(other);
        Future<Response> unknownShop = senders.submit(() -> deliver(UUID.randomUUID().toString(), GatewayDb.uniqueShop()));
        await(() -> queued() == 5, "the five requests queue in one batch");
        release();

        assertStored(blocked);
        List<String> statuses = new ArrayList<>();
        for (Future<Response> answer : twins) {
            Response response = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            statuses.add(response.path("status"));
        }
        assertThat(statuses).containsExactlyInAnyOrder("stored", "duplicate", "duplicate");
        assertStored(single);
        assertThat(unknownShop.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).<String>path("status")).isEqualTo("ignored");
        assertThat(batches() - batchesBefore).isEqualTo(2);
        assertThat(outboxRows(twin)).isEqualTo(1);
        assertThat(receipts(twin)).isEqualTo(1);

        // And across batches: a later redelivery is a duplicate too.
        assertThat(deliver(twin, shop).<String>path("status")).isEqualTo("duplicate");
        assertThat(outboxRows(twin)).isEqualTo(1);
    }

    @Test
    void aBatchWhoseDatabaseConnectionDiesShouldFailEveryRequestOfItAndWriteNothing() throws Exception {
        String first = UUID.randomUUID().toString();
        // Sorts after the random ids: the batch writes their receipts, then waits on this key, then dies.
        String last = "ffffffff-" + UUID.randomUUID();
        String second = UUID.randomUUID().toString();
        String third = UUID.randomUUID().toString();
        hold("shopify:" + first);
        Holder other = Holder.open(pool, "shopify:" + last);
        try {
            double failuresBefore = failures();
            Future<Response> alone = send(first);
            awaitBatchWaitingOnTheHeldKey();
            List<Future<Response>> batch = List.of(send(last), send(second), send(third));
            await(() -> queued() == 3, "three requests queue in the next batch");

            release(); // the first batch commits, the next one writes two receipts and waits on `last`
            assertStored(alone);
            int batchBackend = awaitBatchWaitingOnTheHeldKey();
            assertThat(batch).noneMatch(Future::isDone);
            terminate(batchBackend);
            for (Future<Response> answer : batch) {
                assertServerError(answer);
            }
            assertThat(failures() - failuresBefore).isEqualTo(1);
        } finally {
            other.rollback();
        }
        for (String eventId : List.of(last, second, third)) {
            assertThat(receipts(eventId)).as("no receipt of the failed batch").isZero();
            assertThat(outboxRows(eventId)).as("no event of the failed batch").isZero();
        }

        // Shopify retries: the next batch, on a sound connection, stores them.
        List<Future<Response>> retries = new ArrayList<>();
        for (String eventId : List.of(last, second, third)) {
            retries.add(send(eventId));
        }
        for (Future<Response> answer : retries) {
            assertStored(answer);
        }
        for (String eventId : List.of(first, last, second, third)) {
            assertThat(receipts(eventId)).isEqualTo(1);
            assertThat(outboxRows(eventId)).isEqualTo(1);
        }
    }

    /**
     * Shutdown ({@link IngestBatcher#onStop}, what Quarkus calls on SIGTERM) while a batch is committing and more
     * requests queue behind it: the stop waits until every one of them is committed and answered, not just the
     * batch in hand. Calling the observer directly is safe in a shared application: it only waits.
     */
    @Test
    void shutdownShouldWaitUntilTheBatchInFlightAndTheQueuedRequestsAreCommittedAndAnswered() throws Exception {
        String first = UUID.randomUUID().toString();
        hold("shopify:" + first);
        Future<Response> blocked = send(first);
        awaitBatchWaitingOnTheHeldKey();
        List<String> queuedIds = new ArrayList<>();
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String eventId = UUID.randomUUID().toString();
            queuedIds.add(eventId);
            answers.add(send(eventId));
        }
        await(() -> queued() == 10, "ten requests queue behind the batch in flight");

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(
                () -> batcher.onStop(new ShutdownEvent(), Optional.of(TIMEOUT)));
        Thread.sleep(500);
        assertThat(stopped).as("the stop waits while the batch cannot commit").isNotDone();
        release();

        stopped.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        // Every request has its commit by the time the stop returns (its answer is on its way to the client).
        assertThat(queued()).isZero();
        assertThat(receipts(first)).isEqualTo(1);
        assertThat(outboxRows(first)).isEqualTo(1);
        for (String eventId : queuedIds) {
            assertThat(receipts(eventId)).as("committed before the stop returned").isEqualTo(1);
            assertThat(outboxRows(eventId)).isEqualTo(1);
        }
        assertStored(blocked);
        for (Future<Response> answer : answers) {
            assertStored(answer);
        }
    }

    /**
     * A stop whose grace runs out while a batch cannot commit returns (Quarkus must be able to exit) and loses
     * nothing it answered: the requests are still unanswered, so Shopify would retry them; here the batch commits
     * after all once the lock goes, and each is then answered 200 and stored once.
     */
    @Test
    void aShutdownWhoseGraceRunsOutShouldReturnWithoutAnsweringWhatWasNotCommitted() throws Exception {
        String first = UUID.randomUUID().toString();
        hold("shopify:" + first);
        Future<Response> blocked = send(first);
        awaitBatchWaitingOnTheHeldKey();
        String second = UUID.randomUUID().toString();
        Future<Response> queuedAnswer = send(second);
        await(() -> queued() == 1, "one request queues behind the batch in flight");

        long started = System.nanoTime();
        batcher.onStop(new ShutdownEvent(), Optional.of(Duration.ofMillis(300)));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300))
                .isLessThan(TIMEOUT);
        assertThat(blocked).as("not answered: nothing committed").isNotDone();
        assertThat(queuedAnswer).isNotDone();
        assertThat(receipts(second)).isZero();
        release();

        assertStored(blocked);
        assertStored(queuedAnswer);
        assertThat(receipts(first)).isEqualTo(1);
        assertThat(outboxRows(second)).isEqualTo(1);
    }

    /** A second open transaction holding receipt keys. */
    private record Holder(SqlConnection connection, Transaction transaction) {
        static Holder open(Pool pool, String... keys) {
            SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
            Transaction transaction = connection.begin().await().atMost(TIMEOUT);
            for (String key : keys) {
                connection.preparedQuery("INSERT INTO gateway.webhook_receipts (dedupe_key, source, topic) "
                        + "VALUES ($1, 'shopify', 'products/update')").execute(Tuple.of(key)).await().atMost(TIMEOUT);
            }
            return new Holder(connection, transaction);
        }

        void rollback() {
            transaction.rollback().await().atMost(TIMEOUT);
            connection.close().await().atMost(TIMEOUT);
        }
    }

    /** Inserts the receipt keys in a transaction left open: a batch holding one of them waits for it. */
    private void hold(String... keys) {
        Holder holder = Holder.open(pool, keys);
        this.holder = holder.connection();
        this.held = holder.transaction();
    }

    private void release() {
        if (held != null) {
            held.rollback().await().atMost(TIMEOUT);
            held = null;
        }
        if (holder != null) {
            holder.close().await().atMost(TIMEOUT);
            holder = null;
        }
    }

    /** The backend of the batch statement that waits on a row lock. */
    private int awaitBatchWaitingOnTheHeldKey() {
        int[] pid = {-1};
        await(() -> {
            var rows = db.query("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    + "AND query LIKE '%WITH ORDINALITY%' AND pid <> pg_backend_pid()");
            if (rows.isEmpty()) {
                return false;
            }
            pid[0] = rows.get(0).getInteger("pid");
            return true;
        }, "a batch waits on the held key");
        return pid[0];
    }

    /** What a crashed or restarted server does to a statement: its connection ends. */
    private void terminate(int backend) {
        assertThat(db.query("SELECT pg_terminate_backend($1) AS done", backend).get(0).getBoolean("done")).isTrue();
    }

    private Future<Response> send(String eventId) {
        return senders.submit(() -> deliver(eventId, shop));
    }

    private Response deliver(String eventId, String toShop) {
        byte[] body = ShopifyWebhookRouteTest.product(Math.abs(eventId.hashCode()));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ShopifyWebhook.TOPIC, "products/update");
        headers.put(ShopifyWebhook.SHOP_DOMAIN, toShop);
        headers.put(ShopifyWebhook.API_VERSION, "2026-07");
        headers.put(ShopifyWebhook.WEBHOOK_ID, UUID.randomUUID().toString());
        headers.put(ShopifyWebhook.TRIGGERED_AT, "2026-07-01T10:00:00.000Z");
        headers.put(ShopifyWebhook.EVENT_ID, eventId);
        headers.put(ShopifyWebhook.HMAC, ShopifyWebhookVerifier.sign(body, secret));
        return given().headers(headers).contentType("application/json").body(body).post("/shopify/webhook");
    }

    private static void assertStored(Future<Response> answer) throws Exception {
        Response response = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.<String>path("status")).isEqualTo("stored");
    }

    private static void assertServerError(Future<Response> answer) throws Exception {
        Response response = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.<String>path("error")).isEqualTo("internal_error");
    }

    private long receipts(String eventId) {
        return db.count("SELECT count(*) FROM gateway.webhook_receipts WHERE dedupe_key = $1", "shopify:" + eventId);
    }

    private long outboxRows(String eventId) {
        return db.count("SELECT count(*) FROM gateway.outbox WHERE event_id = $1", eventId);
    }

    private double batches() {
        return registry.get("gateway.ingest.batch.size").summary().count();
    }

    private double batchedChanges() {
        return registry.get("gateway.ingest.batch.size").summary().totalAmount();
    }

    private double failures() {
        return registry.get("gateway.ingest.batch.failures").counter().count();
    }

    private double queued() {
        return registry.get("gateway.ingest.queued").gauge().value();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
