package io.storefrontsync.common.spaces;

import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import java.util.Objects;

/**
 * The only place that builds Spaces object keys. Every segment comes from a validated type, so a
 * key can only ever lie under {@code users/<uuid>/}.
 */
public final class SpacesKeys {

    private SpacesKeys() {
    }

    /** {@code users/<uuid>/} */
    public static String userPrefix(UserId user) {
        return "users/" + Objects.requireNonNull(user, "user") + "/";
    }

    /** {@code users/<uuid>/shopify/<shop>/} */
    public static String shopPrefix(UserId user, ShopDomain shop) {
        return userPrefix(user) + "shopify/" + Objects.requireNonNull(shop, "shop").value() + "/";
    }

    /** {@code users/<uuid>/facebook/<page_id>/} */
    public static String pagePrefix(UserId user, PageId page) {
        return userPrefix(user) + "facebook/" + Objects.requireNonNull(page, "page").value() + "/";
    }

    public static String shopifyShopMetadata(UserId user, ShopDomain shop) {
        return key(user, shop, DocumentKind.SHOP_METADATA);
    }

    public static String shopifyShopProducts(UserId user, ShopDomain shop) {
        return key(user, shop, DocumentKind.SHOP_PRODUCTS);
    }

    public static String facebookPageData(UserId user, PageId page) {
        return key(user, page, DocumentKind.PAGE_DATA);
    }

    /** A Shopify document; {@code kind} must be one of the shop documents. */
    public static String key(UserId user, ShopDomain shop, DocumentKind kind) {
        if (kind != DocumentKind.SHOP_METADATA && kind != DocumentKind.SHOP_PRODUCTS) {
            throw new IllegalArgumentException(kind + " is not a Shopify document");
        }
        return shopPrefix(user, shop) + kind.fileName();
    }

    /** A Facebook document; {@code kind} must be {@link DocumentKind#PAGE_DATA}. */
    public static String key(UserId user, PageId page, DocumentKind kind) {
        if (kind != DocumentKind.PAGE_DATA) {
            throw new IllegalArgumentException(kind + " is not a Facebook document");
        }
        return pagePrefix(user, page) + kind.fileName();
    }
}
