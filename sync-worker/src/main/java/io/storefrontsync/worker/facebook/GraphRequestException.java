package io.storefrontsync.worker.facebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Graph error answer ({@code {"error":{"message","type","code","error_subcode","is_transient"}}}) with the
 * usage headers that came with it. The message is Graph's, shortened and with anything shaped like an access
 * token removed, so it may be logged and stored as a job's last error.
 */
public class GraphRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 300;
    // User and Page tokens start with EAA; app tokens are "<app id>|<secret>".
    private static final Pattern TOKEN_LIKE = Pattern.compile("EAA[A-Za-z0-9]{10,}|[0-9]{5,}\\|[A-Za-z0-9_-]{10,}");
    /** Application (4), user (17), page (32) and per-API (613) rate limits. */
    static final Set<Integer> RATE_LIMIT_CODES = Set.of(4, 17, 32, 613);
    /** Invalid or expired access token (190), and the older "session key invalid" (102). */
    static final Set<Integer> INVALID_TOKEN_CODES = Set.of(190, 102);

    private final int status;
    private final int code;
    private final Integer subcode;
    private final boolean isTransient;
    private final transient GraphUsage usage;

    GraphRequestException(int status, int code, Integer subcode, boolean isTransient, GraphUsage usage, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.subcode = subcode;
        this.isTransient = isTransient;
        this.usage = usage;
    }

    static GraphRequestException from(Response response) {
        int status = response.getStatus();
        GraphUsage usage = GraphUsage.from(response::getHeaderString);
        try {
            JsonNode error = JSON.readTree(response.readEntity(String.class)).path("error");
            if (error.isObject()) {
                int code = error.path("code").asInt(-1);
                Integer subcode = error.hasNonNull("error_subcode") ? error.path("error_subcode").asInt() : null;
                String message = "Graph error " + code + (subcode == null ? "" : "/" + subcode) + " (HTTP " + status
                        + "): " + redact(error.path("message").asText(""));
                return new GraphRequestException(status, code, subcode, error.path("is_transient").asBoolean(false),
                        usage, message);
            }
        } catch (Exception e) {
            // not a Graph error body: the status alone says what happened
        }
        return new GraphRequestException(status, -1, null, false, usage, "HTTP " + status + " without a Graph error body");
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

    GraphUsage usage() {
        return usage == null ? GraphUsage.NONE : usage;
    }

    public boolean isRateLimit() {
        return RATE_LIMIT_CODES.contains(code);
    }

    public boolean isInvalidToken() {
        return INVALID_TOKEN_CODES.contains(code);
    }

    /** Worth another try after a pause: throttled, flagged transient by Graph, or a server-side failure. */
    public boolean isRetryable() {
        return !isInvalidToken() && (isRateLimit() || isTransient || status >= 500);
    }
}
