package io.storefrontsync.worker.resync;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.common.validation.InvalidInputException;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.worker.api.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Optional;
import java.util.stream.Collectors;

@Path("/resync")
@Tag(name = "resync")
@SecurityRequirement(name = "jwt")
public class ResyncResource {

    private final ResyncService resync;
    private final JsonWebToken jwt;

    public ResyncResource(ResyncService resync, JsonWebToken jwt) {
        this.resync = resync;
        this.jwt = jwt;
    }

    @POST
    @RolesAllowed({ServiceAuth.ROLE_ADMIN, ServiceAuth.ROLE_USER})
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resync a user's connections now",
            description = "A user token may only resync its own uuid (sub); an admin token any. A connection whose "
                    + "token Facebook refused (code 190: expired, revoked, app removed) is not enqueued until the "
                    + "merchant logs in with Facebook again: the answer lists it under `skipped` with status "
                    + "`needs_login`, the refused job's error and since when. When every matching connection "
                    + "needs a new login nothing is enqueued and the answer is 409.")
    @APIResponse(responseCode = "202", description = "Jobs enqueued; `skipped` lists matching connections that "
            + "need a new login (empty when none)",
            content = @Content(schema = @Schema(implementation = ResyncReceipt.class)))
    @APIResponse(responseCode = "400", description = "Invalid user id, shop or page id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "401", description = "No or invalid token")
    @APIResponse(responseCode = "403", description = "Another user's uuid",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "The user has no such active connection")
    @APIResponse(responseCode = "409", description = "Every matching connection needs the merchant to log in again "
            + "(error `needs_login`, the message names each and why); nothing was enqueued",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> resync(ResyncRequest request) {
        Caller caller = Caller.of(jwt);
        return Uni.createFrom().item(request)
                .onItem().ifNull().failWith(() -> new InvalidInputException("body", "a JSON body is required"))
                .map(body -> caller.require(UserId.parse(body.userId()), "a user token may only resync its own uuid"))
                .chain(user -> resync.resync(user,
                        Optional.ofNullable(request.shop()).map(ShopDomain::parse),
                        Optional.ofNullable(request.pageId()).map(PageId::parse)))
                .map(receipt -> receipt.map(found -> found.jobs().isEmpty() && !found.skipped().isEmpty()
                                ? needsLogin(request, found)
                                : Response.accepted(found).build())
                        .orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                                .entity(new ApiError("not_found", null, "no matching active connection")).build()));
    }

    private static Response needsLogin(ResyncRequest request, ResyncReceipt receipt) {
        String field = request.pageId() != null ? "pageId" : request.shop() != null ? "shop" : null;
        String message = receipt.skipped().stream()
                .map(s -> s.target() + " needs the merchant to log in again (since " + s.since() + "): " + s.reason())
                .collect(Collectors.joining("; "));
        return Response.status(Response.Status.CONFLICT).entity(new ApiError("needs_login", field, message)).build();
    }
}
