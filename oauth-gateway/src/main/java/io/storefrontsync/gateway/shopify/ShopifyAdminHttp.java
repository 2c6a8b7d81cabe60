package io.storefrontsync.gateway.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.rest.client.reactive.Url;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.URI;
import java.util.Map;

/**
 * Every shop's admin through one REST client (one connection pool): each call names its shop's admin base, which
 * only {@link ShopifyAdminClients} computes, from the validated domain. Callers use {@link ShopifyAdminApi}.
 */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
public interface ShopifyAdminHttp {

    @POST
    @Path("/oauth/access_token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    Uni<AccessTokenResponse> exchangeCode(@Url URI admin, @FormParam("client_id") String clientId,
                                          @FormParam("client_secret") String clientSecret,
                                          @FormParam("code") String code,
                                          @FormParam("expiring") String expiring);

    @POST
    @Path("/oauth/access_token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    Uni<AccessTokenResponse> refresh(@Url URI admin, @FormParam("client_id") String clientId,
                                     @FormParam("client_secret") String clientSecret,
                                     @FormParam("grant_type") String grantType,
                                     @FormParam("refresh_token") String refreshToken);

    @POST
    @Path("/api/{version}/graphql.json")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<JsonNode> graphql(@Url URI admin, @PathParam("version") String version,
                          @HeaderParam("X-Shopify-Access-Token") String accessToken,
                          Map<String, Object> request);
}
