package io.storefrontsync.common.event;

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

    private static final String NUMBER = "[1-9][0-9]{0,19}";
    private static final String GID = "gid://shopify/";
    public static final Pattern PRODUCT = Pattern.compile(GID + "Product/" + NUMBER);
    public static final Pattern COLLECTION = Pattern.compile(GID + "Collection/" + NUMBER);
    public static final Pattern DISCOUNT = Pattern.compile(GID + "Discount(?:Automatic|Code)?Node/(" + NUMBER + ")");
    public static final Pattern LOCATION = Pattern.compile(GID + "Location/" + NUMBER);
    public static final Pattern INVENTORY_LEVEL = Pattern.compile(
            GID + "InventoryLevel/(" + NUMBER + ")\\?inventory_item_id=(" + NUMBER + ")");
    private static final Pattern NUMERIC = Pattern.compile(NUMBER);

    private ShopifyResourceIds() {
    }

    /** A positive numeric id as Shopify writes them (no sign, no leading zero, at most 20 digits). */
    public static boolean numeric(String id) {
        return id != null && NUMERIC.matcher(id).matches();
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
        return id != null && patternOf(topic).map(pattern -> pattern.matcher(id).matches()).orElse(false);
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
        Matcher m = levelId == null ? null : INVENTORY_LEVEL.matcher(levelId);
        return m != null && m.matches() ? Optional.of(GID + "InventoryItem/" + m.group(2)) : Optional.empty();
    }

    /** The {@code DiscountNode} GID of a {@link #DISCOUNT} id (typed or not); empty for anything else. */
    public static Optional<String> discountNodeOf(String discountId) {
        Matcher m = discountId == null ? null : DISCOUNT.matcher(discountId);
        return m != null && m.matches() ? Optional.of(GID + "DiscountNode/" + m.group(1)) : Optional.empty();
    }
}
