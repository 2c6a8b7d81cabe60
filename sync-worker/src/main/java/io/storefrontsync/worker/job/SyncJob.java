package io.storefrontsync.worker.job;

import io.storefrontsync.common.validation.UserId;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of {@code worker.jobs}. */
public record SyncJob(UUID id, JobTarget target, UserId userId, String trigger, JobAction action, String status,
                      int attempts, int maxAttempts, int coalescedEvents, OffsetDateTime runAfter,
                      String leaseOwner, OffsetDateTime leaseUntil, String lastError, JsonObject result,
                      OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt) {

    static SyncJob from(Row row) {
        Object result = row.getValue("result");
        return new SyncJob(
                row.getUUID("id"),
                new JobTarget(TargetKind.fromDb(row.getString("target_kind")), row.getString("target_id")),
                new UserId(row.getUUID("user_id")),
                row.getString("trigger"),
                JobAction.fromDb(row.getString("action")),
                row.getString("status"),
                row.getInteger("attempts"),
                row.getInteger("max_attempts"),
                row.getInteger("coalesced_events"),
                row.getOffsetDateTime("run_after"),
                row.getString("lease_owner"),
                row.getOffsetDateTime("lease_until"),
                row.getString("last_error"),
                result instanceof JsonObject json ? json : null,
                row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("started_at"),
                row.getOffsetDateTime("finished_at"));
    }

    public boolean lastAttempt() {
        return attempts >= maxAttempts;
    }
}
