package io.storefrontsync.worker.shopify;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Optional;

/**
 * What one Admin API answer means for the sync, as {@link AdminResponseClassifier} decides it from the
 * status, {@code Retry-After} and body alone. The session acts on it (metrics, the cost bucket, a wait,
 * a token renewal, a retry); the exception each {@link Failure} becomes is what picks among those, so it is
 * decided here, next to the classification, where a plain unit test sees it.
 */
sealed interface AdminAnswer {

    /** The {@code outcome} label of {@code storefront_shopify_requests_total}. */
    String outcome();

    /** {@code extensions.cost} of a 200 whose body was JSON; empty for the other answers. */
    default Optional<QueryCost> cost() {
        return Optional.empty();
    }

    /**
     * {@code extensions.cost} of one answer.
     *
     * @param throttleStatus the bucket as Shopify saw it, for {@link CostBudget#observe}; null when absent
     * @param requested      {@code requestedQueryCost}, -1 when Shopify did not report it
     * @param actual         {@code actualQueryCost}, 0 when absent (a refused query costs nothing)
     */
    record QueryCost(JsonNode throttleStatus, int requested, int actual) {
    }

    /** 200 with {@code data} and no {@code errors}: the only answer a sync goes on with. */
    record Data(JsonNode data, QueryCost queryCost) implements AdminAnswer {
        @Override
        public String outcome() {
            return "ok";
        }

        @Override
        public Optional<QueryCost> cost() {
            return Optional.of(queryCost);
        }
    }

    /** Anything but data: the session throws {@link #failure}, whose type says what happens next. */
    sealed interface Failure extends AdminAnswer {

        /** @param context the shop and operation, e.g. {@code demo.myshopify.com CatalogProducts}; never a token */
        ShopifyApiException failure(String context);
    }

    /** 401 or 403: the session re-reads the shop's token once, else the job fails and its retry reads it again. */
    record TokenRefused(int status) implements Failure {
        @Override
        public String outcome() {
            return String.valueOf(status);
        }

        @Override
        public ShopifyApiException failure(String context) {
            return new ShopifyApiException.Unauthorized(context + ": Shopify answered " + status
                    + " (access token expired, revoked or missing a scope); the gateway refreshes tokens,"
                    + " the next attempt uses the new one");
        }
    }

    /**
     * 429 or a GraphQL {@code THROTTLED} error: wait {@code waitMillis}, then send the same query again.
     *
     * @param reason    {@code 429} or {@code THROTTLED}
     * @param queryCost the cost block of a THROTTLED body (its bucket state); null for a 429
     */
    record RateLimited(String reason, long waitMillis, QueryCost queryCost) implements Failure {
        @Override
        public String outcome() {
            return label();
        }

        /** The {@code reason} label of the throttle metrics: {@code 429} or {@code throttled}. */
        String label() {
            return reason.toLowerCase(Locale.ROOT);
        }

        @Override
        public Optional<QueryCost> cost() {
            return Optional.ofNullable(queryCost);
        }

        @Override
        public ShopifyApiException failure(String context) {
            return new ShopifyApiException.RateLimited(reason, waitMillis);
        }
    }

    /** 5xx: retried with backoff inside the sync. */
    record ServerError(int status) implements Failure {
        @Override
        public String outcome() {
            return "5xx";
        }

        @Override
        public ShopifyApiException failure(String context) {
            return new ShopifyApiException.Transient(context + ": HTTP " + status);
        }
    }

    /**
     * Any other status that is not 200 (402 a frozen shop, 423 a locked one, 404 an unknown API version or
     * shop, 400...): resending the same request cannot help; the job fails and the queue retries it later.
     */
    record HttpError(int status, String bodySnippet) implements Failure {
        @Override
        public String outcome() {
            return "error";
        }

        @Override
        public ShopifyApiException failure(String context) {
            return new ShopifyApiException(context + ": HTTP " + status + " " + bodySnippet);
        }
    }

    /** A 200 whose body is not JSON: a proxy or a cut connection, retried like a 5xx. */
    record Unreadable(String problem) implements Failure {
        @Override
        public String outcome() {
            return "error";
        }

        @Override
        public ShopifyApiException failure(String context) {
            return new ShopifyApiException.Transient(context + ": unreadable answer: " + problem);
        }
    }

    /** GraphQL {@code errors} other than THROTTLED (even beside partial data): the query itself is wrong. */
    record GraphQLErrors(String description, QueryCost queryCost) implements Failure {
        @Override
        public String outcome() {
            return "error";
        }

        @Override
        public Optional<QueryCost> cost() {
            return Optional.of(queryCost);
        }

        @Override
        public ShopifyApiException failure(String context) {
            return new ShopifyApiException(context + ": " + description);
        }
    }

    /** A 200 without errors and without {@code data}. */
    record NoData(QueryCost queryCost) implements Failure {
        @Override
        public String outcome() {
            return "error";
        }

        @Override
        public Optional<QueryCost> cost() {
            return Optional.of(queryCost);
        }

        @Override
        public ShopifyApiException failure(String context) {
            return new ShopifyApiException(context + ": answer without data");
        }
    }
}
