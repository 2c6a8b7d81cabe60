package io.storefrontsync.common.signature;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 and the encodings the verifiers need. */
public final class Hmac {

    private static final String ALGORITHM = "HmacSHA256";
    private static final HexFormat LOWER_HEX = HexFormat.of();

    private Hmac() {
    }

    public static byte[] sha256(byte[] key, byte[] data) {
        if (key == null || key.length == 0) {
            // SecretKeySpec would reject it anyway, but with a message that reads like our bug.
            throw new IllegalArgumentException("HMAC secret is empty");
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** HMAC with the UTF-8 bytes of {@code secret} as key, the way Shopify and Meta use app secrets. */
    public static byte[] sha256(String secret, byte[] data) {
        if (secret == null) {
            throw new IllegalArgumentException("HMAC secret is empty");
        }
        return sha256(secret.getBytes(StandardCharsets.UTF_8), data);
    }

    public static String hex(byte[] bytes) {
        return LOWER_HEX.formatHex(bytes);
    }

    /** Constant-time comparison: the time taken does not depend on where the inputs differ. */
    public static boolean constantTimeEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    static boolean isLowerHex(String s, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
