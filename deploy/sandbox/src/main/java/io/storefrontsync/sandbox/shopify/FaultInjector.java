package io.storefrontsync.sandbox.shopify;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Armed faults for the Admin API ({@code POST /_sim/faults}): each fault answers the next
 * {@code count} Admin API requests of its shop (or of any shop when none is named), in the order
 * the faults were armed.
 */
final class FaultInjector {

    enum Kind {
        TOO_MANY_REQUESTS("429"), INTERNAL_ERROR("500"), UNAVAILABLE("503"), SLOW("slow"),
        /** The shop's cost bucket is emptied, so the request meets the simulator's real THROTTLED answer. */
        THROTTLED("throttled"),
        /** The access token the request carries lapses now (as a 1 h token does mid-sync): 401, and it stays refused. */
        TOKEN_EXPIRED("token_expired");

        final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        static Kind parse(String value) {
            for (Kind kind : values()) {
                if (kind.wireName.equalsIgnoreCase(value)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("kind must be one of 429, 500, 503, slow, throttled, token_expired; was " + value);
        }
    }

    record Fault(String shop, Kind kind, int retryAfterSeconds, long delayMillis) {
    }

    private static final class Armed {
        final Fault fault;
        int remaining;

        Armed(Fault fault, int remaining) {
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    private final Deque<Armed> armed = new ArrayDeque<>();
    /** Added to every Admin API request, as the network and Shopify's own work would ({@code POST /_sim/latency}). */
    private volatile long latencyMillis;
    /**
     * {@code POST /_sim/deprecation}: the {@code X-Shopify-API-Deprecated-Reason} every Admin API answer carries
     * until cleared (Shopify sends it when a request used a deprecated field or version); null: none.
     */
    private volatile String deprecatedReason;

    void deprecate(String reason) {
        this.deprecatedReason = reason;
    }

    String deprecatedReason() {
        return deprecatedReason;
    }

    synchronized void arm(Fault fault, int count) {
        if (count > 0) {
            armed.addLast(new Armed(fault, count));
        }
    }

    /** The fault that answers this request, consuming one use of it; null when none applies. */
    synchronized Fault next(String shop) {
        for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
            Armed candidate = it.next();
            if (candidate.fault.shop() == null || candidate.fault.shop().equals(shop)) {
                if (--candidate.remaining <= 0) {
                    it.remove();
                }
                return candidate.fault;
            }
        }
        return null;
    }

    synchronized int pending() {
        return armed.stream().mapToInt(a -> a.remaining).sum();
    }

    synchronized void clear() {
        deprecatedReason = null;
        armed.clear();
    }

    void latency(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("millis must not be negative: " + millis);
        }
        latencyMillis = millis;
    }

    long latencyMillis() {
        return latencyMillis;
    }
}
