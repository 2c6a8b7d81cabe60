package io.storefrontsync.worker.job;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Objects;

/**
 * Not a failure: the answer of a job that waits for someone else (Shopify running its bulk operation). The
 * runner parks it ({@link SyncJobQueue#park}): status {@code waiting}, lease and slot given up, due again after
 * {@code checkAfter} — or at once when a {@code bulk_operations/finish} webhook wakes it. When it is claimed again
 * {@link SyncJob#parked()} holds {@code state}, and the same attempt goes on from there.
 *
 * @param state what the job waits for, as the code that parked it will read it back
 * @param checkAfter when to look again if nothing wakes it first
 */
public final class JobParked extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient JsonObject state;
    private final Duration checkAfter;

    public JobParked(String why, JsonObject state, Duration checkAfter) {
        super(why, null, false, false);
        this.state = Objects.requireNonNull(state, "state");
        this.checkAfter = Objects.requireNonNull(checkAfter, "checkAfter");
    }

    public JsonObject state() {
        return state;
    }

    public Duration checkAfter() {
        return checkAfter;
    }
}
