package io.storefrontsync.worker.spaces;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.List;

/**
 * Deletes every object under a prefix ({@code users/<uuid>/shopify/<shop>/}, {@code users/<uuid>/facebook/<page>/})
 * and the worker's recorded hashes for them. Objects are deleted one by one: DeleteObjects needs a request
 * checksum that S3-compatible stores handle unevenly, and a shop or page has only a couple of objects.
 */
@ApplicationScoped
public class SpacesPrefixEraser {

    private final S3AsyncClient s3;
    private final DocumentRecords documents;
    private final SpacesMetrics metrics;
    private final String bucket;

    public SpacesPrefixEraser(@Spaces S3AsyncClient s3, DocumentRecords documents, SpacesMetrics metrics, SpacesConfig spaces) {
        this.s3 = s3;
        this.documents = documents;
        this.metrics = metrics;
        this.bucket = spaces.bucket();
    }

    /** @param prefix built by {@code SpacesKeys}, so it lies under {@code users/<uuid>/}; @return the deleted keys */
    public Uni<List<String>> erase(String prefix) {
        if (!prefix.startsWith("users/") || !prefix.endsWith("/")) {
            throw new IllegalArgumentException("refusing to erase outside a user's folder: " + prefix);
        }
        return listKeys(prefix)
                .chain(keys -> Multi.createFrom().iterable(keys)
                        .onItem().transformToUniAndConcatenate(this::delete)
                        .collect().asList())
                .chain(deleted -> documents.forgetUnder(prefix).replaceWith(deleted));
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
}
