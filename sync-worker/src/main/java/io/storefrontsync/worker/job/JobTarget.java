package io.storefrontsync.worker.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;

/** One syncable thing: a Shopify shop or a Facebook page. At most one pending and one running job each. */
public record JobTarget(@JsonIgnore TargetKind kind, String id) {

    public static JobTarget shop(ShopDomain shop) {
        return new JobTarget(TargetKind.SHOPIFY_SHOP, shop.value());
    }

    public static JobTarget page(PageId page) {
        return new JobTarget(TargetKind.FACEBOOK_PAGE, page.value());
    }

    @JsonProperty("kind")
    public String kindName() {
        return kind.dbValue();
    }

    @Override
    public String toString() {
        return kind.dbValue() + ":" + id;
    }
}
