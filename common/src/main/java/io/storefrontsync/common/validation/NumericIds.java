package io.storefrontsync.common.validation;

import java.util.regex.Pattern;

/**
 * The numeric ids Shopify and Meta issue — the number of a Shopify GID, a Facebook Page id, an app-scoped Facebook
 * user id — are positive signed 64-bit numbers. They are checked by value, not by digit count: an id of 20 digits
 * (or of 19 above {@value Long#MAX_VALUE}) passes a length check and then breaks where it is first used as a number
 * (a GraphQL {@code ID} Shopify refuses, a {@code Long.parseLong}), after it was stored or forwarded. They are also
 * canonical (no sign, no leading zero): a Page id is a text key, and {@code 042} and {@code 42} would be two rows of
 * one Page.
 */
public final class NumericIds {

    /** The shape of a canonical id, for patterns that embed one; {@link #isPositiveLong} also checks the value. */
    public static final String SHAPE = "[1-9][0-9]{0,18}";

    /** What a refusal says, after the field name. */
    public static final String RULE = "must be a number from 1 to " + Long.MAX_VALUE + " without leading zeros";

    // [0-9], not \d: with UNICODE_CHARACTER_CLASS \d would admit other scripts' digits.
    private static final Pattern CANONICAL = Pattern.compile(SHAPE);
    private static final int MAX_DIGITS = String.valueOf(Long.MAX_VALUE).length();

    private NumericIds() {
    }

    /** Whether {@code text} is a canonical decimal from 1 to {@link Long#MAX_VALUE}. */
    public static boolean isPositiveLong(String text) {
        if (text == null || !CANONICAL.matcher(text).matches()) {
            return false;
        }
        // Same length, digits only: the text order is the numeric order.
        return text.length() < MAX_DIGITS || text.compareTo(String.valueOf(Long.MAX_VALUE)) <= 0;
    }
}
