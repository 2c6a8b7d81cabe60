package io.storefrontsync.gateway.facebook;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The Graph API calls of Facebook Login for Pages. Secrets and tokens travel only in form bodies and the
 * {@code Authorization} header, never in a URL, so no access log or exception message can carry them.
 * Every non-2xx answer becomes a {@link GraphApiException}.
 */
@Path("/{version}")
@Produces(MediaType.APPLICATION_JSON)
public interface GraphApi {

    @POST
    @Path("/oauth/access_token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    Uni<GraphTokenResponse> exchangeCode(@PathParam("version") String version,
                                         @FormParam("client_id") String clientId,
                                         @FormParam("client_secret") String clientSecret,
                                         @FormParam("redirect_uri") String redirectUri,
                                         @FormParam("code") String code);

    @POST
    @Path("/oauth/access_token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    Uni<GraphTokenResponse> exchangeForLongLived(@PathParam("version") String version,
                                                 @FormParam("grant_type") String grantType,
                                                 @FormParam("client_id") String clientId,
                                                 @FormParam("client_secret") String clientSecret,
                                                 @FormParam("fb_exchange_token") String shortLivedToken);

    @GET
    @Path("/me")
    Uni<JsonNode> me(@PathParam("version") String version,
                     @HeaderParam("Authorization") String authorization,
                     @QueryParam("fields") String fields);

    /** {@code after} null for the first page of results. */
    @GET
    @Path("/me/accounts")
    Uni<JsonNode> accounts(@PathParam("version") String version,
                           @HeaderParam("Authorization") String authorization,
                           @QueryParam("fields") String fields,
                           @QueryParam("limit") int limit,
                           @QueryParam("after") String after);

    @GET
    @Path("/{page}/subscribed_apps")
    Uni<JsonNode> subscribedApps(@PathParam("version") String version,
                                 @PathParam("page") String pageId,
                                 @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/{page}/subscribed_apps")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    Uni<JsonNode> subscribeApp(@PathParam("version") String version,
                               @PathParam("page") String pageId,
                               @HeaderParam("Authorization") String authorization,
                               @FormParam("subscribed_fields") String subscribedFields);

    /** The app's webhook subscription for an object type; Graph verifies the callback with a GET first. */
    @POST
    @Path("/{app}/subscriptions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    Uni<JsonNode> subscribeAppWebhooks(@PathParam("version") String version,
                                      @PathParam("app") String appId,
                                      @HeaderParam("Authorization") String appTokenAuthorization,
                                      @FormParam("object") String object,
                                      @FormParam("callback_url") String callbackUrl,
                                      @FormParam("fields") String fields,
                                      @FormParam("verify_token") String verifyToken);

    @GET
    @Path("/{app}/subscriptions")
    Uni<JsonNode> appWebhooks(@PathParam("version") String version,
                              @PathParam("app") String appId,
                              @HeaderParam("Authorization") String appTokenAuthorization);

    static String bearer(String token) {
        return "Bearer " + token;
    }

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return GraphApiException.from(response);
    }
}
