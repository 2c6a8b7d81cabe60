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
 * {@code <base64url signature>.<base64url JSON payload>}, padding optional, where the signature is
 * HMAC-SHA256(app secret, the payload part exactly as received) and the payload declares
 * {@code "algorithm": "HMAC-SHA256"}.
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

    private static byte[] decode(String part, String what) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '=';
            if (!ok) {
                throw new SignatureVerificationException(
                        "signed_request has a bad format: " + what + " is not base64url");
            }
        }
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new SignatureVerificationException(
                    "signed_request has a bad format: " + what + " is not base64url");
        }
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
