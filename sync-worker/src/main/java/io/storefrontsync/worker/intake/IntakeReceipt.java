package io.storefrontsync.worker.intake;

import io.storefrontsync.worker.job.EnqueuedJob;

import java.util.List;

/** The answer to {@code POST /internal/events}, sent only after the jobs are committed. */
public record IntakeReceipt(List<EnqueuedJob> jobs, List<IgnoredEvent> ignored) {
}
