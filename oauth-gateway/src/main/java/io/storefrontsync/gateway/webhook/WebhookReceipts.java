package io.storefrontsync.gateway.webhook;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.event.ChangeEvent;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * {@code gateway.webhook_receipts}: the de-duplication log of webhook deliveries, shared by every source. A key is
 * accepted once, and a redelivery (or a concurrent twin, which waits on the primary key) is told it is a duplicate.
 * Purged after {@code gateway.webhook.receipt-retention} by {@link RetentionJobs}. The only class with SQL on this
 * table.
 */
@ApplicationScoped
public class WebhookReceipts {

    private static final String RECORD_FIRST = """
            INSERT INTO gateway.webhook_receipts (dedupe_key, source, topic)
            VALUES ($1, $2, $3) ON CONFLICT (dedupe_key) DO NOTHING""";

    /**
     * $1 shop, $2 dedupe key, $3 topic, $4 event id, $5 the event without its user id. Data-modifying CTEs run once
     * and to completion: the receipt only when the shop is active, the outbox row only when the receipt is new. A
     * concurrent twin waits on the receipt's key and then inserts nothing. The one statement of the gateway that
     * spans tables: it reads {@code gateway.shopify_connections} and writes the {@code gateway.outbox} row that
     * {@link Outbox} would, because this is nearly all of the traffic and it takes one round trip.
     */
    private static final String RECORD_SHOPIFY_CHANGE = """
            WITH connection AS (
                SELECT user_id FROM gateway.shopify_connections WHERE shop = $1 AND status = 'active'
            ), receipt AS (
                INSERT INTO gateway.webhook_receipts (dedupe_key, source, topic)
                SELECT $2, 'shopify', $3 FROM connection
                ON CONFLICT (dedupe_key) DO NOTHING
                RETURNING dedupe_key
            ), event AS (
                INSERT INTO gateway.outbox (event_id, payload)
                SELECT $4, jsonb_set(CAST($5::text AS jsonb), '{userId}', to_jsonb(connection.user_id::text))
                  FROM connection, receipt
                RETURNING id
            )
            SELECT EXISTS (SELECT 1 FROM connection) AS connected, EXISTS (SELECT 1 FROM event) AS stored""";

    private static final String PURGE = "DELETE FROM gateway.webhook_receipts WHERE received_at < now() - make_interval(secs => $1)";

    /** What {@link #recordShopifyChange} did: whether the shop has an active connection, whether the event was stored. */
    public record ChangeRecorded(boolean connected, boolean stored) {
    }

    private final Outbox outbox;

    public WebhookReceipts(Outbox outbox) {
        this.outbox = outbox;
    }

    /** True when this key was not seen before. Run it on the transaction that stores the event. */
    public Uni<Boolean> recordFirst(SqlClient client, String dedupeKey, String source, String topic) {
        return client.preparedQuery(RECORD_FIRST).execute(Tuple.of(dedupeKey, source, topic))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * A Shopify change topic in one statement, its own transaction: looks up the shop's active connection, records
     * the receipt and writes the outbox row with the connection's user id. {@code event} carries no user id; the
     * statement adds the connection's.
     */
    public Uni<ChangeRecorded> recordShopifyChange(SqlClient client, String shop, String dedupeKey, String topic,
                                                   ChangeEvent event) {
        Tuple params = Tuple.of(shop, dedupeKey, topic, event.eventId(), outbox.toJson(event.validate()));
        return client.preparedQuery(RECORD_SHOPIFY_CHANGE).execute(params).map(rows -> {
            Row row = rows.iterator().next();
            return new ChangeRecorded(row.getBoolean("connected"), row.getBoolean("stored"));
        });
    }

    /** @return the receipts older than {@code retention} that were deleted */
    public Uni<Integer> purgeOlderThan(SqlClient client, Duration retention) {
        return client.preparedQuery(PURGE).execute(Tuple.of((double) retention.toSeconds())).map(RowSet::rowCount);
    }
}
