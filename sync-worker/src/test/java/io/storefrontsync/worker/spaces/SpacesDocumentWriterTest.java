package io.storefrontsync.worker.spaces;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.job.JobRunner;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.storefrontsync.worker.testing.JobRows;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static io.storefrontsync.worker.testing.Events.batch;
import static io.storefrontsync.worker.testing.Events.shopify;
import static io.storefrontsync.worker.testing.Shops.uniqueShop;
import static io.storefrontsync.worker.testing.TestTokens.serviceToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@QuarkusTest
@WithTestResource(SandboxWorldResource.class)
class SpacesDocumentWriterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    SpacesDocumentWriter writer;
    @Inject
    SpacesMetrics metrics;
    @Inject
    @Spaces
    S3AsyncClient s3;
    @Inject
    Pool pool;
    @Inject
    JobRunner runner;
    @ConfigProperty(name = "storefront.spaces.bucket")
    String bucket;

    @Test
    void shouldPutOnlyWhenContentChangesAndHeadOnlyWhenTableHasNoHash() throws Exception {
        UserId user = UserId.random();
        String key = SpacesKeys.shopifyShopMetadata(user, new ShopDomain(uniqueShop()));
        byte[] first = canonical("{\"name\":\"Demo\",\"currency\":\"EUR\"}");
        byte[] second = canonical("{\"name\":\"Demo\",\"currency\":\"USD\"}");

        Counts before = counts();
        assertThat(write(user, key, first).written()).isTrue();
        assertThat(counts().minus(before)).as("new key: HEAD finds nothing, then PUT").isEqualTo(new Counts(1, 1));
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key)).get(30, TimeUnit.SECONDS);
        assertThat(head.contentType()).isEqualTo("application/json");
        assertThat(head.metadata()).containsEntry("sha256", CanonicalJson.sha256Hex(first));
        assertThat(objectBytes(key)).isEqualTo(first);

        before = counts();
        assertThat(write(user, key, first).written()).isFalse();
        assertThat(counts().minus(before)).as("unchanged and the table knows the hash: no Spaces request")
                .isEqualTo(new Counts(0, 0));

        before = counts();
        assertThat(write(user, key, second).written()).isTrue();
        assertThat(counts().minus(before)).as("changed: PUT without HEAD").isEqualTo(new Counts(0, 1));
        assertThat(objectBytes(key)).isEqualTo(second);

        pool.preparedQuery("DELETE FROM worker.documents WHERE object_key = $1").execute(Tuple.of(key)).await().atMost(TIMEOUT);
        before = counts();
        assertThat(write(user, key, second).written()).isFalse();
        assertThat(counts().minus(before)).as("table lost the hash: HEAD matches, no PUT").isEqualTo(new Counts(1, 0));
        Row recorded = pool.preparedQuery("SELECT sha256 FROM worker.documents WHERE object_key = $1")
                .execute(Tuple.of(key)).await().atMost(TIMEOUT).iterator().next();
        assertThat(recorded.getString("sha256")).isEqualTo(CanonicalJson.sha256Hex(second));
    }

    @Test
    void shopRedactShouldDeleteTheShopsObjectsAndRows() {
        GatewaySchema.ensure(pool);
        UUID owner = GatewaySchema.seedUser(pool);
        String shop = uniqueShop();
        GatewaySchema.seedShop(pool, owner, shop, "uninstalled");
        UserId user = new UserId(owner);
        String metadataKey = SpacesKeys.shopifyShopMetadata(user, new ShopDomain(shop));
        String productsKey = SpacesKeys.shopifyShopProducts(user, new ShopDomain(shop));
        write(user, metadataKey, canonical("{\"name\":\"Gone\"}"));
        write(user, productsKey, canonical("{\"products\":[]}"));

        String jobId = given().filter(serviceToken()).contentType(ContentType.JSON)
                .body(batch(shopify(shop, "shop/redact")))
                .when().post("/internal/events")
                .then().statusCode(202)
                .extract().path("jobs[0].id");
        Row job = JobRows.byId(pool, UUID.fromString(jobId));
        for (int poll = 0; poll < 20 && !"succeeded".equals(job.getString("status")); poll++) {
            runner.runDueJobs().await().atMost(TIMEOUT);
            job = JobRows.byId(pool, UUID.fromString(jobId));
        }

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(job.getString("action")).isEqualTo("redact");
        for (String key : new String[]{metadataKey, productsKey}) {
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket(bucket).key(key)).join())
                    .isInstanceOf(CompletionException.class);
        }
        long rows = pool.preparedQuery("SELECT count(*) FROM worker.documents WHERE starts_with(object_key, $1)")
                .execute(Tuple.of(SpacesKeys.shopPrefix(user, new ShopDomain(shop))))
                .await().atMost(TIMEOUT).iterator().next().getLong(0);
        assertThat(rows).isZero();
    }

    private WriteOutcome write(UserId user, String key, byte[] bytes) {
        return writer.write(user, key, bytes).await().atMost(TIMEOUT);
    }

    private byte[] objectBytes(String key) throws Exception {
        return s3.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toBytes())
                .get(30, TimeUnit.SECONDS).asByteArray();
    }

    private static byte[] canonical(String json) {
        return CanonicalJson.canonicalBytes(CanonicalJson.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    private Counts counts() {
        return new Counts((long) metrics.requests("head"), (long) metrics.requests("put"));
    }

    private record Counts(long heads, long puts) {
        Counts minus(Counts other) {
            return new Counts(heads - other.heads, puts - other.puts);
        }
    }
}
