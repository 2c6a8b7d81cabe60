package io.storefrontsync.common.validation;

import java.util.regex.Pattern;

/** A Facebook Page id: 1 to 32 ASCII digits. */
public record PageId(String value) {

    // [0-9], not \d: with UNICODE_CHARACTER_CLASS \d would admit other scripts' digits.
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,32}");

    public PageId {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException("pageId", "is required");
        }
        if (!DIGITS.matcher(value).matches()) {
            throw new InvalidInputException("pageId", "must be 1 to 32 digits: "
                    + InvalidInputException.preview(value));
        }
    }

    public static PageId parse(String input) {
        return new PageId(input);
    }

    @Override
    public String toString() {
        return value;
    }
}
