package io.storefrontsync.worker.shopify;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of one sync's Admin API traffic, reported in the job result (never in a document). */
public final class FetchStats {

    final AtomicInteger requests = new AtomicInteger();
    final AtomicLong actualCost = new AtomicLong();
    final AtomicInteger maxRequestedCost = new AtomicInteger();
    final AtomicInteger throttledWaits = new AtomicInteger();
    final AtomicInteger refusals = new AtomicInteger();
    final AtomicInteger retries = new AtomicInteger();
    final AtomicInteger costMismatches = new AtomicInteger();
    final AtomicInteger pages = new AtomicInteger();
    final AtomicInteger tokenRenewals = new AtomicInteger();
    final AtomicInteger productsRead = new AtomicInteger();

    public int requests() {
        return requests.get();
    }

    public long actualCost() {
        return actualCost.get();
    }

    /** The dearest requested cost Shopify reported for any of our queries. */
    public int maxRequestedCost() {
        return maxRequestedCost.get();
    }

    /** Waits for the bucket to refill before a query, plus refusals (THROTTLED, 429) waited out. */
    public int throttledWaits() {
        return throttledWaits.get();
    }

    /** THROTTLED or 429 answers: the waits before the query were not enough. */
    public int refusals() {
        return refusals.get();
    }

    public int retries() {
        return retries.get();
    }

    /** Queries whose requested cost differed from what we computed before sending them (should be 0). */
    public int costMismatches() {
        return costMismatches.get();
    }

    /** Times the sync switched to a newer access token after Shopify refused the one it had. */
    public int tokenRenewals() {
        return tokenRenewals.get();
    }

    /** Products a paginated read completed so far (variants, inventory, metafields all read). */
    public int productsRead() {
        return productsRead.get();
    }

    /** Connection pages fetched (every query that returned data). */
    public int pages() {
        return pages.get();
    }
}
