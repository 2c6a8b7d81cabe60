package io.storefrontsync.gateway.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code gateway.outbox}: change events waiting for the worker. The only class with SQL on this table, except the
 * batch statement of {@link WebhookReceipts#recordChanges}, which inserts its rows in the same
 * round trip as the receipt.
 *
 * <p>An event is written inside the caller's transaction (pass its connection), so it is stored exactly when the
 * state change that caused it commits; {@link OutboxPublisher} delivers it. Rows are delivered in {@code id}
 * order, which is the order they were enqueued. Every method takes the client to run on: a {@code SqlConnection}
 * inside {@code pool.withTransaction}, or the {@code Pool} for a statement of its own.
 */
@ApplicationScoped
public class Outbox {

    private static final String ENQUEUE =
            "INSERT INTO gateway.outbox (event_id, payload) VALUES ($1, CAST($2::text AS jsonb))";
    /**
     * $1 batch size, $2 the lowest id to look at: due rows oldest first, locked ({@code FOR UPDATE SKIP LOCKED}: other
     * publishers skip them) and marked delivered in the caller's transaction, which stays open while the worker is
     * called and commits only after its 2xx. Read through {@code outbox_undelivered_idx} (V5) in id order, from $2: the
     * index keeps the entries of delivered rows until VACUUM removes them, so a scan from the start walks over every
     * row delivered since (#17: at saturation this statement was half of PostgreSQL's execution time, 72 µs a row).
     * {@code delivered_at} is the transaction's start, a few milliseconds before the worker's answer.
     */
    static final String TAKE = """
            UPDATE gateway.outbox SET attempts = attempts + 1, delivered_at = now(), last_error = NULL
             WHERE id IN (SELECT id FROM gateway.outbox
                           WHERE delivered_at IS NULL AND next_attempt_at <= now() AND id >= $2
                           ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING id, payload::text AS payload""";
    /**
     * The delivery's transaction: its commit does not wait for the WAL flush, and PostgreSQL ends it (rolling the
     * mark back, so the rows are due again) when it stays idle longer than $1 milliseconds, e.g. a gateway that froze
     * or lost its network while the database still holds the connection.
     */
    private static final String DELIVERY_SETTINGS =
            "SELECT set_config('synchronous_commit', 'off', true), "
            + "set_config('idle_in_transaction_session_timeout', $1, true)";
    // Equal jitter: half the exponential delay fixed, half random, so retries of many rows spread out. The failed
    // delivery's transaction rolled back, so its try is counted here: attempts is the tries before this one. A row
    // delivered after all (a commit that went through while its answer was lost with the connection) is left alone.
    private static final String FAILED = "UPDATE gateway.outbox SET attempts = attempts + 1, last_error = $2, "
            + "next_attempt_at = " + backoffAfter("attempts") + " WHERE id = ANY($1) AND delivered_at IS NULL";
    /**
     * Inside a delivery's transaction: rows the worker refused for their content (a 4xx for a delivery of that row
     * alone) are unmarked and scheduled like a failure; the take already counted the try, so the backoff's exponent
     * is one less than {@link #FAILED}'s. They commit with the rows delivered around them.
     */
    private static final String REFUSED = "UPDATE gateway.outbox SET delivered_at = NULL, last_error = $2, "
            + "next_attempt_at = " + backoffAfter("greatest(attempts - 1, 0)") + " WHERE id = ANY($1) RETURNING event_id";
    private static final String BACKLOG = """
            SELECT count(*) AS pending,
                   coalesce(extract(epoch FROM now() - min(created_at)), 0) AS oldest
              FROM gateway.outbox WHERE delivered_at IS NULL""";
    /** The newest app/installed row of a shop; the literal topic matches the partial index (V4). */
    private static final String LATEST_INSTALL = """
            SELECT created_at, delivered_at, attempts FROM gateway.outbox
             WHERE payload ->> 'topic' = 'app/installed' AND payload ->> 'shop' = $1
             ORDER BY id DESC LIMIT 1""";
    /** The newest page/connected row of a Page; the literal topic matches the partial index (V4). */
    private static final String LATEST_PAGE_CONNECTED = """
            SELECT created_at, delivered_at, attempts FROM gateway.outbox
             WHERE payload ->> 'topic' = 'page/connected' AND payload ->> 'pageId' = $1
             ORDER BY id DESC LIMIT 1""";
    private static final String PURGE_DELIVERED =
            "DELETE FROM gateway.outbox WHERE delivered_at < now() - make_interval(secs => $1)";

    /**
     * When a row whose tries before this one are {@code tries} is due again: {@code $3} (initial backoff, seconds)
     * doubled per try, capped at {@code $4}, with equal jitter. The one formula of {@link #FAILED} and {@link #REFUSED}.
     */
    private static String backoffAfter(String tries) {
        return "now() + make_interval(secs => least($4, $3 * power(2, least(" + tries + ", 30))) * (0.5 + random() * 0.5))";
    }

    /** A row taken for delivery: its id (to record a failure) and its event as stored (JSON, validated when enqueued). */
    public record Taken(long id, String payload) {
    }

    /** Undelivered rows of all instances and the age of the oldest, in seconds. */
    public record Backlog(long pending, long oldestPendingSeconds) {
    }

    /**
     * Where the event asking for a first sync stands: stored at {@code createdAt}, handed to the worker at
     * {@code deliveredAt} ({@code null}: not yet), after {@code attempts} deliveries tried. No error text: it
     * may name internal hosts, and the merchant's page shows this.
     */
    public record Handover(OffsetDateTime createdAt, OffsetDateTime deliveredAt, int attempts) {
    }

    private final ObjectMapper mapper;

    public Outbox(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Stores the event on {@code client}: inside the transaction of the change that caused it. */
    public Uni<Void> enqueue(SqlClient client, ChangeEvent event) {
        return client.preparedQuery(ENQUEUE).execute(Tuple.of(event.eventId(), toJson(event.validate()))).replaceWithVoid();
    }

    /**
     * Takes up to {@code limit} due rows, oldest first, for a delivery on {@code conn}, which must be inside a
     * transaction of its own that stays open until the worker answered: the rows are locked ({@code FOR UPDATE SKIP
     * LOCKED}, so several gateway instances never send one row at the same time) and marked delivered, so the
     * transaction's commit after the worker's 2xx is the mark, and its rollback (a failed delivery, a crashed
     * instance's connection closed, {@code hold} exceeded) leaves them due at once. The commit does not wait for its
     * WAL flush: a mark lost in a database crash only means a redelivery, and the worker takes each event id once.
     *
     * @param fromId the lowest id to look at (0: all); the caller knows that no due row lies below it
     * @param hold the longest the transaction may stay idle in between (PostgreSQL ends it after that)
     */
    public Uni<List<Taken>> take(SqlConnection conn, int limit, long fromId, Duration hold) {
        return conn.preparedQuery(DELIVERY_SETTINGS).execute(Tuple.of(String.valueOf(Math.max(1, hold.toMillis()))))
                .chain(() -> conn.preparedQuery(TAKE).execute(Tuple.of((long) limit, fromId)))
                .map(rows -> {
                    List<Taken> taken = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        taken.add(new Taken(row.getLong("id"), row.getString("payload")));
                    }
                    // RETURNING follows the update's plan, not the subquery's ORDER BY: oldest first again here.
                    taken.sort(Comparator.comparingLong(Taken::id));
                    return taken;
                });
    }

    /**
     * Records the failure and schedules the next attempt: {@code initialBackoff} doubled per attempt, capped at
     * {@code maxBackoff}, with jitter. Never gives up: a row is never dropped.
     */
    public Uni<Void> markFailed(SqlClient client, Long[] ids, String error, Duration initialBackoff, Duration maxBackoff) {
        Tuple params = Tuple.tuple().addArrayOfLong(ids).addString(error)
                .addDouble(seconds(initialBackoff)).addDouble(seconds(maxBackoff));
        return client.preparedQuery(FAILED).execute(params).replaceWithVoid();
    }

    /**
     * Within the delivery's transaction on {@code conn}: the taken rows {@code ids} were refused by the worker for
     * what they carry; they are unmarked and wait {@code initialBackoff} doubled per attempt (capped, with jitter), as
     * a failure does. Never dropped.
     *
     * @return their event ids
     */
    public Uni<List<String>> refused(SqlConnection conn, Long[] ids, String error, Duration initialBackoff,
                                     Duration maxBackoff) {
        Tuple params = Tuple.tuple().addArrayOfLong(ids).addString(error)
                .addDouble(seconds(initialBackoff)).addDouble(seconds(maxBackoff));
        return conn.preparedQuery(REFUSED).execute(params).map(rows -> {
            List<String> eventIds = new ArrayList<>(rows.size());
            rows.forEach(row -> eventIds.add(row.getString("event_id")));
            return eventIds;
        });
    }

    public Uni<Backlog> backlog(SqlClient client) {
        return client.query(BACKLOG).execute().map(rows -> {
            Row row = rows.iterator().next();
            return new Backlog(row.getLong("pending"), row.getNumeric("oldest").longValue());
        });
    }

    /** The newest {@code app/installed} event of {@code shop}; empty once purged (7 days after delivery). */
    public Uni<Optional<Handover>> latestInstall(SqlClient client, ShopDomain shop) {
        return client.preparedQuery(LATEST_INSTALL).execute(Tuple.of(shop.value())).map(Outbox::handover);
    }

    /** The newest {@code page/connected} event of {@code page}; empty once purged (7 days after delivery). */
    public Uni<Optional<Handover>> latestPageConnected(SqlClient client, PageId page) {
        return client.preparedQuery(LATEST_PAGE_CONNECTED).execute(Tuple.of(page.value())).map(Outbox::handover);
    }

    private static Optional<Handover> handover(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new Handover(row.getOffsetDateTime("created_at"), row.getOffsetDateTime("delivered_at"),
                row.getInteger("attempts")));
    }

    /** @return the delivered rows older than {@code retention} that were deleted */
    public Uni<Integer> purgeDelivered(SqlClient client, Duration retention) {
        return client.preparedQuery(PURGE_DELIVERED).execute(Tuple.of((double) retention.toSeconds()))
                .map(RowSet::rowCount);
    }

    /** The outbox row's payload. */
    String toJson(ChangeEvent event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a ChangeEvent always serialises", e);
        }
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
