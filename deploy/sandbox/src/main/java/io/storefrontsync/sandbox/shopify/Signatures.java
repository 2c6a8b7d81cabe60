package io.storefrontsync.sandbox.shopify;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Shopify's two HMAC-SHA256 signatures, written here on purpose instead of reusing the project's
 * verifiers: the simulator must be an independent implementation, or a shared bug would sign and
 * verify in agreement.
 */
final class Signatures {

    private Signatures() {
    }

    /** OAuth redirect {@code hmac}: hex HMAC of the other params, sorted, as {@code k=v} joined by {@code &}. */
    static String queryHmac(Map<String, String> params, String secret) {
        String message = new TreeMap<>(params).entrySet().stream()
                .filter(e -> !e.getKey().equals("hmac") && !e.getKey().equals("signature"))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        return HexFormat.of().formatHex(hmac(secret, message.getBytes(StandardCharsets.UTF_8)));
    }

    /** Webhook {@code X-Shopify-Hmac-Sha256}: base64 HMAC of the raw body. */
    static String bodyHmac(byte[] body, String secret) {
        return Base64.getEncoder().encodeToString(hmac(secret, body));
    }

    static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(String secret, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
