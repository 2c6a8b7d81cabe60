package io.storefrontsync.worker.resync;

import io.storefrontsync.worker.job.EnqueuedJob;

import java.util.List;

public record ResyncReceipt(List<EnqueuedJob> jobs) {
}
