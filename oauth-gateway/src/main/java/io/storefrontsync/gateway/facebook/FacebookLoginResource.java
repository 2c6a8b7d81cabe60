package io.storefrontsync.gateway.facebook;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.page.Accepts;
import io.storefrontsync.gateway.page.MerchantPages;
import io.storefrontsync.gateway.page.MerchantStatusService;
import io.storefrontsync.gateway.session.SessionCookies;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
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
    private final MerchantStatusService statuses;

    public FacebookLoginResource(FacebookLoginService login, SessionCookies cookies, MerchantStatusService statuses) {
        this.login = login;
        this.cookies = cookies;
        this.statuses = statuses;
    }

    // No @Produces, as ShopifyInstallResource#login: a redirect whatever the Accept.
    @GET
    @Path("/login")
    @Operation(summary = "Start connecting Facebook Pages", description = "Needs the session cookie set by the Shopify "
            + "install. Sets a signed, short-lived state cookie and redirects to the Facebook Login dialog, whatever "
            + "the Accept. A browser asking for text/html gets a refusal as an error page.")
    @APIResponse(responseCode = "302", description = "To {FACEBOOK_DIALOG_URL}/{version}/dialog/oauth")
    @APIResponse(responseCode = "401", description = "No valid session: install the app on a Shopify store first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> login(@CookieParam(SessionCookies.SESSION) String session) {
        return login.begin(session)
                .map(redirect -> Response.status(Response.Status.FOUND).location(redirect.location())
                        .cookie(redirect.stateCookie()).build());
    }

    @GET
    @Path("/callback")
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_HTML})
    @Operation(summary = "Facebook Login callback", description = "Verifies the state, exchanges the code for a "
            + "long-lived user token, stores every Page where the person holds the MANAGE task with its Page token "
            + "encrypted, queues one sync per Page and subscribes each Page to the app's webhooks. Pages where they "
            + "hold only lesser tasks (ANALYZE, ADVERTISE, ...) are listed under skipped and not connected. The "
            + "answer never contains a token. A browser asking for text/html gets the status page instead.")
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
                                  @CookieParam(SessionCookies.FACEBOOK_STATE) String stateCookie,
                                  @Context HttpHeaders headers) {
        return login.complete(new FacebookLoginService.Callback(code, state, error, errorReason), stateCookie)
                .chain(answer -> Accepts.html(headers)
                        ? statuses.of(UserId.parse(answer.userUuid())).map(status -> MerchantPages.status(status,
                                "Your Facebook Pages are connected", connectedNotice(answer), cookies.clearFacebookState()))
                        : Uni.createFrom().item(Response.ok(answer).type(MediaType.APPLICATION_JSON_TYPE)
                                .cookie(cookies.clearFacebookState()).build()));
    }

    private static String connectedNotice(FacebookLoginService.LoginAnswer answer) {
        StringBuilder notice = new StringBuilder();
        if (answer.pages().isEmpty()) {
            notice.append("No Page was connected.");
        } else {
            notice.append("Connected ").append(answer.pages().size()).append(answer.pages().size() == 1 ? " Page: " : " Pages: ")
                    .append(answer.pages().stream().map(FacebookLoginService.PageAnswer::name)
                            .collect(java.util.stream.Collectors.joining(", ")))
                    .append(". Their first syncs were queued.");
        }
        for (FacebookLoginService.SkippedPage skipped : answer.skipped()) {
            notice.append(" Not connected: ").append(skipped.name()).append(" (").append(skipped.message()).append(").");
        }
        return notice.toString();
    }
}
