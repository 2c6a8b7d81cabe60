package io.storefrontsync.common.validation;

/**
 * A Facebook Page id: Meta's Page ids are numeric strings that fit a positive 64-bit number
 * ({@link NumericIds#isPositiveLong}), written without leading zeros.
 */
public record PageId(String value) {

    public PageId {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException("pageId", "is required");
        }
        if (!NumericIds.isPositiveLong(value)) {
            throw new InvalidInputException("pageId", NumericIds.RULE + ": " + InvalidInputException.preview(value));
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
