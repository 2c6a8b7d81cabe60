package io.storefrontsync.worker.shopify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.storefrontsync.common.json.CanonicalJson;
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
 * {@code STOREFRONT_DISCOUNTS_PUBLISH=none} through a real sync: an empty {@code discounts} array,
 * and no discount query sent to Shopify at all.
 */
@QuarkusTest
@TestProfile(NoDiscountsPublishedTest.PublishNone.class)
@WithTestResource(value = SandboxWorldResource.class, initArgs = {
        @ResourceArg(name = "set.SIM_SHOPIFY_PRODUCTS", value = "20"),
        @ResourceArg(name = "set.SIM_SHOPIFY_RESTORE_RATE", value = "20000")})
class NoDiscountsPublishedTest {

    public static class PublishNone implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("storefront.discounts.publish", "none");
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Inject
    Pool pool;
    @Inject
    MeterRegistry registry;
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
    void noneShouldPublishNoDiscountAndNeverAskShopifyForThem() throws Exception {
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
        ShopperDiscounts.assertPublishedExactly(document, ShopifySandbox.discounts(SHOP), discount -> false);
        assertThat(CanonicalJson.parse(document).path("discounts").isArray()).isTrue();
        assertThat(CanonicalJson.parse(document).path("discounts")).isEmpty();
        Counter discountPages = registry.find("storefront.shopify.pages").tag("query", "CatalogDiscounts").counter();
        assertThat(discountPages == null ? 0 : discountPages.count()).as("CatalogDiscounts pages fetched").isZero();
        Counter productPages = registry.find("storefront.shopify.pages").tag("query", "CatalogProducts").counter();
        assertThat(productPages).isNotNull();
    }
}
