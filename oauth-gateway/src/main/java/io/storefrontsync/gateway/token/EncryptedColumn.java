package io.storefrontsync.gateway.token;

import io.storefrontsync.common.crypto.TokenAad;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;

import java.util.function.Function;

/**
 * Every column of the gateway that holds an encrypted token, with the row key its associated data
 * is built from ({@link TokenAad}). A new encrypted column belongs here (and in {@link EncryptedColumns},
 * which reaches it through its table's repository), or key rotation leaves it behind.
 */
enum EncryptedColumn {

    SHOPIFY_ACCESS("shopify_access", shop -> TokenAad.shopifyAccessToken(new ShopDomain(shop))),
    SHOPIFY_REFRESH("shopify_refresh", shop -> TokenAad.shopifyRefreshToken(new ShopDomain(shop))),
    FACEBOOK_PAGE("facebook_page", page -> TokenAad.facebookPageToken(new PageId(page)));

    /** The {@code kind} label of the metrics. */
    final String kind;
    private final Function<String, String> associatedData;

    EncryptedColumn(String kind, Function<String, String> associatedData) {
        this.kind = kind;
        this.associatedData = associatedData;
    }

    /** @throws io.storefrontsync.common.validation.InvalidInputException when the row key is not valid */
    String associatedData(String rowKey) {
        return associatedData.apply(rowKey);
    }
}
