package io.storefrontsync.gateway.shopify;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.page.Accepts;
import io.storefrontsync.gateway.page.MerchantPages;
import io.storefrontsync.gateway.page.MerchantStatus;
import io.storefrontsync.gateway.page.MerchantStatusService;
import io.storefrontsync.gateway.session.SessionCookies;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The merchant-facing Shopify install: login redirect, OAuth callback, and the App URL the Shopify admin opens. */
@Path("/shopify")
@Tag(name = "Shopify install")
public class ShopifyInstallResource {

    private final ShopifyInstallService install;
    private final SessionCookies cookies;
    private final MerchantStatusService statuses;

    public ShopifyInstallResource(ShopifyInstallService install, SessionCookies cookies, MerchantStatusService statuses) {
        this.install = install;
        this.cookies = cookies;
        this.statuses = statuses;
    }

    // No @Produces: a redirect has no body, so it is taken whatever the Accept (one naming only text/html got a 406);
    // a refusal is the error page or JSON as the Accept asks (ExceptionMappers).
    @GET
    @Path("/{shop}/login")
    @Operation(summary = "Start the install", description = "{shop} is demo-shop or demo-shop.myshopify.com. "
            + "Sets a signed, short-lived state cookie and redirects to the shop's OAuth authorize page, whatever the "
            + "Accept. A browser asking for text/html gets a refusal as an error page.")
    @APIResponse(responseCode = "302", description = "To https://{shop}/admin/oauth/authorize")
    @APIResponse(responseCode = "400", description = "Not a valid shop",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> login(@PathParam("shop") String shop) {
        return Uni.createFrom().item(() -> ShopDomain.parse(shop))
                .chain(install::begin)
                .map(redirect -> Response.status(Response.Status.FOUND).location(redirect.location())
                        .cookie(redirect.stateCookie()).build());
    }

    @GET
    @Path("/callback")
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_HTML})
    @Operation(summary = "OAuth callback", description = "Verifies hmac (±90 s), shop and state, exchanges the code for "
            + "an expiring offline token, stores it encrypted, registers webhooks, queues the first sync and sets the "
            + "session cookie. The answer never contains a token. A browser asking for text/html gets the status page instead.")
    @APIResponse(responseCode = "200", description = "Installed",
            content = @Content(schema = @Schema(implementation = ShopifyInstallService.InstallAnswer.class)))
    @APIResponse(responseCode = "400", description = "Bad shop, missing code, or the code was refused",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "401", description = "Bad hmac or stale timestamp",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "403", description = "State missing, foreign, reused or expired",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> callback(@Context UriInfo uri, @Context HttpHeaders headers,
                                  @CookieParam(SessionCookies.SHOPIFY_STATE) String stateCookie) {
        return install.complete(uri.getRequestUri().getRawQuery(), stateCookie)
                .chain(result -> Accepts.html(headers)
                        ? statuses.of(UserId.parse(result.answer().userUuid())).map(status -> MerchantPages.status(status,
                                "Your Shopify store is connected", installedNotice(result), result.session(), cookies.clearState()))
                        : Uni.createFrom().item(Response.ok(result.answer()).type(MediaType.APPLICATION_JSON_TYPE)
                                .cookie(result.session(), cookies.clearState()).build()));
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_HTML})
    @Operation(summary = "App URL", description = "What the Shopify admin opens: ?shop=&hmac=&host=&timestamp=, "
            + "signed like the OAuth callback (±90 s). An installed shop gets its status (and the session cookie); "
            + "an unknown, uninstalled or broken one is sent to the install. HTML when the browser asks for it.")
    @APIResponse(responseCode = "200", description = "The shop's status",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MerchantStatus.class)))
    @APIResponse(responseCode = "302", description = "To /shopify/{shop}/login: not installed here")
    @APIResponse(responseCode = "400", description = "Bad shop",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "401", description = "Bad hmac or stale timestamp",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> app(@Context UriInfo uri, @Context HttpHeaders headers) {
        return install.open(uri.getRequestUri().getRawQuery()).chain(open -> {
            if (open.owner().isEmpty()) {
                return Uni.createFrom().item(Response.status(Response.Status.FOUND)
                        .location(URI.create("/shopify/" + open.shop().value() + "/login")).build());
            }
            return statuses.of(open.owner().get()).map(status -> Accepts.html(headers)
                    ? MerchantPages.appStatus(status, open.shop(), install.session(open.owner().get()))
                    : Response.ok(status).type(MediaType.APPLICATION_JSON_TYPE).cookie(install.session(open.owner().get())).build());
        });
    }

    private static String installedNotice(ShopifyInstallService.InstallResult result) {
        StepResult webhooks = result.answer().webhookResult();
        String notice = result.shop().value() + " is connected and its first sync was queued.";
        if (!"success".equals(webhooks.status())) {
            notice += " Shopify did not accept our change notifications yet (" + webhooks.message()
                    + "); the daily sync still keeps your copy current.";
        }
        return notice;
    }
}
