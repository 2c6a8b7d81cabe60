package io.storefrontsync.gateway.webhook;

/** What became of a verified webhook delivery; all of them are answered 200. */
public enum IngestOutcome {
    /** Receipt and outbox event stored in one transaction. */
    STORED,
    /** Receipt stored, nothing to forward (customer compliance topics: no customer data is kept). */
    RECORDED,
    /** Seen before (same event id, else webhook id): dropped. */
    DUPLICATE,
    /** No active connection for the shop: dropped and logged. */
    IGNORED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
