package io.storefrontsync.worker.intake;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.common.event.ChangeEventBatch;
import io.storefrontsync.common.validation.InvalidInputException;
import io.storefrontsync.worker.api.ApiError;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/internal/events")
@Tag(name = "intake")
@SecurityRequirement(name = "jwt")
public class EventIntakeResource {

    private final EventIntakeService intake;

    public EventIntakeResource(EventIntakeService intake) {
        this.intake = intake;
    }

    @POST
    @RolesAllowed(ServiceAuth.ROLE_SERVICE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Accept change events from the gateway",
            description = "Stores (or coalesces) one job per event target in one transaction; answers only once stored.")
    @APIResponse(responseCode = "202", description = "Jobs stored",
            content = @Content(schema = @Schema(implementation = IntakeReceipt.class)))
    @APIResponse(responseCode = "400", description = "Invalid batch",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "401", description = "No or invalid token")
    @APIResponse(responseCode = "403", description = "Not a service token")
    public Uni<Response> accept(ChangeEventBatch batch) {
        return Uni.createFrom().item(batch)
                .onItem().ifNull().failWith(() -> new InvalidInputException("body", "a JSON body is required"))
                .flatMap(intake::accept)
                .map(receipt -> Response.accepted(receipt).build());
    }
}
