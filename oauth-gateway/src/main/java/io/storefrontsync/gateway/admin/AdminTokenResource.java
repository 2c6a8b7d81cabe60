package io.storefrontsync.gateway.admin;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.api.ApiError;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/admin/token")
@Tag(name = "Admin")
public class AdminTokenResource {

    private final AdminTokenService tokens;

    public AdminTokenResource(AdminTokenService tokens) {
        this.tokens = tokens;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mint an admin JWT", description = "Exchanges the ADMIN_API_KEY (header X-Admin-Api-Key) for a "
            + "short-lived admin JWT accepted by the gateway's admin API and the worker's /resync and /jobs.")
    @APIResponse(responseCode = "200", description = "The token",
            content = @Content(schema = @Schema(implementation = AdminTokenService.AdminToken.class)))
    @APIResponse(responseCode = "401", description = "Missing or wrong key",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<AdminTokenService.AdminToken> mint(@HeaderParam("X-Admin-Api-Key") String key) {
        return Uni.createFrom().item(() -> tokens.mint(key));
    }
}
