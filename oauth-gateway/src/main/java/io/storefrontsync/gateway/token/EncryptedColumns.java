package io.storefrontsync.gateway.token;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.gateway.facebook.FacebookPages;
import io.storefrontsync.gateway.shopify.ShopifyConnections;
import io.storefrontsync.gateway.shopify.ShopifyConnections.TokenColumn;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/**
 * The statements of key rotation on each {@link EncryptedColumn}, run by the repository of its table
 * ({@link ShopifyConnections}, {@link FacebookPages}), each on the pool as a statement of its own: no row is locked
 * across statements, so refreshes and logins never wait on the rotation.
 */
@ApplicationScoped
class EncryptedColumns {

    private final Pool pool;
    private final ShopifyConnections shops;
    private final FacebookPages pages;

    EncryptedColumns(Pool pool, ShopifyConnections shops, FacebookPages pages) {
        this.pool = pool;
        this.shops = shops;
        this.pages = pages;
    }

    /**
     * Up to {@code limit} tokens of {@code column} sealed under another key id than {@code keyId}, of rows after
     * {@code afterKey} in row key order (keyset paging): row key → envelope, in that order.
     */
    Uni<Map<String, String>> notUnderKey(EncryptedColumn column, String afterKey, String keyId, int limit) {
        return switch (column) {
            case SHOPIFY_ACCESS -> shops.tokensNotUnderKey(pool, TokenColumn.ACCESS, afterKey, keyId, limit);
            case SHOPIFY_REFRESH -> shops.tokensNotUnderKey(pool, TokenColumn.REFRESH, afterKey, keyId, limit);
            case FACEBOOK_PAGE -> pages.tokensNotUnderKey(pool, afterKey, keyId, limit);
        };
    }

    /** Compare-and-set: true when the row still held {@code expected} and now holds {@code replacement}. */
    Uni<Boolean> replace(EncryptedColumn column, String rowKey, String expected, String replacement) {
        return switch (column) {
            case SHOPIFY_ACCESS -> shops.replaceToken(pool, TokenColumn.ACCESS, rowKey, expected, replacement);
            case SHOPIFY_REFRESH -> shops.replaceToken(pool, TokenColumn.REFRESH, rowKey, expected, replacement);
            case FACEBOOK_PAGE -> pages.replaceToken(pool, rowKey, expected, replacement);
        };
    }

    /** Tokens of {@code column} per key id ("" for an envelope without one). */
    Uni<Map<String, Long>> countByKey(EncryptedColumn column) {
        return switch (column) {
            case SHOPIFY_ACCESS -> shops.tokensByKey(pool, TokenColumn.ACCESS);
            case SHOPIFY_REFRESH -> shops.tokensByKey(pool, TokenColumn.REFRESH);
            case FACEBOOK_PAGE -> pages.tokensByKey(pool);
        };
    }
}
