package io.storefrontsync.gateway.webhook;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The de-duplication log of webhook deliveries ({@code gateway.webhook_receipts}), shared by every source: a key
 * is accepted once, and a redelivery (or a concurrent twin, which waits on the primary key) is told it is a
 * duplicate. Purged after {@code gateway.webhook.receipt-retention} by {@link RetentionJobs}.
 */
@ApplicationScoped
public class WebhookReceipts {

    /** Must run inside a {@code @WithTransaction} pipeline, the same one that stores the event. */
    public Uni<Boolean> recordFirst(String dedupeKey, String source, String topic) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                                INSERT INTO gateway.webhook_receipts (dedupe_key, source, topic)
                                VALUES (:key, :source, :topic) ON CONFLICT (dedupe_key) DO NOTHING""")
                        .setParameter("key", dedupeKey)
                        .setParameter("source", source)
                        .setParameter("topic", topic)
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }
}
