package io.storefrontsync.worker.shopify.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.worker.shopify.ShopifyAdminGraphQL;
import io.storefrontsync.worker.shopify.ShopifyApiException;
import io.storefrontsync.worker.shopify.ShopifyConfig;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.file.AsyncFile;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Shopify bulk query operations on top of {@link ShopifyAdminGraphQL.Session} (so the mutation and the
 * polls get its cost pacing, THROTTLED/429 waits, 5xx retries and token renewal): start one, wait for it
 * to end, download its JSONL.
 *
 * <ul>
 *   <li>{@link #start}: {@code bulkOperationRunQuery} with {@code groupObjects: false} (children then come
 *       anywhere after their parent; {@link BulkCatalogReader} does not mind, and Shopify writes the file
 *       faster). {@code OPERATION_IN_PROGRESS} / {@code LIMIT_REACHED} are waited out a few times with
 *       backoff, then the attempt fails and the job queue retries it; any other user error fails it too.</li>
 *   <li>{@link #check}: one look at {@code bulkOperation(id:)}. Between looks the job is parked, holding no
 *       slot ({@link BulkCatalogSync}); the {@code bulk_operations/finish} webhook wakes it, and without one it
 *       looks again after a doubling delay, as delivery is not guaranteed. {@code FAILED} with
 *       {@code INTERNAL_SERVER_ERROR} or {@code TIMEOUT}, {@code CANCELED} and {@code EXPIRED} fail the attempt
 *       as transient (the retry starts a new operation); {@code ACCESS_DENIED} fails the job for good and
 *       flags the shop ({@link ShopifyPermissionDenied}).</li>
 *   <li>{@link #download}: the signed URL is fetched with a client of its own (never the access token),
 *       streamed to a temporary file by Vert.x (never held in memory, no blocked thread); a status other
 *       than 200, a connection cut before the end, or a size other than the operation's {@code fileSize}
 *       fails the attempt and deletes the file.</li>
 * </ul>
 */
@ApplicationScoped
public class BulkOperations {

    private static final Logger LOG = Logger.getLogger(BulkOperations.class);

    static final String RUN = """
            mutation BulkCatalogRun($query: String!) {
              bulkOperationRunQuery(query: $query, groupObjects: false) {
                bulkOperation { id status }
                userErrors { field message code }
              }
            }
            """;
    /** Mutations cost 10. */
    static final int RUN_COST = 10;

    static final String STATUS = """
            query BulkCatalogStatus($id: ID!) {
              bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl }
            }
            """;
    /** bulkOperation, an object: 1. */
    static final int STATUS_COST = 1;

    private static final Set<String> BUSY = Set.of("OPERATION_IN_PROGRESS", "LIMIT_REACHED");
    private static final Set<String> RUNNING = Set.of("CREATED", "RUNNING", "CANCELING");

    private final ShopifyConfig config;
    private final Vertx vertx;
    private final HttpClient downloads;

    public BulkOperations(ShopifyConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        int timeoutMillis = (int) config.requestTimeout().toMillis();
        this.downloads = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(timeoutMillis)
                .setIdleTimeout(timeoutMillis)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxPoolSize(4));
    }

    @PreDestroy
    void close() {
        downloads.closeAndForget();
    }

    /** An operation that ended {@code COMPLETED}; {@code url} and {@code fileSize} are null when it found nothing. */
    public record Completed(String id, long objectCount, long rootObjectCount, Long fileSize, String url) {
    }

    /** Starts the bulk query and answers the operation's id. */
    public Uni<String> start(ShopifyAdminGraphQL.Session session, String query) {
        return Uni.createFrom().deferred(() -> session.query("BulkCatalogRun", RUN,
                                CanonicalJson.mapper().createObjectNode().put("query", query), RUN_COST)
                        .map(data -> operationId(session, data.path("bulkOperationRunQuery"))))
                .onFailure(Busy.class).invoke(busy -> LOG.infof("%s", busy.getMessage()))
                .onFailure(Busy.class).retry()
                .withBackOff(config.bulkPollInitial(), config.bulkPollMax())
                .atMost(config.bulkStartRetries())
                .onFailure(Busy.class).transform(busy -> new ShopifyApiException.Transient(busy.getMessage()));
    }

    private static String operationId(ShopifyAdminGraphQL.Session session, JsonNode payload) {
        JsonNode errors = payload.path("userErrors");
        if (errors.isArray() && !errors.isEmpty()) {
            JsonNode first = errors.get(0);
            String message = session.shop() + " bulkOperationRunQuery: " + first.path("code").asText("") + " "
                    + first.path("message").asText("");
            if (BUSY.contains(first.path("code").asText())) {
                throw new Busy(message);
            }
            throw new ShopifyApiException(message);
        }
        JsonNode id = payload.path("bulkOperation").path("id");
        if (!id.isTextual()) {
            throw new ShopifyApiException(session.shop() + " bulkOperationRunQuery: no operation in the answer");
        }
        return id.asText();
    }

    /**
     * One look at the operation: empty while Shopify still runs it ({@code CREATED}, {@code RUNNING},
     * {@code CANCELING}); the operation when {@code COMPLETED}; a failure for any other end.
     */
    public Uni<java.util.Optional<Completed>> check(ShopifyAdminGraphQL.Session session, String id) {
        return session.query("BulkCatalogStatus", STATUS, CanonicalJson.mapper().createObjectNode().put("id", id), STATUS_COST)
                .map(data -> {
                    JsonNode operation = data.path("bulkOperation");
                    if (operation.isMissingNode() || operation.isNull()) {
                        throw new ShopifyApiException.Transient(session.shop() + " bulk operation " + id + " is unknown to Shopify");
                    }
                    String status = operation.path("status").asText("");
                    return RUNNING.contains(status)
                            ? java.util.Optional.<Completed>empty()
                            : java.util.Optional.of(ended(session, id, operation, status));
                });
    }

    private static Completed ended(ShopifyAdminGraphQL.Session session, String id, JsonNode operation, String status) {
        String errorCode = operation.path("errorCode").asText("");
        String what = session.shop() + " bulk operation " + id + " ended " + status
                + (errorCode.isEmpty() ? "" : " (" + errorCode + ")");
        switch (status) {
            case "COMPLETED" -> {
                return new Completed(id, number(operation, "objectCount"), number(operation, "rootObjectCount"),
                        operation.path("fileSize").isNull() || operation.path("fileSize").isMissingNode()
                                ? null : number(operation, "fileSize"),
                        operation.path("url").isTextual() ? operation.path("url").asText() : null);
            }
            case "FAILED" -> {
                if ("ACCESS_DENIED".equals(errorCode)) {
                    throw new ShopifyPermissionDenied(what + ": the app lacks a permission the catalog query needs;"
                            + " the merchant must approve the app's scopes again (reinstall)");
                }
                throw new ShopifyApiException.Transient(what);
            }
            default -> throw new ShopifyApiException.Transient(what);
        }
    }

    /** Shopify writes {@code objectCount}, {@code rootObjectCount} and {@code fileSize} as strings (UnsignedInt64). */
    private static long number(JsonNode operation, String field) {
        JsonNode value = operation.path(field);
        return value.isNumber() ? value.asLong() : Long.parseLong(value.asText("0"));
    }

    /**
     * Streams the operation's file to a new temporary file and answers its path; the caller deletes it.
     * Fails (and deletes what it wrote) unless the whole file came.
     */
    public Uni<Path> download(ShopifyAdminGraphQL.Session session, Completed operation) {
        String where = session.shop() + " bulk operation " + operation.id() + " download";
        return vertx.fileSystem().createTempFile("storefront-bulk-", ".jsonl")
                .chain(path -> vertx.fileSystem().open(path, new OpenOptions().setWrite(true).setTruncateExisting(true))
                        .chain(file -> fetchInto(operation.url(), file, where)
                                .eventually(() -> file.close().onFailure().recoverWithNull()))
                        .chain(() -> vertx.fileSystem().props(path))
                        .map(props -> {
                            if (operation.fileSize() != null && props.size() != operation.fileSize()) {
                                throw new ShopifyApiException.Transient(where + ": got " + props.size()
                                        + " bytes, the operation announced " + operation.fileSize());
                            }
                            LOG.debugf("%s: %d bytes", where, props.size());
                            return Path.of(path);
                        })
                        .onFailure().call(() -> vertx.fileSystem().delete(path).onFailure().recoverWithNull()));
    }

    /** The signed URL is a credential of sorts: it never goes into a message, only its host. */
    private Uni<Void> fetchInto(String url, AsyncFile file, String where) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setFollowRedirects(true);
        return downloads.request(options)
                .chain(request -> request.send())
                .chain(response -> {
                    if (response.statusCode() != 200) {
                        return response.body().replaceWithVoid().onFailure().recoverWithNull()
                                .chain(() -> Uni.createFrom().failure(new ShopifyApiException.Transient(
                                        where + ": HTTP " + response.statusCode())));
                    }
                    return response.pipeTo(file);
                })
                .onFailure(failure -> !(failure instanceof ShopifyApiException)).transform(failure ->
                        new ShopifyApiException.Transient(where + " cut off: " + failure.getClass().getSimpleName()
                                + ": " + failure.getMessage(), failure));
    }

    /** Shopify is running as many bulk query operations for the shop as it allows: wait, then start again. */
    static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message);
        }
    }
}
