package io.storefrontsync.common.event;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShopifyResourceIdsTest {

    @Test
    void eachTopicFamilyShouldAcceptItsOwnGidsOnly() {
        assertThat(ShopifyResourceIds.matches("products/update", "gid://shopify/Product/1")).isTrue();
        assertThat(ShopifyResourceIds.matches("collections/delete", "gid://shopify/Collection/2")).isTrue();
        assertThat(ShopifyResourceIds.matches("discounts/create", "gid://shopify/DiscountCodeNode/3")).isTrue();
        assertThat(ShopifyResourceIds.matches("locations/create", "gid://shopify/Location/4")).isTrue();
        assertThat(ShopifyResourceIds.matches("inventory_levels/update",
                "gid://shopify/InventoryLevel/5?inventory_item_id=6")).isTrue();

        assertThat(ShopifyResourceIds.matches("collections/update", "gid://shopify/Product/1")).isFalse();
        assertThat(ShopifyResourceIds.matches("locations/update", "gid://shopify/Location/4/../5")).isFalse();
        assertThat(ShopifyResourceIds.matches("inventory_levels/update",
                "gid://shopify/InventoryLevel/5?inventory_item_id=6&x=1")).isFalse();
        assertThat(ShopifyResourceIds.matches("shop/update", "gid://shopify/Shop/1")).isFalse();
        assertThat(ShopifyResourceIds.matches("products/update", null)).isFalse();
    }

    @Test
    void everyNumberOfAnIdShouldFitASigned64BitNumber() {
        String max = String.valueOf(Long.MAX_VALUE);
        String overMax = "9223372036854775808";
        String twentyDigits = "99999999999999999999";
        assertThat(ShopifyResourceIds.matches("products/update", "gid://shopify/Product/" + max)).isTrue();
        assertThat(ShopifyResourceIds.numeric(max)).isTrue();
        assertThat(ShopifyResourceIds.isLocation("gid://shopify/Location/" + max)).isTrue();
        for (String number : new String[] {overMax, twentyDigits, "0", "042"}) {
            assertThat(ShopifyResourceIds.numeric(number)).as(number).isFalse();
            assertThat(ShopifyResourceIds.matches("products/update", "gid://shopify/Product/" + number)).as(number).isFalse();
            assertThat(ShopifyResourceIds.matches("collections/update", "gid://shopify/Collection/" + number)).as(number)
                    .isFalse();
            assertThat(ShopifyResourceIds.matches("locations/update", "gid://shopify/Location/" + number)).as(number)
                    .isFalse();
            assertThat(ShopifyResourceIds.isLocation("gid://shopify/Location/" + number)).as(number).isFalse();
            assertThat(ShopifyResourceIds.matches("discounts/update", "gid://shopify/DiscountCodeNode/" + number))
                    .as(number).isFalse();
            assertThat(ShopifyResourceIds.discountNodeOf("gid://shopify/DiscountNode/" + number)).as(number).isEmpty();
            // Either number of an inventory level, the other one valid.
            String itemOver = "gid://shopify/InventoryLevel/5?inventory_item_id=" + number;
            String locationOver = "gid://shopify/InventoryLevel/" + number + "?inventory_item_id=6";
            assertThat(ShopifyResourceIds.matches("inventory_levels/update", itemOver)).as(itemOver).isFalse();
            assertThat(ShopifyResourceIds.matches("inventory_levels/update", locationOver)).as(locationOver).isFalse();
            assertThat(ShopifyResourceIds.inventoryItemOf(itemOver)).as(itemOver).isEmpty();
            assertThatThrownBy(() -> ShopifyResourceIds.inventoryLevel(number, "1")).as(number)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theWorkerShouldGetTheItemOfALevelAndTheDiscountNodeOfATypedNode() {
        String level = ShopifyResourceIds.inventoryLevel("271878346596884015", "24826418");
        assertThat(level).isEqualTo("gid://shopify/InventoryLevel/24826418?inventory_item_id=271878346596884015");
        assertThat(ShopifyResourceIds.inventoryItemOf(level)).contains("gid://shopify/InventoryItem/271878346596884015");
        assertThat(ShopifyResourceIds.discountNodeOf("gid://shopify/DiscountAutomaticNode/9")).contains("gid://shopify/DiscountNode/9");
        assertThat(ShopifyResourceIds.discountNodeOf("gid://shopify/Collection/9")).isEmpty();
        assertThatThrownBy(() -> ShopifyResourceIds.inventoryLevel("1", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
