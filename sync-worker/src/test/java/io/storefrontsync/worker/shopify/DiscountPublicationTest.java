package io.storefrontsync.worker.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storefrontsync.common.json.CanonicalJson;
import org.junit.jupiter.api.Test;

import static io.storefrontsync.worker.shopify.DiscountPublication.AUTOMATIC_ONLY;
import static io.storefrontsync.worker.shopify.DiscountPublication.NONE;
import static io.storefrontsync.worker.shopify.DiscountPublication.SHOPPER_SAFE;
import static org.assertj.core.api.Assertions.assertThat;

/** The rule on discount nodes shaped as CatalogQueries.DISCOUNTS fetches them. */
class DiscountPublicationTest {

    @Test
    void anActiveCodeForAllBuyersWithOneReusableCodeShouldBePublishedUnlessAutomaticOnlyOrNone() {
        JsonNode code = code("ACTIVE", "DiscountBuyerSelectionAll", 100, 1);

        assertThat(SHOPPER_SAFE.publishes(code)).isTrue();
        assertThat(SHOPPER_SAFE.publishes(code("ACTIVE", "DiscountBuyerSelectionAll", null, 1))).isTrue();
        assertThat(AUTOMATIC_ONLY.publishes(code)).isFalse();
        assertThat(NONE.publishes(code)).isFalse();
    }

    @Test
    void aCodeForSomeBuyersSingleUseOneOfManyOrNotActiveShouldNeverBePublished() {
        for (DiscountPublication mode : DiscountPublication.values()) {
            assertThat(mode.publishes(code("ACTIVE", "DiscountCustomers", null, 1))).as("customers, %s", mode).isFalse();
            assertThat(mode.publishes(code("ACTIVE", "DiscountCustomerSegments", null, 1))).as("segments, %s", mode).isFalse();
            assertThat(mode.publishes(code("ACTIVE", "DiscountMarkets", null, 1))).as("markets, %s", mode).isFalse();
            assertThat(mode.publishes(code("ACTIVE", "DiscountBuyerSelectionAll", 1, 1))).as("single use, %s", mode).isFalse();
            assertThat(mode.publishes(code("ACTIVE", "DiscountBuyerSelectionAll", null, 5000))).as("unique codes, %s", mode).isFalse();
            assertThat(mode.publishes(code("ACTIVE", "DiscountBuyerSelectionAll", null, null))).as("codes unknown, %s", mode).isFalse();
            assertThat(mode.publishes(code("EXPIRED", "DiscountBuyerSelectionAll", null, 1))).as("expired, %s", mode).isFalse();
            assertThat(mode.publishes(code("SCHEDULED", "DiscountBuyerSelectionAll", null, 1))).as("scheduled, %s", mode).isFalse();
            assertThat(mode.publishes(code("ACTIVE", null, null, 1))).as("no context, %s", mode).isFalse();
        }
    }

    @Test
    void anActiveAutomaticDiscountForAllBuyersShouldBePublishedUnlessNone() {
        JsonNode automatic = automatic("ACTIVE", "DiscountBuyerSelectionAll");

        assertThat(SHOPPER_SAFE.publishes(automatic)).isTrue();
        assertThat(AUTOMATIC_ONLY.publishes(automatic)).isTrue();
        assertThat(NONE.publishes(automatic)).isFalse();
        for (DiscountPublication mode : DiscountPublication.values()) {
            assertThat(mode.publishes(automatic("ACTIVE", "DiscountCustomerSegments"))).as("segments, %s", mode).isFalse();
            assertThat(mode.publishes(automatic("SCHEDULED", "DiscountBuyerSelectionAll"))).as("scheduled, %s", mode).isFalse();
        }
    }

    @Test
    void anUnknownDiscountTypeShouldBeWithheld() {
        ObjectNode node = code("ACTIVE", "DiscountBuyerSelectionAll", null, 1);
        ((ObjectNode) node.get("discount")).put("__typename", "DiscountSomethingNew");

        assertThat(SHOPPER_SAFE.publishes(node)).isFalse();
    }

    @Test
    void thePublishedFormShouldDropTheContext() {
        ObjectNode published = DiscountPublication.published(code("ACTIVE", "DiscountBuyerSelectionAll", null, 1));

        assertThat(published.path("discount").has("context")).isFalse();
        assertThat(published.path("discount").path("codes").toString()).contains("ABC");
    }

    private static ObjectNode code(String status, String context, Integer usageLimit, Integer codesCount) {
        ObjectNode node = node("DiscountCodeBasic", status, context);
        ObjectNode discount = (ObjectNode) node.get("discount");
        if (usageLimit == null) {
            discount.putNull("usageLimit");
        } else {
            discount.put("usageLimit", usageLimit);
        }
        if (codesCount == null) {
            discount.putNull("codesCount");
        } else {
            discount.putObject("codesCount").put("count", codesCount);
        }
        discount.putObject("codes").putArray("nodes").addObject().put("code", "ABC");
        return node;
    }

    private static ObjectNode automatic(String status, String context) {
        return node("DiscountAutomaticBasic", status, context);
    }

    private static ObjectNode node(String type, String status, String context) {
        ObjectNode node = CanonicalJson.mapper().createObjectNode().put("id", "gid://shopify/DiscountNode/1");
        ObjectNode discount = node.putObject("discount").put("__typename", type).put("title", "T").put("status", status);
        if (context != null) {
            discount.putObject("context").put("__typename", context);
        }
        return node;
    }
}
