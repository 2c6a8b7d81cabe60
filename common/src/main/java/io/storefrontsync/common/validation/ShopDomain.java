package io.storefrontsync.common.validation;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A Shopify shop's permanent domain, {@code <name>.myshopify.com}, lower case. Holding one means
 * the value matched the anchored pattern, so it is safe to use as a host name and a key segment.
 */
public record ShopDomain(String value) {

    private static final String SUFFIX = ".myshopify.com";
    private static final Pattern DOMAIN = Pattern.compile("^[a-z0-9][a-z0-9-]*\\.myshopify\\.com$");
    private static final Pattern ALLOWED_INPUT = Pattern.compile("[A-Za-z0-9.-]+");
    private static final int MAX_LENGTH = 255;
    private static final int MAX_LABEL = 63;
    private static final String FIELD = "shop";

    public ShopDomain {
        if (value == null || value.length() > MAX_LENGTH || !DOMAIN.matcher(value).matches()
                || value.length() - SUFFIX.length() > MAX_LABEL) {
            throw new InvalidInputException(FIELD, "not a valid *.myshopify.com domain: "
                    + InvalidInputException.preview(value));
        }
    }

    /** Accepts {@code demo-shop} or {@code demo-shop.myshopify.com}, any letter case; nothing else. */
    public static ShopDomain parse(String input) {
        if (input == null || input.isEmpty()) {
            throw new InvalidInputException(FIELD, "is required");
        }
        if (input.length() > MAX_LENGTH) {
            throw new InvalidInputException(FIELD, "is too long");
        }
        // Checked before lower-casing: toLowerCase maps some non-ASCII letters (e.g. the Kelvin sign)
        // to ASCII ones, which would let a look-alike through.
        if (!ALLOWED_INPUT.matcher(input).matches()) {
            throw new InvalidInputException(FIELD, "may only contain letters, digits, '-' and '.': "
                    + InvalidInputException.preview(input));
        }
        String lower = input.toLowerCase(Locale.ROOT);
        return new ShopDomain(lower.indexOf('.') < 0 ? lower + SUFFIX : lower);
    }

    /** {@code demo-shop} for {@code demo-shop.myshopify.com}. */
    public String shortName() {
        return value.substring(0, value.length() - SUFFIX.length());
    }

    @Override
    public String toString() {
        return value;
    }
}
