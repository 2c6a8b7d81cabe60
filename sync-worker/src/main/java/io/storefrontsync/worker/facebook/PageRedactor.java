package io.storefrontsync.worker.facebook;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.connection.GatewayConnections;
import io.storefrontsync.worker.connection.PageConnection;
import io.storefrontsync.worker.job.JobRequest;
import io.storefrontsync.worker.job.JobStore;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.JobTrigger;
import io.storefrontsync.worker.job.SyncJobQueue;
import io.storefrontsync.worker.spaces.DocumentRecords;
import io.storefrontsync.worker.spaces.SpacesPrefixEraser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code page/deleted}: removes a user's copy of a Page — the objects under
 * {@code users/<uuid>/facebook/<page_id>/} and the worker's rows about it — as a job, durable and retried like
 * {@code shop/redact}.
 *
 * <p>The gateway owns the truth about who a Page belongs to. Because a page's jobs coalesce (one pending job per
 * page), a deletion for the previous owner can merge with a sync for the new one; so the redaction also removes
 * every other copy the worker knows of that is not the current active owner's, and, when the gateway still has
 * an active owner for the page, enqueues a fresh sync for that owner as its own job.
 */
@ApplicationScoped
public class PageRedactor {

    private static final Logger LOG = Logger.getLogger(PageRedactor.class);

    private final SpacesPrefixEraser eraser;
    private final Pool pool;
    private final GatewayConnections connections;
    private final SyncJobQueue queue;
    private final JobStore jobs;
    private final DocumentRecords documents;

    public PageRedactor(SpacesPrefixEraser eraser, Pool pool, GatewayConnections connections, SyncJobQueue queue,
                        JobStore jobs, DocumentRecords documents) {
        this.eraser = eraser;
        this.pool = pool;
        this.connections = connections;
        this.queue = queue;
        this.jobs = jobs;
        this.documents = documents;
    }

    /** @param redactJobId the job doing this, kept as the record that the deletion happened */
    public Uni<JsonObject> redact(UserId user, PageId page, UUID redactJobId) {
        return connections.page(pool, page).map(owner -> owner.filter(PageConnection::active).map(PageConnection::userId))
                .chain(owner -> usersToErase(user, page, owner)
                        .chain(users -> Multi.createFrom().iterable(users)
                                .onItem().transformToUniAndConcatenate(erased -> eraseCopy(erased, page, redactJobId))
                                .collect().asList())
                        .chain(deleted -> resyncOwner(page, owner).map(resync -> result(deleted, resync))))
                .invoke(result -> LOG.infof("page %s of user %s deleted: %s", page, user, result.encode()));
    }

    /** The requested user's copy, plus any other copy the worker wrote for a user who no longer owns the page. */
    private Uni<Set<UserId>> usersToErase(UserId user, PageId page, Optional<UserId> owner) {
        return documents.usersHoldingPage(page).map(holders -> {
            Set<UserId> users = new LinkedHashSet<>();
            users.add(user);
            for (UserId copyOwner : holders) {
                if (owner.filter(copyOwner::equals).isEmpty()) {
                    users.add(copyOwner);
                }
            }
            return users;
        });
    }

    private Uni<List<String>> eraseCopy(UserId user, PageId page, UUID redactJobId) {
        return eraser.erase(SpacesKeys.pagePrefix(user, page))
                .chain(deleted -> jobs.deleteFinishedHistoryOf(pool, JobTarget.page(page), user, redactJobId)
                        .replaceWith(deleted));
    }

    private Uni<Optional<UUID>> resyncOwner(PageId page, Optional<UserId> owner) {
        if (owner.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return queue.enqueue(pool, JobRequest.sync(JobTarget.page(page), owner.get(), JobTrigger.RESYNC))
                .map(job -> Optional.of(job.id()));
    }

    private static JsonObject result(List<List<String>> deleted, Optional<UUID> resync) {
        List<String> keys = new ArrayList<>();
        deleted.forEach(keys::addAll);
        JsonObject result = new JsonObject().put("written", new JsonArray()).put("skipped", new JsonArray())
                .put("deleted", new JsonArray(keys));
        resync.ifPresent(id -> result.put("resyncJob", id.toString()));
        return result;
    }
}
