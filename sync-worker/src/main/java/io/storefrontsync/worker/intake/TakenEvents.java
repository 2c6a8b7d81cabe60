package io.storefrontsync.worker.intake;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.event.ChangeEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code worker.intake_events}: the ids of the events the intake took recently, so that an event delivered again
 * (the gateway's delivered mark lost in a crash, or a delivery stored here that the gateway saw time out) is taken
 * once. One statement per delivery, in the batch's transaction: a batch that was not stored leaves no id behind.
 * Rows are kept for {@code storefront.intake.taken-events-retention}, longer than the gateway's lease and backoff.
 */
@ApplicationScoped
public class TakenEvents {

    private static final Logger LOG = Logger.getLogger(TakenEvents.class);
    private static final String TAKE = """
            INSERT INTO worker.intake_events (event_id) SELECT unnest($1::text[])
            ON CONFLICT (event_id) DO NOTHING RETURNING event_id""";
    private static final String PURGE =
            "DELETE FROM worker.intake_events WHERE taken_at < now() - make_interval(secs => $1)";

    private final Pool pool;
    private final Duration retention;

    public TakenEvents(Pool pool,
                       @ConfigProperty(name = "storefront.intake.taken-events-retention", defaultValue = "1h")
                       Duration retention) {
        this.pool = pool;
        this.retention = retention;
    }

    /**
     * Records the events' ids on the caller's transaction.
     *
     * @return the ids taken now for the first time (an id seen before, or twice in this batch, is taken once)
     */
    public Uni<Set<String>> takeFirst(SqlClient client, List<ChangeEvent> events) {
        String[] ids = events.stream().map(ChangeEvent::eventId).toArray(String[]::new);
        return client.preparedQuery(TAKE).execute(Tuple.of(ids)).map(rows -> {
            Set<String> fresh = new HashSet<>();
            rows.forEach(row -> fresh.add(row.getString("event_id")));
            return fresh;
        });
    }

    @Scheduled(identity = "intake-events-purge", every = "5m", delayed = "60s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledPurge() {
        return purge().invoke(count -> LOG.debugf("purged %d taken event ids", count)).replaceWithVoid();
    }

    /** @return the ids older than the retention that were deleted */
    public Uni<Integer> purge() {
        return pool.preparedQuery(PURGE).execute(Tuple.of((double) retention.toSeconds())).map(RowSet::rowCount);
    }
}
