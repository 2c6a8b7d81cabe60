package io.storefrontsync.common.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MetaSignatureVerifierTest {

    private static final String SECRET = "meta_app_secret";
    private static final byte[] BODY = "{\"object\":\"page\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);
    // printf '{"object":"page","entry":[]}' | openssl dgst -sha256 -hmac 'meta_app_secret'
    private static final String OPENSSL_VECTOR =
            "sha256=7737c8c2c205014576d41d33bf51e33b58a44d48700b5820ea9397d612e36dd1";

    @Test
    void shouldAcceptOpensslVector() {
        assertThatCode(() -> MetaSignatureVerifier.verify(BODY, OPENSSL_VECTOR, SECRET))
                .doesNotThrowAnyException();
        assertThat(MetaSignatureVerifier.sign(BODY, SECRET)).isEqualTo(OPENSSL_VECTOR);
    }

    @Test
    void shouldRejectBodyWithOneByteChanged() {
        byte[] tampered = BODY.clone();
        tampered[BODY.length - 2] = '}';
        assertThatThrownBy(() -> MetaSignatureVerifier.verify(tampered, OPENSSL_VECTOR, SECRET))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("mismatch");
    }

    @Test
    void shouldRejectWrongSecretWithoutLeakingIt() {
        assertThatThrownBy(() -> MetaSignatureVerifier.verify(BODY, OPENSSL_VECTOR, "other_secret"))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("mismatch")
                .hasMessageNotContaining("other_secret")
                .hasMessageNotContaining("7737c8c2");
    }

    @Test
    void shouldRejectChangedHeaderDigit() {
        String changed = OPENSSL_VECTOR.substring(0, OPENSSL_VECTOR.length() - 1) + "0";
        assertThatThrownBy(() -> MetaSignatureVerifier.verify(BODY, changed, SECRET))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("mismatch");
    }

    @Test
    void shouldRejectUpperCaseHexAsBadFormat() {
        String upper = "sha256=" + OPENSSL_VECTOR.substring(7).toUpperCase(Locale.ROOT);
        assertThatThrownBy(() -> MetaSignatureVerifier.verify(BODY, upper, SECRET))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("bad format");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "7737c8c2c205014576d41d33bf51e33b58a44d48700b5820ea9397d612e36dd1",        // no prefix
        "sha1=7737c8c2c205014576d41d33bf51e33b58a44d48",                            // legacy scheme
        "SHA256=7737c8c2c205014576d41d33bf51e33b58a44d48700b5820ea9397d612e36dd1",
        "sha256=7737c8c2c205014576d41d33bf51e33b58a44d48700b5820ea9397d612e36dd",   // short
        "sha256= 7737c8c2c205014576d41d33bf51e33b58a44d48700b5820ea9397d612e36dd1",
        "sha256="
    })
    void shouldRejectBadFormat(String header) {
        assertThatThrownBy(() -> MetaSignatureVerifier.verify(BODY, header, SECRET))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("bad format");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void shouldReportMissingHeader(String header) {
        assertThatThrownBy(() -> MetaSignatureVerifier.verify(BODY, header, SECRET))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("missing");
    }
}
