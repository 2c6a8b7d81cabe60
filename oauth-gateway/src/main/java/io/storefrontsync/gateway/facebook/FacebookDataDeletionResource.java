package io.storefrontsync.gateway.facebook;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.gateway.error.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Meta's data deletion callback and the status page its answer links to. */
@Path("/facebook/data-deletion")
@Tag(name = "Facebook data deletion")
public class FacebookDataDeletionResource {

    private final FacebookDataDeletionService deletion;

    public FacebookDataDeletionResource(FacebookDataDeletionService deletion) {
        this.deletion = deletion;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Data deletion callback", description = "Verifies signed_request with the app secret, deletes "
            + "the Facebook user's connected Pages and their tokens, queues the deletion of their stored page data and "
            + "answers the status URL and confirmation code Meta shows the user.")
    @APIResponse(responseCode = "200", description = "Deleted",
            content = @Content(schema = @Schema(implementation = FacebookDataDeletionService.DeletionAnswer.class)))
    @APIResponse(responseCode = "400", description = "signed_request carries no valid user_id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "401", description = "signed_request missing, malformed or not signed with the app secret",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<FacebookDataDeletionService.DeletionAnswer> request(@FormParam("signed_request") String signedRequest) {
        return Uni.createFrom().item(() -> deletion.verifiedUser(signedRequest))
                .chain(deletion::delete);
    }

    @GET
    @Path("/{code}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Data deletion status", description = "What a deletion request deleted, by confirmation code.")
    @APIResponse(responseCode = "200", description = "The request's status",
            content = @Content(schema = @Schema(implementation = FacebookDataDeletionService.DeletionStatus.class)))
    @APIResponse(responseCode = "404", description = "No such confirmation code",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<FacebookDataDeletionService.DeletionStatus> status(@PathParam("code") String code) {
        return deletion.status(code)
                .onItem().ifNull().failWith(() -> new ApiException(404, "unknown_confirmation_code",
                        "no data deletion request has this confirmation code"));
    }
}
