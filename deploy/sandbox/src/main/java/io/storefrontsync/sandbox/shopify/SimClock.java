package io.storefrontsync.sandbox.shopify;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wall clock plus an offset tests can advance ({@code POST /_sim/clock}), so token expiry can be
 * tested without waiting an hour. Cost buckets use real elapsed time, not this clock.
 */
final class SimClock {

    private final AtomicLong offsetMillis = new AtomicLong();

    Instant now() {
        return Instant.now().plusMillis(offsetMillis.get());
    }

    void advance(Duration duration) {
        offsetMillis.addAndGet(duration.toMillis());
    }

    void reset() {
        offsetMillis.set(0);
    }
}
