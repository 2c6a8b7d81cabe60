package io.storefrontsync.gateway.error;

/**
 * Every error body the gateway answers: a stable machine-readable {@code error} code and a message
 * safe to show (never a stack trace, a token or a secret).
 */
public record ApiError(String error, String message) {
}
