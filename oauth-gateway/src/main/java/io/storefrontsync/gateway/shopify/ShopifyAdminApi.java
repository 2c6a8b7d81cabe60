package io.storefrontsync.gateway.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;

import java.util.Map;

/**
 * One shop's admin, from {@link ShopifyAdminClients#forShop}: the token exchange and refresh, and the Admin GraphQL
 * API. A failed call fails with the REST client's {@link jakarta.ws.rs.WebApplicationException} (the status) or the
 * connection error.
 */
public interface ShopifyAdminApi {

    Uni<AccessTokenResponse> exchangeCode(String clientId, String clientSecret, String code, String expiring);

    Uni<AccessTokenResponse> refresh(String clientId, String clientSecret, String grantType, String refreshToken);

    Uni<JsonNode> graphql(String version, String accessToken, Map<String, Object> request);
}
