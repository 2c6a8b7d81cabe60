package io.storefrontsync.common.signature;

import io.storefrontsync.common.validation.Ascii;

import java.util.Base64;

/**
 * Verifies {@code X-Shopify-Hmac-Sha256}: the standard base64 (with padding) of
 * HMAC-SHA256(app secret, raw request body). The body must be the exact bytes received, before any
 * JSON parsing.
 */
public final class ShopifyWebhookVerifier {

    // 32 bytes always encode to 43 characters plus one '='. Anything else is not what Shopify sends,
    // so it is reported as a format problem instead of being decoded leniently.
    // [A-Za-z0-9+/]{43}=, checked by Ascii.

    private ShopifyWebhookVerifier() {
    }

    public static void verify(byte[] rawBody, String hmacHeader, String secret) {
        if (Hmac.isBlank(hmacHeader)) {
            throw new SignatureVerificationException("Shopify webhook HMAC header is missing");
        }
        if (!Ascii.isBase64Of32Bytes(hmacHeader)) {
            throw new SignatureVerificationException(
                    "Shopify webhook HMAC header has a bad format: expected base64 of 32 bytes");
        }
        byte[] received = Base64.getDecoder().decode(hmacHeader);
        byte[] expected = Hmac.sha256(secret, rawBody == null ? new byte[0] : rawBody);
        if (!Hmac.constantTimeEquals(expected, received)) {
            throw new SignatureVerificationException("Shopify webhook HMAC mismatch");
        }
    }

    /** The header value Shopify would send for this body; for simulators, tests and benchmarks. */
    public static String sign(byte[] rawBody, String secret) {
        return Base64.getEncoder().encodeToString(Hmac.sha256(secret, rawBody));
    }
}
