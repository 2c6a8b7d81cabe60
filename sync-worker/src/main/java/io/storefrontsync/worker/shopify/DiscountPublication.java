package io.storefrontsync.worker.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Which discounts a shopper may be told about. Whatever lands in {@code shop_products.json} the bot
 * may repeat to anyone, so a discount is published only when every shopper could use it right now:
 * <ul>
 *   <li>its {@code status} is {@code ACTIVE} (expired and scheduled ones are not usable, and a
 *       scheduled one is often an unannounced sale);</li>
 *   <li>its {@code context} is {@code DiscountBuyerSelectionAll}: a discount for named customers,
 *       customer segments or only some markets is never published (since 2025-10 {@code context}
 *       replaces the deprecated {@code customerSelection}, and automatic discounts can target
 *       segments too);</li>
 *   <li>an automatic discount needs nothing more;</li>
 *   <li>a code discount also needs a {@code usageLimit} other than 1 (a single-use code is meant for
 *       one person) and exactly one code: a discount with many codes ({@code codesCount} above 1)
 *       is a batch of unique codes handed to particular recipients, and without its codes the
 *       discount is nothing a shopper could use. An unknown {@code codesCount} withholds it.</li>
 * </ul>
 * Anything else, an unknown discount type included, is withheld. {@link #AUTOMATIC_ONLY} keeps
 * only the automatic discounts of that rule; {@link #NONE} publishes none (and fetches none).
 */
public enum DiscountPublication {

    SHOPPER_SAFE,
    AUTOMATIC_ONLY,
    NONE;

    /** Whether a fetched {@code DiscountNode} ({@code {id, discount: {__typename, status, context, ...}}}) is published. */
    public boolean publishes(JsonNode discountNode) {
        if (this == NONE) {
            return false;
        }
        JsonNode discount = discountNode.path("discount");
        if (!"ACTIVE".equals(discount.path("status").asText())
                || !"DiscountBuyerSelectionAll".equals(discount.path("context").path("__typename").asText())) {
            return false;
        }
        String type = discount.path("__typename").asText();
        if (type.startsWith("DiscountAutomatic")) {
            return true;
        }
        return this == SHOPPER_SAFE && type.startsWith("DiscountCode") && openCode(discount);
    }

    private static boolean openCode(JsonNode discount) {
        JsonNode usageLimit = discount.path("usageLimit");
        boolean singleUse = usageLimit.isNumber() && usageLimit.asInt() <= 1;
        JsonNode codes = discount.path("codesCount").path("count");
        return !singleUse && codes.isNumber() && codes.asInt() == 1;
    }

    /**
     * The published form: without {@code context}, which only said "all buyers" (the one context
     * published), so the document says nothing it need not.
     */
    static ObjectNode published(ObjectNode discountNode) {
        JsonNode discount = discountNode.get("discount");
        if (discount instanceof ObjectNode object) {
            object.remove("context");
        }
        return discountNode;
    }
}
