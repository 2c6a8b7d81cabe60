package io.storefrontsync.worker.job;

import java.util.Locale;

/** Why a job exists; only webhook jobs are debounced. */
public enum JobTrigger {
    WEBHOOK, INSTALL, POLL, RESYNC;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
