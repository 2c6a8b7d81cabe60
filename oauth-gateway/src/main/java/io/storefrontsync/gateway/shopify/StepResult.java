package io.storefrontsync.gateway.shopify;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code {"status":"success"}} or {@code {"status":"failed","message":"..."}} in the install answer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepResult(String status, String message) {

    public static StepResult success() {
        return new StepResult("success", null);
    }

    public static StepResult failed(String message) {
        return new StepResult("failed", message);
    }
}
