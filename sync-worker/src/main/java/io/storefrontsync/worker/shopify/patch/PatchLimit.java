package io.storefrontsync.worker.shopify.patch;

import io.storefrontsync.worker.job.JobStore;
import io.storefrontsync.worker.shopify.Throttle;

import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * How many pending changes a shop's patch may take before a full (bulk) sync is the better deal, weighed against that
 * shop's own last successful full sync (issue #14). A constant could not be right for every store: a full sync of the
 * simulator's 650-product demo store takes a few seconds, one of a 10,000-product store tens of seconds to minutes.
 *
 * <p>The measure is the time until the shop's data is current, the one the merchant sees. A full sync's is measured
 * (its {@code durationMs}). A patch's is dominated by Shopify's throttle: a product or inventory change re-reads one
 * product at {@value #PRODUCT_POINTS} points, a collection, discount or shop change one node of about
 * {@value #NODE_POINTS} (measured: {@code BulkCatalogSyncTest}, {@code ShopPatch}'s javadoc), and points beyond the
 * bucket wait for its refill: {@code max(0, points - bucket) / restoreRate} seconds. A patch is taken while that wait
 * is no longer than the last full sync took. Points alone are no longer the measure: since the bulk operation reads
 * collection membership itself, a bulk sync costs 131 points on any store size (Shopify does not charge the bulk
 * work), which would have stopped patching after 4 product changes and turned a 5-product edit of a 10,000-product
 * store into a full sync of tens of seconds and a 35 MB rewrite. For a paged full sync (throttle-bound) the two
 * measures agree. Without a recorded full sync, the measured {@value #WITHOUT_HISTORY} changes.
 *
 * @param fullSyncPoints the last full sync's actual cost (reported with the limit; the decision is by time)
 * @param fullSyncMillis how long it took
 * @param restoreRate    the shop's bucket refill, points per second (Shopify's {@code throttleStatus})
 * @param bucket         the shop's bucket size, points
 * @param recorded       whether the figures are a recorded full sync's ({@link #of}); without one, the constant
 */
public record PatchLimit(long fullSyncPoints, long fullSyncMillis, double restoreRate, double bucket,
                         boolean recorded) {

    public static final int PRODUCT_POINTS = 29;
    public static final int NODE_POINTS = 10;
    /** Measured on the 650-product demo store; used until the shop has a recorded full sync. */
    public static final int WITHOUT_HISTORY = 40;
    /** No job reads more pending changes than this at once, whatever the store (bounded memory). */
    public static final int CEILING = 5_000;
    /** Shopify's standard plan, assumed while this worker has not seen the shop's throttle status yet. */
    static final double DEFAULT_RESTORE_RATE = 100;
    static final double DEFAULT_BUCKET = 1_000;

    public PatchLimit {
        if (fullSyncPoints < 0 || fullSyncMillis < 0) {
            throw new IllegalArgumentException("negative full-sync figures");
        }
        restoreRate = restoreRate > 0 ? restoreRate : DEFAULT_RESTORE_RATE;
        bucket = bucket > 0 ? bucket : DEFAULT_BUCKET;
    }

    /** The limit of a shop whose last full sync took {@code fullSyncPoints} in {@code fullSyncMillis}. */
    public PatchLimit(long fullSyncPoints, long fullSyncMillis, double restoreRate, double bucket) {
        this(fullSyncPoints, fullSyncMillis, restoreRate, bucket, true);
    }

    /**
     * The shop's limit: from its last successful full sync against its throttle, or, without a recorded full sync,
     * {@value #WITHOUT_HISTORY} changes of any kind ({@link #recorded} false).
     */
    public static PatchLimit of(Optional<JobStore.FullSync> lastFullSync, Throttle throttle) {
        return lastFullSync
                .map(sync -> new PatchLimit(sync.cost(), sync.durationMs(), throttle.restoreRate(), throttle.bucket()))
                .orElseGet(() -> new PatchLimit(0, 0, throttle.restoreRate(), throttle.bucket(), false));
    }

    /** Whether {@code productChanges} product/inventory changes and {@code nodeChanges} others should be patched. */
    public boolean patches(int productChanges, int nodeChanges) {
        if (productChanges < 0 || nodeChanges < 0) {
            throw new IllegalArgumentException("negative change count");
        }
        if (productChanges + nodeChanges > CEILING) {
            return false;
        }
        if (!recorded) {
            return productChanges + nodeChanges <= WITHOUT_HISTORY;
        }
        long points = (long) productChanges * PRODUCT_POINTS + (long) nodeChanges * NODE_POINTS;
        double throttledMillis = Math.max(0, points - bucket) / restoreRate * 1000;
        return throttledMillis <= fullSyncMillis;
    }

    /** The most changes of any kind that could be patched: how many pending changes a job reads (plus one). */
    public int maxChanges() {
        return largest(n -> patches(0, n));
    }

    /** The most product changes that are patched (the figure the closing note and the bench quote). */
    public int maxProductChanges() {
        return largest(n -> patches(n, 0));
    }

    /** The largest n in 0..CEILING that {@code patched} accepts; it holds for every smaller n (binary search). */
    private static int largest(IntPredicate patched) {
        int low = 0;
        int high = CEILING;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (patched.test(mid)) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }
}
