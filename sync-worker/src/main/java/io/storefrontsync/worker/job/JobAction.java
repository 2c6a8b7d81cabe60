package io.storefrontsync.worker.job;

import java.util.Locale;

/**
 * What the job does to its target: fetch and write documents, erase them (shop/redact), or patch the products
 * webhooks announced ({@code products/*}, issue #14). When jobs of one target coalesce, the wider action wins:
 * redact over sync over patch (a full sync reads every product a patch would).
 */
public enum JobAction {
    SYNC, REDACT, PATCH;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobAction fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
