package io.storefrontsync.common.signature;

/**
 * Thrown by every verifier in this package when a signature cannot be trusted. The message says
 * what failed (missing header, bad format, mismatch, timestamp outside tolerance, ...) and never
 * contains a secret, the expected MAC or the received MAC.
 */
public class SignatureVerificationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SignatureVerificationException(String message) {
        super(message);
    }
}
