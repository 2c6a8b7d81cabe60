package io.storefrontsync.worker.job;

import io.storefrontsync.common.validation.UserId;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row of {@code worker.jobs}, as {@link JobStore} reads it.
 *
 * @param parked what a parked job waits for ({@link JobParked#state()}), kept while it resumes; null otherwise
 * @param progress how far the sync got, as it last noted ({@link JobProgress}); null before its first note
 */
public record SyncJob(UUID id, JobTarget target, UserId userId, String trigger, JobAction action, String status,
                      int attempts, int maxAttempts, int coalescedEvents, OffsetDateTime runAfter,
                      String leaseOwner, OffsetDateTime leaseUntil, String lastError, JsonObject result,
                      OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt,
                      JsonObject parked, JsonObject progress) {

    /** The same job with another attempt count (what a hand-back passes on to a pending job of the target). */
    public SyncJob withAttempts(int count) {
        return new SyncJob(id, target, userId, trigger, action, status, count, maxAttempts, coalescedEvents, runAfter,
                leaseOwner, leaseUntil, lastError, result, createdAt, startedAt, finishedAt, parked, progress);
    }

    public boolean lastAttempt() {
        return attempts >= maxAttempts;
    }
}
