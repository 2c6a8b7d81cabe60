package io.storefrontsync.common.auth;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtKeysTest {

    @Test
    void shouldReadTheKeysRunShAndEnvExampleDescribe() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String publicB64 = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
        String privateB64 = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());

        assertThat(JwtKeys.publicKey(publicB64)).isEqualTo(pair.getPublic());
        assertThat(JwtKeys.privateKey(privateB64)).isEqualTo(pair.getPrivate());
        assertThat(JwtKeys.publicKey("-----BEGIN PUBLIC KEY-----\n" + publicB64 + "\n-----END PUBLIC KEY-----"))
                .isEqualTo(pair.getPublic());
    }

    @Test
    void shouldNameTheVariableAndNeverEchoTheValue() {
        assertThatThrownBy(() -> JwtKeys.publicKey(null)).hasMessage("JWT_PUBLIC_KEY is required (see .env.example)");
        assertThatThrownBy(() -> JwtKeys.privateKey(" ")).hasMessageStartingWith("JWT_PRIVATE_KEY is required");
        assertThatThrownBy(() -> JwtKeys.publicKey("secret-ish!")).hasMessage("JWT_PUBLIC_KEY is not base64");
        assertThatThrownBy(() -> JwtKeys.privateKey("c2VjcmV0LWlzaA=="))
                .hasMessageStartingWith("JWT_PRIVATE_KEY is not a base64 PKCS#8")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("c2VjcmV0LWlzaA=="));
    }
}
