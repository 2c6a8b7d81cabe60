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
     * $1 batch size, $2 lease seconds: due rows oldest first, invisible to other publishers for the lease. Read
     * through {@code outbox_undelivered_idx} (V5) in id order; it changes no indexed column, so it is a HOT update.
     */
    static final String CLAIM = """
            UPDATE gateway.outbox SET attempts = attempts + 1,
                   next_attempt_at = now() + make_interval(secs => $2)
             WHERE id IN (SELECT id FROM gateway.outbox
                           WHERE delivered_at IS NULL AND next_attempt_at <= now()
                           ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING id, payload::text AS payload""";
    private static final String DELIVERED = """
            UPDATE gateway.outbox SET delivered_at = now(), last_error = NULL WHERE id = ANY($1)""";
    private static final String ASYNC_COMMIT = "SET LOCAL synchronous_commit = off";
    // Equal jitter: half the exponential delay fixed, half random, so retries of many rows spread out.
    private static final String FAILED = """
            UPDATE gateway.outbox SET last_error = $2,
                   next_attempt_at = now() + make_interval(secs =>
                       least($4, $3 * power(2, least(attempts - 1, 30))) * (0.5 + random() * 0.5))
             WHERE id = ANY($1)""";
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

    /** A claimed row: its id (to mark it delivered or failed) and its event. */
    public record Claimed(long id, ChangeEvent event) {
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
     * Claims up to {@code limit} due rows, oldest first, leased for {@code lease}: locked with
     * {@code FOR UPDATE SKIP LOCKED}, so several gateway instances never send one row at the same time, and a
     * crashed instance's rows come back once the lease is over.
     */
    public Uni<List<Claimed>> claim(SqlClient client, int limit, Duration lease) {
        return client.preparedQuery(CLAIM).execute(Tuple.of((long) limit, seconds(lease))).map(rows -> {
            List<Claimed> claimed = new ArrayList<>(rows.size());
            for (Row row : rows) {
                claimed.add(new Claimed(row.getLong("id"), fromJson(row.getString("payload"))));
            }
            return claimed;
        });
    }

    /**
     * Claims like {@link #claim} on {@code conn}, which must be inside a transaction of its own, and lets that
     * transaction commit without waiting for its WAL flush ({@code SET LOCAL synchronous_commit = off}). The claim is
     * the publisher's bookkeeping, not the events: a claim lost in a database crash leaves the rows as they were
     * (undelivered, due), so they are claimed and delivered again, and the worker takes each event id once. Other
     * instances see the lease as soon as it commits, flushed or not.
     */
    public Uni<List<Claimed>> claimWithoutWaitingForTheFlush(SqlConnection conn, int limit, Duration lease) {
        return conn.query(ASYNC_COMMIT).execute().chain(() -> claim(conn, limit, lease));
    }

    /**
     * Marks the rows delivered on {@code conn}, which must be inside a transaction: the transaction commits without
     * waiting for its WAL flush ({@code SET LOCAL synchronous_commit = off}, this transaction only). A mark lost in
     * a crash only means the rows are delivered again after their lease, and the worker takes each event id once.
     */
    public Uni<Void> markDelivered(SqlConnection conn, Long[] ids) {
        return conn.query(ASYNC_COMMIT).execute()
                .chain(() -> conn.preparedQuery(DELIVERED).execute(Tuple.tuple().addArrayOfLong(ids)))
                .replaceWithVoid();
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

    private ChangeEvent fromJson(String payload) {
        try {
            return mapper.readValue(payload, ChangeEvent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outbox payload is not a ChangeEvent", e);
        }
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
