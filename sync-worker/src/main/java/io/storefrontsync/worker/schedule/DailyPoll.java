package io.storefrontsync.worker.schedule;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.worker.connection.GatewayConnections;
import io.storefrontsync.worker.job.ConnectionHealth;
import io.storefrontsync.worker.job.EnqueuedJob;
import io.storefrontsync.worker.job.JobRequest;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.JobTrigger;
import io.storefrontsync.worker.job.SyncJobQueue;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The safety net: once a day every active shop and page gets a full sync, even if webhooks were
 * lost. Every instance fires the cron; only the one whose row in {@code poll_runs} for that UTC day
 * is new enqueues, in the same transaction, so the day is polled exactly once across instances.
 * Connections flagged in {@link ConnectionHealth} (the merchant must log in again) are left out: their
 * job could only die again; the login's {@code page/connected} event clears the flag and syncs.
 */
@ApplicationScoped
public class DailyPoll {

    private static final Logger LOG = Logger.getLogger(DailyPoll.class);

    private final Pool pool;
    private final GatewayConnections connections;
    private final SyncJobQueue queue;
    private final ConnectionHealth health;

    public DailyPoll(Pool pool, GatewayConnections connections, SyncJobQueue queue, ConnectionHealth health) {
        this.pool = pool;
        this.connections = connections;
        this.queue = queue;
        this.health = health;
    }

    @Scheduled(identity = "daily-poll", cron = "{storefront.sync.daily-cron}", timeZone = "UTC",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> pollToday() {
        return enqueueDailyPoll(LocalDate.now(ZoneOffset.UTC)).replaceWithVoid();
    }

    /** @return the poll jobs, or empty when another run (this or another instance) already polled {@code day} */
    public Uni<Optional<List<EnqueuedJob>>> enqueueDailyPoll(LocalDate day) {
        return pool.withTransaction(conn -> conn.preparedQuery(
                                "INSERT INTO worker.poll_runs (day, instance) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING")
                        .execute(Tuple.of(day, queue.workerId()))
                        .chain(rows -> rows.rowCount() == 0
                                ? Uni.createFrom().item(Optional.<List<EnqueuedJob>>empty())
                                : enqueueAll(conn).chain(jobs -> conn.preparedQuery(
                                                "UPDATE worker.poll_runs SET jobs_enqueued = $2 WHERE day = $1")
                                        .execute(Tuple.of(day, jobs.size()))
                                        .replaceWith(Optional.of(jobs)))))
                .invoke(jobs -> LOG.infof("daily poll %s: %s", day,
                        jobs.map(list -> list.size() + " jobs enqueued").orElse("already done")));
    }

    private Uni<List<EnqueuedJob>> enqueueAll(SqlConnection conn) {
        return connections.activeShops(conn).chain(shops -> connections.activePages(conn).map(pages -> {
                    List<JobRequest> requests = new ArrayList<>();
                    shops.forEach(c -> requests.add(JobRequest.sync(JobTarget.shop(c.shop()), c.userId(), JobTrigger.POLL)));
                    pages.forEach(c -> requests.add(JobRequest.sync(JobTarget.page(c.page()), c.userId(), JobTrigger.POLL)));
                    return requests;
                }))
                .chain(requests -> health.flags(conn, requests.stream().map(JobRequest::target).toList())
                        .map(flagged -> {
                            if (!flagged.isEmpty()) {
                                LOG.infof("daily poll: %d connections skipped, they need the merchant to log in again: %s",
                                        flagged.size(), flagged.keySet());
                            }
                            return requests.stream().filter(r -> !flagged.containsKey(r.target())).toList();
                        }))
                .chain(requests -> Multi.createFrom().iterable(requests)
                        .onItem().transformToUniAndConcatenate(request -> queue.enqueue(conn, request))
                        .collect().asList());
    }
}
