package io.storefrontsync.gateway.page;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The error page's wording and retry link for each refusal a merchant's browser can meet. */
class ErrorPageTest {

    @Test
    void aDeclinedFacebookLoginShouldOfferTheLoginAgain() {
        ErrorPage page = ErrorPage.of(403, "access_denied", "declined", "/facebook/callback", null);

        assertThat(page.status()).isEqualTo(403);
        assertThat(page.title()).isEqualTo("Facebook Pages not connected");
        assertThat(page.retryUrl()).isEqualTo("/facebook/login");
    }

    @Test
    void aShopifyRefusalShouldOfferTheInstallOfAValidShopOnly() {
        assertThat(ErrorPage.of(403, "invalid_state", "m", "/shopify/callback", "Demo-Shop").retryUrl())
                .isEqualTo("/shopify/demo-shop.myshopify.com/login");
        assertThat(ErrorPage.of(401, "invalid_signature", "m", "/shopify", "evil.example.com/x").retryUrl()).isNull();
        assertThat(ErrorPage.of(401, "invalid_signature", "m", "/shopify", null).explanation())
                .endsWith("from your Shopify admin.");
    }

    @Test
    void aMissingSessionShouldNotOfferAFacebookRetry() {
        ErrorPage page = ErrorPage.of(401, "no_session", "m", "/facebook/login", null);

        assertThat(page.title()).isEqualTo("Please install the app first");
        assertThat(page.retryUrl()).isNull();
    }

    @Test
    void aServerFailureShouldSaySoWithoutBlamingTheMerchant() {
        ErrorPage page = ErrorPage.of(502, "code_exchange_failed", "Shopify could not be reached", "/shopify/callback",
                "demo-shop.myshopify.com");

        assertThat(page.title()).isEqualTo("Something went wrong");
        assertThat(page.details()).isEqualTo("Shopify could not be reached");
    }

    @Test
    void onlyTheMerchantPathsShouldGetPages() {
        assertThat(MerchantPages.isMerchantPath("/shopify/callback")).isTrue();
        assertThat(MerchantPages.isMerchantPath("/shopify/demo-shop/login")).isTrue();
        assertThat(MerchantPages.isMerchantPath("/shopify")).isTrue();
        assertThat(MerchantPages.isMerchantPath("/status")).isTrue();
        assertThat(MerchantPages.isMerchantPath("/shopify/webhook")).isFalse();
        assertThat(MerchantPages.isMerchantPath("/facebook/webhook")).isFalse();
        assertThat(MerchantPages.isMerchantPath("/admin/token")).isFalse();
    }
}
