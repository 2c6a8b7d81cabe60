package io.storefrontsync.common.signature;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Meta's {@code signed_request} (data deletion callback, deauthorize callback):
 * {@code <base64url signature>.<base64url JSON payload>}, where the signature is
 * HMAC-SHA256(app secret, the payload part exactly as received) and the payload declares
 * {@code "algorithm": "HMAC-SHA256"}.
 *
 * <p>The app secret keys every message Meta signs for us, all with HMAC-SHA256, so one must never
 * verify as another:
 * <ul>
 *   <li>Page webhook: {@code X-Hub-Signature-256: sha256=<hex HMAC(raw body)>} ({@link MetaSignatureVerifier}):
 *       the body is a JSON object with {@code "object": "page"};</li>
 *   <li>{@code signed_request} (this class): base64url HMAC over the base64url payload string, which decodes to
 *       a JSON object with the algorithm;</li>
 *   <li>{@code appsecret_proof} (hex HMAC(access token)): we send none, so we never verify one.</li>
 * </ul>
 * A signed_request's payload part is base64url, never a JSON object, so as a webhook body it is refused by the
 * webhook's shape check. A webhook body is JSON, never base64url, so as a payload part it is refused here: both
 * parts must be strict base64url (the URL alphabet, no padding, the one canonical spelling of their bytes, as
 * Meta sends them) and the payload a JSON object with {@code algorithm} HMAC-SHA256. A token (what an
 * appsecret_proof signs) is neither a JSON object nor the base64url of one.
 */
public final class MetaSignedRequest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ALGORITHM = "HMAC-SHA256";
    // Far above any real signed_request; keeps a hostile form field from costing real work.
    private static final int MAX_LENGTH = 16 * 1024;

    private MetaSignedRequest() {
    }

    /** Verifies the signature, then returns the payload. */
    public static JsonNode parse(String signedRequest, String appSecret) {
        if (Hmac.isBlank(signedRequest)) {
            throw new SignatureVerificationException("signed_request is missing");
        }
        if (signedRequest.length() > MAX_LENGTH) {
            throw new SignatureVerificationException("signed_request has a bad format: too long");
        }
        int dot = signedRequest.indexOf('.');
        if (dot <= 0 || dot == signedRequest.length() - 1 || signedRequest.indexOf('.', dot + 1) >= 0) {
            throw new SignatureVerificationException(
                    "signed_request has a bad format: expected <signature>.<payload>");
        }
        String encodedSignature = signedRequest.substring(0, dot);
        String encodedPayload = signedRequest.substring(dot + 1);
        byte[] signature = decode(encodedSignature, "signature");
        byte[] payloadBytes = decode(encodedPayload, "payload");
        if (signature.length != 32) {
            throw new SignatureVerificationException(
                    "signed_request has a bad format: signature is not 32 bytes");
        }
        // Read the declared algorithm before trusting the MAC, so an unexpected one is named as such.
        JsonNode payload = readPayload(payloadBytes);
        JsonNode algorithm = payload.get("algorithm");
        if (algorithm == null || !algorithm.isTextual() || !ALGORITHM.equalsIgnoreCase(algorithm.asText())) {
            throw new SignatureVerificationException(
                    "signed_request has an unsupported algorithm: expected HMAC-SHA256");
        }
        byte[] expected = Hmac.sha256(appSecret, encodedPayload.getBytes(StandardCharsets.US_ASCII));
        if (!Hmac.constantTimeEquals(expected, signature)) {
            throw new SignatureVerificationException("signed_request signature mismatch");
        }
        return payload;
    }

    /**
     * Builds a signed_request for simulators and tests. {@code algorithm} is set to HMAC-SHA256
     * unless the payload already has one; padding is omitted, as Meta does.
     */
    public static String create(JsonNode payload, String appSecret) {
        if (payload == null || !payload.isObject()) {
            throw new IllegalArgumentException("signed_request payload must be a JSON object");
        }
        ObjectNode body = ((ObjectNode) payload).deepCopy();
        if (!body.has("algorithm")) {
            body.put("algorithm", ALGORITHM);
        }
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        String encodedPayload;
        try {
            encodedPayload = encoder.encodeToString(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("signed_request payload cannot be serialised", e);
        }
        byte[] signature = Hmac.sha256(appSecret, encodedPayload.getBytes(StandardCharsets.US_ASCII));
        return encoder.encodeToString(signature) + "." + encodedPayload;
    }

    public static String create(Map<String, ?> payload, String appSecret) {
        JsonNode tree = MAPPER.valueToTree(payload);
        return create(tree, appSecret);
    }

    /**
     * Strict base64url: Meta's alphabet without padding, and only the canonical spelling (the JDK decoder
     * would also take padding and non-zero spare bits), so each signed_request has exactly one accepted form.
     */
    private static byte[] decode(String part, String what) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!ok) {
                throw new SignatureVerificationException(
                        "signed_request has a bad format: " + what + " is not unpadded base64url");
            }
        }
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new SignatureVerificationException(
                    "signed_request has a bad format: " + what + " is not base64url");
        }
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(decoded).equals(part)) {
            throw new SignatureVerificationException(
                    "signed_request has a bad format: " + what + " is not canonical base64url");
        }
        return decoded;
    }

    private static JsonNode readPayload(byte[] payloadBytes) {
        try {
            JsonNode payload = MAPPER.readTree(payloadBytes);
            if (payload == null || !payload.isObject()) {
                throw new SignatureVerificationException(
                        "signed_request has a bad format: payload is not a JSON object");
            }
            return payload;
        } catch (IOException e) {
            throw new SignatureVerificationException(
                    "signed_request has a bad format: payload is not JSON");
        }
    }
}
