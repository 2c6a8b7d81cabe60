package io.storefrontsync.common.facebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code {"error": {...}}} body Graph answers with, as both services read it. The message is
 * redacted (anything shaped like a user/page token or an app token {@code id|secret} is removed)
 * and bounded, so it can go into logs, job errors and answers.
 */
public record GraphError(int code, Integer subcode, String type, boolean isTransient, String message) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 300;
    private static final Pattern TOKEN_LIKE = Pattern.compile("EAA[A-Za-z0-9]{10,}|[0-9]{5,}\\|[A-Za-z0-9_-]{10,}");

    /** Empty when the body is not a Graph error object. */
    public static Optional<GraphError> parse(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (!error.isObject()) {
                return Optional.empty();
            }
            return Optional.of(new GraphError(error.path("code").asInt(-1),
                    error.hasNonNull("error_subcode") ? error.path("error_subcode").asInt() : null,
                    error.path("type").asText(null),
                    error.path("is_transient").asBoolean(false),
                    redact(error.path("message").asText(""))));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    public static String redact(String message) {
        String cleaned = TOKEN_LIKE.matcher(message).replaceAll("[redacted]");
        return cleaned.length() > MAX_MESSAGE ? cleaned.substring(0, MAX_MESSAGE) + "..." : cleaned;
    }
}
