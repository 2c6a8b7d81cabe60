package io.storefrontsync.worker.shopify;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.job.JobRequest;
import io.storefrontsync.worker.job.JobRunner;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.JobTrigger;
import io.storefrontsync.worker.job.SyncJobQueue;
import io.storefrontsync.worker.spaces.Spaces;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.storefrontsync.worker.testing.JobRows;
import io.storefrontsync.worker.testing.ShopifySandbox;
import io.storefrontsync.worker.testing.ShopperDiscounts;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.storefrontsync.worker.testing.ShopifySandbox.SHOP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code STOREFRONT_DISCOUNTS_PUBLISH=automatic-only}, as an operator spells it, through a real sync:
 * the automatic discounts open to all buyers are published, no code at all. The default,
 * {@code shopper-safe}, is {@link ShopifyShopSyncTest}'s.
 */
@QuarkusTest
@TestProfile(AutomaticOnlyDiscountsTest.AutomaticOnly.class)
@WithTestResource(value = SandboxWorldResource.class, initArgs = {
        @ResourceArg(name = "set.SIM_SHOPIFY_PRODUCTS", value = "20"),
        @ResourceArg(name = "set.SIM_SHOPIFY_RESTORE_RATE", value = "20000")})
class AutomaticOnlyDiscountsTest {

    public static class AutomaticOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("storefront.discounts.publish", "automatic-only");
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Inject
    Pool pool;
    @Inject
    SyncJobQueue queue;
    @Inject
    JobRunner runner;
    @Inject
    @Spaces
    S3AsyncClient s3;
    @ConfigProperty(name = "storefront.spaces.bucket")
    String bucket;

    @Test
    void automaticOnlyShouldPublishTheAutomaticDiscountsForAllBuyersAndNoCode() throws Exception {
        GatewaySchema.ensure(pool);
        UUID owner = GatewaySchema.seedUser(pool);
        ShopifySandbox.install(pool, owner, SHOP);
        UserId user = new UserId(owner);
        UUID id = queue.enqueue(pool, JobRequest.sync(JobTarget.shop(new ShopDomain(SHOP)), user, JobTrigger.RESYNC))
                .await().atMost(TIMEOUT).id();

        runner.runDueJobs().await().atMost(TIMEOUT);
        for (int poll = 0; poll < 10 && "pending".equals(JobRows.byId(pool, id).getString("status")); poll++) {
            runner.runDueJobs().await().atMost(TIMEOUT);
        }

        assertThat(JobRows.byId(pool, id).getString("status")).isEqualTo("succeeded");
        byte[] document = s3.getObject(b -> b.bucket(bucket).key(SpacesKeys.shopifyShopProducts(user, new ShopDomain(SHOP))),
                AsyncResponseTransformer.toBytes()).get(30, TimeUnit.SECONDS).asByteArray();
        ShopperDiscounts.assertPublishedExactly(document, ShopifySandbox.discounts(SHOP), ShopperDiscounts.AUTOMATIC_ONLY);
        assertThat(ShopifySandbox.discounts(SHOP)).anyMatch(ShopperDiscounts.AUTOMATIC_ONLY);
    }
}
