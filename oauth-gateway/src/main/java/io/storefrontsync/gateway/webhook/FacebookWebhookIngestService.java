package io.storefrontsync.gateway.webhook;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.validation.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores a verified Page webhook: per entry, the de-duplication receipt and one outbox event, written with the other
 * webhooks arriving about then by the {@link IngestBatcher}'s one statement (it looks up each Page's active
 * connection). A delivery's entries are never split across batches, so they are stored together or not at all (a
 * failure stores none and the 5xx makes Meta retry the whole delivery). Entries for Pages without an active
 * connection are logged and dropped.
 */
@ApplicationScoped
public class FacebookWebhookIngestService {

    private static final Logger LOG = Logger.getLogger(FacebookWebhookIngestService.class);
    static final String SOURCE = "facebook";

    private final WebhookReceipts receipts;
    private final IngestBatcher batcher;

    public FacebookWebhookIngestService(WebhookReceipts receipts, IngestBatcher batcher) {
        this.receipts = receipts;
        this.batcher = batcher;
    }

    /** One outcome per entry, in order. */
    public Uni<List<IngestOutcome>> ingest(FacebookWebhook webhook) {
        Instant receivedAt = Instant.now();
        List<FacebookWebhook.Entry> entries = webhook.entries();
        List<WebhookReceipts.Change> changes = new ArrayList<>();
        for (FacebookWebhook.Entry entry : entries) {
            if (entry.pageId() == null) {
                LOG.infof("facebook webhook entry ignored: id is not a Page id (%s)",
                        InvalidInputException.preview(entry.rawId()));
            } else {
                changes.add(receipts.change(SOURCE, entry.pageId().value(), entry.dedupeKey(), entry.topic(),
                        event(entry, receivedAt)));
            }
        }
        Uni<List<WebhookReceipts.ChangeRecorded>> stored = changes.isEmpty()
                ? Uni.createFrom().item(List.of()) : batcher.submit(changes);
        return stored.map(recorded -> {
            List<IngestOutcome> outcomes = new ArrayList<>(entries.size());
            int next = 0;
            for (FacebookWebhook.Entry entry : entries) {
                if (entry.pageId() == null) {
                    outcomes.add(IngestOutcome.IGNORED);
                    continue;
                }
                WebhookReceipts.ChangeRecorded result = recorded.get(next++);
                if (!result.connected()) {
                    LOG.infof("facebook webhook %s for page %s ignored: no active connection", entry.topic(),
                            entry.pageId());
                    outcomes.add(IngestOutcome.IGNORED);
                } else {
                    outcomes.add(result.stored() ? IngestOutcome.STORED : IngestOutcome.DUPLICATE);
                }
            }
            return outcomes;
        });
    }

    /** Without the user id: the statement adds the Page's. */
    private static ChangeEvent event(FacebookWebhook.Entry entry, Instant receivedAt) {
        return ChangeEvent.facebook(entry.eventId(), entry.topic(), entry.pageId(), null, null,
                entry.occurredAt(), receivedAt);
    }
}
