package io.storefrontsync.sandbox.shopify;

/**
 * A cap on {@code POST /admin/oauth/access_token} calls per second for the whole app (every shop
 * together), set with {@code POST /_sim/token-rate-limit}: past it the endpoint answers 429 with
 * {@code Retry-After}, so a token refresher at scale must pace itself and retry. Off (0) by default.
 * Fixed one-second windows: the simplest limit that still refuses a burst.
 */
final class TokenRateLimit {

    private int perSecond;
    private long windowSecond;
    private int usedInWindow;
    private long refused;

    synchronized void set(int callsPerSecond) {
        this.perSecond = Math.max(0, callsPerSecond);
        this.usedInWindow = 0;
    }

    /** True when this call is within the limit (and counts it); false when it must be refused. */
    synchronized boolean tryAcquire(long nowMillis) {
        if (perSecond == 0) {
            return true;
        }
        long second = nowMillis / 1000;
        if (second != windowSecond) {
            windowSecond = second;
            usedInWindow = 0;
        }
        if (usedInWindow >= perSecond) {
            refused++;
            return false;
        }
        usedInWindow++;
        return true;
    }

    synchronized int perSecond() {
        return perSecond;
    }

    synchronized long refused() {
        return refused;
    }

    synchronized void reset() {
        perSecond = 0;
        usedInWindow = 0;
        refused = 0;
    }
}
