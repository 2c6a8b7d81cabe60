package io.storefrontsync.gateway.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The few small fields the gateway forwards from a verified body for a product patch (#14): GID and time. */
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
    void otherTopicsShouldForwardTheirGidAndTheTriggerTimeAsBefore() {
        ShopifyWebhookBody body = body("""
                {"id": 5, "admin_graphql_api_id": "gid://shopify/Collection/5", "updated_at": "2026-03-01T07:00:01-05:00"}""");

        assertThat(body.resourceId("collections/update")).isEqualTo("gid://shopify/Collection/5");
        assertThat(body.occurredAt("collections/update", TRIGGERED)).isEqualTo(TRIGGERED);
    }
}
