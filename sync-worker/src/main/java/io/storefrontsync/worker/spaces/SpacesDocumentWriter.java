package io.storefrontsync.worker.spaces;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.common.validation.UserId;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Writes a canonical document to Spaces only when its content changed. The stored hash lives in
 * {@code worker.documents} and in the object's {@code x-amz-meta-sha256}:
 * <ol>
 *   <li>the table knows this hash for the key → skip, no Spaces request at all;</li>
 *   <li>the table has no row → HEAD the object; same {@code sha256} metadata → skip and record it;</li>
 *   <li>otherwise PUT (JSON, metadata {@code sha256}) and record the new hash.</li>
 * </ol>
 */
@ApplicationScoped
public class SpacesDocumentWriter {

    static final String SHA256_METADATA = "sha256";
    private static final Logger LOG = Logger.getLogger(SpacesDocumentWriter.class);

    private final S3AsyncClient s3;
    private final DocumentRecords documents;
    private final SpacesMetrics metrics;
    private final String bucket;

    public SpacesDocumentWriter(@Spaces S3AsyncClient s3, DocumentRecords documents, SpacesMetrics metrics, SpacesConfig spaces) {
        this.s3 = s3;
        this.documents = documents;
        this.metrics = metrics;
        this.bucket = spaces.bucket();
    }

    /** @param canonicalBytes the document as {@link CanonicalJson#canonicalBytes} produced it */
    public Uni<WriteOutcome> write(UserId user, String key, byte[] canonicalBytes) {
        return write(user, key, CanonicalJson.sha256Hex(canonicalBytes), canonicalBytes.length,
                () -> AsyncRequestBody.fromBytes(canonicalBytes));
    }

    /**
     * The same for a document assembled in a file (a large {@code shop_products.json}), uploaded from the
     * file without reading it into memory.
     *
     * @param sha256 the file's SHA-256, computed while it was written
     */
    public Uni<WriteOutcome> write(UserId user, String key, Path file, String sha256, long size) {
        return write(user, key, sha256, size, () -> AsyncRequestBody.fromFile(file));
    }

    private Uni<WriteOutcome> write(UserId user, String key, String sha256, long size, Supplier<AsyncRequestBody> body) {
        return documents.recordedHash(key)
                .chain(recorded -> {
                    if (recorded.isPresent()) {
                        return recorded.get().equals(sha256)
                                ? skip(key, sha256, size)
                                : put(user, key, body, size, sha256);
                    }
                    return storedObjectHash(key).chain(stored -> stored.filter(sha256::equals).isPresent()
                            ? documents.record(user, key, sha256, size).chain(ignored -> skip(key, sha256, size))
                            : put(user, key, body, size, sha256));
                });
    }

    /** The {@code sha256} metadata of the object in Spaces, empty when the object does not exist. */
    private Uni<Optional<String>> storedObjectHash(String key) {
        metrics.request("head");
        return Uni.createFrom().completionStage(() -> s3.headObject(b -> b.bucket(bucket).key(key)))
                .map(HeadObjectResponse::metadata)
                .map(metadata -> Optional.ofNullable(metadata.get(SHA256_METADATA)))
                .onFailure(SpacesDocumentWriter::notFound).recoverWithItem(Optional.empty());
    }

    private Uni<WriteOutcome> put(UserId user, String key, Supplier<AsyncRequestBody> body, long size, String sha256) {
        metrics.request("put");
        return Uni.createFrom().completionStage(() -> s3.putObject(b -> b.bucket(bucket).key(key)
                                .contentType("application/json")
                                .contentLength(size)
                                .metadata(Map.of(SHA256_METADATA, sha256)),
                        body.get()))
                .chain(ignored -> documents.record(user, key, sha256, size))
                .map(ignored -> {
                    metrics.written(size);
                    LOG.debugf("wrote %s (%d bytes)", key, size);
                    return new WriteOutcome(key, true, sha256, size);
                });
    }

    private Uni<WriteOutcome> skip(String key, String sha256, long bytes) {
        metrics.skipped();
        LOG.debugf("unchanged %s", key);
        return Uni.createFrom().item(new WriteOutcome(key, false, sha256, bytes));
    }

    static boolean notFound(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof S3Exception s3 && s3.statusCode() == 404;
    }
}
