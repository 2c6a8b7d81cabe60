package io.storefrontsync.worker.job;

import java.util.UUID;

/** The job an event or request ended up in; {@code coalesced} when it merged into an existing pending job. */
public record EnqueuedJob(UUID id, JobTarget target, boolean coalesced) {
}
