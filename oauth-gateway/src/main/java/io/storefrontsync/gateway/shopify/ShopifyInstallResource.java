package io.storefrontsync.gateway.shopify;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.gateway.session.SessionCookies;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The merchant-facing Shopify install: login redirect and OAuth callback. */
@Path("/shopify")
@Tag(name = "Shopify install")
public class ShopifyInstallResource {

    private final ShopifyInstallService install;
    private final SessionCookies cookies;

    public ShopifyInstallResource(ShopifyInstallService install, SessionCookies cookies) {
        this.install = install;
        this.cookies = cookies;
    }

    @GET
    @Path("/{shop}/login")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start the install", description = "{shop} is demo-shop or demo-shop.myshopify.com. "
            + "Sets a signed, short-lived state cookie and redirects to the shop's OAuth authorize page.")
    @APIResponse(responseCode = "302", description = "To https://{shop}/admin/oauth/authorize")
    @APIResponse(responseCode = "400", description = "Not a valid shop",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> login(@PathParam("shop") String shop) {
        return Uni.createFrom().item(() -> ShopDomain.parse(shop))
                .chain(install::begin)
                .map(redirect -> Response.status(Response.Status.FOUND).location(redirect.location())
                        .cookie(redirect.stateCookie()).build());
    }

    @GET
    @Path("/callback")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "OAuth callback", description = "Verifies hmac (±90 s), shop and state, exchanges the code for "
            + "an expiring offline token, stores it encrypted, registers webhooks, queues the first sync and sets the "
            + "session cookie. The answer never contains a token.")
    @APIResponse(responseCode = "200", description = "Installed",
            content = @Content(schema = @Schema(implementation = ShopifyInstallService.InstallAnswer.class)))
    @APIResponse(responseCode = "400", description = "Bad shop, missing code, or the code was refused",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "401", description = "Bad hmac or stale timestamp",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "403", description = "State missing, foreign, reused or expired",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> callback(@Context UriInfo uri, @CookieParam(SessionCookies.SHOPIFY_STATE) String stateCookie) {
        return install.complete(uri.getRequestUri().getRawQuery(), stateCookie)
                .map(result -> Response.ok(result.answer()).cookie(result.session(), cookies.clearState()).build());
    }
}
