package io.storefrontsync.gateway.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters of webhook ingestion ({@code /q/metrics}: gateway_webhooks_*). The counters of every request are kept
 * once found: looking one up in the registry builds and compares its id each time, which the profile of the ingest
 * benchmark showed on the hot path.
 */
@ApplicationScoped
public class WebhookMetrics {

    private final MeterRegistry registry;
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void received(String source) {
        counter("gateway.webhooks.received", "source", source).increment();
    }

    public void rejected(String source, String reason) {
        registry.counter("gateway.webhooks.rejected", "source", source, "reason", reason).increment();
    }

    /** Meta's subscription handshake ({@code GET /facebook/webhook}). */
    public void verification(String source, boolean accepted) {
        registry.counter("gateway.webhooks.verifications", "source", source, "result", accepted ? "accepted" : "refused")
                .increment();
    }

    public void outcome(String source, IngestOutcome outcome) {
        counter("gateway.webhooks.outcome", "source", source, "outcome", outcome.label()).increment();
        if (outcome == IngestOutcome.DUPLICATE) {
            counter("gateway.webhooks.duplicates", "source", source).increment();
        }
    }

    /**
     * A verified Shopify webhook signed for another API version than {@code SHOPIFY_API_VERSION}: the app's
     * subscriptions (or the Partner dashboard's webhook version) and the code disagree. {@code version} is the
     * header's, checked against {@code ShopifyWebhook}'s format (bounded).
     */
    public void apiVersionMismatch(String version) {
        counter("gateway.webhooks.api.version.mismatch", "version", version).increment();
    }

    /** The counter of a name and tags (fixed sets: sources and outcomes), found in the registry once. */
    private Counter counter(String name, String... tags) {
        List<String> key = new java.util.ArrayList<>(tags.length + 1);
        key.add(name);
        key.addAll(List.of(tags));
        return counters.computeIfAbsent(key, ignored -> registry.counter(name, tags));
    }
}
