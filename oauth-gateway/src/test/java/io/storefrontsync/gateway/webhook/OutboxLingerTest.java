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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox's linger (issue #17): webhooks that each commit on their own (sent one after the other) travel to the
 * worker in one delivery when they arrive within {@code gateway.outbox.linger}, instead of one claim, HTTP call and
 * service JWT each. The linger is long here (2 s) so the assertion holds on a loaded machine; production's is 25 ms.
 */
@QuarkusTest
@TestProfile(OutboxLingerTest.LongLinger.class)
@WithTestResource(value = SandboxWorldResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = WorkerReceiver.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OutboxLingerTest {

    public static class LongLinger implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The safety-net poll must not start a run of its own in between.
            return Map.of("gateway.outbox.linger", "2s", "gateway.outbox.poll-interval", "1h");
        }
    }

    private static final int WEBHOOKS = 8;

    @Inject
    Pool pool;

    @ConfigProperty(name = "gateway.shopify.api-secret")
    String secret;

    @Test
    void shouldCarryTheWebhooksOfOneLingerInOneDelivery() {
        OutboxScene scene = OutboxScene.start(pool);
        GatewayDb db = scene.db();
        String shop = scene.shop();
        WorkerReceiver worker = scene.worker();

        long started = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < WEBHOOKS; i++) {
            ids.add(OutboxPublisherTest.webhook(secret, shop));
        }
        Duration sending = Duration.ofNanos(System.nanoTime() - started);

        OutboxPublisherTest.await(() -> db.count("SELECT count(*) FROM gateway.outbox WHERE event_id = ANY($1) "
                + "AND delivered_at IS NOT NULL", (Object) ids.toArray(new String[0])) == WEBHOOKS, Duration.ofSeconds(30));
        for (String id : ids) {
            assertThat(worker.eventsWithId(id)).as("delivered once: " + id).hasSize(1);
        }
        long deliveries = worker.deliveriesCarrying(ids);
        // Each webhook was answered (so committed, and the publisher triggered) before the next was sent. Sent within
        // one linger they all ride one delivery; a machine so slow that sending took longer cuts them into more.
        assertThat(deliveries).as("deliveries for %d webhooks sent in %d ms", WEBHOOKS, sending.toMillis())
                .isBetween(1L, 1 + sending.toMillis() / 2000);
    }
}
