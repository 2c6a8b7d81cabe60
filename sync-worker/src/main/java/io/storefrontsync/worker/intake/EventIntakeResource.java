package io.storefrontsync.worker.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.common.event.ChangeEventBatch;
import io.storefrontsync.common.validation.InvalidInputException;
import io.storefrontsync.common.api.ApiError;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;

@Path("/internal/events")
@Tag(name = "intake")
@SecurityRequirement(name = "jwt")
public class EventIntakeResource {

    private final EventIntakeService intake;
    private final ServiceTokenUses tokenUses;
    private final JsonWebToken token;
    private final ObjectMapper mapper;

    public EventIntakeResource(EventIntakeService intake, ServiceTokenUses tokenUses, JsonWebToken token,
                               ObjectMapper mapper) {
        this.intake = intake;
        this.tokenUses = tokenUses;
        this.token = token;
        this.mapper = mapper;
    }

    @POST
    @RolesAllowed(ServiceAuth.ROLE_SERVICE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Accept change events from the gateway",
            description = "Stores (or coalesces) one job per event target in one transaction; answers only once stored. "
                    + "The service token must carry the base64url SHA-256 of the exact body (claim bsh) and a jti "
                    + "not used before.")
    @APIResponse(responseCode = "202", description = "Jobs stored",
            content = @Content(schema = @Schema(implementation = IntakeReceipt.class)))
    @APIResponse(responseCode = "400", description = "Invalid batch",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "401", description = "No or invalid token; a token bound to another body, "
            + "without a jti or used before (JSON error)")
    @APIResponse(responseCode = "403", description = "Not a service token")
    public Uni<Response> accept(@RequestBody(content = @Content(schema = @Schema(implementation = ChangeEventBatch.class)))
                                byte[] raw) {
        // The raw bytes, not a bound object: the token names their hash, and these very bytes are what is parsed.
        byte[] body = raw == null ? new byte[0] : raw;
        return Uni.createFrom().item(() -> tokenUses.checkBinding(token, body))
                .chain(jti -> parse(body).chain(batch -> intake.accept(batch, jti, token.getExpirationTime())))
                .map(receipt -> Response.accepted(receipt).build());
    }

    /** A JSON syntax or shape error fails with Jackson's exception, answered 400 {@code invalid_json} by ApiExceptionMappers. */
    private Uni<ChangeEventBatch> parse(byte[] body) {
        if (body.length == 0) {
            return Uni.createFrom().failure(new InvalidInputException("body", "a JSON body is required"));
        }
        try {
            ChangeEventBatch batch = mapper.readValue(body, ChangeEventBatch.class);
            return batch == null
                    ? Uni.createFrom().failure(new InvalidInputException("body", "a JSON body is required"))
                    : Uni.createFrom().item(batch);
        } catch (IOException e) {
            return Uni.createFrom().failure(e);
        }
    }
}
