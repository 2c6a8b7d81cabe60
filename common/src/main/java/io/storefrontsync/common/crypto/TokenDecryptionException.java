package io.storefrontsync.common.crypto;

/**
 * A stored token cannot be decrypted: malformed envelope, unknown key id, tampered ciphertext or
 * wrong associated data. The message never contains plaintext or key material.
 */
public class TokenDecryptionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TokenDecryptionException(String message) {
        super(message);
    }
}
