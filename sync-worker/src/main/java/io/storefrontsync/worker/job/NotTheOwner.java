package io.storefrontsync.worker.job;

import io.storefrontsync.common.validation.UserId;

/**
 * The job's user is not the one the gateway's connection row names for its target: coalescing kept the first
 * event's user while the shop or Page changed hands, or the event lied. Nothing is written under that user and
 * retrying cannot help; {@link SyncDispatcher} enqueues the current owner's sync instead.
 */
public class NotTheOwner extends PermanentJobFailure {

    private static final long serialVersionUID = 1L;

    private final transient JobTarget target;

    /** The message names neither the owner nor a token: it becomes the job's {@code last_error}, which the job's user reads. */
    public NotTheOwner(JobTarget target, UserId user) {
        super(target + " is not connected to user " + user + " (the gateway names another owner): nothing written");
        this.target = target;
    }

    public JobTarget target() {
        return target;
    }
}
