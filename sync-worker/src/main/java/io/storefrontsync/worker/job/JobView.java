package io.storefrontsync.worker.job;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/** {@code GET /jobs/{id}}: the job's state and, once done, what it wrote or skipped. */
public record JobView(UUID id, String status, JobTarget target, String trigger, String action, int attempts,
                      int maxAttempts, int coalescedEvents, String lastError, Map<String, Object> result,
                      OffsetDateTime runAfter, OffsetDateTime createdAt, OffsetDateTime startedAt,
                      OffsetDateTime finishedAt) {

    static JobView of(SyncJob job) {
        return new JobView(job.id(), job.status(), job.target(), job.trigger(), job.action().dbValue(),
                job.attempts(), job.maxAttempts(), job.coalescedEvents(), job.lastError(),
                job.result() == null ? null : job.result().getMap(), job.runAfter(), job.createdAt(),
                job.startedAt(), job.finishedAt());
    }
}
