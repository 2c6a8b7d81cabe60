package io.storefrontsync.common.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Every error body either service answers, one shape for both: a stable machine-readable {@code error} code, the
 * request field at fault when there is one, and a message safe to show (never a stack trace, a token or a secret).
 *
 * <p>Clients branch on {@code error}; {@code field} lets a form or a batch caller point at the input to fix;
 * {@code message} is for people.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String field, String message) {

    /** An error that is not about one field. */
    public static ApiError of(String error, String message) {
        return new ApiError(error, null, message);
    }
}
