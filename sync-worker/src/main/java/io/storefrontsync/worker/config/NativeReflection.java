package io.storefrontsync.worker.config;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.event.ChangeEventBatch;
import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.worker.intake.IgnoredEvent;
import io.storefrontsync.worker.intake.IntakeReceipt;
import io.storefrontsync.worker.job.EnqueuedJob;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.JobView;
import io.storefrontsync.worker.resync.ResyncReceipt;
import io.storefrontsync.worker.resync.ResyncRequest;
import io.storefrontsync.worker.resync.SkippedTarget;

/**
 * Every type Jackson reads or writes, registered for reflection in the native image. Quarkus REST
 * registers the declared types of resource methods itself, but not entities built inside a
 * {@code Response} ({@code Uni<Response>} everywhere here), which would otherwise come out as
 * {@code {}} in a native executable.
 */
@RegisterForReflection(targets = {
        ChangeEvent.class, ChangeEventBatch.class, IntakeReceipt.class, IgnoredEvent.class,
        ApiError.class, ResyncRequest.class, ResyncReceipt.class, SkippedTarget.class,
        EnqueuedJob.class, JobTarget.class, JobView.class,
})
final class NativeReflection {

    private NativeReflection() {
    }
}
