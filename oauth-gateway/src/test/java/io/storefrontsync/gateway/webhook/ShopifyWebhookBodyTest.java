package io.storefrontsync.gateway.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The few small fields the gateway forwards from a verified body for a patch (#14): a checked resource id and time. */
class ShopifyWebhookBodyTest {

    private static final Instant TRIGGERED = Instant.parse("2026-03-01T12:00:05Z");

    private static ShopifyWebhookBody body(String json) {
        return ShopifyWebhookBody.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aProductUpdateShouldForwardItsGidAndItsUpdatedAt() {
        ShopifyWebhookBody body = body("""
                {"id": 632910392, "admin_graphql_api_id": "gid://shopify/Product/632910392",
                 "title": "x", "updated_at": "2026-03-01T07:00:01-05:00",
                 "variants": [{"id": 1, "updated_at": "2020-01-01T00:00:00Z"}]}""");

        assertThat(body.resourceId("products/update")).isEqualTo("gid://shopify/Product/632910392");
        assertThat(body.occurredAt("products/update", TRIGGERED)).isEqualTo(Instant.parse("2026-03-01T12:00:01Z"));
    }

    @Test
    void aProductDeleteShouldForwardTheGidMadeFromItsNumericIdAndTheTriggerTime() {
        ShopifyWebhookBody body = body("{\"id\": 788032119674292922}");

        assertThat(body.resourceId("products/delete")).isEqualTo("gid://shopify/Product/788032119674292922");
        assertThat(body.occurredAt("products/delete", TRIGGERED)).isEqualTo(TRIGGERED);
    }

    @Test
    void aProductBodyWithoutAUsableIdShouldForwardNoneSoTheWorkerSyncsTheShop() {
        assertThat(body("{\"admin_graphql_api_id\": \"gid://shopify/Collection/5\"}").resourceId("products/update")).isNull();
        assertThat(body("{\"id\": \"../../etc\"}").resourceId("products/delete")).isNull();
        assertThat(body("{\"id\": -3}").resourceId("products/delete")).isNull();
        assertThat(body("{\"updated_at\": \"yesterday\"}").occurredAt("products/update", TRIGGERED)).isEqualTo(TRIGGERED);
    }

    @Test
    void aCollectionShouldForwardItsGidAndItsUpdatedAtAndADeleteTheGidOfItsNumericId() {
        ShopifyWebhookBody body = body("""
                {"id": 5, "admin_graphql_api_id": "gid://shopify/Collection/5", "updated_at": "2026-03-01T07:00:01-05:00"}""");

        assertThat(body.resourceId("collections/update")).isEqualTo("gid://shopify/Collection/5");
        assertThat(body.occurredAt("collections/update", TRIGGERED)).isEqualTo(Instant.parse("2026-03-01T12:00:01Z"));
        assertThat(body("{\"id\": 482865238}").resourceId("collections/delete")).isEqualTo("gid://shopify/Collection/482865238");
    }

    @Test
    void anInventoryLevelShouldForwardItsItemAndLocationAsShopifysLevelGid() {
        ShopifyWebhookBody body = body("""
                {"inventory_item_id": 271878346596884015, "location_id": 24826418, "available": 1,
                 "updated_at": "2026-03-01T07:00:01-05:00",
                 "admin_graphql_api_id": "gid://shopify/InventoryLevel/1?inventory_item_id=2"}""");

        assertThat(body.resourceId("inventory_levels/update"))
                .as("made from the numeric fields, not copied from the body")
                .isEqualTo("gid://shopify/InventoryLevel/24826418?inventory_item_id=271878346596884015");
        assertThat(body.resourceId("inventory_levels/connect")).isEqualTo(body.resourceId("inventory_levels/update"));
        assertThat(body.occurredAt("inventory_levels/update", TRIGGERED)).isEqualTo(Instant.parse("2026-03-01T12:00:01Z"));
    }

    @Test
    void aDiscountShouldForwardTheGidOfItsNodeOfAnyDiscountNodeType() {
        assertThat(body("{\"admin_graphql_api_id\": \"gid://shopify/DiscountAutomaticNode/17\"}").resourceId("discounts/update"))
                .isEqualTo("gid://shopify/DiscountAutomaticNode/17");
        assertThat(body("{\"admin_graphql_api_id\": \"gid://shopify/DiscountCodeNode/18\"}").resourceId("discounts/delete"))
                .isEqualTo("gid://shopify/DiscountCodeNode/18");
        assertThat(body("{\"admin_graphql_api_id\": \"gid://shopify/DiscountNode/19\"}").resourceId("discounts/create"))
                .isEqualTo("gid://shopify/DiscountNode/19");
    }

    @Test
    void aLocationShouldForwardItsGidAndShopUpdateNothing() {
        assertThat(body("{\"id\": 7, \"admin_graphql_api_id\": \"gid://shopify/Location/7\"}").resourceId("locations/update"))
                .isEqualTo("gid://shopify/Location/7");
        assertThat(body("{\"id\": 8}").resourceId("locations/delete")).isEqualTo("gid://shopify/Location/8");
        assertThat(body("{\"id\": 9, \"admin_graphql_api_id\": \"gid://shopify/Shop/9\"}").resourceId("shop/update")).isNull();
    }

    @Test
    void hostileOrMismatchedIdsShouldNotBeForwarded() {
        // A GID of another type than the topic's, text in numeric fields, query strings, signs, leading zeros.
        assertThat(body("{\"admin_graphql_api_id\": \"gid://shopify/Product/5\"}").resourceId("collections/update")).isNull();
        assertThat(body("{\"admin_graphql_api_id\": \"gid://shopify/Collection/5\"}").resourceId("discounts/update")).isNull();
        assertThat(body("{\"admin_graphql_api_id\": \"gid://shopify/DiscountNode/5 OR 1=1\"}").resourceId("discounts/update")).isNull();
        assertThat(body("{\"admin_graphql_api_id\": \"gid://shopify/Collection/05\"}").resourceId("collections/update")).isNull();
        assertThat(body("{\"admin_graphql_api_id\": \"gid://shopify/Collection/5?x=1\"}").resourceId("collections/update")).isNull();
        assertThat(body("{\"id\": -8}").resourceId("locations/delete")).isNull();
        assertThat(body("{\"inventory_item_id\": \"12\", \"location_id\": 3}").resourceId("inventory_levels/update"))
                .as("a string where Shopify writes a number").isNull();
        assertThat(body("{\"inventory_item_id\": 12, \"location_id\": -3}").resourceId("inventory_levels/update")).isNull();
        assertThat(body("{\"inventory_item_id\": 12}").resourceId("inventory_levels/disconnect")).isNull();
        assertThat(body("{\"inventory_item_id\": 123456789012345678901, \"location_id\": 3}").resourceId("inventory_levels/update"))
                .as("21 digits").isNull();
        assertThat(body("{\"admin_graphql_api_id\": \"gid://shopify/InventoryLevel/3?inventory_item_id=12\"}")
                .resourceId("inventory_levels/update")).as("only the numeric fields make the id").isNull();
    }

    @Test
    void idsAboveTheSigned64BitMaximumShouldNotBeForwarded() {
        // 20 digits pass a digit count of 20, 9223372036854775808 is one past the maximum: Shopify's ids fit a long.
        for (String number : new String[] {"99999999999999999999", "9223372036854775808"}) {
            assertThat(body("{\"id\": " + number + "}").resourceId("products/delete")).as(number).isNull();
            assertThat(body("{\"id\": " + number + "}").resourceId("collections/delete")).as(number).isNull();
            assertThat(body("{\"admin_graphql_api_id\": \"gid://shopify/Collection/" + number + "\"}")
                    .resourceId("collections/update")).as(number).isNull();
            assertThat(body("{\"admin_graphql_api_id\": \"gid://shopify/DiscountAutomaticNode/" + number + "\"}")
                    .resourceId("discounts/update")).as(number).isNull();
            assertThat(body("{\"inventory_item_id\": " + number + ", \"location_id\": 3}")
                    .resourceId("inventory_levels/update")).as(number).isNull();
            assertThat(body("{\"inventory_item_id\": 12, \"location_id\": " + number + "}")
                    .resourceId("inventory_levels/update")).as(number).isNull();
        }
        assertThat(body("{\"id\": 9223372036854775807}").resourceId("products/delete"))
                .isEqualTo("gid://shopify/Product/9223372036854775807");
    }

    @Test
    void otherTopicsShouldForwardTheirGidAndTheTriggerTimeAsBefore() {
        ShopifyWebhookBody body = body("""
                {"admin_graphql_api_id": "gid://shopify/BulkOperation/5", "updated_at": "2026-03-01T07:00:01-05:00"}""");

        assertThat(body.resourceId("bulk_operations/finish")).isEqualTo("gid://shopify/BulkOperation/5");
        assertThat(body.occurredAt("bulk_operations/finish", TRIGGERED)).isEqualTo(TRIGGERED);
        assertThat(body.occurredAt("shop/update", TRIGGERED)).isEqualTo(TRIGGERED);
    }

    @Test
    void aTopLevelNameGivenTwiceShouldBeRefusedWhateverTheName() {
        for (String json : List.of("{\"id\": 1, \"id\": 2}", "{\"title\": \"a\", \"id\": 1, \"title\": \"b\"}",
                "{\"updated_at\": \"2026-03-01T07:00:01Z\", \"updated_at\": \"2020-01-01T00:00:00Z\"}",
                "{\"variants\": [], \"variants\": {}}")) {
            assertThatThrownBy(() -> body(json)).as(json).isInstanceOf(WebhookRejectedException.class);
        }
    }

    @Test
    void aNameRepeatedInsideANestedObjectShouldNotMatterToTheFieldsRead() {
        ShopifyWebhookBody body = body("""
                {"id": 7, "variants": [{"id": 1, "id": 2}], "options": {"name": "a", "name": "b"},
                 "updated_at": "2026-03-01T07:00:01-05:00"}""");

        assertThat(body.resourceId("products/update")).isEqualTo("gid://shopify/Product/7");
        assertThat(body.occurredAt("products/update", TRIGGERED)).isEqualTo(Instant.parse("2026-03-01T12:00:01Z"));
    }
}
