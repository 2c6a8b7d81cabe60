package io.storefrontsync.common.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShopifyApiVersionTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-07", "2026-01", "2025-04", "2027-10"})
    void shouldAcceptQuarterlyReleases(String version) {
        assertThat(ShopifyApiVersion.require(version)).isEqualTo(version);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"latest", "unstable", "2026-13", "2026-02", "2026-7", "27-07", "2026-07 ", "2026-07-01",
            "v2026-07", "2026/07", " "})
    void shouldRefuseAnythingElseNamingTheVariableNotTheValue(String version) {
        assertThatThrownBy(() -> ShopifyApiVersion.require(version))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SHOPIFY_API_VERSION")
                .satisfies(e -> {
                    if (version != null && !version.isBlank()) {
                        assertThat(e.getMessage()).doesNotContain(version);
                    }
                });
    }
}
