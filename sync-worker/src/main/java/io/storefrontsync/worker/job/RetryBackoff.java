package io.storefrontsync.worker.job;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": half the exponential delay is fixed, the other half
 * random, so retries of many jobs that failed together (Spaces down) spread out.
 */
final class RetryBackoff {

    private RetryBackoff() {
    }

    static Duration after(int failedAttempts, Duration initial, Duration max) {
        int exponent = Math.max(0, Math.min(failedAttempts - 1, 30));
        long exponential = Math.min(max.toMillis(), initial.toMillis() * (1L << exponent));
        long half = exponential / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
