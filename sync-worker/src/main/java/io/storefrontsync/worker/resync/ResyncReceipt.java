package io.storefrontsync.worker.resync;

import io.storefrontsync.worker.job.EnqueuedJob;

import java.util.List;

/** {@code POST /resync}: the jobs enqueued, and the matching connections left out with why (never null, may be empty). */
public record ResyncReceipt(List<EnqueuedJob> jobs, List<SkippedTarget> skipped) {
}
