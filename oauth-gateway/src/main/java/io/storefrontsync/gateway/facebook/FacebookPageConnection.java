package io.storefrontsync.gateway.facebook;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One connected Facebook Page, a row of {@code gateway.facebook_pages} ({@link FacebookPages}): which user it belongs
 * to, the Facebook user who connected it (for data deletion requests) and its Page token, encrypted with
 * {@code TokenAad.facebookPageToken}. The worker reads this table; only the gateway writes it.
 */
public record FacebookPageConnection(String pageId, UUID userId, String facebookUserId, String name, String category,
                                     String pageTokenEnc, String status, OffsetDateTime connectedAt,
                                     OffsetDateTime updatedAt) {

    public static final String ACTIVE = "active";

    public boolean isActive() {
        return ACTIVE.equals(status);
    }
}
