package io.storefrontsync.worker.connection;

import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;

/** A row of {@code gateway.shopify_connections}, without its tokens. */
public record ShopConnection(ShopDomain shop, UserId userId, String status) {

    public boolean active() {
        return "active".equals(status);
    }
}
