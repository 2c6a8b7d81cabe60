package io.storefrontsync.worker.spaces;

/** What happened to one document: {@code written} false means the stored hash matched and nothing was PUT. */
public record WriteOutcome(String key, boolean written, String sha256, long bytes) {
}
