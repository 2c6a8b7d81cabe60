package io.storefrontsync.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenCipherTest {

    // 32 bytes each, base64: 0x00..0x1f and 0x20..0x3f
    private static final String OLD_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final String NEW_KEY = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
    private static final String TOKEN = "shpat_0123456789abcdef";
    private static final String AAD = "connection:42";

    private final TokenCipher cipher = TokenCipher.fromKeyRing("new:" + NEW_KEY + ",old:" + OLD_KEY);

    @Test
    void shouldRoundTrip() {
        String envelope = cipher.encrypt(TOKEN, AAD);
        assertThat(envelope).startsWith("v1.new.").doesNotContain(TOKEN).doesNotContain("=");
        assertThat(cipher.decrypt(envelope, AAD)).isEqualTo(TOKEN);
    }

    @Test
    void shouldRoundTripEmptyAndUnicodePlaintext() {
        assertThat(cipher.decrypt(cipher.encrypt("", AAD), AAD)).isEmpty();
        assertThat(cipher.decrypt(cipher.encrypt("jeton é 😀", AAD), AAD)).isEqualTo("jeton é 😀");
    }

    @Test
    void shouldUseFreshNonceEachTime() {
        String first = cipher.encrypt(TOKEN, AAD);
        String second = cipher.encrypt(TOKEN, AAD);
        assertThat(first).isNotEqualTo(second);
        byte[] a = Base64.getUrlDecoder().decode(first.substring("v1.new.".length()));
        byte[] b = Base64.getUrlDecoder().decode(second.substring("v1.new.".length()));
        assertThat(a).hasSize(12 + TOKEN.length() + 16);
        assertThat(java.util.Arrays.copyOf(a, 12)).isNotEqualTo(java.util.Arrays.copyOf(b, 12));
    }

    @Test
    void shouldRejectWrongAssociatedData() {
        String envelope = cipher.encrypt(TOKEN, AAD);
        assertThatThrownBy(() -> cipher.decrypt(envelope, "connection:43"))
                .isInstanceOf(TokenDecryptionException.class)
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void shouldRejectEveryFlippedByteOfTheBody() {
        String envelope = cipher.encrypt(TOKEN, AAD);
        String prefix = "v1.new.";
        byte[] body = Base64.getUrlDecoder().decode(envelope.substring(prefix.length()));
        for (int i = 0; i < body.length; i++) {
            byte[] tampered = body.clone();
            tampered[i] ^= 0x01;
            String forged = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
            assertThatThrownBy(() -> cipher.decrypt(forged, AAD))
                    .as("byte %d", i)
                    .isInstanceOf(TokenDecryptionException.class)
                    .hasMessageContaining("failed authentication");
        }
    }

    @Test
    void shouldRejectRelabelledKeyIdAndVersion() {
        TokenCipher sameKeyTwoIds = TokenCipher.fromKeyRing("a:" + NEW_KEY + ",b:" + NEW_KEY);
        String envelope = sameKeyTwoIds.encrypt(TOKEN, AAD);
        assertThatThrownBy(() -> sameKeyTwoIds.decrypt(envelope.replace("v1.a.", "v1.b."), AAD))
                .isInstanceOf(TokenDecryptionException.class);
        assertThatThrownBy(() -> sameKeyTwoIds.decrypt(envelope.replace("v1.a.", "v2.a."), AAD))
                .isInstanceOf(TokenDecryptionException.class)
                .hasMessageContaining("malformed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain-token", "v1.new", "v1.new.", "v1.new.AAAA", "v1.new.a+b/", "v1..AAAA",
        "v1.new.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.x"})
    void shouldRejectMalformedEnvelopes(String envelope) {
        assertThatThrownBy(() -> cipher.decrypt(envelope, AAD))
                .isInstanceOf(TokenDecryptionException.class)
                .hasMessageContaining("malformed");
    }

    @Test
    void shouldDecryptOldTokensAfterRotationAndFlagThemForReencryption() {
        TokenCipher before = TokenCipher.fromKeyRing("old:" + OLD_KEY);
        String oldEnvelope = before.encrypt(TOKEN, AAD);

        assertThat(cipher.decrypt(oldEnvelope, AAD)).isEqualTo(TOKEN);
        assertThat(cipher.needsReencryption(oldEnvelope)).isTrue();
        assertThat(cipher.needsReencryption(cipher.encrypt(TOKEN, AAD))).isFalse();
        assertThat(cipher.currentKeyId()).isEqualTo("new");
    }

    @Test
    void shouldFailWhenOldKeyWasRemovedFromRing() {
        String oldEnvelope = TokenCipher.fromKeyRing("old:" + OLD_KEY).encrypt(TOKEN, AAD);
        TokenCipher newOnly = TokenCipher.fromKeyRing("new:" + NEW_KEY);
        assertThatThrownBy(() -> newOnly.decrypt(oldEnvelope, AAD))
                .isInstanceOf(TokenDecryptionException.class)
                .hasMessageContaining("'old'")
                .hasMessageContaining("TOKEN_ENCRYPTION_KEY");
    }

    @Test
    void reencryptShouldMoveATokenToTheCurrentKeySoTheOldKeyCanBeRemoved() {
        String oldEnvelope = TokenCipher.fromKeyRing("old:" + OLD_KEY).encrypt(TOKEN, AAD);

        String moved = cipher.reencrypt(oldEnvelope, AAD);

        assertThat(moved).startsWith("v1.new.");
        assertThat(cipher.needsReencryption(moved)).isFalse();
        assertThat(TokenCipher.fromKeyRing("new:" + NEW_KEY).decrypt(moved, AAD)).isEqualTo(TOKEN);
        assertThatThrownBy(() -> cipher.reencrypt(oldEnvelope, "another row"))
                .isInstanceOf(TokenDecryptionException.class);
        assertThat(cipher.keyIds()).containsExactly("new", "old");
    }

    @Test
    void shouldAcceptBareKeyAsK1() {
        TokenCipher bare = TokenCipher.fromKeyRing(NEW_KEY);
        assertThat(bare.currentKeyId()).isEqualTo("k1");
        assertThat(bare.encrypt(TOKEN, AAD)).startsWith("v1.k1.");
        String fromLabelled = TokenCipher.fromKeyRing("k1:" + NEW_KEY).encrypt(TOKEN, AAD);
        assertThat(bare.decrypt(fromLabelled, AAD)).isEqualTo(TOKEN);
    }

    @Test
    void shouldNotRevealKeysInToString() {
        assertThat(cipher.toString())
                .contains("new", "old")
                .doesNotContain(NEW_KEY.substring(0, 10))
                .doesNotContain(OLD_KEY.substring(0, 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd",                    // 30 bytes
        "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gIQ==",            // 34 bytes
        "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8*",                 // bad base64
        "bad id:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",            // id with space
        ":AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",                  // empty id
        "a.b:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",               // dot in id
        "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=,",               // trailing comma
        "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=,k1:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=",
        "  "
    })
    void shouldRejectMalformedSpecsNamingTheVariableButNotTheKey(String spec) {
        assertThatThrownBy(() -> TokenCipher.fromKeyRing(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TOKEN_ENCRYPTION_KEY")
                .hasMessageNotContaining("AAECAwQF")
                .hasMessageNotContaining("ICEiIyQl");
    }

    @Test
    void shouldSayWhatIsWrongWithAShortKey() {
        assertThatThrownBy(() -> TokenCipher.fromKeyRing("k1:AAECAwQFBgcICQoLDA0ODw=="))
                .hasMessageContaining("16 bytes")
                .hasMessageContaining("expected 32");
        assertThatThrownBy(() -> TokenCipher.fromKeyRing(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TOKEN_ENCRYPTION_KEY is not set");
    }
}
