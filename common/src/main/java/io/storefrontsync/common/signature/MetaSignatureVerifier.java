package io.storefrontsync.common.signature;

import java.nio.charset.StandardCharsets;

/**
 * Verifies Meta's {@code X-Hub-Signature-256}: {@code sha256=} followed by the lower-case hex
 * HMAC-SHA256(app secret, raw request body).
 *
 * <p>Only lower-case hex is accepted, because that is what Meta sends; an upper-case header is
 * reported as a bad format rather than normalised, so there is exactly one accepted spelling of
 * each signature. {@code sha1=} (the legacy {@code X-Hub-Signature}) is rejected.
 *
 * <p>This proves only that Meta's app secret keyed an HMAC over these bytes. The same secret signs
 * {@code signed_request} payloads (see {@link MetaSignedRequest} for the list), and the base64url payload part
 * of one, with its signature in hex, passes here. Callers must therefore require the body to be a webhook (a
 * JSON object with {@code "object": "page"}) before acting on it, as the gateway's {@code FacebookWebhook} does:
 * a base64url string never is.
 */
public final class MetaSignatureVerifier {

    private static final String PREFIX = "sha256=";

    private MetaSignatureVerifier() {
    }

    public static void verify(byte[] rawBody, String xHubSignature256Header, String appSecret) {
        String header = xHubSignature256Header;
        if (Hmac.isBlank(header)) {
            throw new SignatureVerificationException("X-Hub-Signature-256 header is missing");
        }
        if (!header.startsWith(PREFIX)) {
            throw new SignatureVerificationException(
                    "X-Hub-Signature-256 header has a bad format: expected the sha256= prefix");
        }
        String hex = header.substring(PREFIX.length());
        if (!Hmac.isLowerHex(hex, 64)) {
            throw new SignatureVerificationException(
                    "X-Hub-Signature-256 header has a bad format: expected 64 lower-case hex digits");
        }
        String expected = Hmac.hex(Hmac.sha256(appSecret, rawBody == null ? new byte[0] : rawBody));
        if (!Hmac.constantTimeEquals(
                expected.getBytes(StandardCharsets.US_ASCII), hex.getBytes(StandardCharsets.US_ASCII))) {
            throw new SignatureVerificationException("X-Hub-Signature-256 mismatch");
        }
    }

    /** The full header value ({@code sha256=<hex>}) Meta would send for this body. */
    public static String sign(byte[] rawBody, String appSecret) {
        return PREFIX + Hmac.hex(Hmac.sha256(appSecret, rawBody));
    }
}
