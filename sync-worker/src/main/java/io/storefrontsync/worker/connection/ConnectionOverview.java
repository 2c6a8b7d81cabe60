package io.storefrontsync.worker.connection;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.job.ConnectionHealth;
import io.storefrontsync.worker.job.JobStore;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.spaces.DocumentRecords;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /connections}: every shop and Page the gateway holds for a user, whatever its status, with what the
 * worker knows of it — its flag ({@link ConnectionHealth}), its jobs' history ({@link JobStore#historyOfUser}) and
 * the Spaces keys it wrote ({@link DocumentRecords#ofUser}). Four reads, each by the user's uuid; the owners keep
 * their SQL.
 */
@ApplicationScoped
public class ConnectionOverview {

    private final Pool pool;
    private final GatewayConnections connections;
    private final ConnectionHealth health;
    private final JobStore jobs;
    private final DocumentRecords documents;

    public ConnectionOverview(Pool pool, GatewayConnections connections, ConnectionHealth health, JobStore jobs,
                              DocumentRecords documents) {
        this.pool = pool;
        this.connections = connections;
        this.health = health;
        this.jobs = jobs;
        this.documents = documents;
    }

    /** The user's shops (by domain), then Pages (by id). */
    public Uni<List<ConnectionView>> of(UserId user) {
        return Uni.combine().all().unis(connections.shopsOf(pool, user), connections.pagesOf(pool, user),
                        jobs.historyOfUser(user), documents.ofUser(user))
                .asTuple()
                .chain(found -> {
                    List<Gateway> rows = new ArrayList<>();
                    found.getItem1().forEach(shop -> rows.add(new Gateway(JobTarget.shop(shop.shop()), shop.status(),
                            SpacesKeys.shopPrefix(user, shop.shop()))));
                    found.getItem2().forEach(page -> rows.add(new Gateway(JobTarget.page(page.page()), page.status(),
                            SpacesKeys.pagePrefix(user, page.page()))));
                    return health.flags(pool, rows.stream().map(Gateway::target).toList())
                            .map(flags -> rows.stream().map(row -> view(row, flags.get(row.target()),
                                    found.getItem3().get(row.target()), found.getItem4())).toList());
                });
    }

    private record Gateway(JobTarget target, String status, String prefix) {
    }

    private static ConnectionView view(Gateway row, ConnectionHealth.Flag flag, JobStore.TargetHistory history,
                                       List<DocumentRecords.Recorded> recorded) {
        List<ConnectionView.Document> docs = recorded.stream()
                .filter(document -> document.key().startsWith(row.prefix()))
                .map(document -> new ConnectionView.Document(document.key(), document.sha256(), document.sizeBytes(),
                        document.writtenAt()))
                .toList();
        boolean errorAfterSuccess = history != null && history.lastError() != null
                && (history.lastSuccess() == null || history.lastErrorAt().isAfter(history.lastSuccess()));
        return new ConnectionView(row.target(), row.status(),
                flag != null, flag == null ? null : flag.reason(), flag == null ? null : flag.since(),
                "needs_reinstall".equals(row.status()),
                history == null ? null : history.lastSuccess(),
                errorAfterSuccess ? history.lastError() : null,
                errorAfterSuccess ? history.lastErrorAt() : null,
                history == null ? null : history.openJob(),
                history == null ? null : history.openStatus(),
                docs);
    }
}
