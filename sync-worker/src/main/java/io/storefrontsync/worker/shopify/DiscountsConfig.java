package io.storefrontsync.worker.shopify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which of a shop's discounts go into {@code shop_products.json}, where the sales bot reads them to any shopper. */
@ConfigMapping(prefix = "storefront.discounts")
public interface DiscountsConfig {

    /**
     * {@code STOREFRONT_DISCOUNTS_PUBLISH}: {@code shopper-safe} (default), {@code automatic-only} or
     * {@code none}; see {@link DiscountPublication}.
     */
    @WithDefault("shopper-safe")
    DiscountPublication publish();
}
