package io.storefrontsync.gateway.webhook;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.event.EventKind;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.oauth.OAuthStates;
import io.storefrontsync.gateway.shopify.ShopifyConnection;
import io.storefrontsync.gateway.shopify.ShopifyConnections;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Stores a verified Shopify webhook: the de-duplication receipt and the outbox event in one
 * transaction, so an event is either fully accepted or not at all (the caller then answers 5xx and
 * Shopify retries).
 * <p>
 * A change topic (products/update and every other topic that only asks for a sync), nearly all of
 * the traffic, goes to the {@link IngestBatcher}: with the other changes arriving about then, one statement
 * ({@link WebhookReceipts#recordChanges}) looks up the shop's active connection, records the receipt and writes
 * the outbox row with the connection's user id, and one commit makes them durable. Lifecycle topics (app/uninstalled, shop/redact) change the
 * connection, and the customer compliance topics only record a receipt: those take a transaction
 * ({@code pool.withTransaction}) on whose connection each repository's statement runs.
 */
@ApplicationScoped
public class WebhookIngestService {

    private static final Logger LOG = Logger.getLogger(WebhookIngestService.class);
    private static final String SOURCE = "shopify";

    private final Pool pool;
    private final ShopifyConnections connections;
    private final WebhookReceipts receipts;
    private final Outbox outbox;
    private final OAuthStates states;
    private final IngestBatcher batcher;

    public WebhookIngestService(Pool pool, ShopifyConnections connections, WebhookReceipts receipts, Outbox outbox,
                                OAuthStates states, IngestBatcher batcher) {
        this.pool = pool;
        this.batcher = batcher;
        this.connections = connections;
        this.receipts = receipts;
        this.outbox = outbox;
        this.states = states;
    }

    public Uni<IngestOutcome> ingest(ShopifyWebhook webhook) {
        EventKind kind = webhook.kind();
        if (kind.isCustomerCompliance()) {
            // The app stores no customer data: recording the request is all there is to do.
            return pool.withTransaction(conn -> recordReceipt(conn, webhook)
                    .map(fresh -> fresh ? IngestOutcome.RECORDED : IngestOutcome.DUPLICATE));
        }
        if (kind == EventKind.SHOP_REDACT || kind == EventKind.SHOP_UNINSTALLED) {
            return pool.withTransaction(conn -> connections.find(conn, webhook.shop())
                    .chain(found -> kind == EventKind.SHOP_REDACT
                            ? redactShop(conn, webhook, found.orElse(null))
                            : uninstall(conn, webhook, found.orElse(null))));
        }
        return storeChange(webhook);
    }

    private Uni<IngestOutcome> storeChange(ShopifyWebhook webhook) {
        WebhookReceipts.Change change = receipts.change(SOURCE, webhook.shop().value(), webhook.dedupeKey(),
                webhook.topic(), event(webhook, null));
        return batcher.submit(List.of(change))
                .map(results -> results.get(0))
                .map(recorded -> {
                    if (!recorded.connected()) {
                        LOG.infof("webhook %s for %s ignored: no active connection (delivery %s)",
                                webhook.topic(), webhook.shop(), webhook.deliveryId());
                        return IngestOutcome.IGNORED;
                    }
                    return recorded.stored() ? IngestOutcome.STORED : IngestOutcome.DUPLICATE;
                });
    }

    /**
     * app/uninstalled: the tokens go and syncing stops; the row (and the user's uuid) stays for a reinstall.
     * Whatever the status: a shop that must reinstall still holds tokens and may have jobs queued, and the
     * event tells the worker to cancel them.
     */
    private Uni<IngestOutcome> uninstall(SqlConnection conn, ShopifyWebhook webhook, ShopifyConnection connection) {
        if (connection == null || connection.isUninstalled()) {
            LOG.infof("webhook %s for %s ignored: no active connection (delivery %s)",
                    webhook.topic(), webhook.shop(), webhook.deliveryId());
            return Uni.createFrom().item(IngestOutcome.IGNORED);
        }
        return recordReceipt(conn, webhook).chain(fresh -> {
            if (!fresh) {
                return Uni.createFrom().item(IngestOutcome.DUPLICATE);
            }
            LOG.infof("%s uninstalled the app: tokens deleted, syncing stops", webhook.shop());
            return connections.markUninstalled(conn, webhook.shop(), OffsetDateTime.now(ZoneOffset.UTC))
                    .chain(() -> outbox.enqueue(conn, event(webhook, connection)))
                    .replaceWith(IngestOutcome.STORED);
        });
    }

    /**
     * 48 h after an uninstall Shopify asks to erase the shop: its rows here, its objects via the worker.
     * An active connection is never erased: Shopify sends shop/redact only for a shop that uninstalled, so
     * an active one reinstalled since (or the request is not what it claims); it is recorded and ignored.
     */
    private Uni<IngestOutcome> redactShop(SqlConnection conn, ShopifyWebhook webhook, ShopifyConnection connection) {
        return recordReceipt(conn, webhook).chain(fresh -> {
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
            return connections.delete(conn, webhook.shop())
                    .chain(() -> states.deleteOfShop(conn, webhook.shop()))
                    .chain(() -> outbox.enqueue(conn, event))
                    .replaceWith(IngestOutcome.STORED);
        });
    }

    /** True when this delivery id was not seen before; a concurrent twin waits on the key and gets false. */
    private Uni<Boolean> recordReceipt(SqlConnection conn, ShopifyWebhook webhook) {
        return receipts.recordFirst(conn, webhook.dedupeKey(), SOURCE, webhook.topic());
    }

    /** Without a connection: no user id (the single-statement path adds it from the connection row). */
    private ChangeEvent event(ShopifyWebhook webhook, ShopifyConnection connection) {
        return ChangeEvent.shopify(webhook.deliveryId(), webhook.topic(), webhook.shop(),
                connection == null ? null : new UserId(connection.userId()),
                // e.g. a product GID and its updated_at, so the worker can patch that product in order
                webhook.body().resourceId(webhook.topic()),
                webhook.body().occurredAt(webhook.topic(), webhook.triggeredAt()), Instant.now());
    }
}
