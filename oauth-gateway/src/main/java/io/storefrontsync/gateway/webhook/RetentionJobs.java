package io.storefrontsync.gateway.webhook;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.gateway.oauth.OAuthStates;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Keeps the bookkeeping tables small: webhook receipts older than the de-duplication window,
 * expired OAuth states, delivered outbox rows past their retention. Idempotent, so every instance
 * may run it.
 */
@ApplicationScoped
public class RetentionJobs {

    private static final Logger LOG = Logger.getLogger(RetentionJobs.class);

    private final Pool pool;
    private final WebhookReceipts receipts;
    private final OAuthStates states;
    private final Outbox outbox;
    private final WebhookConfig webhookConfig;
    private final OutboxConfig outboxConfig;

    public RetentionJobs(Pool pool, WebhookReceipts receipts, OAuthStates states, Outbox outbox,
                         WebhookConfig webhookConfig, OutboxConfig outboxConfig) {
        this.pool = pool;
        this.receipts = receipts;
        this.states = states;
        this.outbox = outbox;
        this.webhookConfig = webhookConfig;
        this.outboxConfig = outboxConfig;
    }

    @Scheduled(every = "{gateway.webhook.purge-every}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        return receipts.purgeOlderThan(pool, webhookConfig.receiptRetention())
                .invoke(count -> log("webhook receipts", count))
                .chain(() -> states.purgeExpired(pool))
                .invoke(count -> log("OAuth states", count))
                .chain(() -> outbox.purgeDelivered(pool, outboxConfig.deliveredRetention()))
                .invoke(count -> log("delivered outbox rows", count))
                .replaceWithVoid();
    }

    private static void log(String what, int count) {
        if (count > 0) {
            LOG.infof("purged %d %s", count, what);
        }
    }
}
