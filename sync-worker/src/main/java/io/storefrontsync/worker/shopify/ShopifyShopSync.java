package io.storefrontsync.worker.shopify;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/** Fetches a shop's metadata and full catalog and writes both documents. */
@ApplicationScoped
public class ShopifyShopSync {

    public Uni<JsonObject> sync(UserId user, ShopDomain shop) {
        return Uni.createFrom().failure(new IllegalStateException("no active Shopify connection for " + shop));
    }
}
