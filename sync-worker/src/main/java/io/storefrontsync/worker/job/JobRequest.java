package io.storefrontsync.worker.job;

import io.storefrontsync.common.validation.UserId;

/** Ask the queue for a job on a target; merged into the target's pending job if there is one. */
public record JobRequest(JobTarget target, UserId userId, JobTrigger trigger, JobAction action) {

    public static JobRequest sync(JobTarget target, UserId userId, JobTrigger trigger) {
        return new JobRequest(target, userId, trigger, JobAction.SYNC);
    }
}
