package io.storefrontsync.worker.shopify.patch;

import io.restassured.http.ContentType;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.job.JobRequest;
import io.storefrontsync.worker.job.JobRunner;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.JobTrigger;
import io.storefrontsync.worker.job.SyncJobQueue;
import io.storefrontsync.worker.shopify.ShopifyShopSync;
import io.storefrontsync.worker.testing.Events;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.storefrontsync.worker.testing.JobRows;
import io.storefrontsync.worker.testing.ShopifySandbox;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static io.storefrontsync.worker.testing.Events.batch;
import static io.storefrontsync.worker.testing.TestTokens.serviceToken;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the patch tests ({@code ProductPatchTest}, {@code ShopPatchTest}) share: an installed and fully synced
 * simulated store, the event the gateway forwards of a webhook delivered to {@code POST /internal/events}, running
 * the shop's job, the simulator's request count, and the check that a patched document is byte for byte what a fresh
 * full sync of the same store state writes. Real components only: the worker's beans, the embedded database, the S3
 * server and the Shopify simulator.
 */
final class PatchScaffold {

    static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** An installed store; {@code productsKey}/{@code metadataKey} its two Spaces documents. */
    record Store(String shop, UserId user, String productsKey, String metadataKey) {
    }

    private final Pool pool;
    private final SyncJobQueue queue;
    private final JobRunner runner;
    private final ShopifyShopSync shopSync;
    private final S3AsyncClient s3;
    private final String bucket;

    PatchScaffold(Pool pool, SyncJobQueue queue, JobRunner runner, ShopifyShopSync shopSync, S3AsyncClient s3,
                  String bucket) {
        this.pool = pool;
        this.queue = queue;
        this.runner = runner;
        this.shopSync = shopSync;
        this.s3 = s3;
        this.bucket = bucket;
    }

    Store installed(String shop) {
        GatewaySchema.ensure(pool);
        UUID owner = GatewaySchema.seedUser(pool);
        ShopifySandbox.install(pool, owner, shop);
        UserId user = new UserId(owner);
        return new Store(shop, user, SpacesKeys.shopifyShopProducts(user, new ShopDomain(shop)),
                SpacesKeys.shopifyShopMetadata(user, new ShopDomain(shop)));
    }

    /** Installed and fully synced by a job, as an install would. */
    Store synced(String shop) {
        Store store = installed(shop);
        UUID id = queue.enqueue(pool, JobRequest.sync(JobTarget.shop(new ShopDomain(shop)), store.user(), JobTrigger.INSTALL))
                .await().atMost(TIMEOUT).id();
        JsonObject result = runJob(id);
        assertThat(result.getString("read")).isEqualTo("paginated");
        assertThat(rowIds(shop)).hasSize(result.getInteger("products"));
        return store;
    }

    JsonObject lastResult(Store store) {
        List<Row> done = JobRows.withStatus(pool, store.shop(), "succeeded");
        return (JsonObject) done.get(done.size() - 1).getValue("result");
    }

    /** What the gateway forwards of a webhook (resource id, time), delivered to the intake; the job it went into. */
    UUID deliver(Store store, String topic, String resourceId, String occurredAt) {
        Map<String, Object> event = Events.shopify(store.shop(), topic);
        if (resourceId != null) {
            event.put("resourceId", resourceId);
        }
        if (occurredAt != null) {
            event.put("occurredAt", occurredAt);
        }
        String id = given().filter(serviceToken()).contentType(ContentType.JSON).body(batch(event))
                .when().post("/internal/events")
                .then().statusCode(202)
                .extract().path("jobs[0].id");
        return UUID.fromString(id);
    }

    JsonObject runJob(UUID id) {
        JobRows.makeDue(pool, id);
        runner.runDueJobs().await().atMost(TIMEOUT);
        Row job = JobRows.byId(pool, id);
        assertThat(job.getString("status")).as(job.getString("last_error")).isEqualTo("succeeded");
        return (JsonObject) job.getValue("result");
    }

    static long simulatorRequests(String shop) {
        return ShopifySandbox.state(shop).getLong("stats.graphqlRequests");
    }

    /** A fresh full sync of the store as it is now writes nothing: the patched documents are its bytes. */
    void assertEqualsFreshFullSync(Store store) throws Exception {
        byte[] patched = object(store.productsKey());
        byte[] metadata = object(store.metadataKey());
        JsonObject full = shopSync.sync(store.user(), new ShopDomain(store.shop()), ShopifyShopSync.CatalogRead.PAGINATED)
                .await().atMost(TIMEOUT);
        assertThat(full.getJsonArray("skipped").getList()).as("the full sync finds the same bytes")
                .contains(store.productsKey(), store.metadataKey());
        assertThat(object(store.productsKey())).isEqualTo(patched);
        assertThat(object(store.metadataKey())).isEqualTo(metadata);
    }

    List<String> rowIds(String shop) {
        return pool.preparedQuery("SELECT product_id FROM worker.shop_products WHERE shop = $1").execute(Tuple.of(shop))
                .await().atMost(TIMEOUT).stream().map(row -> row.getString("product_id")).toList();
    }

    long pendingChanges(String shop) {
        return pool.preparedQuery("SELECT count(*) AS n FROM worker.shop_changes WHERE shop = $1").execute(Tuple.of(shop))
                .await().atMost(TIMEOUT).iterator().next().getLong("n");
    }

    byte[] object(String key) throws Exception {
        return s3.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toBytes())
                .get(30, TimeUnit.SECONDS).asByteArray();
    }
}
