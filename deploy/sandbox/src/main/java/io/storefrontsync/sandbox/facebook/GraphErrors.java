package io.storefrontsync.sandbox.facebook;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The Graph API error envelope: {@code {"error":{"message","type","code","error_subcode","fbtrace_id"}}}.
 * Messages, codes and subcodes are the ones Graph answers, so a client's error handling can be tested
 * against this simulator exactly as it would meet them in production
 * (https://developers.facebook.com/docs/graph-api/guides/error-handling).
 */
final class GraphErrors {

    private GraphErrors() {
    }

    /** A Graph error to be answered; thrown by handlers, written by {@link #write}. */
    static final class GraphException extends RuntimeException {
        final int status;
        final String type;
        final int code;
        final Integer subcode;
        final boolean isTransient;

        GraphException(int status, String type, int code, Integer subcode, boolean isTransient, String message) {
            super(message, null, false, false);
            this.status = status;
            this.type = type;
            this.code = code;
            this.subcode = subcode;
            this.isTransient = isTransient;
        }

        JsonObject toJson() {
            JsonObject error = new JsonObject().put("message", getMessage()).put("type", type).put("code", code);
            if (subcode != null) {
                error.put("error_subcode", subcode);
            }
            if (isTransient) {
                error.put("is_transient", true);
            }
            return new JsonObject().put("error", error.put("fbtrace_id", fbtraceId()));
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TRACE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // Graph's own wording for expiry: "Session has expired on Tuesday, 25-Nov-26 12:00:00 PST."
    private static final DateTimeFormatter EXPIRY = DateTimeFormatter
            .ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    static String fbtraceId() {
        StringBuilder id = new StringBuilder("A");
        for (int i = 0; i < 22; i++) {
            id.append(TRACE_ALPHABET.charAt(RANDOM.nextInt(TRACE_ALPHABET.length())));
        }
        return id.toString();
    }

    static void write(HttpServerResponse response, GraphException error) {
        response.setStatusCode(error.status).putHeader("content-type", "application/json; charset=UTF-8");
        if (error.code == 190 || error.code == 102) {
            // Graph names OAuth failures in WWW-Authenticate too; some clients look only there.
            response.putHeader("WWW-Authenticate",
                    "OAuth \"Facebook Platform\" \"invalid_token\" \"" + error.getMessage().replace("\"", "'") + "\"");
        }
        response.end(error.toJson().encode());
    }

    // --- parameters and objects -------------------------------------------------------------

    static GraphException nonexistingField(String field, String nodeType) {
        return new GraphException(400, "OAuthException", 100, null, false,
                "(#100) Tried accessing nonexisting field (" + field + ") on node type (" + nodeType + ")");
    }

    static GraphException missingParameter(String name) {
        return new GraphException(400, "OAuthException", 100, null, false,
                "(#100) The parameter " + name + " is required");
    }

    static GraphException invalidParameter(String message) {
        return new GraphException(400, "OAuthException", 100, null, false, "(#100) " + message);
    }

    /** What Graph answers for an id that does not exist or that the token may not see. */
    static GraphException unsupportedGet(String id) {
        return new GraphException(400, "GraphMethodException", 100, 33, false,
                "Unsupported get request. Object with ID '" + id + "' does not exist, cannot be loaded due to"
                        + " missing permissions, or does not support this operation. Please read the Graph API"
                        + " documentation at https://developers.facebook.com/docs/graph-api");
    }

    static GraphException unsupportedMethod(String method, String id) {
        return new GraphException(400, "GraphMethodException", 100, 33, false,
                "Unsupported " + method.toLowerCase(Locale.ROOT) + " request. Object with ID '" + id
                        + "' does not exist, cannot be loaded due to missing permissions, or does not support this"
                        + " operation. Please read the Graph API documentation at"
                        + " https://developers.facebook.com/docs/graph-api");
    }

    static GraphException unknownPath(String path) {
        return new GraphException(400, "OAuthException", 2500, null, false, "Unknown path components: " + path);
    }

    static GraphException pageTokenRequired() {
        return new GraphException(400, "OAuthException", 210, null, false,
                "(#210) A page access token is required to request this resource.");
    }

    static GraphException appTokenRequired() {
        return new GraphException(400, "OAuthException", 15, null, false,
                "(#15) This method must be called with an app access_token.");
    }

    static GraphException callbackVerificationFailed(String detail) {
        return new GraphException(400, "OAuthException", 2200, null, false,
                "(#2200) callback verification failed: " + detail);
    }

    // --- access tokens ----------------------------------------------------------------------

    static GraphException activeTokenRequired() {
        return new GraphException(400, "OAuthException", 2500, null, false,
                "An active access token must be used to query information about the current user.");
    }

    static GraphException cannotParseToken() {
        return new GraphException(400, "OAuthException", 190, null, false,
                "Invalid OAuth access token - Cannot parse access token");
    }

    static GraphException tokenExpired(Instant expiredAt, Instant now) {
        return new GraphException(400, "OAuthException", 190, 463, false,
                "Error validating access token: Session has expired on " + EXPIRY.format(expiredAt)
                        + ". The current time is " + EXPIRY.format(now) + ".");
    }

    static GraphException tokenInvalidated() {
        return new GraphException(400, "OAuthException", 190, 460, false,
                "Error validating access token: The session has been invalidated because the user changed their"
                        + " password or Facebook has changed the session for security reasons.");
    }

    // --- OAuth code exchange ----------------------------------------------------------------

    static GraphException invalidAppId() {
        return new GraphException(400, "OAuthException", 101, null, false,
                "Error validating application. Invalid application ID.");
    }

    static GraphException invalidClientSecret() {
        return new GraphException(400, "OAuthException", 1, null, false, "Error validating client secret.");
    }

    static GraphException invalidCode() {
        return new GraphException(400, "OAuthException", 100, 36007, false, "Invalid verification code format.");
    }

    static GraphException codeAlreadyUsed() {
        return new GraphException(400, "OAuthException", 100, 36009, false,
                "This authorization code has been used.");
    }

    static GraphException codeExpired() {
        return new GraphException(400, "OAuthException", 100, 36007, false,
                "This authorization code has expired.");
    }

    static GraphException redirectUriMismatch() {
        return new GraphException(400, "OAuthException", 100, 36008, false,
                "Error validating verification code. Please make sure your redirect_uri is identical to the one you"
                        + " used in the OAuth dialog request");
    }

    // --- throttling and outages -------------------------------------------------------------

    /**
     * Graph's throttling errors. All are transient; Graph answers the app/user/page limits with 403 and the
     * per-API limit (613) with 400, and each carries {@code is_transient: true} so clients know to back off.
     */
    static GraphException rateLimited(int code) {
        return switch (code) {
            case 4 -> new GraphException(403, "OAuthException", 4, null, true,
                    "(#4) Application request limit reached");
            case 17 -> new GraphException(403, "OAuthException", 17, null, true,
                    "(#17) User request limit reached");
            case 32 -> new GraphException(403, "OAuthException", 32, null, true,
                    "(#32) Page request limit reached");
            case 613 -> new GraphException(400, "OAuthException", 613, null, true,
                    "(#613) Calls to this api have exceeded the rate limit.");
            default -> throw new IllegalArgumentException("not a Graph rate-limit code: " + code);
        };
    }

    static GraphException serviceUnavailable() {
        return new GraphException(500, "OAuthException", 2, null, true,
                "An unexpected error has occurred. Please retry your request later.");
    }
}
