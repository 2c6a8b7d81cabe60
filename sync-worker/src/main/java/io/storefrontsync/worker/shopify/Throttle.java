package io.storefrontsync.worker.shopify;

/**
 * A shop's Admin API throttle as this worker last saw it ({@code extensions.cost.throttleStatus}): the bucket's refill
 * and size. Each is 0 while unknown (no answer from the shop yet on this instance).
 *
 * @param restoreRate points per second
 * @param bucket      the bucket's size, points
 */
public record Throttle(double restoreRate, double bucket) {

    public static final Throttle UNKNOWN = new Throttle(0, 0);
}
