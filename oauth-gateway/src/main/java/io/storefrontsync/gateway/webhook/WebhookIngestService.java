package io.storefrontsync.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.shopify.ShopifyConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Stores a verified Shopify webhook: the de-duplication receipt and the outbox event in one
 * transaction, so an event is either fully accepted or not at all (the caller then answers 5xx and
 * Shopify retries). Lifecycle topics change the connection in the same transaction.
 */
@ApplicationScoped
public class WebhookIngestService {

    private static final Logger LOG = Logger.getLogger(WebhookIngestService.class);
    private static final int MAX_RESOURCE_ID = 256;

    private final Outbox outbox;
    private final WebhookReceipts receipts;
    private final ObjectMapper mapper;

    public WebhookIngestService(Outbox outbox, WebhookReceipts receipts, ObjectMapper mapper) {
        this.outbox = outbox;
        this.receipts = receipts;
        this.mapper = mapper;
    }

    @WithTransaction
    public Uni<IngestOutcome> ingest(ShopifyWebhook webhook) {
        if (webhook.isCustomerCompliance()) {
            // The app stores no customer data: recording the request is all there is to do.
            return recordReceipt(webhook).map(fresh -> fresh ? IngestOutcome.RECORDED : IngestOutcome.DUPLICATE);
        }
        return ShopifyConnection.<ShopifyConnection>findById(webhook.shop().value())
                .chain(connection -> ShopifyWebhook.SHOP_REDACT.equals(webhook.topic())
                        ? redactShop(webhook, connection)
                        : forConnection(webhook, connection));
    }

    private Uni<IngestOutcome> forConnection(ShopifyWebhook webhook, ShopifyConnection connection) {
        if (connection == null || !connection.isActive()) {
            LOG.infof("webhook %s for %s ignored: no active connection (delivery %s)",
                    webhook.topic(), webhook.shop(), webhook.deliveryId());
            return Uni.createFrom().item(IngestOutcome.IGNORED);
        }
        return recordReceipt(webhook).chain(fresh -> {
            if (!fresh) {
                return Uni.createFrom().item(IngestOutcome.DUPLICATE);
            }
            if (ShopifyWebhook.APP_UNINSTALLED.equals(webhook.topic())) {
                connection.markUninstalled(OffsetDateTime.now(ZoneOffset.UTC));
                LOG.infof("%s uninstalled the app: tokens deleted, syncing stops", webhook.shop());
            }
            return outbox.enqueue(event(webhook, connection)).replaceWith(IngestOutcome.STORED);
        });
    }

    /** 48 h after an uninstall Shopify asks to erase the shop: its rows here, its objects via the worker. */
    private Uni<IngestOutcome> redactShop(ShopifyWebhook webhook, ShopifyConnection connection) {
        return recordReceipt(webhook).chain(fresh -> {
            if (!fresh) {
                return Uni.createFrom().item(IngestOutcome.DUPLICATE);
            }
            if (connection == null) {
                LOG.infof("shop/redact for %s: nothing stored for this shop", webhook.shop());
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

    private ChangeEvent event(ShopifyWebhook webhook, ShopifyConnection connection) {
        return ChangeEvent.shopify(webhook.deliveryId(), webhook.topic(), webhook.shop(),
                new UserId(connection.userId), resourceId(webhook.body()), webhook.triggeredAt(), Instant.now());
    }

    /** {@code admin_graphql_api_id} of the body (e.g. a product GID), so the worker can patch one resource. */
    private String resourceId(byte[] body) {
        try {
            JsonNode id = mapper.readTree(body).path("admin_graphql_api_id");
            String value = id.isTextual() ? id.asText() : null;
            return value == null || value.isEmpty() || value.length() > MAX_RESOURCE_ID ? null : value;
        } catch (IOException | RuntimeException e) {
            return null; // the payload is forwarded by reference only; a body we cannot read changes nothing
        }
    }
}
