package io.storefrontsync.gateway.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** Counters of webhook ingestion ({@code /q/metrics}: gateway_webhooks_*). */
@ApplicationScoped
public class WebhookMetrics {

    private final MeterRegistry registry;

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void received(String source) {
        registry.counter("gateway.webhooks.received", "source", source).increment();
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
        registry.counter("gateway.webhooks.outcome", "source", source, "outcome", outcome.label()).increment();
        if (outcome == IngestOutcome.DUPLICATE) {
            registry.counter("gateway.webhooks.duplicates", "source", source).increment();
        }
    }
}
