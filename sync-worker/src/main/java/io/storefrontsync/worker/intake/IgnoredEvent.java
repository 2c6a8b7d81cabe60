package io.storefrontsync.worker.intake;

/** An accepted event that made no job, and why (unknown shop, uninstall, compliance topic, ...). */
public record IgnoredEvent(String eventId, String reason) {
}
