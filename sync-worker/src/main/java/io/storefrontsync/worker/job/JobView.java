package io.storefrontsync.worker.job;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /jobs/{id}} and each job of {@code GET /jobs}: the job's state, how far a running or parked job got
 * ({@code progress}, {@link JobProgress}; null otherwise) and, once done, what it wrote or skipped.
 */
public record JobView(UUID id, String status, JobTarget target, String trigger, String action, int attempts,
                      int maxAttempts, int coalescedEvents, String lastError, Map<String, Object> progress,
                      Map<String, Object> result, OffsetDateTime runAfter, OffsetDateTime createdAt,
                      OffsetDateTime startedAt, OffsetDateTime finishedAt) {

    static JobView of(SyncJob job) {
        boolean active = "running".equals(job.status()) || "waiting".equals(job.status());
        return new JobView(job.id(), job.status(), job.target(), job.trigger(), job.action().dbValue(),
                job.attempts(), job.maxAttempts(), job.coalescedEvents(), job.lastError(),
                active && job.progress() != null ? job.progress().getMap() : null,
                job.result() == null ? null : job.result().getMap(), job.runAfter(), job.createdAt(),
                job.startedAt(), job.finishedAt());
    }
}
