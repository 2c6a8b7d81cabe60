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
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The safety net: once a day every active shop and page gets a full sync, even if webhooks were lost, spread
 * over the UTC day: each target is polled in its own 15-minute slot ({@link PollSlots}, a stable hash of its id),
 * so 2,000 shops make about 21 syncs every quarter of an hour instead of 2,000 at midnight. Every instance fires
 * the tick ({@code SYNC_DAILY_CRON}, every 15 minutes); a slot's row in {@code poll_slots}, inserted in the same
 * transaction as its jobs, lets exactly one instance enqueue it. A tick also takes the slots missed since the last
 * claimed one (within 24 hours), so downtime delays a poll but does not skip it.
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
    Uni<Void> pollDueSlots() {
        return enqueueDueSlots(Instant.now()).replaceWithVoid();
    }

    /** @return the jobs of the slots due at {@code now} that no instance had claimed yet (none: empty list) */
    public Uni<List<EnqueuedJob>> enqueueDueSlots(Instant now) {
        return pool.withTransaction(conn -> conn.query(
                                "SELECT max(day + slot * interval '15 minutes') AS last FROM worker.poll_slots")
                        .execute()
                        .map(rows -> Optional.ofNullable(rows.iterator().next().getLocalDateTime("last"))
                                .map(last -> last.toInstant(ZoneOffset.UTC)))
                        .chain(last -> claimAndEnqueue(conn, PollSlots.due(last, now))))
                .map(jobs -> jobs.orElse(List.of()));
    }

    /**
     * Polls every slot of {@code day} not claimed yet, at once: the whole fleet (an operator's or a test's poll of
     * one day).
     *
     * @return the poll jobs, or empty when every slot of {@code day} was already polled (by this or another instance)
     */
    public Uni<Optional<List<EnqueuedJob>>> enqueueDailyPoll(LocalDate day) {
        return pool.withTransaction(conn -> claimAndEnqueue(conn, PollSlots.allOf(day)));
    }

    private Uni<Optional<List<EnqueuedJob>>> claimAndEnqueue(SqlConnection conn, List<PollSlots.Slot> slots) {
        if (slots.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        LocalDate[] days = slots.stream().map(PollSlots.Slot::day).toArray(LocalDate[]::new);
        Integer[] numbers = slots.stream().map(PollSlots.Slot::number).toArray(Integer[]::new);
        return conn.preparedQuery("""
                        INSERT INTO worker.poll_slots (day, slot, instance)
                        SELECT d, s, $3 FROM unnest($1::date[], $2::int[]) AS t(d, s)
                        ON CONFLICT (day, slot) DO NOTHING
                        RETURNING day, slot""")
                .execute(Tuple.of(days, numbers, queue.workerId()))
                .chain(rows -> {
                    List<PollSlots.Slot> claimed = new ArrayList<>();
                    for (Row row : rows) {
                        claimed.add(new PollSlots.Slot(row.getLocalDate("day"), row.getInteger("slot")));
                    }
                    if (claimed.isEmpty()) {
                        LOG.debugf("poll slots %s: already done", slots);
                        return Uni.createFrom().item(Optional.<List<EnqueuedJob>>empty());
                    }
                    return enqueueSlots(conn, claimed).map(Optional::of);
                });
    }

    /** Enqueues the targets whose slot number is among {@code claimed}; records each slot's job count. */
    private Uni<List<EnqueuedJob>> enqueueSlots(SqlConnection conn, List<PollSlots.Slot> claimed) {
        Set<Integer> numbers = new TreeSet<>();
        claimed.forEach(slot -> numbers.add(slot.number()));
        return enqueueAll(conn, numbers).chain(jobs -> {
            Map<Integer, Integer> perSlot = new HashMap<>();
            jobs.forEach(job -> perSlot.merge(PollSlots.slotOf(job.target().id()), 1, Integer::sum));
            List<Tuple> counts = claimed.stream()
                    .map(slot -> Tuple.of(slot.day(), slot.number(), perSlot.getOrDefault(slot.number(), 0)))
                    .toList();
            return conn.preparedQuery("UPDATE worker.poll_slots SET jobs_enqueued = $3 WHERE day = $1 AND slot = $2")
                    .executeBatch(counts)
                    .invoke(() -> LOG.infof("daily poll: %d slots from %s %s (%d targets) claimed, %d jobs enqueued",
                            claimed.size(), claimed.get(0).day(), LocalDateTime.ofInstant(claimed.get(0).start(),
                                    ZoneOffset.UTC).toLocalTime(), numbers.size(), jobs.size()))
                    .replaceWith(jobs);
        });
    }

    private Uni<List<EnqueuedJob>> enqueueAll(SqlConnection conn, Set<Integer> slots) {
        return connections.activeShops(conn).chain(shops -> connections.activePages(conn).map(pages -> {
                    List<JobRequest> requests = new ArrayList<>();
                    shops.forEach(c -> requests.add(JobRequest.sync(JobTarget.shop(c.shop()), c.userId(), JobTrigger.POLL)));
                    pages.forEach(c -> requests.add(JobRequest.sync(JobTarget.page(c.page()), c.userId(), JobTrigger.POLL)));
                    return requests.stream().filter(r -> slots.contains(PollSlots.slotOf(r.target().id()))).toList();
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
