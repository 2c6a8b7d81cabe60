package io.storefrontsync.common.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ShopifyWebhookVerifierTest {

    private static final String SECRET = "shpss_test_secret";
    private static final byte[] BODY = "hello".getBytes(StandardCharsets.UTF_8);
    // printf 'hello' | openssl dgst -sha256 -hmac 'shpss_test_secret' -binary | base64
    private static final String OPENSSL_VECTOR = "Div8w23hsUeLWIvMLisUzPyp29U9AM97YFEue5z8N1c=";

    @Test
    void shouldAcceptOpensslVector() {
        assertThatCode(() -> ShopifyWebhookVerifier.verify(BODY, OPENSSL_VECTOR, SECRET))
                .doesNotThrowAnyException();
        assertThat(ShopifyWebhookVerifier.sign(BODY, SECRET)).isEqualTo(OPENSSL_VECTOR);
    }

    @Test
    void shouldRejectBodyWithOneByteChanged() {
        byte[] tampered = BODY.clone();
        tampered[0] ^= 1;
        assertThatThrownBy(() -> ShopifyWebhookVerifier.verify(tampered, OPENSSL_VECTOR, SECRET))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("mismatch");
    }

    @Test
    void shouldRejectWrongSecret() {
        assertThatThrownBy(() -> ShopifyWebhookVerifier.verify(BODY, OPENSSL_VECTOR, SECRET + "x"))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("mismatch")
                .hasMessageNotContaining(SECRET)
                .hasMessageNotContaining(OPENSSL_VECTOR);
    }

    @Test
    void shouldRejectChangedHeader() {
        String changed = "E" + OPENSSL_VECTOR.substring(1);
        assertThatThrownBy(() -> ShopifyWebhookVerifier.verify(BODY, changed, SECRET))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("mismatch");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void shouldReportMissingHeader(String header) {
        assertThatThrownBy(() -> ShopifyWebhookVerifier.verify(BODY, header, SECRET))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Div8w23hsUeLWIvMLisUzPyp29U9AM97YFEue5z8N1c",   // padding stripped
        "Div8w23hsUeLWIvMLisUzPyp29U9AM97YFEue5z8N1c==", // padding added
        "Div8w23hsUeLWIvMLisUzPyp29U9AM97YFEue5z8N1c=\n",
        "Div8w23hsUeLWIvMLisUzPyp29U9AM97YFEue5z8N1c_",  // base64url alphabet
        "0e2bfcc36de1b1478b588bcc2e2b14ccfca9dbd53d00cf7b60512e7b9cfc3757", // hex instead of base64
        "not base64 at all!"
    })
    void shouldReportBadFormat(String header) {
        assertThatThrownBy(() -> ShopifyWebhookVerifier.verify(BODY, header, SECRET))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("bad format");
    }

    @Test
    void shouldSignEmptyBody() {
        String header = ShopifyWebhookVerifier.sign(new byte[0], SECRET);
        assertThatCode(() -> ShopifyWebhookVerifier.verify(new byte[0], header, SECRET))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> ShopifyWebhookVerifier.verify(BODY, header, SECRET))
                .isInstanceOf(SignatureVerificationException.class);
    }
}
