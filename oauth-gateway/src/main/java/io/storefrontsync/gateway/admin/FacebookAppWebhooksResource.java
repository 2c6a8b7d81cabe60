package io.storefrontsync.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.gateway.error.ApiException;
import io.storefrontsync.gateway.facebook.GraphApiException;
import io.storefrontsync.gateway.facebook.FacebookGraph;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The app-level Page webhook subscription: once per deployment (and after changing
 * {@code FACEBOOK_WEBHOOK_ADDRESS} or the fields), an operator points the app's Page webhooks at this
 * gateway. Each connected Page then opts in through {@code subscribed_apps} at login.
 */
@Path("/admin/facebook/webhooks")
@Tag(name = "Admin")
@RolesAllowed(ServiceAuth.ROLE_ADMIN)
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "No valid admin JWT")
@APIResponse(responseCode = "403", description = "Not an admin")
@APIResponse(responseCode = "502", description = "Graph refused",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class FacebookAppWebhooksResource {

    private final FacebookGraph graph;

    public FacebookAppWebhooksResource(FacebookGraph graph) {
        this.graph = graph;
    }

    @GET
    @Operation(summary = "The app's webhook subscriptions", description = "As Graph reports them (object, callback_url, fields).")
    @APIResponse(responseCode = "200", description = "Graph's answer")
    public Uni<JsonNode> list() {
        return graph.appWebhookSubscriptions().onFailure(GraphApiException.class).transform(FacebookAppWebhooksResource::upstream);
    }

    @POST
    @Operation(summary = "Subscribe the app's Page webhooks to this gateway",
            description = "callback FACEBOOK_WEBHOOK_ADDRESS, verify token FACEBOOK_VERIFY_TOKEN, fields FACEBOOK_PAGE_WEBHOOK_FIELDS. "
                    + "Graph verifies the callback with GET /facebook/webhook before it answers.")
    @APIResponse(responseCode = "200", description = "{\"success\":true}")
    public Uni<JsonNode> subscribe() {
        return graph.subscribeAppToPageWebhooks().onFailure(GraphApiException.class).transform(FacebookAppWebhooksResource::upstream);
    }

    /** Graph's refusal, as a 502 the operator can read (GraphApiException messages carry no token or secret). */
    private static ApiException upstream(Throwable failure) {
        return new ApiException(502, "graph_error", "Graph refused: " + failure.getMessage());
    }
}
