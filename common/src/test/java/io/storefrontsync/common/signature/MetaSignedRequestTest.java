package io.storefrontsync.common.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MetaSignedRequestTest {

    private static final String SECRET = "meta_app_secret";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    @Test
    void shouldParseHandBuiltRequest() {
        // Built by hand so the test does not depend on create(); the signature is
        // printf '<payload>' | openssl dgst -sha256 -hmac meta_app_secret -binary | base64, made URL-safe
        String payload = B64URL.encodeToString(
                "{\"algorithm\":\"HMAC-SHA256\",\"user_id\":\"123\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(payload).isEqualTo("eyJhbGdvcml0aG0iOiJITUFDLVNIQTI1NiIsInVzZXJfaWQiOiIxMjMifQ");
        String sig = "Xr99jxnG7fjZmoQEBKu8hNQFi70A1gHtRxJRLYPf8oQ";

        JsonNode parsed = MetaSignedRequest.parse(sig + "." + payload, SECRET);

        assertThat(parsed.get("user_id").asText()).isEqualTo("123");
    }

    @Test
    void shouldRoundTripCreatedRequest() {
        String signed = MetaSignedRequest.create(Map.of("user_id", "42", "issued_at", 1_700_000_000), SECRET);
        JsonNode parsed = MetaSignedRequest.parse(signed, SECRET);
        assertThat(parsed.get("user_id").asText()).isEqualTo("42");
        assertThat(parsed.get("algorithm").asText()).isEqualTo("HMAC-SHA256");
        assertThat(signed).doesNotContain("=");
    }

    @Test
    void shouldRejectPaddedParts() {
        // Meta never pads; a second spelling of the same request is a second thing to get wrong.
        String signed = MetaSignedRequest.create(Map.of("user_id", "4"), SECRET);
        String[] parts = signed.split("\\.");
        String paddedSig = parts[0] + "=";
        assertThatThrownBy(() -> MetaSignedRequest.parse(paddedSig + "." + parts[1], SECRET))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("not unpadded base64url");
    }

    @Test
    void shouldRejectANonCanonicalSpellingOfTheSignature() {
        String signed = MetaSignedRequest.create(Map.of("user_id", "4"), SECRET);
        String[] parts = signed.split("\\.");
        // 32 bytes in 43 characters leave 2 spare bits in the last one; the JDK decoder ignores them.
        char last = parts[0].charAt(parts[0].length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char respelled = alphabet.charAt(alphabet.indexOf(last) ^ 1);
        String sameBytes = parts[0].substring(0, parts[0].length() - 1) + respelled;
        assertThat(Base64.getUrlDecoder().decode(sameBytes)).isEqualTo(Base64.getUrlDecoder().decode(parts[0]));

        assertThatThrownBy(() -> MetaSignedRequest.parse(sameBytes + "." + parts[1], SECRET))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("not canonical");
    }

    @Test
    void shouldAcceptLowerCaseAlgorithm() {
        String payload = B64URL.encodeToString(
                "{\"algorithm\":\"hmac-sha256\",\"user_id\":\"7\"}".getBytes(StandardCharsets.UTF_8));
        String sig = B64URL.encodeToString(Hmac.sha256(SECRET, payload.getBytes(StandardCharsets.US_ASCII)));
        assertThat(MetaSignedRequest.parse(sig + "." + payload, SECRET).get("user_id").asText()).isEqualTo("7");
    }

    @Test
    void shouldRejectWrongSecret() {
        String signed = MetaSignedRequest.create(Map.of("user_id", "42"), SECRET);
        assertThatThrownBy(() -> MetaSignedRequest.parse(signed, "other"))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("mismatch");
    }

    @Test
    void shouldRejectTamperedPayload() {
        String signed = MetaSignedRequest.create(Map.of("user_id", "42"), SECRET);
        String[] parts = signed.split("\\.");
        String forged = B64URL.encodeToString(
                "{\"algorithm\":\"HMAC-SHA256\",\"user_id\":\"43\"}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> MetaSignedRequest.parse(parts[0] + "." + forged, SECRET))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("mismatch");
    }

    @Test
    void shouldRejectOtherAlgorithm() {
        String payload = B64URL.encodeToString("{\"algorithm\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        String sig = B64URL.encodeToString(Hmac.sha256(SECRET, payload.getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> MetaSignedRequest.parse(sig + "." + payload, SECRET))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("algorithm");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", ".abc", "abc.", "a.b.c", "a+b.eyJ9", "AAAA.bm90IGpzb24",
        "AAAA.eyJhbGdvcml0aG0iOiJITUFDLVNIQTI1NiJ9"})
    void shouldRejectMalformedInput(String signedRequest) {
        assertThatThrownBy(() -> MetaSignedRequest.parse(signedRequest, SECRET))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("bad format");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void shouldReportMissing(String signedRequest) {
        assertThatThrownBy(() -> MetaSignedRequest.parse(signedRequest, SECRET))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("missing");
    }
}
