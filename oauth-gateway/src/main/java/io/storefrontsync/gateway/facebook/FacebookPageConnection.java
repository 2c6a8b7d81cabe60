package io.storefrontsync.gateway.facebook;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One connected Facebook Page: which user it belongs to, the Facebook user who connected it (for data deletion
 * requests) and its Page token, encrypted with {@code TokenAad.facebookPageToken}. The worker reads this table;
 * only the gateway writes it.
 */
@Entity
@Table(name = "facebook_pages")
public class FacebookPageConnection extends PanacheEntityBase {

    public static final String ACTIVE = "active";

    @Id
    @Column(name = "page_id")
    public String pageId;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "facebook_user_id", nullable = false)
    public String facebookUserId;

    public String name;

    public String category;

    @Column(name = "page_token_enc")
    public String pageTokenEnc;

    @Column(nullable = false)
    public String status = ACTIVE;

    @Column(name = "connected_at", nullable = false)
    public OffsetDateTime connectedAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public boolean isActive() {
        return ACTIVE.equals(status);
    }
}
