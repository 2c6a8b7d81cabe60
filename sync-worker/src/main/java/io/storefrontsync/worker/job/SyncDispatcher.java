package io.storefrontsync.worker.job;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.connection.GatewayConnections;
import io.storefrontsync.worker.connection.Ownership;
import io.storefrontsync.worker.connection.PageConnection;
import io.storefrontsync.worker.connection.ShopConnection;
import io.storefrontsync.worker.facebook.FacebookPageSync;
import io.storefrontsync.worker.facebook.PageRedactor;
import io.storefrontsync.worker.shopify.ShopRedactor;
import io.storefrontsync.worker.shopify.ShopifyShopSync;
import io.storefrontsync.worker.shopify.patch.ShopPatch;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Sends a claimed job to the code that does its work; the answer becomes the job's {@code result}.
 *
 * <p>A sync refused because its user does not own the target ({@link NotTheOwner}) dies, and the target's
 * current active owner gets a sync of their own: the refused job may carry events of that owner coalesced into it.
 */
@ApplicationScoped
public class SyncDispatcher {

    private static final Logger LOG = Logger.getLogger(SyncDispatcher.class);

    private final ShopifyShopSync shopifySync;
    private final ShopRedactor shopRedactor;
    private final FacebookPageSync pageSync;
    private final PageRedactor pageRedactor;
    private final Pool pool;
    private final GatewayConnections connections;
    private final Ownership ownership;
    private final SyncJobQueue queue;
    private final ShopPatch shopPatch;

    public SyncDispatcher(ShopifyShopSync shopifySync, ShopRedactor shopRedactor, FacebookPageSync pageSync,
                          PageRedactor pageRedactor, Pool pool, GatewayConnections connections, Ownership ownership,
                          SyncJobQueue queue, ShopPatch shopPatch) {
        this.shopPatch = shopPatch;
        this.shopifySync = shopifySync;
        this.shopRedactor = shopRedactor;
        this.pageSync = pageSync;
        this.pageRedactor = pageRedactor;
        this.pool = pool;
        this.connections = connections;
        this.ownership = ownership;
        this.queue = queue;
    }

    Uni<JsonObject> run(SyncJob job) {
        return dispatch(job).onFailure(NotTheOwner.class).call(failure -> {
            ownership.refusedAtJob(job.target(), job.userId());
            return syncActiveOwner(job);
        });
    }

    private Uni<Void> syncActiveOwner(SyncJob job) {
        Uni<Optional<UserId>> active = switch (job.target().kind()) {
            case SHOPIFY_SHOP -> connections.shop(pool, new ShopDomain(job.target().id()))
                    .map(row -> row.filter(ShopConnection::active).map(ShopConnection::userId));
            case FACEBOOK_PAGE -> connections.page(pool, new PageId(job.target().id()))
                    .map(row -> row.filter(PageConnection::active).map(PageConnection::userId));
        };
        return active.chain(owner -> owner.isEmpty() || owner.get().equals(job.userId())
                ? Uni.createFrom().voidItem()
                : queue.enqueue(pool, JobRequest.sync(job.target(), owner.get(), JobTrigger.RESYNC))
                        .invoke(resync -> LOG.infof("job %s refused; sync of %s's current owner is job %s",
                                job.id(), job.target(), resync.id()))
                        .replaceWithVoid());
    }

    private Uni<JsonObject> dispatch(SyncJob job) {
        return switch (job.target().kind()) {
            case SHOPIFY_SHOP -> switch (job.action()) {
                case REDACT -> shopRedactor.redact(job.userId(), new ShopDomain(job.target().id()), job.id());
                // A parked job resumes its full sync whatever it was asked as (a patch may have turned into one).
                case PATCH -> job.parked() != null
                        ? shopifySync.sync(job.userId(), new ShopDomain(job.target().id()), null, job.parked(), job.startedAt())
                        : shopPatch.patch(job.userId(), new ShopDomain(job.target().id()), job.startedAt(),
                                job.attempts() > 1);
                case SYNC -> shopifySync.sync(job.userId(), new ShopDomain(job.target().id()), null, job.parked(),
                        job.startedAt());
            };
            case FACEBOOK_PAGE -> job.action() == JobAction.REDACT
                    ? pageRedactor.redact(job.userId(), new PageId(job.target().id()), job.id())
                    : pageSync.sync(job.userId(), new PageId(job.target().id()));
        };
    }
}
