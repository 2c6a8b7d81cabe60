package io.storefrontsync.common.config;

import java.util.regex.Pattern;

/**
 * {@code SHOPIFY_API_VERSION}: a Shopify Admin API release, {@code YYYY-MM} with the quarter's month
 * (01, 04, 07, 10), e.g. {@code 2026-07}. Checked at start by both services: a version Shopify does
 * not publish ({@code latest}, {@code 2026-13}, empty) would otherwise only show as 404s on the first
 * install or sync. The message names the variable, never the value.
 */
public final class ShopifyApiVersion {

    public static final String VARIABLE = "SHOPIFY_API_VERSION";
    private static final Pattern RELEASE = Pattern.compile("20[0-9]{2}-(01|04|07|10)");

    private ShopifyApiVersion() {
    }

    /** @return the version, unchanged; @throws IllegalArgumentException naming {@value #VARIABLE} */
    public static String require(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(VARIABLE + " is empty: leave it unset for the default,"
                    + " or name a Shopify API release such as 2026-07");
        }
        if (!RELEASE.matcher(value).matches()) {
            throw new IllegalArgumentException(VARIABLE + " must name a Shopify API release, YYYY-MM with month"
                    + " 01, 04, 07 or 10 (e.g. 2026-07)");
        }
        return value;
    }
}
