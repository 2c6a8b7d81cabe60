package io.storefrontsync.gateway.webhook;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.gateway.shopify.ShopifyConfig;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Shopify's webhook deliveries. The raw bytes are read untouched: the HMAC is over exactly them. */
@Path("/shopify/webhook")
@Tag(name = "Shopify webhooks")
public class ShopifyWebhookResource {

    private static final String SOURCE = "shopify";
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ShopifyWebhookResource.class);

    private final WebhookIngestService ingest;
    private final OutboxPublisher publisher;
    private final WebhookMetrics metrics;
    private final String apiSecret;
    private final String apiVersion;
    /** Versions already logged as differing (a few at most: the header's format is checked). */
    private final java.util.Set<String> mismatchLogged = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ShopifyWebhookResource(WebhookIngestService ingest, OutboxPublisher publisher, WebhookMetrics metrics,
                                  ShopifyConfig shopify) {
        this.ingest = ingest;
        this.publisher = publisher;
        this.metrics = metrics;
        this.apiSecret = shopify.apiSecret();
        this.apiVersion = shopify.apiVersion();
    }

    public record WebhookAck(String status) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a Shopify webhook",
            description = "Verifies X-Shopify-Hmac-Sha256 over the raw body, drops duplicates by X-Shopify-Event-Id "
                    + "(else X-Shopify-Webhook-Id), stores the event durably and answers at once. "
                    + "Bodies above quarkus.http.limits.max-body-size are refused with 413.")
    @APIResponse(responseCode = "200", description = "Stored, recorded, duplicate or ignored (unknown shop)",
            content = @Content(schema = @Schema(implementation = WebhookAck.class)))
    @APIResponse(responseCode = "400", description = "No body, no HMAC header, or a required header missing or malformed",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "401", description = "HMAC mismatch",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "413", description = "Body too large")
    @APIResponse(responseCode = "500", description = "Not stored (e.g. database down); Shopify retries",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<WebhookAck> receive(byte[] body, @Context HttpHeaders headers) {
        metrics.received(SOURCE);
        return Uni.createFrom().item(() -> ShopifyWebhook.verify(body, headers, apiSecret))
                .onFailure(WebhookRejectedException.class)
                .invoke(e -> metrics.rejected(SOURCE, ((WebhookRejectedException) e).error()))
                .invoke(this::checkVersion)
                .chain(ingest::ingest)
                .invoke(this::afterCommit)
                .map(outcome -> new WebhookAck(outcome.label()));
    }

    /** Counted (and logged once per version) after the HMAC verified, so only Shopify can move it. */
    private void checkVersion(ShopifyWebhook webhook) {
        if (!apiVersion.equals(webhook.apiVersion())) {
            metrics.apiVersionMismatch(webhook.apiVersion());
            if (mismatchLogged.size() < 16 && mismatchLogged.add(webhook.apiVersion())) {
                LOG.warnf("Shopify webhooks arrive signed for API version %s, the app uses %s (SHOPIFY_API_VERSION): "
                        + "align the subscriptions' version (logged once per version; counted in "
                        + "gateway_webhooks_api_version_mismatch_total)", webhook.apiVersion(), apiVersion);
            }
        }
    }

    private void afterCommit(IngestOutcome outcome) {
        metrics.outcome(SOURCE, outcome);
        if (outcome == IngestOutcome.STORED) {
            publisher.trigger();
        }
    }
}
