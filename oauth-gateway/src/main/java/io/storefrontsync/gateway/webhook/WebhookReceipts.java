package io.storefrontsync.gateway.webhook;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.event.ChangeEvent;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
     * One statement for a whole batch of changes ({@link IngestBatcher}), so the batch is one implicit transaction
     * and one commit. The arrays are, per change: $1 source ({@code shopify} or {@code facebook}), $2 owner (the
     * shop, or the Page id), $3 dedupe key, $4 topic, $5 event id, $6 the event without its user id.
     * <ul>
     * <li>{@code owned}: each change with its owner's user when the shop's connection (or the Page) is active;</li>
     * <li>{@code first}: of the owned changes, the first of each dedupe key, so a twin inside the batch is a
     * duplicate like a twin in another batch;</li>
     * <li>{@code receipt}: those receipts, inserted in key order, so two batches sharing keys (two instances, or a
     * lifecycle webhook's transaction) wait on each other instead of deadlocking; a key another transaction holds is
     * waited for and then skipped;</li>
     * <li>{@code event}: an outbox row for each new receipt, with the owner's user id, in arrival order (the outbox
     * is delivered in id order).</li>
     * </ul>
     * Data-modifying CTEs run once and to completion whether read or not. This is the one statement of the gateway
     * that spans tables: it reads {@code gateway.shopify_connections} and {@code gateway.facebook_pages} and writes
     * the {@code gateway.outbox} rows that {@link Outbox} would, because it is nearly all of the traffic.
     */
    private static final String RECORD_CHANGES = """
            WITH input AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                       WITH ORDINALITY AS i(source, owner, dedupe_key, topic, event_id, payload, ord)
            ), owned AS (
                SELECT i.*, coalesce(c.user_id, p.user_id) AS user_id
                  FROM input i
                  LEFT JOIN gateway.shopify_connections c
                         ON i.source = 'shopify' AND c.shop = i.owner AND c.status = 'active'
                  LEFT JOIN gateway.facebook_pages p
                         ON i.source = 'facebook' AND p.page_id = i.owner AND p.status = 'active'
            ), first AS (
                SELECT DISTINCT ON (dedupe_key) * FROM owned WHERE user_id IS NOT NULL ORDER BY dedupe_key, ord
            ), receipt AS (
                INSERT INTO gateway.webhook_receipts (dedupe_key, source, topic)
                SELECT dedupe_key, source, topic FROM first ORDER BY dedupe_key
                ON CONFLICT (dedupe_key) DO NOTHING
                RETURNING dedupe_key
            ), event AS (
                INSERT INTO gateway.outbox (event_id, payload)
                SELECT f.event_id, jsonb_set(CAST(f.payload AS jsonb), '{userId}', to_jsonb(f.user_id::text))
                  FROM first f JOIN receipt r USING (dedupe_key)
                 ORDER BY f.ord
                RETURNING 1
            )
            SELECT o.ord, o.user_id IS NOT NULL AS connected,
                   EXISTS (SELECT 1 FROM first f JOIN receipt r USING (dedupe_key) WHERE f.ord = o.ord) AS stored
              FROM owned o ORDER BY o.ord""";

    private static final String PURGE = "DELETE FROM gateway.webhook_receipts WHERE received_at < now() - make_interval(secs => $1)";

    /**
     * A change to store: its source ({@code shopify} or {@code facebook}), owner (the shop or the Page id), dedupe
     * key, topic, and the outbox event as JSON without its user id (the statement adds the owner's). Made by
     * {@link #change}.
     */
    public record Change(String source, String owner, String dedupeKey, String topic, String eventId, String payload) {
    }

    /** What {@link #recordChanges} did with one change: whether its owner is active, whether the event was stored. */
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

    /** A change for {@link #recordChanges}; {@code event} carries no user id, the statement adds the owner's. */
    public Change change(String source, String owner, String dedupeKey, String topic, ChangeEvent event) {
        return new Change(source, owner, dedupeKey, topic, event.eventId(), outbox.toJson(event.validate()));
    }

    /**
     * Records a batch of changes in one statement, its own transaction (see {@code RECORD_CHANGES}): one result per
     * change, in order. Called by {@link IngestBatcher}, which answers each request once this has committed.
     */
    public Uni<List<ChangeRecorded>> recordChanges(SqlClient client, List<Change> changes) {
        int n = changes.size();
        String[] sources = new String[n];
        String[] owners = new String[n];
        String[] keys = new String[n];
        String[] topics = new String[n];
        String[] eventIds = new String[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            Change change = changes.get(i);
            sources[i] = change.source();
            owners[i] = change.owner();
            keys[i] = change.dedupeKey();
            topics[i] = change.topic();
            eventIds[i] = change.eventId();
            payloads[i] = change.payload();
        }
        Tuple params = Tuple.tuple().addArrayOfString(sources).addArrayOfString(owners).addArrayOfString(keys)
                .addArrayOfString(topics).addArrayOfString(eventIds).addArrayOfString(payloads);
        return client.preparedQuery(RECORD_CHANGES).execute(params).map(rows -> {
            List<ChangeRecorded> recorded = new ArrayList<>(n);
            for (Row row : rows) {
                recorded.add(new ChangeRecorded(row.getBoolean("connected"), row.getBoolean("stored")));
            }
            if (recorded.size() != n) {
                throw new IllegalStateException("the batch statement answered " + recorded.size() + " rows for " + n);
            }
            return recorded;
        });
    }

    /** @return the receipts older than {@code retention} that were deleted */
    public Uni<Integer> purgeOlderThan(SqlClient client, Duration retention) {
        return client.preparedQuery(PURGE).execute(Tuple.of((double) retention.toSeconds())).map(RowSet::rowCount);
    }
}
