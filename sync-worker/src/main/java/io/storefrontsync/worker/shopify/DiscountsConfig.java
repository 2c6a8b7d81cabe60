package io.storefrontsync.worker.shopify;

import io.smallrye.config.ConfigMapping;

/** Which of a shop's discounts go into {@code shop_products.json}, where the sales bot reads them to any shopper. */
@ConfigMapping(prefix = "storefront.discounts")
public interface DiscountsConfig {

    /**
     * {@code STOREFRONT_DISCOUNTS_PUBLISH}: {@code shopper-safe}, {@code automatic-only} or {@code none}; see
     * {@link DiscountPublication}. Its default is written once, in application.properties' binding of the variable.
     */
    DiscountPublication publish();
}
