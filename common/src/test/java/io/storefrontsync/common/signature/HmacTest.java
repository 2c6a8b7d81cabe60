package io.storefrontsync.common.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HmacTest {

    @Test
    void shouldMatchRfc4231TestCase2() {
        byte[] mac = Hmac.sha256("Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));
        assertThat(Hmac.hex(mac))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void shouldRefuseEmptySecret() {
        assertThatThrownBy(() -> Hmac.sha256("", new byte[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Hmac.sha256((String) null, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCompareByContent() {
        assertThat(Hmac.constantTimeEquals(new byte[] {1, 2}, new byte[] {1, 2})).isTrue();
        assertThat(Hmac.constantTimeEquals(new byte[] {1, 2}, new byte[] {1, 3})).isFalse();
        assertThat(Hmac.constantTimeEquals(new byte[] {1, 2}, new byte[] {1})).isFalse();
    }
}
