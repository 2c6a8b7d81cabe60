package io.storefrontsync.gateway.oauth;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A single-use OAuth state nonce: Facebook Login's, issued here and marked used exactly once by a conditional
 * UPDATE; or a Shopify install's, whose state is signed instead, inserted already used when its callback consumes it.
 */
@Entity
@Table(name = "oauth_states")
public class OAuthState extends PanacheEntityBase {

    @Id
    public String nonce;

    @Column(nullable = false)
    public String flow;

    public String shop;

    @Column(name = "user_id")
    public UUID userId;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    @Column(name = "used_at")
    public OffsetDateTime usedAt;
}
