package io.storefrontsync.worker.spaces;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.List;
import java.util.UUID;

/**
 * {@code shop/redact}: deletes everything stored for a shop — its objects under
 * {@code users/<uuid>/shopify/<shop>/} and the worker's rows about it. Runs as a job, so a Spaces
 * outage only delays it. Objects are deleted one by one: DeleteObjects needs a request checksum
 * that S3-compatible stores handle unevenly, and a shop has only a couple of objects.
 */
@ApplicationScoped
public class ShopRedactor {

    private static final Logger LOG = Logger.getLogger(ShopRedactor.class);

    private final S3AsyncClient s3;
    private final Pool pool;
    private final SpacesMetrics metrics;
    private final String bucket;

    public ShopRedactor(@Spaces S3AsyncClient s3, Pool pool, SpacesMetrics metrics,
                        @ConfigProperty(name = "storefront.spaces.bucket") String bucket) {
        this.s3 = s3;
        this.pool = pool;
        this.metrics = metrics;
        this.bucket = bucket;
    }

    /** @param redactJobId the job doing this, kept as the record that the redaction happened */
    public Uni<JsonObject> redact(UserId user, ShopDomain shop, UUID redactJobId) {
        String prefix = SpacesKeys.shopPrefix(user, shop);
        return listKeys(prefix)
                .flatMap(keys -> Multi.createFrom().iterable(keys)
                        .onItem().transformToUniAndConcatenate(this::delete)
                        .collect().asList())
                .flatMap(deleted -> deleteRows(prefix, shop, redactJobId).replaceWith(deleted))
                .map(deleted -> {
                    LOG.infof("redacted %s: %d objects deleted", shop, deleted.size());
                    return new JsonObject().put("written", new JsonArray()).put("skipped", new JsonArray())
                            .put("deleted", new JsonArray(deleted));
                });
    }

    private Uni<List<String>> listKeys(String prefix) {
        return Multi.createBy().repeating()
                .uni(() -> new String[]{null}, token -> listPage(prefix, token[0])
                        .invoke(page -> token[0] = page.nextContinuationToken()))
                .whilst(ListObjectsV2Response::isTruncated)
                .onItem().transformToIterable(ListObjectsV2Response::contents)
                .map(S3Object::key)
                .collect().asList();
    }

    private Uni<ListObjectsV2Response> listPage(String prefix, String continuationToken) {
        metrics.request("list");
        return Uni.createFrom().completionStage(() -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)
                .continuationToken(continuationToken)));
    }

    private Uni<String> delete(String key) {
        metrics.request("delete");
        return Uni.createFrom().completionStage(() -> s3.deleteObject(b -> b.bucket(bucket).key(key))).replaceWith(key);
    }

    private Uni<Void> deleteRows(String prefix, ShopDomain shop, UUID redactJobId) {
        return pool.withTransaction(conn -> conn.preparedQuery("DELETE FROM worker.documents WHERE starts_with(object_key, $1)")
                .execute(Tuple.of(prefix))
                .flatMap(ignored -> conn.preparedQuery("DELETE FROM worker.product_hashes WHERE shop = $1")
                        .execute(Tuple.of(shop.value())))
                .flatMap(ignored -> conn.preparedQuery("""
                                DELETE FROM worker.jobs WHERE target_kind = 'shopify_shop' AND target_id = $1 AND id <> $2
                                  AND status IN ('succeeded', 'failed', 'dead', 'cancelled')""")
                        .execute(Tuple.of(shop.value(), redactJobId)))
                .replaceWithVoid());
    }
}
