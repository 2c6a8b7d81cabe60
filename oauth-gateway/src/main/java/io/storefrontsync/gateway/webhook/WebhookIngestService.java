package io.storefrontsync.gateway.webhook;

import io.storefrontsync.common.event.EventKind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.shopify.ShopifyConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Stores a verified Shopify webhook: the de-duplication receipt and the outbox event in one
 * transaction, so an event is either fully accepted or not at all (the caller then answers 5xx and
 * Shopify retries).
 * <p>
 * A change topic (products/update and every other topic that only asks for a sync), nearly all of
 * the traffic, is one SQL statement: it looks up the shop's active connection, records the receipt
 * and writes the outbox row with the connection's user id, in one round trip and one implicit
 * transaction, with no ORM session. Lifecycle topics (app/uninstalled, shop/redact) change the
 * connection and the customer compliance topics only record a receipt: those take the entity path
 * in a Hibernate Reactive transaction.
 */
@ApplicationScoped
public class WebhookIngestService {

    private static final Logger LOG = Logger.getLogger(WebhookIngestService.class);

    /**
     * $1 shop, $2 dedupe key, $3 topic, $4 event id, $5 the event without its user id. Data-modifying
     * CTEs run once and to completion: the receipt only when the shop is active, the outbox row only
     * when the receipt is new. A concurrent twin waits on the receipt's key and then inserts nothing.
     */
    private static final String STORE_CHANGE = """
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

    private final Outbox outbox;
    private final WebhookReceipts receipts;
    private final Pool pool;

    public WebhookIngestService(Outbox outbox, WebhookReceipts receipts, Pool pool) {
        this.outbox = outbox;
        this.receipts = receipts;
        this.pool = pool;
    }

    public Uni<IngestOutcome> ingest(ShopifyWebhook webhook) {
        EventKind kind = webhook.kind();
        if (kind.isCustomerCompliance()) {
            // The app stores no customer data: recording the request is all there is to do.
            return Panache.withTransaction(() -> recordReceipt(webhook)
                    .map(fresh -> fresh ? IngestOutcome.RECORDED : IngestOutcome.DUPLICATE));
        }
        if (kind == EventKind.SHOP_REDACT || kind == EventKind.SHOP_UNINSTALLED) {
            return Panache.withTransaction(() -> ShopifyConnection.<ShopifyConnection>findById(webhook.shop().value())
                    .chain(connection -> kind == EventKind.SHOP_REDACT
                            ? redactShop(webhook, connection)
                            : uninstall(webhook, connection)));
        }
        return storeChange(webhook);
    }

    private Uni<IngestOutcome> storeChange(ShopifyWebhook webhook) {
        String payload = outbox.toJson(event(webhook, null).validate());
        Tuple params = Tuple.of(webhook.shop().value(), webhook.dedupeKey(), webhook.topic(), webhook.deliveryId(), payload);
        return pool.preparedQuery(STORE_CHANGE).execute(params).map(rows -> {
            Row row = rows.iterator().next();
            if (!row.getBoolean("connected")) {
                LOG.infof("webhook %s for %s ignored: no active connection (delivery %s)",
                        webhook.topic(), webhook.shop(), webhook.deliveryId());
                return IngestOutcome.IGNORED;
            }
            return row.getBoolean("stored") ? IngestOutcome.STORED : IngestOutcome.DUPLICATE;
        });
    }

    /**
     * app/uninstalled: the tokens go and syncing stops; the row (and the user's uuid) stays for a reinstall.
     * Whatever the status: a shop that must reinstall still holds tokens and may have jobs queued, and the
     * event tells the worker to cancel them.
     */
    private Uni<IngestOutcome> uninstall(ShopifyWebhook webhook, ShopifyConnection connection) {
        if (connection == null || connection.isUninstalled()) {
            LOG.infof("webhook %s for %s ignored: no active connection (delivery %s)",
                    webhook.topic(), webhook.shop(), webhook.deliveryId());
            return Uni.createFrom().item(IngestOutcome.IGNORED);
        }
        return recordReceipt(webhook).chain(fresh -> {
            if (!fresh) {
                return Uni.createFrom().item(IngestOutcome.DUPLICATE);
            }
            connection.markUninstalled(OffsetDateTime.now(ZoneOffset.UTC));
            LOG.infof("%s uninstalled the app: tokens deleted, syncing stops", webhook.shop());
            return outbox.enqueue(event(webhook, connection)).replaceWith(IngestOutcome.STORED);
        });
    }

    /**
     * 48 h after an uninstall Shopify asks to erase the shop: its rows here, its objects via the worker.
     * An active connection is never erased: Shopify sends shop/redact only for a shop that uninstalled, so
     * an active one reinstalled since (or the request is not what it claims); it is recorded and ignored.
     */
    private Uni<IngestOutcome> redactShop(ShopifyWebhook webhook, ShopifyConnection connection) {
        return recordReceipt(webhook).chain(fresh -> {
            if (!fresh) {
                return Uni.createFrom().item(IngestOutcome.DUPLICATE);
            }
            if (connection == null) {
                LOG.infof("shop/redact for %s: nothing stored for this shop", webhook.shop());
                return Uni.createFrom().item(IngestOutcome.RECORDED);
            }
            if (connection.isActive()) {
                LOG.warnf("shop/redact for %s ignored: the shop is installed (delivery %s)",
                        webhook.shop(), webhook.deliveryId());
                return Uni.createFrom().item(IngestOutcome.RECORDED);
            }
            ChangeEvent event = event(webhook, connection);
            LOG.infof("shop/redact for %s: connection deleted, objects to be deleted by the worker", webhook.shop());
            return connection.delete()
                    .chain(() -> deleteStates(webhook))
                    .chain(() -> outbox.enqueue(event))
                    .replaceWith(IngestOutcome.STORED);
        });
    }

    /** True when this delivery id was not seen before; a concurrent twin waits on the key and gets false. */
    private Uni<Boolean> recordReceipt(ShopifyWebhook webhook) {
        return receipts.recordFirst(webhook.dedupeKey(), "shopify", webhook.topic());
    }

    private Uni<Void> deleteStates(ShopifyWebhook webhook) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("DELETE FROM gateway.oauth_states WHERE shop = :shop")
                        .setParameter("shop", webhook.shop().value())
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Without a connection: no user id (the single-statement path adds it from the connection row). */
    private ChangeEvent event(ShopifyWebhook webhook, ShopifyConnection connection) {
        return ChangeEvent.shopify(webhook.deliveryId(), webhook.topic(), webhook.shop(),
                connection == null ? null : new UserId(connection.userId),
                webhook.body().adminGraphqlApiId(), // e.g. a product GID, so the worker can patch one resource
                webhook.triggeredAt(), Instant.now());
    }
}
