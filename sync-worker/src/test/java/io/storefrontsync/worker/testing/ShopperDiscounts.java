package io.storefrontsync.worker.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator's discounts split by what a shopper may be told (docs/OPERATIONS.md, "Which discounts are
 * published"), stated here on the simulator's own view of its store, apart from the worker's code:
 * active, open to all buyers, and either automatic or a code discount with one code that is not
 * single-use.
 */
public final class ShopperDiscounts {

    public static final Predicate<Map<String, Object>> SHOPPER_SAFE = discount ->
            "ACTIVE".equals(discount.get("status"))
                    && "DiscountBuyerSelectionAll".equals(discount.get("context"))
                    && (automatic(discount)
                    || (!Integer.valueOf(1).equals(discount.get("usageLimit"))
                    && Integer.valueOf(1).equals(discount.get("codesCount"))));

    public static final Predicate<Map<String, Object>> AUTOMATIC_ONLY = discount ->
            SHOPPER_SAFE.test(discount) && automatic(discount);

    private ShopperDiscounts() {
    }

    public static boolean automatic(Map<String, Object> discount) {
        return ((String) discount.get("__typename")).startsWith("DiscountAutomatic");
    }

    /**
     * Asserts that the document's bytes name every published discount (id, and code if any) and
     * nothing of the others: neither id, title nor any of their codes.
     */
    public static void assertPublishedExactly(byte[] document, List<Map<String, Object>> discounts,
                                              Predicate<Map<String, Object>> published) {
        String text = new String(document, StandardCharsets.UTF_8);
        List<String> withheld = new ArrayList<>();
        for (Map<String, Object> discount : discounts) {
            List<String> strings = new ArrayList<>();
            strings.add("\"" + discount.get("id") + "\"");
            strings.add("\"" + discount.get("title") + "\"");
            @SuppressWarnings("unchecked")
            List<String> codes = (List<String>) discount.get("codes");
            codes.forEach(code -> strings.add("\"" + code + "\""));
            if (published.test(discount)) {
                // A boolean, not the string: a failure would print the whole catalog.
                strings.forEach(s -> assertThat(text.contains(s)).as("published discount %s contains %s", discount.get("title"), s).isTrue());
            } else {
                strings.forEach(s -> assertThat(text.contains(s)).as("withheld discount %s contains %s", discount.get("title"), s).isFalse());
                withheld.add((String) discount.get("title"));
            }
        }
        assertThat(withheld).as("withheld discounts").isNotEmpty();
    }
}
