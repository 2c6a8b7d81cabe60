package io.storefrontsync.sandbox.facebook;

import java.time.Instant;

/** A token the simulator issued. {@code expiresAt} null = never expires (page tokens from a long-lived user token). */
record AccessToken(String value, Kind kind, String userId, String pageId, Instant expiresAt, boolean revoked) {

    enum Kind { USER, PAGE, APP }

    boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    AccessToken expire(Instant when) {
        return new AccessToken(value, kind, userId, pageId, when, revoked);
    }
}
