package io.storefrontsync.sandbox.facebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.storefrontsync.common.signature.MetaSignedRequest;
import io.storefrontsync.common.signature.SignatureVerificationException;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SignedRequestTest extends SimulatorTestSupport {

    @Test
    void signedRequestIsSignatureDotPayloadForTheSimulatedUser() throws Exception {
        String userId = simUser().getString("id");

        Reply reply = postJson("/_sim/signed-request", new JsonObject().put("user_id", userId));

        String signedRequest = reply.json().getString("signed_request");
        String[] parts = signedRequest.split("\\.");
        assertThat(parts).hasSize(2);
        assertThat(signedRequest).doesNotContain("=", "+", "/");
        JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]),
                StandardCharsets.UTF_8));
        assertThat(payload.getString("algorithm")).isEqualTo("HMAC-SHA256");
        assertThat(payload.getString("user_id")).isEqualTo(userId);
        assertThat(payload.getLong("issued_at")).isPositive();

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal(parts[1].getBytes(StandardCharsets.US_ASCII));
        assertThat(MessageDigest.isEqual(Base64.getUrlDecoder().decode(parts[0]), expected)).isTrue();

        // ...and the gateway's own parser (common) agrees, and refuses it under another secret.
        assertThat(MetaSignedRequest.parse(signedRequest, APP_SECRET).get("user_id").asText()).isEqualTo(userId);
        assertThatThrownBy(() -> MetaSignedRequest.parse(signedRequest, "another-secret"))
                .isInstanceOf(SignatureVerificationException.class);
    }

    @Test
    void simUserNamesTheManagedPages() {
        JsonObject user = simUser();

        assertThat(user.getString("id")).matches("\\d+");
        assertThat(user.getString("name")).isNotBlank();
        assertThat(user.getJsonArray("pages")).hasSize(2);
        assertThat(user.getJsonArray("pages").getString(0)).matches("\\d+");
    }
}
