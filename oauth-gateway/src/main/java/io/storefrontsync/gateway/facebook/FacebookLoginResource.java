package io.storefrontsync.gateway.facebook;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.gateway.session.SessionCookies;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The merchant-facing Facebook Login for Pages: login redirect and OAuth callback. */
@Path("/facebook")
@Tag(name = "Facebook Login")
public class FacebookLoginResource {

    private final FacebookLoginService login;
    private final SessionCookies cookies;

    public FacebookLoginResource(FacebookLoginService login, SessionCookies cookies) {
        this.login = login;
        this.cookies = cookies;
    }

    @GET
    @Path("/login")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start connecting Facebook Pages", description = "Needs the session cookie set by the Shopify "
            + "install. Sets a signed, short-lived state cookie and redirects to the Facebook Login dialog.")
    @APIResponse(responseCode = "302", description = "To {FACEBOOK_DIALOG_URL}/{version}/dialog/oauth")
    @APIResponse(responseCode = "401", description = "No valid session: install the app on a Shopify store first",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> login(@CookieParam(SessionCookies.SESSION) String session) {
        return login.begin(session)
                .map(redirect -> Response.status(Response.Status.FOUND).location(redirect.location())
                        .cookie(redirect.stateCookie()).build());
    }

    @GET
    @Path("/callback")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Facebook Login callback", description = "Verifies the state, exchanges the code for a "
            + "long-lived user token, stores every Page where the person holds the MANAGE task with its Page token "
            + "encrypted, queues one sync per Page and subscribes each Page to the app's webhooks. Pages where they "
            + "hold only lesser tasks (ANALYZE, ADVERTISE, ...) are listed under skipped and not connected. The "
            + "answer never contains a token.")
    @APIResponse(responseCode = "200", description = "Pages connected",
            content = @Content(schema = @Schema(implementation = FacebookLoginService.LoginAnswer.class)))
    @APIResponse(responseCode = "400", description = "Missing code, or Facebook refused it",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "401", description = "Facebook rejected the user token (Graph code 190)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "403", description = "Login declined (access_denied), or state missing, foreign, "
            + "reused or expired", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "502", description = "Facebook failed or could not be reached",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "Facebook rate limit (Graph codes 4, 17, 32, 613)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> callback(@QueryParam("code") String code, @QueryParam("state") String state,
                                  @QueryParam("error") String error, @QueryParam("error_reason") String errorReason,
                                  @CookieParam(SessionCookies.FACEBOOK_STATE) String stateCookie) {
        return login.complete(new FacebookLoginService.Callback(code, state, error, errorReason), stateCookie)
                .map(answer -> Response.ok(answer).cookie(cookies.clearFacebookState()).build());
    }
}
