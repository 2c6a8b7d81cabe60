package io.storefrontsync.gateway.admin;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.gateway.shopify.StepResult;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/admin/shops/{shop}/webhooks")
@Tag(name = "Admin")
@RolesAllowed(ServiceAuth.ROLE_ADMIN)
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", description = "Not a valid shop",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "401", description = "No valid admin JWT")
@APIResponse(responseCode = "403", description = "Not an admin")
@APIResponse(responseCode = "404", description = "No active connection for the shop",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class ShopWebhooksResource {

    private final ShopWebhooksAdmin admin;

    public ShopWebhooksResource(ShopWebhooksAdmin admin) {
        this.admin = admin;
    }

    @GET
    @Operation(summary = "List the shop's webhook subscriptions", description = "As Shopify reports them for this app.")
    @APIResponse(responseCode = "200", description = "The subscriptions",
            content = @Content(schema = @Schema(implementation = ShopWebhooksAdmin.Subscriptions.class)))
    public Uni<ShopWebhooksAdmin.Subscriptions> list(@PathParam("shop") String shop) {
        return Uni.createFrom().item(() -> ShopDomain.parse(shop)).chain(admin::list);
    }

    @POST
    @Operation(summary = "Register the configured topics again", description = "Idempotent: creates only the missing ones.")
    @APIResponse(responseCode = "200", description = "{\"status\":\"success\"} or {\"status\":\"failed\",\"message\":...}",
            content = @Content(schema = @Schema(implementation = StepResult.class)))
    public Uni<StepResult> reregister(@PathParam("shop") String shop) {
        return Uni.createFrom().item(() -> ShopDomain.parse(shop)).chain(admin::reregister);
    }

    @DELETE
    @Operation(summary = "Remove all of the shop's webhook subscriptions")
    @APIResponse(responseCode = "200", description = "What was deleted",
            content = @Content(schema = @Schema(implementation = ShopWebhooksAdmin.Removal.class)))
    public Uni<ShopWebhooksAdmin.Removal> remove(@PathParam("shop") String shop) {
        return Uni.createFrom().item(() -> ShopDomain.parse(shop)).chain(admin::removeAll);
    }
}
