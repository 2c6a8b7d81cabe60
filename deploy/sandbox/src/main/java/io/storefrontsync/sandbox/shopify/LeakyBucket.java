package io.storefrontsync.sandbox.shopify;

import java.util.function.LongSupplier;

/**
 * Shopify's cost bucket for one app on one shop: holds up to {@code maximum} points, refills at
 * {@code restoreRate} points per second of elapsed time. A query must find its requested cost
 * available before it runs; the unused part (requested − actual) is given back afterwards.
 */
final class LeakyBucket {

    private final int maximum;
    private final int restoreRate;
    private final LongSupplier nanoTime;
    private double available;
    private long lastRefill;

    LeakyBucket(int maximum, int restoreRate, LongSupplier nanoTime) {
        this.maximum = maximum;
        this.restoreRate = restoreRate;
        this.nanoTime = nanoTime;
        this.available = maximum;
        this.lastRefill = nanoTime.getAsLong();
    }

    /** Takes {@code cost} points if they are there; false (and nothing taken) otherwise. */
    synchronized boolean tryTake(int cost) {
        refill();
        if (cost > available) {
            return false;
        }
        available -= cost;
        return true;
    }

    synchronized void refund(int points) {
        refill();
        available = Math.min(maximum, available + Math.max(0, points));
    }

    synchronized int currentlyAvailable() {
        refill();
        return (int) Math.floor(available);
    }

    int maximum() {
        return maximum;
    }

    int restoreRate() {
        return restoreRate;
    }

    /** Empties the bucket; it refills at the restore rate from now on. */
    synchronized void drain() {
        refill();
        available = 0;
    }

    synchronized void reset() {
        available = maximum;
        lastRefill = nanoTime.getAsLong();
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        available = Math.min(maximum, available + (now - lastRefill) / 1e9 * restoreRate);
        lastRefill = now;
    }
}
