package io.storefrontsync.gateway.facebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Graph API error answer ({@code {"error":{"message","type","code","error_subcode","fbtrace_id"}}}). The
 * message is Graph's, shortened and with anything shaped like an access token removed, so it may be logged and
 * shown.
 */
public class GraphApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 300;
    // Graph user/page tokens start with EAA; app tokens are "<app id>|<secret>".
    private static final Pattern TOKEN_LIKE = Pattern.compile("EAA[A-Za-z0-9]{10,}|[0-9]{5,}\\|[A-Za-z0-9_-]{10,}");
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
        try {
            JsonNode error = JSON.readTree(response.readEntity(String.class)).path("error");
            if (error.isObject()) {
                return new GraphApiException(status, error.path("code").asInt(-1),
                        error.hasNonNull("error_subcode") ? error.path("error_subcode").asInt() : null,
                        error.path("type").asText(null), redact(error.path("message").asText("")));
            }
        } catch (Exception e) {
            // not a Graph error body: fall through to the status alone
        }
        return new GraphApiException(status, -1, null, null, "HTTP " + status + " without a Graph error body");
    }

    static String redact(String message) {
        String cleaned = TOKEN_LIKE.matcher(message).replaceAll("[redacted]");
        return cleaned.length() > MAX_MESSAGE ? cleaned.substring(0, MAX_MESSAGE) + "..." : cleaned;
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
