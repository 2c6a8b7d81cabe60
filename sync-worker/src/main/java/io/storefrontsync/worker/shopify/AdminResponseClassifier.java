package io.storefrontsync.worker.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefrontsync.common.json.CanonicalJson;

import java.nio.charset.StandardCharsets;

/**
 * Decides what an Admin GraphQL answer means ({@link AdminAnswer}), in this order:
 * <ol>
 *   <li>401 / 403 → the token was refused;</li>
 *   <li>429 → rate limited, wait {@code Retry-After} (seconds; one second when absent or unreadable) plus jitter;</li>
 *   <li>5xx → transient;</li>
 *   <li>any other status but 200 → a failure resending cannot fix;</li>
 *   <li>a body that is not JSON → transient;</li>
 *   <li>a {@code THROTTLED} error → rate limited, wait until the bucket has refilled the points this query requests;</li>
 *   <li>any other {@code errors}, even beside {@code data} → failure;</li>
 *   <li>no {@code data} → failure;</li>
 *   <li>otherwise the data.</li>
 * </ol>
 * GraphQL carries its errors in a 200, so the status alone never says a query worked. The worker sends
 * queries only, never mutations, so there are no {@code userErrors} to read.
 *
 * <p>A pure function of its arguments (the random jitter is one of them), so every branch has a plain
 * unit test; {@link ShopifyAdminGraphQL} does the side effects.
 */
final class AdminResponseClassifier {

    /** Longest error text kept in a message: it ends up in the job's {@code last_error}. */
    static final int MAX_ERROR_BODY = 300;

    /** The wait after a 429 without a readable {@code Retry-After}. */
    static final long DEFAULT_RETRY_AFTER_MILLIS = 1000;

    private AdminResponseClassifier() {
    }

    /**
     * @param status        the HTTP status
     * @param retryAfter    the {@code Retry-After} header, null when absent
     * @param body          the body as received
     * @param requestedCost what the query requests by our formulas ({@link CatalogQueries}); a THROTTLED
     *                      wait covers the larger of it and Shopify's figure
     * @param jitterMillis  added to a 429's wait, so that syncs refused together do not come back together
     */
    static AdminAnswer classify(int status, String retryAfter, byte[] body, int requestedCost, long jitterMillis) {
        if (status == 401 || status == 403) {
            return new AdminAnswer.TokenRefused(status);
        }
        if (status == 429) {
            return new AdminAnswer.RateLimited("429", retryAfterMillis(retryAfter) + jitterMillis, null);
        }
        if (status >= 500) {
            return new AdminAnswer.ServerError(status);
        }
        if (status != 200) {
            return new AdminAnswer.HttpError(status, snippet(body));
        }
        JsonNode json;
        try {
            json = CanonicalJson.parse(body);
        } catch (IllegalArgumentException e) {
            return new AdminAnswer.Unreadable(e.getMessage());
        }
        JsonNode costNode = json.path("extensions").path("cost");
        AdminAnswer.QueryCost cost = new AdminAnswer.QueryCost(costNode.get("throttleStatus"),
                costNode.path("requestedQueryCost").asInt(-1), costNode.path("actualQueryCost").asInt(0));
        JsonNode errors = json.get("errors");
        if (errors != null && errors.isArray() && isThrottled(errors)) {
            return new AdminAnswer.RateLimited("THROTTLED",
                    CostBudget.refillMillis(Math.max(requestedCost, cost.requested()), cost.throttleStatus()), cost);
        }
        if (errors != null && !errors.isEmpty()) {
            return new AdminAnswer.GraphQLErrors(describe(errors), cost);
        }
        JsonNode data = json.get("data");
        if (data == null || data.isNull()) {
            return new AdminAnswer.NoData(cost);
        }
        return new AdminAnswer.Data(data, cost);
    }

    /** {@code Retry-After} in seconds (Shopify sends {@code 2.0}) as milliseconds; one second when absent or unreadable. */
    static long retryAfterMillis(String header) {
        if (header == null || header.isBlank()) {
            return DEFAULT_RETRY_AFTER_MILLIS;
        }
        try {
            return (long) Math.ceil(Double.parseDouble(header.trim()) * 1000);
        } catch (NumberFormatException e) {
            return DEFAULT_RETRY_AFTER_MILLIS;
        }
    }

    private static boolean isThrottled(JsonNode errors) {
        for (JsonNode error : errors) {
            if ("THROTTLED".equals(error.path("extensions").path("code").asText())) {
                return true;
            }
        }
        return false;
    }

    /** {@code CODE: message; CODE: message}, cut to {@link #MAX_ERROR_BODY}. */
    static String describe(JsonNode errors) {
        StringBuilder out = new StringBuilder();
        for (JsonNode error : errors) {
            if (out.length() > 0) {
                out.append("; ");
            }
            String code = error.path("extensions").path("code").asText("");
            out.append(code.isEmpty() ? "" : code + ": ").append(error.path("message").asText("?"));
            if (out.length() > MAX_ERROR_BODY) {
                break;
            }
        }
        return out.length() > MAX_ERROR_BODY ? out.substring(0, MAX_ERROR_BODY) + "…" : out.toString();
    }

    static String snippet(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > MAX_ERROR_BODY ? text.substring(0, MAX_ERROR_BODY) + "…" : text;
    }
}
