package io.storefrontsync.gateway.facebook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Graph's {@code /oauth/access_token} answer. {@link #toString()} never shows the token. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GraphTokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") Long expiresIn) {

    @Override
    public String toString() {
        return "GraphTokenResponse[tokenType=" + tokenType + ", expiresIn=" + expiresIn + ", token=<redacted>]";
    }
}
