package io.storefrontsync.gateway.shopify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Shopify's token answer for an expiring offline token. {@link #toString()} never shows a token. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AccessTokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("scope") String scope,
        @JsonProperty("expires_in") Long expiresIn,
        @JsonProperty("refresh_token") String refreshToken,
        @JsonProperty("refresh_token_expires_in") Long refreshTokenExpiresIn) {

    @Override
    public String toString() {
        return "AccessTokenResponse[scope=" + scope + ", expiresIn=" + expiresIn
                + ", refreshTokenExpiresIn=" + refreshTokenExpiresIn + ", tokens=<redacted>]";
    }
}
