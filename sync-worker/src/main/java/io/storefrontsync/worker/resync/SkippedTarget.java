package io.storefrontsync.worker.resync;

import io.storefrontsync.worker.job.ConnectionHealth;
import io.storefrontsync.worker.job.JobTarget;

import java.time.OffsetDateTime;

/**
 * A connection a resync did not enqueue: {@code status} {@code needs_login} means Facebook refused its token
 * (code 190), {@code reason} is the refused job's error and {@code since} when it was first refused. Logging in
 * with Facebook again clears it (the gateway's {@code page/connected} event) and syncs the page.
 */
public record SkippedTarget(JobTarget target, String status, String reason, OffsetDateTime since) {

    static SkippedTarget of(ConnectionHealth.Flag flag) {
        return new SkippedTarget(flag.target(), flag.status(), flag.reason(), flag.since());
    }
}
