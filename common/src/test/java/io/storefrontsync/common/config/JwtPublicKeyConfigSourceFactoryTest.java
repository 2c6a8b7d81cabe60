package io.storefrontsync.common.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Blank and missing JWT_PUBLIC_KEY both resolve mp.jwt.verify.publickey to smallrye-jwt's NONE; a key is kept. */
class JwtPublicKeyConfigSourceFactoryTest {

    private static final String KEY = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA";

    @Test
    void aBlankVariableShouldMeanNotConfigured() {
        assertThat(publicKey(" ")).isEqualTo("NONE");
        assertThat(publicKey("")).isEqualTo("NONE");
    }

    @Test
    void aMissingVariableShouldMeanNotConfigured() {
        assertThat(publicKey(null)).isEqualTo("NONE");
    }

    @Test
    void aKeyShouldBeTakenAsItIs() {
        assertThat(publicKey(KEY)).isEqualTo(KEY);
    }

    /** What the services' application.properties says, with the variable set as given (null: unset). */
    private static String publicKey(String variable) {
        Map<String, String> environment = new HashMap<>();
        if (variable != null) {
            environment.put("JWT_PUBLIC_KEY", variable);
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(environment, "environment", 300))
                .withSources(new PropertiesConfigSource(
                        Map.of("mp.jwt.verify.publickey", "${JWT_PUBLIC_KEY:NONE}"), "application.properties", 250))
                .withSources(new JwtPublicKeyConfigSourceFactory())
                .build();
        return config.getConfigValue("mp.jwt.verify.publickey").getValue();
    }
}
