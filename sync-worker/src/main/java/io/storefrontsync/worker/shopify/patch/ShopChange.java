package io.storefrontsync.worker.shopify.patch;

import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.event.Source;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a {@code products/create|update|delete} event says changed: the product's GID, when (the body's
 * {@code updated_at} the gateway forwards as {@code occurredAt}; for a delete, whose body has no time, Shopify's
 * trigger time or the gateway's receipt) and whether it is gone. Pure: decided from the event alone. An event
 * without a product GID the worker can trust gives none, and the shop gets a full sync as before.
 */
public record ProductChange(String productId, Instant changedAt, boolean deleted) {

    /** Shopify's product GIDs: numeric ids, nothing else (the id goes into queries as a variable, never as text). */
    static final Pattern PRODUCT_GID = Pattern.compile("gid://shopify/Product/[1-9][0-9]{0,19}");

    public static Optional<ProductChange> of(ChangeEvent event) {
        if (event.source() != Source.SHOPIFY || event.resourceId() == null
                || !PRODUCT_GID.matcher(event.resourceId()).matches()) {
            return Optional.empty();
        }
        Instant at = event.occurredAt() != null ? event.occurredAt() : event.receivedAt();
        return switch (event.topic()) {
            case "products/create", "products/update" -> Optional.of(new ProductChange(event.resourceId(), at, false));
            case "products/delete" -> Optional.of(new ProductChange(event.resourceId(), at, true));
            default -> Optional.empty();
        };
    }
}
