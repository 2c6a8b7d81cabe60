package io.storefrontsync.sandbox.facebook;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signatures Meta puts on what it sends, computed here with javax.crypto on purpose: the simulator must not
 * share code with the verifiers under test, or a bug in one would hide in both.
 */
final class MetaSignatures {

    private MetaSignatures() {
    }

    /** {@code X-Hub-Signature-256} value: {@code sha256=} + hex HMAC-SHA256 of the raw body with the app secret. */
    static String hubSignature256(String appSecret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(hmac("HmacSHA256", appSecret, body));
    }

    /** Legacy {@code X-Hub-Signature}: {@code sha1=} + hex HMAC-SHA1, still sent next to the SHA-256 one. */
    static String hubSignature(String appSecret, byte[] body) {
        return "sha1=" + HexFormat.of().formatHex(hmac("HmacSHA1", appSecret, body));
    }

    /**
     * A Facebook {@code signed_request}: base64url(HMAC-SHA256 over the encoded payload) "." base64url(payload
     * JSON), unpadded, payload carrying {@code algorithm: HMAC-SHA256} and {@code issued_at}
     * (https://developers.facebook.com/docs/games/gamesonfacebook/login#parsingsr).
     */
    static String signedRequest(String appSecret, JsonObject payload) {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        String encodedPayload = encoder.encodeToString(payload.encode().getBytes(StandardCharsets.UTF_8));
        byte[] signature = hmac("HmacSHA256", appSecret, encodedPayload.getBytes(StandardCharsets.US_ASCII));
        return encoder.encodeToString(signature) + "." + encodedPayload;
    }

    private static byte[] hmac(String algorithm, String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }
}
