package io.storefrontsync.worker.connection;

import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.UserId;

/** A row of {@code gateway.facebook_pages}, without its token. */
public record PageConnection(PageId page, UserId userId, String status) {

    public boolean active() {
        return "active".equals(status);
    }
}
