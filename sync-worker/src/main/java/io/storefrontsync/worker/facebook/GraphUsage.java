package io.storefrontsync.worker.facebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.function.Function;

/**
 * What Graph's usage headers say about how close we are to a rate limit
 * (https://developers.facebook.com/docs/graph-api/overview/rate-limiting/): {@code X-App-Usage} for the
 * app, {@code X-Page-Usage} and {@code X-Business-Use-Case-Usage} for Page-token calls. Each reports
 * percentages ({@code call_count}, {@code total_cputime}, {@code total_time}); the BUC header may add
 * {@code estimated_time_to_regain_access}, in minutes.
 *
 * @param appPercent highest app-level percentage, 0 when absent
 * @param pagePercent highest page-level (page or business use case) percentage, 0 when absent
 * @param regainAccess Graph's estimate of how long until calls are accepted again, zero when absent
 */
record GraphUsage(int appPercent, int pagePercent, Duration regainAccess) {

    static final GraphUsage NONE = new GraphUsage(0, 0, Duration.ZERO);
    private static final ObjectMapper JSON = new ObjectMapper();

    static GraphUsage from(Function<String, String> header) {
        int app = percent(parse(header.apply("X-App-Usage")));
        int page = percent(parse(header.apply("X-Page-Usage")));
        long regainMinutes = 0;
        JsonNode buc = parse(header.apply("X-Business-Use-Case-Usage"));
        // {"<business or page id>": [{"type": "pages", "call_count": 12, ..., "estimated_time_to_regain_access": 0}]}
        for (JsonNode entries : buc) {
            for (JsonNode entry : entries) {
                page = Math.max(page, percent(entry));
                regainMinutes = Math.max(regainMinutes, entry.path("estimated_time_to_regain_access").asLong(0));
            }
        }
        return new GraphUsage(app, page, Duration.ofMinutes(regainMinutes));
    }

    int highestPercent() {
        return Math.max(appPercent, pagePercent);
    }

    private static int percent(JsonNode usage) {
        return Math.max(usage.path("call_count").asInt(0),
                Math.max(usage.path("total_cputime").asInt(0), usage.path("total_time").asInt(0)));
    }

    /** A header Graph did not send, or sent in a shape we do not know, counts as no usage. */
    private static JsonNode parse(String value) {
        if (value == null || value.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }
}
