package io.storefrontsync.gateway.shopify;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One installed shop, a row of {@code gateway.shopify_connections} ({@link ShopifyConnections}): who owns it and its
 * tokens, encrypted with {@code TokenCipher} and {@code TokenAad} (the worker decrypts them with the same associated
 * data). The worker reads this table; only the gateway writes it.
 */
public record ShopifyConnection(String shop, UUID userId, String accessTokenEnc, OffsetDateTime accessTokenExpiresAt,
                                String refreshTokenEnc, OffsetDateTime refreshTokenExpiresAt, String scopes,
                                String status, OffsetDateTime installedAt, OffsetDateTime updatedAt) {

    public static final String ACTIVE = "active";
    public static final String UNINSTALLED = "uninstalled";
    public static final String NEEDS_REINSTALL = "needs_reinstall";

    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    public boolean isUninstalled() {
        return UNINSTALLED.equals(status);
    }
}
