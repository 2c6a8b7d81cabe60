package io.storefrontsync.common.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts OAuth tokens at rest with AES-256-GCM (12-byte random nonce, 128-bit tag).
 *
 * <p>Envelope: {@code v1.<keyId>.<base64url(nonce || ciphertext || tag)>}, no padding. The
 * associated data the caller passes (e.g. the connection id) is bound to the ciphertext together
 * with the version and key id, so a token copied to another row, or relabelled with another key
 * id, fails to decrypt.
 *
 * <p>Keys come from {@code TOKEN_ENCRYPTION_KEY}: comma-separated {@code keyId:base64Key} entries,
 * the first one encrypts, all of them decrypt, which is how keys are rotated. Thread-safe.
 */
public final class TokenCipher {

    static final String VARIABLE = "TOKEN_ENCRYPTION_KEY";
    private static final String VERSION = "v1";
    private static final String DEFAULT_KEY_ID = "k1";
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern ENVELOPE =
            Pattern.compile("v1\\.([A-Za-z0-9_-]{1,32})\\.([A-Za-z0-9_-]+)");
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentKeyId;
    private final Map<String, SecretKey> keys;

    private TokenCipher(String currentKeyId, Map<String, SecretKey> keys) {
        this.currentKeyId = currentKeyId;
        this.keys = keys;
    }

    /**
     * @throws IllegalArgumentException naming {@code TOKEN_ENCRYPTION_KEY} and what is wrong, never
     *     the key material
     */
    public static TokenCipher fromKeyRing(String spec) {
        if (spec == null || spec.isBlank()) {
            throw invalid("is not set");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String[] entries = spec.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            int position = i + 1;
            if (entry.isEmpty()) {
                throw invalid("entry " + position + " is empty");
            }
            int colon = entry.indexOf(':');
            String id = colon < 0 ? DEFAULT_KEY_ID : entry.substring(0, colon);
            String encoded = colon < 0 ? entry : entry.substring(colon + 1);
            if (!KEY_ID.matcher(id).matches()) {
                // The bad id is not echoed: a mangled entry may be key material.
                throw invalid("entry " + position + " has an invalid key id (expected [A-Za-z0-9_-]{1,32})");
            }
            byte[] key = decodeKey(encoded, position, id);
            if (keys.put(id, new SecretKeySpec(key, "AES")) != null) {
                throw invalid("key id '" + id + "' is used twice");
            }
        }
        return new TokenCipher(keys.keySet().iterator().next(), Map.copyOf(keys));
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    /** Every key id of the ring, the current one first. */
    public List<String> keyIds() {
        List<String> ids = new ArrayList<>(keys.keySet());
        ids.remove(currentKeyId);
        ids.add(0, currentKeyId);
        return List.copyOf(ids);
    }

    public String encrypt(String plaintext, String associatedData) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(associatedData, "associatedData");
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(currentKeyId, associatedData));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] body = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, body, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, body, NONCE_BYTES, sealed.length);
            return VERSION + "." + currentKeyId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public String decrypt(String envelope, String associatedData) {
        Objects.requireNonNull(associatedData, "associatedData");
        var matcher = envelope == null ? null : ENVELOPE.matcher(envelope);
        if (matcher == null || !matcher.matches()) {
            throw new TokenDecryptionException("encrypted token is malformed");
        }
        String keyId = matcher.group(1);
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new TokenDecryptionException(
                    "encrypted token uses key id '" + keyId + "', which is not in " + VARIABLE);
        }
        byte[] body;
        try {
            body = Base64.getUrlDecoder().decode(matcher.group(2));
        } catch (IllegalArgumentException e) {
            throw new TokenDecryptionException("encrypted token is malformed");
        }
        if (body.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new TokenDecryptionException("encrypted token is malformed: too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, body, 0, NONCE_BYTES));
            cipher.updateAAD(aad(keyId, associatedData));
            byte[] plain = cipher.doFinal(body, NONCE_BYTES, body.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new TokenDecryptionException(
                    "encrypted token failed authentication (tampered, or wrong associated data)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    /**
     * True when the token was encrypted with a key other than the current one and should be
     * re-encrypted.
     *
     * @throws TokenDecryptionException when the envelope is malformed
     */
    public boolean needsReencryption(String envelope) {
        var matcher = envelope == null ? null : ENVELOPE.matcher(envelope);
        if (matcher == null || !matcher.matches()) {
            throw new TokenDecryptionException("encrypted token is malformed");
        }
        return !currentKeyId.equals(matcher.group(1));
    }

    /**
     * Decrypts a token sealed under any key of the ring and seals it again under the current key,
     * with the same associated data: how a key is retired.
     *
     * @throws TokenDecryptionException when the token cannot be decrypted (its key id is no longer
     *     in the ring, or it was tampered with)
     */
    public String reencrypt(String envelope, String associatedData) {
        return encrypt(decrypt(envelope, associatedData), associatedData);
    }

    @Override
    public String toString() {
        return "TokenCipher[current=" + currentKeyId + ", keyIds=" + keyIds() + "]";
    }

    private static byte[] aad(String keyId, String associatedData) {
        // The key id cannot contain '.', so "v1.<id>." followed by the caller's data is unambiguous.
        return (VERSION + "." + keyId + "." + associatedData).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] decodeKey(String encoded, int position, String id) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw invalid("entry " + position + " (key id '" + id + "') is not valid base64");
        }
        if (key.length != KEY_BYTES) {
            throw invalid("entry " + position + " (key id '" + id + "') decodes to " + key.length
                    + " bytes, expected " + KEY_BYTES + " (AES-256)");
        }
        return key;
    }

    private static IllegalArgumentException invalid(String what) {
        return new IllegalArgumentException(VARIABLE + " " + what
                + "; expected comma-separated keyId:base64Key entries of 32-byte keys, the first one current");
    }
}
