package io.storefrontsync.gateway.facebook;

import io.storefrontsync.common.facebook.GraphError;
import jakarta.ws.rs.core.Response;

import java.util.Set;

/**
 * A Graph API error answer ({@code {"error":{"message","type","code","error_subcode","fbtrace_id"}}}). The
 * message is Graph's, shortened and with anything shaped like an access token removed, so it may be logged and
 * shown.
 */
public class GraphApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    // Graph user/page tokens start with EAA; app tokens are "<app id>|<secret>".
    /** Application, user and page rate limits (https://developers.facebook.com/docs/graph-api/overview/rate-limiting/). */
    private static final Set<Integer> RATE_LIMIT_CODES = Set.of(4, 17, 32, 613);
    /** Invalid or expired access token. */
    public static final int INVALID_TOKEN = 190;

    private final int status;
    private final int code;
    private final Integer subcode;
    private final String type;

    public GraphApiException(int status, int code, Integer subcode, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.subcode = subcode;
        this.type = type;
    }

    static GraphApiException from(Response response) {
        int status = response.getStatus();
        return GraphError.parse(response.readEntity(String.class))
                .map(e -> new GraphApiException(status, e.code(), e.subcode(), e.type(), e.message()))
                .orElseGet(() -> new GraphApiException(status, -1, null, null, "HTTP " + status + " without a Graph error body"));
    }

    public int status() {
        return status;
    }

    public int code() {
        return code;
    }

    public Integer subcode() {
        return subcode;
    }

    public String type() {
        return type;
    }

    public boolean isInvalidToken() {
        return code == INVALID_TOKEN;
    }

    public boolean isRateLimit() {
        return RATE_LIMIT_CODES.contains(code);
    }

    /** "(#code) message", what Graph's own SDKs print. */
    public String describe() {
        return "Graph error " + code + (subcode == null ? "" : "/" + subcode) + ": " + getMessage();
    }
}
