package io.storefrontsync.gateway.session;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.gateway.admin.AdminTokenService;
import io.storefrontsync.gateway.error.ApiException;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /session/token}: the signed-in merchant (session cookie from a Shopify install or the App URL) gets a
 * short-lived user JWT for the worker's API on their own uuid. POST, and the cookie is {@code SameSite=Lax}: another
 * site cannot make a browser send it here, and without CORS it could not read the answer.
 */
@Path("/session/token")
@Tag(name = "Merchant status")
public class UserTokenResource {

    private final SessionCookies cookies;
    private final UserTokenService tokens;

    public UserTokenResource(SessionCookies cookies, UserTokenService tokens) {
        this.cookies = cookies;
        this.tokens = tokens;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A user JWT for the signed-in merchant",
            description = "Needs the session cookie (sfs_session). Answers a JWT with role user, sub = the merchant's "
                    + "uuid, audience sync-worker, valid gateway.session.user-token-lifetime (15 min): it reads that "
                    + "user's GET /jobs, /jobs/{id}, /connections and POST /resync on the worker, nothing else.")
    @APIResponse(responseCode = "200", description = "The token",
            content = @Content(schema = @Schema(implementation = AdminTokenService.AdminToken.class)))
    @APIResponse(responseCode = "401", description = "No valid session",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> mint(@CookieParam(SessionCookies.SESSION) String session) {
        return Uni.createFrom().item(() -> cookies.readSession(session).orElseThrow(() -> new ApiException(401,
                        "no_session", "no valid session: install the app on a Shopify store first (/shopify/{shop}/login)")))
                .map(user -> {
                    CacheControl noStore = new CacheControl();
                    noStore.setNoStore(true);
                    return Response.ok(tokens.mint(user)).cacheControl(noStore).build();
                });
    }
}
