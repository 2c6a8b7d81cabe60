package io.storefrontsync.worker.shopify;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.connection.GatewayConnections;
import io.storefrontsync.worker.connection.ShopConnection;
import io.storefrontsync.worker.job.JobRequest;
import io.storefrontsync.worker.job.JobStore;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.JobTrigger;
import io.storefrontsync.worker.job.SyncJobQueue;
import io.storefrontsync.worker.shopify.bulk.ShopCatalogParts;
import io.storefrontsync.worker.shopify.bulk.ShopProducts;
import io.storefrontsync.worker.shopify.patch.ShopChanges;
import io.storefrontsync.worker.shopify.patch.ProductTombstones;
import io.storefrontsync.worker.spaces.SpacesPrefixEraser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.UUID;

/**
 * {@code shop/redact}: deletes everything stored for a shop — its objects under
 * {@code users/<uuid>/shopify/<shop>/} and the worker's rows about it. Runs as a job, so a Spaces
 * outage only delays it.
 *
 * <p>A shop's jobs coalesce (one pending job per shop, the first event's user kept, the redaction winning), so
 * the install sync of a reinstall that arrived while the redaction waited is merged into it. When the gateway
 * has an active connection for the shop again, the redaction therefore enqueues a sync for that current owner
 * as its own job, as {@code PageRedactor} does for Pages, instead of leaving it to the daily poll.
 */
@ApplicationScoped
public class ShopRedactor {

    private static final Logger LOG = Logger.getLogger(ShopRedactor.class);

    private final SpacesPrefixEraser eraser;
    private final Pool pool;
    private final GatewayConnections connections;
    private final SyncJobQueue queue;
    private final JobStore jobs;
    private final ProductHashes productHashes;
    private final ShopProducts shopProducts;
    private final ShopCatalogParts catalogParts;
    private final ShopChanges shopChanges;
    private final ProductTombstones tombstones;

    public ShopRedactor(SpacesPrefixEraser eraser, Pool pool, GatewayConnections connections, SyncJobQueue queue,
                        JobStore jobs, ProductHashes productHashes, ShopProducts shopProducts,
                        ShopCatalogParts catalogParts, ShopChanges shopChanges, ProductTombstones tombstones) {
        this.catalogParts = catalogParts;
        this.shopChanges = shopChanges;
        this.tombstones = tombstones;
        this.eraser = eraser;
        this.pool = pool;
        this.connections = connections;
        this.queue = queue;
        this.jobs = jobs;
        this.productHashes = productHashes;
        this.shopProducts = shopProducts;
    }

    /** @param redactJobId the job doing this, kept as the record that the redaction happened */
    public Uni<JsonObject> redact(UserId user, ShopDomain shop, UUID redactJobId) {
        return eraser.erase(SpacesKeys.shopPrefix(user, shop))
                .chain(deleted -> deleteRows(shop, redactJobId).replaceWith(deleted))
                .chain(deleted -> resyncOwner(shop).map(resync -> {
                    LOG.infof("redacted %s: %d objects deleted", shop, deleted.size());
                    JsonObject result = new JsonObject().put("written", new JsonArray()).put("skipped", new JsonArray())
                            .put("deleted", new JsonArray(deleted));
                    resync.ifPresent(id -> result.put("resyncJob", id.toString()));
                    return result;
                }));
    }

    /** After the rows are gone, so the owner's fresh sync does not find the redacted shop's product hashes. */
    private Uni<Optional<UUID>> resyncOwner(ShopDomain shop) {
        return connections.shop(pool, shop).chain(row -> row.filter(ShopConnection::active).isEmpty()
                ? Uni.createFrom().item(Optional.<UUID>empty())
                : queue.enqueue(pool, JobRequest.sync(JobTarget.shop(shop), row.get().userId(), JobTrigger.RESYNC))
                        .map(job -> Optional.of(job.id())));
    }

    private Uni<Void> deleteRows(ShopDomain shop, UUID redactJobId) {
        return pool.withTransaction(conn -> productHashes.deleteShop(conn, shop)
                // The per-product canonical JSON of a bulk read: the shop's data, erased with the rest.
                .chain(() -> shopProducts.deleteShop(conn, shop))
                .chain(() -> catalogParts.deleteShop(conn, shop))
                .chain(() -> shopChanges.deleteShop(conn, shop))
                .chain(() -> tombstones.deleteShop(conn, shop))
                .chain(() -> jobs.deleteFinishedHistory(conn, JobTarget.shop(shop), redactJobId))
                .replaceWithVoid());
    }
}
