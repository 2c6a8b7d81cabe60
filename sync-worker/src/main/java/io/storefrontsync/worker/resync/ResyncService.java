package io.storefrontsync.worker.resync;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.connection.GatewayConnections;
import io.storefrontsync.worker.job.EnqueuedJob;
import io.storefrontsync.worker.job.JobRequest;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.JobTrigger;
import io.storefrontsync.worker.job.SyncJobQueue;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Manual resync: one immediate job per active connection of the user (or the one asked for). */
@ApplicationScoped
public class ResyncService {

    private static final Logger LOG = Logger.getLogger(ResyncService.class);

    private final Pool pool;
    private final GatewayConnections connections;
    private final SyncJobQueue queue;

    public ResyncService(Pool pool, GatewayConnections connections, SyncJobQueue queue) {
        this.pool = pool;
        this.connections = connections;
        this.queue = queue;
    }

    /** @return the jobs, or empty when the user has no matching active connection */
    public Uni<Optional<List<EnqueuedJob>>> resync(UserId user, Optional<ShopDomain> shop, Optional<PageId> page) {
        return pool.withTransaction(conn -> targets(conn, user, shop, page)
                .flatMap(targets -> targets.isEmpty()
                        ? Uni.createFrom().item(Optional.<List<EnqueuedJob>>empty())
                        : Multi.createFrom().iterable(targets)
                                .onItem().transformToUniAndConcatenate(target ->
                                        queue.enqueue(conn, JobRequest.sync(target, user, JobTrigger.RESYNC)))
                                .collect().asList()
                                .map(Optional::of)))
                .invoke(jobs -> LOG.debugf("resync for %s: %s", user, jobs.map(List::size).orElse(0)));
    }

    private Uni<List<JobTarget>> targets(SqlConnection conn, UserId user, Optional<ShopDomain> shop, Optional<PageId> page) {
        boolean everything = shop.isEmpty() && page.isEmpty();
        return connections.shopsOf(conn, user).flatMap(shops -> connections.pagesOf(conn, user).map(pages -> {
            List<JobTarget> targets = new ArrayList<>();
            shops.stream().filter(c -> c.active() && (everything || shop.filter(c.shop()::equals).isPresent()))
                    .forEach(c -> targets.add(JobTarget.shop(c.shop())));
            pages.stream().filter(c -> c.active() && (everything || page.filter(c.page()::equals).isPresent()))
                    .forEach(c -> targets.add(JobTarget.page(c.page())));
            return targets;
        }));
    }
}
