package io.storefrontsync.gateway.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Webhook ingestion. The body size limit is {@code quarkus.http.limits.max-body-size} (413 above it). */
@ConfigMapping(prefix = "gateway.webhook")
public interface WebhookConfig {

    /** Delivery ids are remembered this long for de-duplication; Shopify retries for up to 4 hours, the contract says at least 24 h. */
    @WithDefault("48h")
    Duration receiptRetention();

    /** How often old receipts, expired OAuth states and old delivered outbox rows are purged. */
    @WithDefault("1h")
    Duration purgeEvery();
}
