package io.storefrontsync.worker.connection;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.api.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** {@code GET /connections?userId=}: the health of each of a user's shops and Pages, for operators and the user. */
@Path("/connections")
@Tag(name = "connections")
@SecurityRequirement(name = "jwt")
public class ConnectionsResource {

    private final ConnectionOverview overview;
    private final JsonWebToken jwt;

    public ConnectionsResource(ConnectionOverview overview, JsonWebToken jwt) {
        this.overview = overview;
        this.jwt = jwt;
    }

    @GET
    @RolesAllowed({ServiceAuth.ROLE_ADMIN, ServiceAuth.ROLE_USER})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A user's shops and Pages and how their syncs go",
            description = "Admins see any user; a user token only its own uuid (sub). Per shop and Page: the gateway's "
                    + "status, needsLogin / needsReinstall, last successful sync, last error since, the open job, and "
                    + "each Spaces key with the hash last written.")
    @APIResponse(responseCode = "200",
            content = @Content(schema = @Schema(implementation = ConnectionsResource.UserConnections.class)))
    @APIResponse(responseCode = "400", description = "userId missing or malformed",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "401", description = "No or invalid token")
    @APIResponse(responseCode = "403", description = "A user token naming another user's uuid, or a service token",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<UserConnections> list(@QueryParam("userId") String userId) {
        Caller caller = Caller.of(jwt);
        return Uni.createFrom().item(() -> caller.require(UserId.parse(userId), "a user token may only see its own connections"))
                .chain(user -> overview.of(user).map(found -> new UserConnections(user.toString(), found)));
    }

    /** The answer: the user and each of its shops, then Pages. */
    public record UserConnections(String userId, List<ConnectionView> connections) {
    }
}
