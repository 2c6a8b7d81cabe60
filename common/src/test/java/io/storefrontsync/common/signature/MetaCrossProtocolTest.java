package io.storefrontsync.common.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Meta signs three kinds of message with the app secret, all HMAC-SHA256: Page webhook bodies
 * ({@code X-Hub-Signature-256}, hex), {@code signed_request} payload parts (base64url) and, for apps that send
 * one, {@code appsecret_proof} over an access token (hex; we send none). A MAC from one must not pass as another.
 */
class MetaCrossProtocolTest {

    private static final String SECRET = "meta_app_secret";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] WEBHOOK_BODY = ("{\"object\":\"page\",\"entry\":[{\"id\":\"1000000000001\","
            + "\"time\":1700000000,\"changes\":[{\"field\":\"name\",\"value\":\"x\"}]}]}")
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void aSignedRequestPresentedAsAWebhookPassesTheMacButIsNoWebhookBody() throws Exception {
        String signedRequest = MetaSignedRequest.create(Map.of("user_id", "1000000000001"), SECRET);
        String[] parts = signedRequest.split("\\.");
        byte[] body = parts[1].getBytes(StandardCharsets.US_ASCII);
        String header = "sha256=" + HexFormat.of().formatHex(Base64.getUrlDecoder().decode(parts[0]));

        // The MAC alone cannot tell the two apart: same key, same algorithm, and the payload part is the message.
        MetaSignatureVerifier.verify(body, header, SECRET);
        // What keeps it out is the webhook's shape: a base64url string is never a JSON object.
        assertThat(parts[1]).matches("[A-Za-z0-9_-]+");
        assertThatThrownBy(() -> JSON.readTree(body).isObject()).isInstanceOf(Exception.class);
    }

    @Test
    void aWebhookPresentedAsASignedRequestIsRefused() {
        String header = MetaSignatureVerifier.sign(WEBHOOK_BODY, SECRET);
        String signature = B64URL.encodeToString(HexFormat.of().parseHex(header.substring("sha256=".length())));

        // The raw body as the payload part: not base64url.
        String raw = signature + "." + new String(WEBHOOK_BODY, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> MetaSignedRequest.parse(raw, SECRET))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("bad format");
        // The body encoded as the payload part: the MAC was over the body, not over its encoding, and the body
        // declares no algorithm.
        String encoded = signature + "." + B64URL.encodeToString(WEBHOOK_BODY);
        assertThatThrownBy(() -> MetaSignedRequest.parse(encoded, SECRET))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("algorithm");
    }

    @Test
    void anAppsecretProofVerifiesAsNeither() throws Exception {
        String accessToken = "EAAGm0PX4ZCpsBAKZBZCZAbcdefghijklmnopqrstuvwxyz0123456789";
        byte[] proof = Hmac.sha256(SECRET, accessToken.getBytes(StandardCharsets.US_ASCII));

        // As a webhook the token is the body: the MAC matches, the body is no JSON object.
        byte[] body = accessToken.getBytes(StandardCharsets.US_ASCII);
        MetaSignatureVerifier.verify(body, "sha256=" + Hmac.hex(proof), SECRET);
        assertThatThrownBy(() -> JSON.readTree(body).isObject()).isInstanceOf(Exception.class);
        // As a signed_request the token is the payload part: it is base64url-shaped, but decodes to no JSON.
        assertThatThrownBy(() -> MetaSignedRequest.parse(B64URL.encodeToString(proof) + "." + accessToken, SECRET))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("bad format");
    }
}
