package io.storefrontsync.gateway.webhook;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.signature.Hmac;
import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.gateway.error.ApiException;
import io.storefrontsync.gateway.facebook.FacebookConfig;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/** Meta's Page webhooks: the verification handshake and the deliveries, read as raw bytes for the signature. */
@Path("/facebook/webhook")
@Tag(name = "Facebook webhooks")
public class FacebookWebhookResource {

    private static final String SOURCE = FacebookWebhookIngestService.SOURCE;
    // Meta sends a number; anything printable and short is echoed, nothing else.
    private static final Pattern CHALLENGE = Pattern.compile("[\\x21-\\x7E]{1,256}");

    private final FacebookWebhookIngestService ingest;
    private final OutboxPublisher publisher;
    private final WebhookMetrics metrics;
    private final FacebookConfig config;

    public FacebookWebhookResource(FacebookWebhookIngestService ingest, OutboxPublisher publisher,
                                   WebhookMetrics metrics, FacebookConfig config) {
        this.ingest = ingest;
        this.publisher = publisher;
        this.metrics = metrics;
        this.config = config;
    }

    /** Counts per entry of one delivery. */
    public record FacebookWebhookAck(String status, long stored, long duplicates, long ignored) {
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Webhook verification", description = "Meta's subscription handshake: with hub.mode=subscribe "
            + "and the configured hub.verify_token (compared in constant time) the hub.challenge is echoed.")
    @APIResponse(responseCode = "200", description = "The challenge, as text/plain")
    @APIResponse(responseCode = "400", description = "Challenge missing or not printable ASCII",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "403", description = "Not a subscribe request, or the verify token does not match",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    public Response verify(@QueryParam("hub.mode") String mode, @QueryParam("hub.verify_token") String verifyToken,
                           @QueryParam("hub.challenge") String challenge) {
        boolean tokenMatches = verifyToken != null && Hmac.constantTimeEquals(
                config.verifyToken().getBytes(StandardCharsets.UTF_8), verifyToken.getBytes(StandardCharsets.UTF_8));
        if (!"subscribe".equals(mode) || !tokenMatches) {
            metrics.verification(SOURCE, false);
            throw new ApiException(403, "verification_failed", "hub.mode must be subscribe and hub.verify_token must "
                    + "be the app's verify token");
        }
        if (challenge == null || !CHALLENGE.matcher(challenge).matches()) {
            metrics.verification(SOURCE, false);
            throw new ApiException(400, "invalid_challenge", "hub.challenge is missing or not printable ASCII");
        }
        metrics.verification(SOURCE, true);
        return Response.ok(challenge, MediaType.TEXT_PLAIN_TYPE).header("X-Content-Type-Options", "nosniff").build();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a Page webhook", description = "Verifies X-Hub-Signature-256 over the raw body "
            + "(the SHA-1 X-Hub-Signature alone is refused), requires object=page, stores one event per entry durably "
            + "and answers at once. A redelivered entry (same page id, time and changes) is dropped; entries for "
            + "Pages that are not connected are ignored.")
    @APIResponse(responseCode = "200", description = "Entries stored, duplicate or ignored",
            content = @Content(schema = @Schema(implementation = FacebookWebhookAck.class)))
    @APIResponse(responseCode = "400", description = "No body, not JSON, or object is not page",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "401", description = "X-Hub-Signature-256 missing or wrong",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "413", description = "Body too large")
    @APIResponse(responseCode = "500", description = "Not stored (e.g. database down); Meta retries",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<FacebookWebhookAck> receive(byte[] body, @Context HttpHeaders headers) {
        metrics.received(SOURCE);
        return Uni.createFrom().item(() -> FacebookWebhook.verify(body, headers, config.appSecret()))
                .onFailure(WebhookRejectedException.class)
                .invoke(e -> metrics.rejected(SOURCE, ((WebhookRejectedException) e).error()))
                .chain(ingest::ingest)
                .invoke(this::afterCommit)
                .map(FacebookWebhookResource::ack);
    }

    private void afterCommit(List<IngestOutcome> outcomes) {
        outcomes.forEach(outcome -> metrics.outcome(SOURCE, outcome));
        if (outcomes.contains(IngestOutcome.STORED)) {
            publisher.trigger();
        }
    }

    private static FacebookWebhookAck ack(List<IngestOutcome> outcomes) {
        return new FacebookWebhookAck("received", count(outcomes, IngestOutcome.STORED),
                count(outcomes, IngestOutcome.DUPLICATE), count(outcomes, IngestOutcome.IGNORED));
    }

    private static long count(List<IngestOutcome> outcomes, IngestOutcome kind) {
        return outcomes.stream().filter(kind::equals).count();
    }
}
