package io.storefrontsync.common.spaces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.storefrontsync.common.validation.InvalidInputException;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpacesKeysTest {

    private static final UserId USER = UserId.parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static final ShopDomain SHOP = ShopDomain.parse("demo-shop");
    private static final PageId PAGE = PageId.parse("1234567890");
    private static final String USER_PREFIX = "users/0f8fad5b-d9cb-469f-a165-70867728950e/";

    @Test
    void shouldBuildExactKeys() {
        assertThat(SpacesKeys.userPrefix(USER)).isEqualTo(USER_PREFIX);
        assertThat(SpacesKeys.shopPrefix(USER, SHOP)).isEqualTo(USER_PREFIX + "shopify/demo-shop.myshopify.com/");
        assertThat(SpacesKeys.pagePrefix(USER, PAGE)).isEqualTo(USER_PREFIX + "facebook/1234567890/");
        assertThat(SpacesKeys.shopifyShopMetadata(USER, SHOP))
                .isEqualTo(USER_PREFIX + "shopify/demo-shop.myshopify.com/shop_metadata.json");
        assertThat(SpacesKeys.shopifyShopProducts(USER, SHOP))
                .isEqualTo(USER_PREFIX + "shopify/demo-shop.myshopify.com/shop_products.json");
        assertThat(SpacesKeys.facebookPageData(USER, PAGE))
                .isEqualTo(USER_PREFIX + "facebook/1234567890/page_data.json");
    }

    @Test
    void shouldMatchKindSpecificMethods() {
        assertThat(SpacesKeys.key(USER, SHOP, DocumentKind.SHOP_METADATA))
                .isEqualTo(SpacesKeys.shopifyShopMetadata(USER, SHOP));
        assertThat(SpacesKeys.key(USER, SHOP, DocumentKind.SHOP_PRODUCTS))
                .isEqualTo(SpacesKeys.shopifyShopProducts(USER, SHOP));
        assertThat(SpacesKeys.key(USER, PAGE, DocumentKind.PAGE_DATA))
                .isEqualTo(SpacesKeys.facebookPageData(USER, PAGE));
    }

    @Test
    void shouldRefuseKindOfTheOtherPlatform() {
        assertThatThrownBy(() -> SpacesKeys.key(USER, SHOP, DocumentKind.PAGE_DATA))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpacesKeys.key(USER, PAGE, DocumentKind.SHOP_PRODUCTS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldKeepEveryKeyInsideTheUserPrefix() {
        List<String> keys = List.of(
                SpacesKeys.shopifyShopMetadata(USER, SHOP),
                SpacesKeys.shopifyShopProducts(USER, ShopDomain.parse("A-B-C.MYSHOPIFY.COM")),
                SpacesKeys.facebookPageData(USER, PageId.parse("1")));
        for (String key : keys) {
            assertThat(key).startsWith(USER_PREFIX);
            assertThat(key.split("/")).hasSize(5).doesNotContain("", ".", "..");
            assertThat(key).matches("[a-z0-9/._-]+");
        }
    }

    @Test
    void shouldNeverGetTraversalSegmentsPastTheTypes() {
        for (String hostile : List.of("../../etc", "..", "demo/../../x", "demo%2F..")) {
            assertThatThrownBy(() -> ShopDomain.parse(hostile)).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> PageId.parse(hostile)).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> UserId.parse(hostile)).isInstanceOf(InvalidInputException.class);
        }
    }
}
