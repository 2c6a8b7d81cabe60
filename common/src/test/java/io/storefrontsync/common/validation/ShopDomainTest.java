package io.storefrontsync.common.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ShopDomainTest {

    @ParameterizedTest
    @CsvSource({
        "demo-shop,demo-shop.myshopify.com",
        "demo-shop.myshopify.com,demo-shop.myshopify.com",
        "Demo-Shop.MyShopify.COM,demo-shop.myshopify.com",
        "DEMO,demo.myshopify.com",
        "0shop,0shop.myshopify.com",
        "a,a.myshopify.com"
    })
    void shouldAcceptShortNamesAndFullDomains(String input, String expected) {
        ShopDomain shop = ShopDomain.parse(input);
        assertThat(shop.value()).isEqualTo(expected);
        assertThat(shop).hasToString(expected);
    }

    @Test
    void shouldExposeShortName() {
        assertThat(ShopDomain.parse("demo-shop.myshopify.com").shortName()).isEqualTo("demo-shop");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        " demo-shop", "demo-shop ", "demo shop", "demo-shop\n", "\tdemo",
        "x.myshopify.com.evil.tld", "evil.com", "myshopify.com", ".myshopify.com",
        "demo-shop.myshopify.com.", "a.b.myshopify.com", "demo..myshopify.com", "..", "../demo",
        "-demo", "-demo.myshopify.com", "demo_shop",
        "user@demo-shop.myshopify.com", "demo-shop.myshopify.com@evil.com", "demo-shop.myshopify.com:443",
        "demo-shop.myshopify.com/admin", "demo-shop.myshopify.com%2F..", "demo%2Fshop", "https://demo-shop.myshopify.com",
        "dеmo-shop",                                 // Cyrillic 'е'
        "demo-shop.myshopifу.com",                   // Cyrillic 'у'
        "\u212Aelvin",                               // Kelvin sign lower-cases to ASCII 'k'
        "demo-shop\u0000.myshopify.com", "demo-shop.myshopify.com\u200b"
    })
    void shouldRejectHostileInput(String input) {
        assertThatThrownBy(() -> ShopDomain.parse(input))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("shop"));
    }

    @Test
    void shouldLimitLabelAndTotalLength() {
        String label63 = "a".repeat(63);
        assertThat(ShopDomain.parse(label63).value()).isEqualTo(label63 + ".myshopify.com");
        assertThatThrownBy(() -> ShopDomain.parse("a".repeat(64))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ShopDomain.parse("a".repeat(300))).isInstanceOf(InvalidInputException.class)
                .hasMessage("shop: is too long");
    }

    @Test
    void shouldNotEchoHostileInputVerbatim() {
        String hostile = "<script>alert(1)</script>" + "x".repeat(100);
        assertThatThrownBy(() -> ShopDomain.parse(hostile))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageNotContaining("<script>")
                .hasMessageNotContaining("x".repeat(41));
    }

    @Test
    void shouldValidateInConstructorToo() {
        assertThatThrownBy(() -> new ShopDomain("Demo.myshopify.com")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new ShopDomain(null)).isInstanceOf(InvalidInputException.class);
        assertThat(new ShopDomain("demo.myshopify.com")).isEqualTo(ShopDomain.parse("demo"));
    }
}
