package io.storefrontsync.worker.shopify.bulk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.shopify.ShopifyAdminGraphQL;
import io.storefrontsync.worker.shopify.ShopifyApiException;
import io.storefrontsync.worker.shopify.ShopifyConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A shop's products read by one bulk operation into {@code worker.shop_products}, in three steps that a parked
 * job spreads over several claims: {@link #start} ({@link BulkCatalogQuery} → {@code bulkOperationRunQuery}),
 * {@link #check} (is it done?) between parks, and {@link #read} (download, then {@link BulkCatalogReader}). Any
 * failure on the way (the operation failed, expired or was cut off in download, a line is not JSON) leaves the
 * shop's rows as they were; the downloaded file is deleted in every case.
 */
@ApplicationScoped
public class BulkCatalogSync {

    private static final Logger LOG = Logger.getLogger(BulkCatalogSync.class);

    private final BulkOperations operations;
    private final BulkCatalogReader reader;
    private final ShopifyConfig config;
    private final Vertx vertx;

    public BulkCatalogSync(BulkOperations operations, BulkCatalogReader reader, ShopifyConfig config, Vertx vertx) {
        this.operations = operations;
        this.reader = reader;
        this.config = config;
        this.vertx = vertx;
    }

    /**
     * What a parked job waits for, as it is kept in {@code worker.jobs.parked}.
     *
     * @param operation the bulk operation's GID
     * @param startedAt when it was started
     * @param checks status checks that found it still running (they space the next one out)
     * @param locationIds the locations the query was built with, in alias order: the file is read against them
     */
    public record Wait(String operation, Instant startedAt, int checks, List<String> locationIds) {

        public JsonObject toJson() {
            return new JsonObject().put("kind", "shopify_bulk").put("operation", operation)
                    .put("startedAt", startedAt.toString()).put("checks", checks)
                    .put("locationIds", new JsonArray(locationIds));
        }

        public static Wait fromJson(JsonObject json) {
            if (!"shopify_bulk".equals(json.getString("kind"))) {
                throw new IllegalArgumentException("not a Shopify bulk wait: " + json.getString("kind"));
            }
            return new Wait(json.getString("operation"), Instant.parse(json.getString("startedAt")),
                    json.getInteger("checks", 0),
                    json.getJsonArray("locationIds").stream().map(String::valueOf).toList());
        }

        public Wait checkedAgain() {
            return new Wait(operation, startedAt, checks + 1, locationIds);
        }
    }

    /** What the read did, for the job's result. */
    public record Outcome(String operationId, long objects, long fileSize, long products,
                          Map<String, List<String>> members, long shopifyMillis, long readMillis) {
    }

    /** Starts the bulk query of every product over these locations (their order numbers the aliases). */
    public Uni<Wait> start(ShopifyAdminGraphQL.Session session, List<ObjectNode> locations) {
        List<String> locationIds = ids(locations);
        return operations.start(session, BulkCatalogQuery.of(locationIds))
                .map(id -> new Wait(id, Instant.now(), 0, locationIds))
                .invoke(wait -> LOG.debugf("%s: bulk operation %s started", session.shop(), wait.operation()));
    }

    /** One status check: the completed operation, or empty while Shopify still runs it (failures fail). */
    public Uni<Optional<BulkOperations.Completed>> check(ShopifyAdminGraphQL.Session session, Wait wait) {
        if (Duration.between(wait.startedAt(), Instant.now()).compareTo(config.bulkMaxWait()) > 0) {
            return Uni.createFrom().failure(new ShopifyApiException.Transient(session.shop() + " bulk operation "
                    + wait.operation() + " still not done " + config.bulkMaxWait() + " after it started"));
        }
        return operations.check(session, wait.operation());
    }

    /**
     * When to check again a running operation no webhook has reported: {@code bulk-poll-initial} doubled per
     * check that found it running, at most {@code bulk-poll-max}.
     */
    public Duration nextCheck(Wait wait) {
        Duration delay = config.bulkPollInitial();
        for (int i = 0; i < wait.checks() && delay.compareTo(config.bulkPollMax()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(config.bulkPollMax()) > 0 ? config.bulkPollMax() : delay;
    }

    /**
     * Downloads the completed operation's file and replaces the shop's {@code worker.shop_products} rows with it;
     * the outcome has each collection's product ids from the same file.
     *
     * @param locations the shop's locations now; they must be those the query was built with, or the per-location
     *     inventory would land on the wrong location (the attempt then fails and the retry starts afresh)
     */
    public Uni<Outcome> read(ShopifyAdminGraphQL.Session session, UserId user, Wait wait,
                             BulkOperations.Completed done, List<ObjectNode> locations) {
        ShopDomain shop = session.shop();
        if (!ids(locations).equals(wait.locationIds())) {
            return Uni.createFrom().failure(new ShopifyApiException.Transient(shop + ": its locations changed while bulk"
                    + " operation " + done.id() + " ran; the next attempt starts a new one"));
        }
        long shopifyMillis = Duration.between(wait.startedAt(), Instant.now()).toMillis();
        long readStarted = System.nanoTime();
        Uni<Path> file = done.url() == null
                // An empty catalog: Shopify gives no file, and the shop's rows become none.
                ? vertx.fileSystem().createTempFile("storefront-bulk-", ".jsonl").map(Path::of)
                : operations.download(session, done);
        return file.chain(path -> reader.replaceShopProducts(shop, user, path, locations)
                        .eventually(() -> vertx.fileSystem().delete(path.toString()).onFailure().recoverWithNull()))
                .map(read -> new Outcome(done.id(), done.objectCount(),
                        done.fileSize() == null ? 0 : done.fileSize(), read.products(), read.members(), shopifyMillis,
                        (System.nanoTime() - readStarted) / 1_000_000))
                .invoke(outcome -> LOG.debugf("%s: bulk operation %s, %d objects, %d bytes, %d products; Shopify %d ms, read %d ms",
                        shop, outcome.operationId(), outcome.objects(), outcome.fileSize(), outcome.products(),
                        outcome.shopifyMillis(), outcome.readMillis()));
    }

    private static List<String> ids(List<ObjectNode> locations) {
        return locations.stream().map(location -> location.get("id").asText()).toList();
    }
}
