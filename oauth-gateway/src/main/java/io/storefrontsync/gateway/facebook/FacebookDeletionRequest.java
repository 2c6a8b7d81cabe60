package io.storefrontsync.gateway.facebook;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A Meta data deletion request, found by its confirmation code; counts of what was deleted, nothing else. */
@Entity
@Table(name = "facebook_deletion_requests")
public class FacebookDeletionRequest extends PanacheEntityBase {

    public static final String COMPLETED = "completed";

    @Id
    @Column(name = "confirmation_code")
    public String confirmationCode;

    @Column(name = "facebook_user_id", nullable = false)
    public String facebookUserId;

    @Column(nullable = false)
    public String status;

    @Column(name = "pages_deleted", nullable = false)
    public int pagesDeleted;

    @Column(name = "tokens_deleted", nullable = false)
    public int tokensDeleted;

    @Column(name = "events_queued", nullable = false)
    public int eventsQueued;

    @Column(name = "requested_at", nullable = false)
    public OffsetDateTime requestedAt;

    @Column(name = "completed_at")
    public OffsetDateTime completedAt;
}
