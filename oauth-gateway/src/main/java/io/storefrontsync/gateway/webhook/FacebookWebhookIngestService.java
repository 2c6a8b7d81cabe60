package io.storefrontsync.gateway.webhook;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.facebook.FacebookPageConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * Stores a verified Page webhook: per entry, the de-duplication receipt and one outbox event, all entries in one
 * transaction (a failure stores none and the 5xx makes Meta retry the whole delivery). Entries for Pages without
 * an active connection are logged and dropped.
 */
@ApplicationScoped
public class FacebookWebhookIngestService {

    private static final Logger LOG = Logger.getLogger(FacebookWebhookIngestService.class);
    static final String SOURCE = "facebook";

    private final WebhookReceipts receipts;
    private final Outbox outbox;

    public FacebookWebhookIngestService(WebhookReceipts receipts, Outbox outbox) {
        this.receipts = receipts;
        this.outbox = outbox;
    }

    /** One outcome per entry, in order. */
    @WithTransaction
    public Uni<List<IngestOutcome>> ingest(FacebookWebhook webhook) {
        Instant receivedAt = Instant.now();
        return Multi.createFrom().iterable(webhook.entries())
                .onItem().transformToUniAndConcatenate(entry -> ingest(entry, receivedAt))
                .collect().asList();
    }

    private Uni<IngestOutcome> ingest(FacebookWebhook.Entry entry, Instant receivedAt) {
        if (entry.pageId() == null) {
            LOG.infof("facebook webhook entry ignored: id is not a Page id (%s)",
                    io.storefrontsync.common.validation.InvalidInputException.preview(entry.rawId()));
            return Uni.createFrom().item(IngestOutcome.IGNORED);
        }
        return FacebookPageConnection.<FacebookPageConnection>findById(entry.pageId().value())
                .chain(page -> {
                    if (page == null || !page.isActive()) {
                        LOG.infof("facebook webhook %s for page %s ignored: no active connection", entry.topic(),
                                entry.pageId());
                        return Uni.createFrom().item(IngestOutcome.IGNORED);
                    }
                    return receipts.recordFirst(entry.dedupeKey(), SOURCE, entry.topic())
                            .chain(fresh -> fresh
                                    ? outbox.enqueue(event(entry, page, receivedAt)).replaceWith(IngestOutcome.STORED)
                                    : Uni.createFrom().item(IngestOutcome.DUPLICATE));
                });
    }

    private static ChangeEvent event(FacebookWebhook.Entry entry, FacebookPageConnection page, Instant receivedAt) {
        return ChangeEvent.facebook(entry.eventId(), entry.topic(), entry.pageId(), new UserId(page.userId), null,
                entry.occurredAt(), receivedAt);
    }
}
