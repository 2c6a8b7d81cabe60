package io.storefrontsync.gateway.token;

import io.storefrontsync.common.crypto.TokenAad;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;

import java.util.function.Function;

/**
 * Every column of the gateway that holds an encrypted token, with the row key its associated data
 * is built from ({@link TokenAad}). A new encrypted column belongs here, or key rotation leaves it
 * behind.
 */
enum EncryptedColumn {

    SHOPIFY_ACCESS("shopify_access", "gateway.shopify_connections", "shop", "access_token_enc",
            shop -> TokenAad.shopifyAccessToken(new ShopDomain(shop))),
    SHOPIFY_REFRESH("shopify_refresh", "gateway.shopify_connections", "shop", "refresh_token_enc",
            shop -> TokenAad.shopifyRefreshToken(new ShopDomain(shop))),
    FACEBOOK_PAGE("facebook_page", "gateway.facebook_pages", "page_id", "page_token_enc",
            page -> TokenAad.facebookPageToken(new PageId(page)));

    /** The {@code kind} label of the metrics. */
    final String kind;
    private final String table;
    private final String key;
    private final String column;
    private final Function<String, String> associatedData;

    EncryptedColumn(String kind, String table, String key, String column, Function<String, String> associatedData) {
        this.kind = kind;
        this.table = table;
        this.key = key;
        this.column = column;
        this.associatedData = associatedData;
    }

    /** @throws io.storefrontsync.common.validation.InvalidInputException when the row key is not valid */
    String associatedData(String rowKey) {
        return associatedData.apply(rowKey);
    }

    /**
     * Rows after {@code $1} (keyset order) whose token is sealed under another key id than {@code $2},
     * {@code $3} at most. The key id is the envelope's second dot-separated field ({@code v1.<keyId>.…}).
     */
    String staleBatch() {
        return "SELECT " + key + " AS row_key, " + column + " AS token FROM " + table
                + " WHERE " + column + " IS NOT NULL AND " + key + " > $1 AND split_part(" + column + ", '.', 2) <> $2"
                + " ORDER BY " + key + " LIMIT $3";
    }

    /**
     * Compare-and-set: replaces the token only if it is still the one that was read ({@code $2}), so
     * a token a refresh or a new login stored meanwhile is never overwritten with an older one.
     */
    String replace() {
        return "UPDATE " + table + " SET " + column + " = $3 WHERE " + key + " = $1 AND " + column + " = $2";
    }

    /** Tokens of this column per key id. */
    String countByKey() {
        return "SELECT '" + kind + "' AS kind, split_part(" + column + ", '.', 2) AS key_id, count(*) AS tokens FROM "
                + table + " WHERE " + column + " IS NOT NULL GROUP BY 2";
    }
}
