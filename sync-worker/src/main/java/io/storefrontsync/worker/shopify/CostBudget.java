package io.storefrontsync.worker.shopify;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What we know of one shop's cost bucket from the last {@code extensions.cost.throttleStatus}:
 * it held {@code currentlyAvailable} points when Shopify answered and refills at
 * {@code restoreRate} points per second up to {@code maximumAvailable}. Before a query we wait
 * until the estimate covers its requested cost, so Shopify never has to refuse it.
 */
final class CostBudget {

    /** Added to every computed wait: our clock and Shopify's never agree to the millisecond. */
    static final long SAFETY_MILLIS = 50;

    private boolean known;
    private double available;
    private double maximum;
    private double restoreRate;
    private long observedAtNanos;

    synchronized void observe(JsonNode throttleStatus, long nowNanos) {
        if (throttleStatus == null || !throttleStatus.hasNonNull("currentlyAvailable")
                || !throttleStatus.hasNonNull("restoreRate") || !throttleStatus.hasNonNull("maximumAvailable")) {
            return;
        }
        available = throttleStatus.get("currentlyAvailable").asDouble();
        maximum = throttleStatus.get("maximumAvailable").asDouble();
        restoreRate = throttleStatus.get("restoreRate").asDouble();
        observedAtNanos = nowNanos;
        known = restoreRate > 0;
    }

    /** How long to wait before sending a query that requests {@code cost}; 0 when nothing is known yet. */
    synchronized long waitMillis(int cost, long nowNanos) {
        if (!known) {
            return 0;
        }
        double estimate = Math.min(maximum, available + (nowNanos - observedAtNanos) / 1e9 * restoreRate);
        if (estimate >= cost) {
            return 0;
        }
        return (long) Math.ceil((cost - estimate) / restoreRate * 1000) + SAFETY_MILLIS;
    }

    /** The wait after a THROTTLED answer that reported how much was available then. */
    static long refillMillis(int cost, JsonNode throttleStatus) {
        double available = throttleStatus == null ? 0 : throttleStatus.path("currentlyAvailable").asDouble(0);
        double rate = throttleStatus == null ? 0 : throttleStatus.path("restoreRate").asDouble(0);
        if (rate <= 0) {
            return 1000;
        }
        return (long) Math.ceil(Math.max(0, cost - available) / rate * 1000) + SAFETY_MILLIS;
    }

    /** The refill rate once known, else {@code fallback}. */
    synchronized double restoreRateOr(double fallback) {
        return known ? restoreRate : fallback;
    }

    /** The bucket's size once known: no single query may request more. */
    synchronized int maximumOr(int fallback) {
        return known ? (int) Math.floor(maximum) : fallback;
    }
}
