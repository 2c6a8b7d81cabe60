package io.storefrontsync.worker.shopify.patch;

import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.event.ShopifyResourceIds;
import io.storefrontsync.common.event.Source;

import java.time.Instant;
import java.util.Optional;

/**
 * What a change event says changed in a shop, for its patch job (issue #14): the kind of resource, its id, when (the
 * body's {@code updated_at} the gateway forwards as {@code occurredAt}; for a delete, whose body has no time,
 * Shopify's trigger time or the gateway's receipt) and whether it is gone. Pure: decided from the event alone. An
 * event without an id the worker can trust ({@link ShopifyResourceIds}) gives none, and the shop gets a full sync as
 * before; so does every {@code locations/*} topic (a location changes which inventory every product lists).
 *
 * @param resourceId the resource's GID ({@link Kind#INVENTORY}: the level's, {@link Kind#DISCOUNT}: always the
 *                   {@code DiscountNode} GID a full read lists, whichever typed node the webhook named, so that
 *                   duplicates collapse); {@value #SHOP_RESOURCE} for {@link Kind#SHOP}
 */
public record ShopChange(Kind kind, String resourceId, Instant changedAt, boolean deleted) {

    /** The {@code resource_id} of a shop's own change ({@code shop/update}): one row per shop. */
    public static final String SHOP_RESOURCE = "shop";

    /** The kinds of change, as {@code worker.shop_changes.kind} names them. */
    public enum Kind {
        /** {@code products/*}: re-read the product (or delete it). */
        PRODUCT("product"),
        /** {@code inventory_levels/*}: re-read the product that owns the inventory item. */
        INVENTORY("inventory"),
        /** {@code collections/*}: re-read the collection (or drop it) in the stored collections. */
        COLLECTION("collection"),
        /** {@code discounts/*}: re-read the discount (or drop it) in the stored discounts. */
        DISCOUNT("discount"),
        /** {@code shop/update}: re-read the shop's metadata. */
        SHOP("shop");

        private final String column;

        Kind(String column) {
            this.column = column;
        }

        public String column() {
            return column;
        }

        public static Kind ofColumn(String column) {
            for (Kind kind : values()) {
                if (kind.column.equals(column)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown change kind " + column);
        }
    }

    public static Optional<ShopChange> of(ChangeEvent event) {
        if (event.source() != Source.SHOPIFY || event.topic() == null) {
            return Optional.empty();
        }
        Instant at = event.occurredAt() != null ? event.occurredAt() : event.receivedAt();
        String topic = event.topic();
        if ("shop/update".equals(topic)) {
            return Optional.of(new ShopChange(Kind.SHOP, SHOP_RESOURCE, at, false));
        }
        String id = event.resourceId();
        if (!ShopifyResourceIds.matches(topic, id)) {
            return Optional.empty();
        }
        return switch (topic) {
            case "products/create", "products/update" -> Optional.of(new ShopChange(Kind.PRODUCT, id, at, false));
            case "products/delete" -> Optional.of(new ShopChange(Kind.PRODUCT, id, at, true));
            case "inventory_levels/update", "inventory_levels/connect", "inventory_levels/disconnect" ->
                    Optional.of(new ShopChange(Kind.INVENTORY, id, at, false));
            case "collections/create", "collections/update" -> Optional.of(new ShopChange(Kind.COLLECTION, id, at, false));
            case "collections/delete" -> Optional.of(new ShopChange(Kind.COLLECTION, id, at, true));
            case "discounts/create", "discounts/update", "discounts/delete" -> ShopifyResourceIds.discountNodeOf(id)
                    .map(node -> new ShopChange(Kind.DISCOUNT, node, at, topic.equals("discounts/delete")));
            default -> Optional.empty();
        };
    }
}
