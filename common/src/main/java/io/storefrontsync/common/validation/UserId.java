package io.storefrontsync.common.validation;

import java.util.UUID;

/** A user's uuid, the top folder of everything stored for that user. */
public record UserId(UUID value) {

    // UUID.fromString also takes "1-2-3-4-5" and over-long groups; only the 8-4-4-4-12 form is a user id
    // ([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}, checked by Ascii).

    public UserId {
        if (value == null) {
            throw new InvalidInputException("userId", "is required");
        }
    }

    public static UserId parse(String input) {
        if (input == null || input.isEmpty()) {
            throw new InvalidInputException("userId", "is required");
        }
        if (!Ascii.isCanonicalUuid(input)) {
            throw new InvalidInputException("userId", "must be a UUID in 8-4-4-4-12 hex form: "
                    + InvalidInputException.preview(input));
        }
        return new UserId(UUID.fromString(input));
    }

    public static UserId random() {
        return new UserId(UUID.randomUUID());
    }

    /** Lower-case canonical form. */
    @Override
    public String toString() {
        return value.toString();
    }
}
