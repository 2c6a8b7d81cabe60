package io.storefrontsync.gateway.webhook;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.validation.InvalidInputException;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.facebook.FacebookPageConnection;
import io.storefrontsync.gateway.facebook.FacebookPages;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
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

    private final Pool pool;
    private final FacebookPages pages;
    private final WebhookReceipts receipts;
    private final Outbox outbox;

    public FacebookWebhookIngestService(Pool pool, FacebookPages pages, WebhookReceipts receipts, Outbox outbox) {
        this.pool = pool;
        this.pages = pages;
        this.receipts = receipts;
        this.outbox = outbox;
    }

    /** One outcome per entry, in order. */
    public Uni<List<IngestOutcome>> ingest(FacebookWebhook webhook) {
        Instant receivedAt = Instant.now();
        return pool.withTransaction(conn -> Multi.createFrom().iterable(webhook.entries())
                .onItem().transformToUniAndConcatenate(entry -> ingest(conn, entry, receivedAt))
                .collect().asList());
    }

    private Uni<IngestOutcome> ingest(SqlConnection conn, FacebookWebhook.Entry entry, Instant receivedAt) {
        if (entry.pageId() == null) {
            LOG.infof("facebook webhook entry ignored: id is not a Page id (%s)", InvalidInputException.preview(entry.rawId()));
            return Uni.createFrom().item(IngestOutcome.IGNORED);
        }
        return pages.find(conn, entry.pageId())
                .map(found -> found.orElse(null))
                .chain(page -> {
                    if (page == null || !page.isActive()) {
                        LOG.infof("facebook webhook %s for page %s ignored: no active connection", entry.topic(),
                                entry.pageId());
                        return Uni.createFrom().item(IngestOutcome.IGNORED);
                    }
                    return receipts.recordFirst(conn, entry.dedupeKey(), SOURCE, entry.topic())
                            .chain(fresh -> fresh
                                    ? outbox.enqueue(conn, event(entry, page, receivedAt)).replaceWith(IngestOutcome.STORED)
                                    : Uni.createFrom().item(IngestOutcome.DUPLICATE));
                });
    }

    private static ChangeEvent event(FacebookWebhook.Entry entry, FacebookPageConnection page, Instant receivedAt) {
        return ChangeEvent.facebook(entry.eventId(), entry.topic(), entry.pageId(), new UserId(page.userId()), null,
                entry.occurredAt(), receivedAt);
    }
}
