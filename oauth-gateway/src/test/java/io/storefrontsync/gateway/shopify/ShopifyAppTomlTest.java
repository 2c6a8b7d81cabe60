package io.storefrontsync.gateway.shopify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code shopify.app.toml} (the repository root) says what the gateway requests, registers and serves. */
class ShopifyAppTomlTest {

    /** Surefire runs in the module directory. */
    private static final Path TOML = Path.of("..", "shopify.app.toml");

    @TempDir
    Path dir;

    @Test
    void theRepositorysTomlShouldEqualTheCode() throws IOException {
        assertThat(ShopifyAppToml.differences(TOML)).isEmpty();
    }

    @Test
    void shouldMapTheRegistrarsTopicsToShopifysNames() {
        assertThat(ShopifyAppToml.restTopic("INVENTORY_LEVELS_UPDATE")).isEqualTo("inventory_levels/update");
        assertThat(ShopifyAppToml.restTopic("APP_UNINSTALLED")).isEqualTo("app/uninstalled");
    }

    @Test
    void aDroppedScopeShouldBeFound() throws IOException {
        assertThat(drifted(",read_locations", "")).containsExactly("access_scopes.scopes: missing [read_locations]");
    }

    @Test
    void anExtraScopeShouldBeFound() throws IOException {
        assertThat(drifted("read_products,", "read_products,write_products,"))
                .containsExactly("access_scopes.scopes: not in the code [write_products]");
    }

    @Test
    void aDroppedTopicOrComplianceTopicShouldBeFound() throws IOException {
        assertThat(drifted("\"shop/update\",", "")).containsExactly("webhooks.subscriptions topics: missing [shop/update]");
        assertThat(drifted(", \"shop/redact\"]", "]"))
                .containsExactly("webhooks.subscriptions compliance_topics: missing [shop/redact]");
    }

    @Test
    void aMovedCallbackAppUrlOrWebhookPathShouldBeFound() throws IOException {
        assertThat(drifted("/shopify/callback\"", "/auth/callback\""))
                .containsExactly("auth.redirect_urls paths: missing [/shopify/callback]",
                        "auth.redirect_urls paths: not in the code [/auth/callback]");
        assertThat(drifted("example.com/shopify\"", "example.com/\"")).hasSize(2)
                .allMatch(d -> d.startsWith("application_url path"));
        assertThat(drifted("example.com/shopify/webhook\"\n\n# The change", "example.com/webhooks\"\n\n# The change"))
                .containsExactly("webhooks.subscriptions uri: path /webhooks, the gateway takes webhooks at /shopify/webhook");
    }

    @Test
    void anotherApiVersionOrHostShouldBeFound() throws IOException {
        assertThat(drifted("api_version = \"2026-07\"", "api_version = \"2025-10\"")).hasSize(2)
                .allMatch(d -> d.startsWith("webhooks.api_version"));
        assertThat(drifted("redirect_urls = [\"https://storefront-sync.example.com", "redirect_urls = [\"https://other.example.com"))
                .singleElement().asString().startsWith("every URL must name the one gateway host");
    }

    /** The differences of a copy of the toml with {@code from} replaced once by {@code to}. */
    private List<String> drifted(String from, String to) throws IOException {
        String original = Files.readString(TOML);
        assertThat(original).as("the drift's anchor").contains(from);
        Path copy = dir.resolve("shopify.app.toml");
        Files.writeString(copy, original.replaceFirst(java.util.regex.Pattern.quote(from),
                java.util.regex.Matcher.quoteReplacement(to)));
        return ShopifyAppToml.differences(copy);
    }
}
