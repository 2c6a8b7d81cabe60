package io.storefrontsync.worker.connection;

import io.storefrontsync.worker.job.JobTarget;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * One shop or Page of a user, as {@code GET /connections} shows it to an operator.
 *
 * @param status the gateway's status of the connection ({@code active}, {@code uninstalled}, {@code needs_reinstall}
 *               for a shop; {@code active}, {@code needs_login}, {@code deleted} for a Page)
 * @param needsLogin the worker saw its token refused for good ({@code worker.connection_health}); syncs wait for a
 *                   new login or reinstall
 * @param needsLoginReason the refused job's error, null when not flagged
 * @param needsReinstall the gateway could not refresh the shop's token ({@code status} {@code needs_reinstall})
 * @param lastSuccessfulSync when a job of this user on it last succeeded (within the jobs' retention)
 * @param lastError the newest error of its jobs after that success (null when none)
 * @param openJob its pending, running or waiting job, if any (follow it with {@code GET /jobs/{id}})
 * @param documents the Spaces keys the worker wrote for it, each with the SHA-256 it last wrote
 */
public record ConnectionView(JobTarget target, String status, boolean needsLogin, String needsLoginReason,
                             OffsetDateTime needsLoginSince, boolean needsReinstall, OffsetDateTime lastSuccessfulSync,
                             String lastError, OffsetDateTime lastErrorAt, UUID openJob, String openJobStatus,
                             List<Document> documents) {

    /** A Spaces key and what the worker last wrote there. */
    public record Document(String key, String sha256, long sizeBytes, OffsetDateTime writtenAt) {
    }
}
