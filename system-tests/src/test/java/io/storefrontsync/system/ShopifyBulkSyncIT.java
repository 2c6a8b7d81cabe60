package io.storefrontsync.system;

import io.storefrontsync.sandbox.DemoShop;
import io.storefrontsync.sandbox.testing.EndToEndSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #13 end to end: a store above the bulk threshold is read by a Shopify bulk operation, and while Shopify runs
 * it the sync is parked — no lease, no worker slot — until Shopify's {@code bulk_operations/finish} webhook, verified
 * by the gateway and forwarded through its outbox, wakes it.
 *
 * <p>The worker's own status check is an hour away here ({@code STOREFRONT_SHOPIFY_BULK_POLL_INITIAL}), so a sync
 * that completes within minutes was woken by the webhook; the simulator holds operations (pace 0) until the test lets
 * Shopify run them. Standard-plan limits (1,000 points, 100/s): the paginated read of this 650-product store would
 * need more than three minutes of bucket refill; the bulk read does not spend points per product.
 * (The polling path, without a webhook, is {@code BulkCatalogSyncTest}'s.)
 */
class ShopifyBulkSyncIT {

    private static final String SHOP = DemoShop.DOMAIN;
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private static EndToEndSystem system;
    private static SystemClient client;

    @BeforeAll
    static void start() {
        system = EndToEndSystem.start("ShopifyBulkSyncIT", Map.of(
                "SIM_SHOPIFY_BUCKET_SIZE", "1000", "SIM_SHOPIFY_RESTORE_RATE", "100",
                "SIM_SHOPIFY_BULK_OBJECTS_PER_SECOND", "0",
                "STOREFRONT_SHOPIFY_BULK_THRESHOLD", "100",
                "STOREFRONT_SHOPIFY_BULK_POLL_INITIAL", "1h",
                "STOREFRONT_SHOPIFY_BULK_POLL_MAX", "1h"));
        client = new SystemClient(system);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aLargeStoresSyncShouldWaitParkedForItsBulkOperationAndBeWokenByTheFinishWebhook() throws Exception {
        InstalledShops shops = InstalledShops.install(client, List.of(SHOP));

        SystemClient.await("the install's sync to park on its bulk operation", TIMEOUT,
                () -> count("SELECT count(*) FROM worker.jobs WHERE target_id = ? AND status = 'waiting'") == 1);
        assertThat(count("SELECT count(*) FROM worker.jobs WHERE target_id = ? AND status = 'waiting'"
                + " AND lease_owner IS NULL AND parked->>'operation' LIKE 'gid://shopify/BulkOperation/%'"))
                .as("parked: no lease held, the operation remembered").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM worker.jobs WHERE target_id = ? AND status = 'running'"))
                .as("no slot taken while Shopify runs the operation").isZero();
        assertThat(client.object(shops.productsKey(SHOP))).as("nothing written before the read").isEmpty();

        HttpResponse<String> pace = client.postJson(system.shopifySimulatorUrl() + "/_sim/bulk/pace",
                "{\"objectsPerSecond\":20000}", null);
        assertThat(pace.statusCode()).as(pace.body()).isEqualTo(200);

        shops.awaitInSpaces(List.of(SHOP), TIMEOUT);
        assertThat(client.count("SELECT count(*) FROM gateway.webhook_receipts WHERE topic = 'bulk_operations/finish'"))
                .as("the finish webhook was verified and stored by the gateway").isEqualTo(1);
        SystemClient.await("the sync to be recorded", TIMEOUT, () -> count("SELECT count(*) FROM worker.jobs"
                + " WHERE target_id = ? AND status = 'succeeded' AND attempts = 1 AND result->>'read' = 'bulk'") == 1);
        assertThat(count("SELECT count(*) FROM worker.jobs WHERE target_id = ? AND status NOT IN ('succeeded')"))
                .as("one sync, one attempt: resuming the parked job is not a retry").isZero();
    }

    private static long count(String sql) {
        try {
            return client.count(sql, SHOP);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
