package io.storefrontsync.worker.resync;

/** {@code POST /resync} body; {@code shop} and {@code pageId} narrow the resync, absent = everything of the user. */
public record ResyncRequest(String userId, String shop, String pageId) {
}
