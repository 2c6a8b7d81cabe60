package io.storefrontsync.gateway.page;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.error.ApiException;
import io.storefrontsync.gateway.session.SessionCookies;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The signed-in merchant's connections and first-sync hand-over: the page, and the JSON its script polls. */
@Path("/status")
@Tag(name = "Merchant status")
public class StatusResource {

    private final SessionCookies cookies;
    private final MerchantStatusService statuses;

    public StatusResource(SessionCookies cookies, MerchantStatusService statuses) {
        this.cookies = cookies;
        this.statuses = statuses;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_HTML})
    @Operation(summary = "The merchant's connections", description = "Needs the session cookie. Each shop and Page "
            + "with its status and whether its first sync was handed to the sync worker (queued, retrying, handed_over, "
            + "unknown); the sync's own progress is not known here. HTML when the browser asks for it. Never a token.")
    @APIResponse(responseCode = "200", description = "The status",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MerchantStatus.class)))
    @APIResponse(responseCode = "401", description = "No valid session",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> status(@CookieParam(SessionCookies.SESSION) String session, @Context HttpHeaders headers) {
        return Uni.createFrom().item(() -> signedIn(session))
                .chain(statuses::of)
                .map(status -> Accepts.html(headers) ? MerchantPages.status(status, "Your connections", null)
                        : Response.ok(status).type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    private UserId signedIn(String session) {
        return cookies.readSession(session).orElseThrow(() -> new ApiException(401, "no_session",
                "no valid session: install the app on a Shopify store first (/shopify/{shop}/login)"));
    }
}
