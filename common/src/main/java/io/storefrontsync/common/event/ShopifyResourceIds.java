package io.storefrontsync.common.event;

import io.storefrontsync.common.validation.NumericIds;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resource ids a Shopify change event may carry in {@link ChangeEvent#resourceId()}, per topic family — the
 * gateway builds and checks them from a verified webhook body, the worker parses them to patch one resource (issue
 * #14). Every id is a GID with numeric ids only, because the worker puts it into a GraphQL query (as a variable,
 * never as text) and into its tables; anything else is not forwarded, and the worker then syncs the whole shop.
 *
 * <ul>
 *   <li>{@code products/*}: {@code gid://shopify/Product/<id>};</li>
 *   <li>{@code collections/*}: {@code gid://shopify/Collection/<id>};</li>
 *   <li>{@code discounts/*}: {@code gid://shopify/DiscountNode/<id>}, {@code DiscountAutomaticNode} or
 *       {@code DiscountCodeNode} (the webhook names the typed node; the three share the numeric id, and the worker
 *       reads and stores it as the {@code DiscountNode} a full read lists);</li>
 *   <li>{@code locations/*}: {@code gid://shopify/Location/<id>};</li>
 *   <li>{@code inventory_levels/*}: {@code gid://shopify/InventoryLevel/<location_id>?inventory_item_id=<item_id>},
 *       the form Shopify itself writes in the body's {@code admin_graphql_api_id}, built by the gateway from the
 *       body's numeric {@code inventory_item_id} and {@code location_id} ({@link #inventoryLevel}).</li>
 * </ul>
 * {@code shop/update} needs no id (the shop is the event's shop).
 */
public final class ShopifyResourceIds {

    // Every number is a group, so that its value is checked too (NumericIds): the pattern bounds only its length.
    private static final String NUMBER = "(" + NumericIds.SHAPE + ")";
    private static final String GID = "gid://shopify/";
    public static final Pattern PRODUCT = Pattern.compile(GID + "Product/" + NUMBER);
    public static final Pattern COLLECTION = Pattern.compile(GID + "Collection/" + NUMBER);
    public static final Pattern DISCOUNT = Pattern.compile(GID + "Discount(?:Automatic|Code)?Node/" + NUMBER);
    public static final Pattern LOCATION = Pattern.compile(GID + "Location/" + NUMBER);
    public static final Pattern INVENTORY_LEVEL = Pattern.compile(
            GID + "InventoryLevel/" + NUMBER + "\\?inventory_item_id=" + NUMBER);

    private ShopifyResourceIds() {
    }

    /**
     * A positive numeric id as Shopify writes them (no sign, no leading zero) that fits a signed 64-bit number, as
     * Shopify's ids do: a bigger one would reach Shopify in a query and fail the job there.
     */
    public static boolean numeric(String id) {
        return NumericIds.isPositiveLong(id);
    }

    /**
     * The id pattern of a topic's family ({@code collections/update} → {@link #COLLECTION}); empty for a topic whose
     * events carry no patchable id.
     */
    public static Optional<Pattern> patternOf(String topic) {
        int slash = topic == null ? -1 : topic.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (topic.substring(0, slash)) {
            case "products" -> PRODUCT;
            case "collections" -> COLLECTION;
            case "discounts" -> DISCOUNT;
            case "locations" -> LOCATION;
            case "inventory_levels" -> INVENTORY_LEVEL;
            default -> null;
        });
    }

    /** Whether {@code id} is an id of {@code topic}'s family (false for a topic without one). */
    public static boolean matches(String topic, String id) {
        return patternOf(topic).flatMap(pattern -> matched(pattern, id)).isPresent();
    }

    /** Whether {@code id} is a {@link #LOCATION} GID whose number is {@linkplain #numeric numeric}. */
    public static boolean isLocation(String id) {
        return matched(LOCATION, id).isPresent();
    }

    /** The inventory level id of an item at a location; both must be {@linkplain #numeric numeric}. */
    public static String inventoryLevel(String inventoryItemId, String locationId) {
        if (!numeric(inventoryItemId) || !numeric(locationId)) {
            throw new IllegalArgumentException("inventory item and location ids must be numeric");
        }
        return GID + "InventoryLevel/" + locationId + "?inventory_item_id=" + inventoryItemId;
    }

    /** The inventory item GID of an {@link #INVENTORY_LEVEL} id; empty for anything else. */
    public static Optional<String> inventoryItemOf(String levelId) {
        return matched(INVENTORY_LEVEL, levelId).map(m -> GID + "InventoryItem/" + m.group(2));
    }

    /** The {@code DiscountNode} GID of a {@link #DISCOUNT} id (typed or not); empty for anything else. */
    public static Optional<String> discountNodeOf(String discountId) {
        return matched(DISCOUNT, discountId).map(m -> GID + "DiscountNode/" + m.group(1));
    }

    /** The match of the whole {@code id}, if it matches and each of its numbers is {@linkplain #numeric numeric}. */
    private static Optional<Matcher> matched(Pattern pattern, String id) {
        Matcher m = id == null ? null : pattern.matcher(id);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        for (int group = 1; group <= m.groupCount(); group++) {
            if (!numeric(m.group(group))) {
                return Optional.empty();
            }
        }
        return Optional.of(m);
    }
}
