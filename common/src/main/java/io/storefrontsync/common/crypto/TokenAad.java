package io.storefrontsync.common.crypto;

import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;

/**
 * Associated data that binds each encrypted token to the row it belongs to, so a ciphertext copied
 * to another shop or page (or swapped between access and refresh column) fails to decrypt. The
 * gateway encrypts with these and the worker decrypts with the same ones.
 */
public final class TokenAad {

    private TokenAad() {
    }

    public static String shopifyAccessToken(ShopDomain shop) {
        return "shopify:" + shop.value() + ":access";
    }

    public static String shopifyRefreshToken(ShopDomain shop) {
        return "shopify:" + shop.value() + ":refresh";
    }

    public static String facebookPageToken(PageId page) {
        return "facebook:page:" + page.value();
    }

    public static String facebookUserToken(String facebookUserId) {
        return "facebook:user:" + facebookUserId;
    }
}
