package io.storefrontsync.gateway.shopify;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One installed shop: who owns it and its tokens, encrypted with {@code TokenCipher} and
 * {@code TokenAad} (the worker decrypts them with the same associated data). The worker reads this
 * table; only the gateway writes it.
 */
@Entity
@Table(name = "shopify_connections")
public class ShopifyConnection extends PanacheEntityBase {

    public static final String ACTIVE = "active";
    public static final String UNINSTALLED = "uninstalled";
    public static final String NEEDS_REINSTALL = "needs_reinstall";

    @Id
    public String shop;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "access_token_enc")
    public String accessTokenEnc;

    @Column(name = "access_token_expires_at")
    public OffsetDateTime accessTokenExpiresAt;

    @Column(name = "refresh_token_enc")
    public String refreshTokenEnc;

    @Column(name = "refresh_token_expires_at")
    public OffsetDateTime refreshTokenExpiresAt;

    @Column(nullable = false)
    public String scopes = "";

    @Column(nullable = false)
    public String status = ACTIVE;

    @Column(name = "installed_at", nullable = false)
    public OffsetDateTime installedAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    public boolean isUninstalled() {
        return UNINSTALLED.equals(status);
    }

    /** Stop syncing: the tokens are gone, the row (and the user's uuid) stays for a reinstall. */
    public void markUninstalled(OffsetDateTime now) {
        status = UNINSTALLED;
        accessTokenEnc = null;
        accessTokenExpiresAt = null;
        refreshTokenEnc = null;
        refreshTokenExpiresAt = null;
        updatedAt = now;
    }
}
