package io.storefrontsync.gateway.webhook;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
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
    private final WebhookConfig webhooks;
    private final OutboxConfig outbox;

    public RetentionJobs(Pool pool, WebhookConfig webhooks, OutboxConfig outbox) {
        this.pool = pool;
        this.webhooks = webhooks;
        this.outbox = outbox;
    }

    @Scheduled(every = "{gateway.webhook.purge-every}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        return pool.preparedQuery("DELETE FROM gateway.webhook_receipts WHERE received_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) webhooks.receiptRetention().toSeconds()))
                .invoke(rows -> log("webhook receipts", rows.rowCount()))
                .chain(() -> pool.query("DELETE FROM gateway.oauth_states WHERE expires_at < now() - interval '1 hour'").execute())
                .invoke(rows -> log("OAuth states", rows.rowCount()))
                .chain(() -> pool.preparedQuery("DELETE FROM gateway.outbox WHERE delivered_at < now() - make_interval(secs => $1)")
                        .execute(Tuple.of((double) outbox.deliveredRetention().toSeconds())))
                .invoke(rows -> log("delivered outbox rows", rows.rowCount()))
                .replaceWithVoid();
    }

    private static void log(String what, int count) {
        if (count > 0) {
            LOG.infof("purged %d %s", count, what);
        }
    }
}
