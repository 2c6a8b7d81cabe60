package io.storefrontsync.worker.resync;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.connection.GatewayConnections;
import io.storefrontsync.worker.job.ConnectionHealth;
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

/**
 * Manual resync: one immediate job per active connection of the user (or the one asked for), except for
 * connections flagged in {@link ConnectionHealth} as needing a new login: those are reported, not enqueued.
 */
@ApplicationScoped
public class ResyncService {

    private static final Logger LOG = Logger.getLogger(ResyncService.class);

    private final Pool pool;
    private final GatewayConnections connections;
    private final SyncJobQueue queue;
    private final ConnectionHealth health;

    public ResyncService(Pool pool, GatewayConnections connections, SyncJobQueue queue, ConnectionHealth health) {
        this.pool = pool;
        this.connections = connections;
        this.queue = queue;
        this.health = health;
    }

    /**
     * @return the jobs and the flagged connections skipped, or empty when the user has no matching active
     *         connection; {@code jobs} is empty when every match needs a new login
     */
    public Uni<Optional<ResyncReceipt>> resync(UserId user, Optional<ShopDomain> shop, Optional<PageId> page) {
        return pool.withTransaction(conn -> targets(conn, user, shop, page)
                .chain(targets -> targets.isEmpty()
                        ? Uni.createFrom().item(Optional.<ResyncReceipt>empty())
                        : health.flags(conn, targets).chain(flagged -> Multi.createFrom()
                                .iterable(targets.stream().filter(target -> !flagged.containsKey(target)).toList())
                                .onItem().transformToUniAndConcatenate(target ->
                                        queue.enqueue(conn, JobRequest.sync(target, user, JobTrigger.RESYNC)))
                                .collect().asList()
                                .map(jobs -> Optional.of(new ResyncReceipt(jobs, targets.stream()
                                        .filter(flagged::containsKey)
                                        .map(target -> SkippedTarget.of(flagged.get(target))).toList()))))))
                .invoke(receipt -> LOG.debugf("resync for %s: %s", user, receipt.map(r -> r.jobs().size() + " jobs, "
                        + r.skipped().size() + " skipped").orElse("nothing to resync")));
    }

    private Uni<List<JobTarget>> targets(SqlConnection conn, UserId user, Optional<ShopDomain> shop, Optional<PageId> page) {
        boolean everything = shop.isEmpty() && page.isEmpty();
        return connections.shopsOf(conn, user).chain(shops -> connections.pagesOf(conn, user).map(pages -> {
            List<JobTarget> targets = new ArrayList<>();
            shops.stream().filter(c -> c.active() && (everything || shop.filter(c.shop()::equals).isPresent()))
                    .forEach(c -> targets.add(JobTarget.shop(c.shop())));
            pages.stream().filter(c -> c.active() && (everything || page.filter(c.page()::equals).isPresent()))
                    .forEach(c -> targets.add(JobTarget.page(c.page())));
            return targets;
        }));
    }
}
