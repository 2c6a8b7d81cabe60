package io.storefrontsync.worker.facebook;

import io.storefrontsync.common.facebook.GraphError;
import jakarta.ws.rs.core.Response;

import java.util.Set;

/**
 * A Graph error answer ({@code {"error":{"message","type","code","error_subcode","is_transient"}}}) with the
 * usage headers that came with it. The message is Graph's, shortened and with anything shaped like an access
 * token removed, so it may be logged and stored as a job's last error.
 */
public class GraphRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    // User and Page tokens start with EAA; app tokens are "<app id>|<secret>".
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
        return GraphError.parse(response.readEntity(String.class))
                .map(e -> new GraphRequestException(status, e.code(), e.subcode(), e.isTransient(), usage,
                        "Graph error " + e.code() + (e.subcode() == null ? "" : "/" + e.subcode()) + " (HTTP " + status
                                + "): " + e.message()))
                .orElseGet(() -> new GraphRequestException(status, -1, null, false, usage,
                        "HTTP " + status + " without a Graph error body"));
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
