package io.storefrontsync.gateway.facebook;

import java.time.OffsetDateTime;

/**
 * A Meta data deletion request, a row of {@code gateway.facebook_deletion_requests} ({@link FacebookDeletionRequests}),
 * found by its confirmation code; counts of what was deleted, nothing else.
 */
public record FacebookDeletionRequest(String confirmationCode, String facebookUserId, String status, int pagesDeleted,
                                      int tokensDeleted, int eventsQueued, OffsetDateTime requestedAt,
                                      OffsetDateTime completedAt) {

    public static final String COMPLETED = "completed";
}
