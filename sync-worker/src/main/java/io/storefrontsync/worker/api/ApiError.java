package io.storefrontsync.worker.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Every error body of this API: a stable code, the field at fault when there is one, and a readable message. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String field, String message) {
}
