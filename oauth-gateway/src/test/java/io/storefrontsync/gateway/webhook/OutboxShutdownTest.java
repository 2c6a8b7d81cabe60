package io.storefrontsync.gateway.webhook;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.storefrontsync.gateway.support.GatewayDb;
import io.storefrontsync.gateway.support.OutboxScene;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's graceful stop (issue #15) as {@link OutboxPublisher#onStop} runs it: the batch in hand (claimed,
 * sent, the worker not yet answered) is let finish, delivered and marked, before the stop returns; a webhook
 * stored after the stop began is not sent by this instance but stays undelivered and claimable at once by another
 * one. Its own application ({@link OwnApp}): a stopped publisher delivers nothing more, which would starve the other
 * outbox tests sharing an application.
 */
@QuarkusTest
@TestProfile(OutboxShutdownTest.OwnApp.class)
@WithTestResource(value = SandboxWorldResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = WorkerReceiver.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OutboxShutdownTest {

    public static class OwnApp implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Deliveries start only from a commit's trigger, never from the safety-net poll in between.
            return Map.of("gateway.outbox.poll-interval", "1h");
        }
    }

    private static final int WEBHOOKS = 4;

    @Inject
    Pool pool;

    @Inject
    OutboxPublisher publisher;

    @ConfigProperty(name = "gateway.shopify.api-secret")
    String secret;

    @Test
    void shouldFinishTheBatchInHandAndLeaveLaterRowsClaimable() throws Exception {
        OutboxScene scene = OutboxScene.start(pool);
        GatewayDb db = scene.db();
        String shop = scene.shop();
        WorkerReceiver worker = scene.worker();
        worker.hold();
        CompletableFuture<Void> stop = null;
        try {
            int deliveriesBefore = worker.deliveries();
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < WEBHOOKS; i++) {
                sent.add(OutboxPublisherTest.webhook(secret, shop));
            }
            // A batch claimed and sent, the worker holding its answer: that batch is in the gateway's hand. Rows
            // stored after its claim wait for the next run.
            OutboxPublisherTest.await(() -> worker.deliveries() > deliveriesBefore, Duration.ofSeconds(30));
            int deliveriesInHand = worker.deliveries();
            List<String> inHand = sent.stream().filter(id -> !worker.eventsWithId(id).isEmpty()).toList();
            List<String> waiting = new ArrayList<>(sent.stream().filter(id -> worker.eventsWithId(id).isEmpty()).toList());
            assertThat(inHand).isNotEmpty();
            String[] inHandIds = inHand.toArray(new String[0]);
            assertThat(db.count("SELECT count(*) FROM gateway.outbox WHERE event_id = ANY($1) AND delivered_at IS NULL",
                    (Object) inHandIds)).as("sent but not answered yet: not marked").isEqualTo(inHand.size());

            stop = CompletableFuture.runAsync(() -> publisher.onStop(null, Optional.of(Duration.ofSeconds(30))));
            // A webhook arriving during the stop is stored (and answered 200) but this instance sends it no more.
            waiting.add(OutboxPublisherTest.webhook(secret, shop));
            assertThat(stop).as("the stop waits for the batch in hand").isNotDone();

            worker.release();
            stop.get(40, TimeUnit.SECONDS);

            // When the stop returns, the batch in hand is delivered and marked: nothing left to wait out its lease.
            assertThat(db.count("SELECT count(*) FROM gateway.outbox WHERE event_id = ANY($1) "
                    + "AND delivered_at IS NOT NULL AND last_error IS NULL", (Object) inHandIds)).isEqualTo(inHand.size());
            for (String id : inHand) {
                assertThat(worker.eventsWithId(id)).as("delivered once: " + id).hasSize(1);
            }
            // No run after the stop (a linger is 25 ms; give one a second to show): the rows stored after the batch
            // was claimed are not sent, not claimed (no lease, no attempt), so another instance claims them at once.
            Thread.sleep(1000);
            String[] waitingIds = waiting.toArray(new String[0]);
            assertThat(db.count("SELECT count(*) FROM gateway.outbox WHERE event_id = ANY($1) AND delivered_at IS NULL "
                    + "AND attempts = 0 AND next_attempt_at <= now()", (Object) waitingIds)).isEqualTo(waiting.size());
            for (String id : waiting) {
                assertThat(worker.eventsWithId(id)).as("not sent by the stopped instance: " + id).isEmpty();
            }
            assertThat(worker.deliveries()).isEqualTo(deliveriesInHand);
            assertThat(worker.rejections()).isEmpty();
        } finally {
            worker.release();
            if (stop != null) {
                stop.get(40, TimeUnit.SECONDS);
            }
        }
    }
}
