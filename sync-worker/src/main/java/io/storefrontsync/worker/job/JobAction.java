package io.storefrontsync.worker.job;

import java.util.Locale;

/** What the job does to its target: fetch and write documents, or erase them (shop/redact). */
public enum JobAction {
    SYNC, REDACT;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobAction fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
