package io.storefrontsync.gateway.page;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * Whether a request asked for a page: a browser lists {@code text/html} before any wildcard; an API client sends
 * {@code application/json}, {@code *}{@code /*} or nothing, and keeps getting exactly the JSON it got before.
 */
public final class Accepts {

    private Accepts() {
    }

    public static boolean html(HttpHeaders headers) {
        // Ordered by quality, then by specificity.
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isWildcardType() || type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
            if (type.isCompatible(MediaType.TEXT_HTML_TYPE) || type.isCompatible(MediaType.APPLICATION_XHTML_XML_TYPE)) {
                return !type.isWildcardSubtype();
            }
        }
        return false;
    }
}
