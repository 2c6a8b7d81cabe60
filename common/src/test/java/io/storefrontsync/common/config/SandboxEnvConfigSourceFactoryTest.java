package io.storefrontsync.common.config;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code quarkus:dev} against a running sandbox: the dev profile reads the {@code .sandbox/env} run.sh wrote (its
 * quoting as {@code SandboxMain}'s {@code DotEnv} writes it), maps the database and the JWT key as the other factories
 * would, lets an exported variable win, and does nothing in any other profile.
 */
class SandboxEnvConfigSourceFactoryTest {

    private static final String KEY = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA";

    @TempDir
    Path dir;

    @Test
    void devShouldReadTheSandboxSettingsAndMapTheDatabaseAndKey() throws IOException {
        Path sandbox = sandbox();
        SmallRyeConfig config = config("dev", Map.of("SANDBOX_DIR", sandbox.toString()));

        assertThat(config.getConfigValue("gateway.shopify.api-key").getValue()).isEqualTo("sandbox-key");
        assertThat(config.getConfigValue("gateway.public-url").getValue()).isEqualTo("http://127.0.0.1:8080");
        assertThat(config.getConfigValue("quarkus.datasource.reactive.url").getValue())
                .isEqualTo("postgresql://127.0.0.1:55432/storefront");
        assertThat(config.getConfigValue("quarkus.datasource.username").getValue()).isEqualTo("sandbox");
        assertThat(config.getConfigValue("mp.jwt.verify.publickey").getValue()).isEqualTo(KEY);
    }

    @Test
    void anExportedVariableShouldWin() throws IOException {
        Path sandbox = sandbox();
        SmallRyeConfig config = config("dev", Map.of("SANDBOX_DIR", sandbox.toString(), "SHOPIFY_API_KEY", "mine"));
        assertThat(config.getConfigValue("gateway.shopify.api-key").getValue()).isEqualTo("mine");
    }

    @Test
    void theNearestSandboxAboveTheWorkingDirectoryShouldBeFound() throws IOException {
        Path sandbox = sandbox();
        Path module = Files.createDirectories(dir.resolve("oauth-gateway/src"));
        assertThat(SandboxEnvConfigSourceFactory.locate(null, module)).isEqualTo(sandbox.resolve("env"));
        assertThat(SandboxEnvConfigSourceFactory.locate(dir.resolve("elsewhere").toString(), module)).isNull();
    }

    @Test
    void otherProfilesShouldNotReadIt() throws IOException {
        Path sandbox = sandbox();
        for (String profile : new String[] {"test", "prod"}) {
            SmallRyeConfig config = config(profile, Map.of("SANDBOX_DIR", sandbox.toString()));
            assertThat(config.getConfigValue("gateway.shopify.api-key").getValue()).isNullOrEmpty();
            assertThat(config.getConfigValue("quarkus.datasource.reactive.url").getValue()).isNull();
        }
    }

    @Test
    void devWithoutSandboxOrDatabaseShouldSayWhatToStart() {
        assertThatThrownBy(() -> config("dev", Map.of("SANDBOX_DIR", dir.resolve("none").toString())))
                .hasStackTraceContaining("deploy/sandbox/run.sh --world");
    }

    private Path sandbox() throws IOException {
        Path sandbox = Files.createDirectories(dir.resolve(".sandbox"));
        Files.writeString(sandbox.resolve("env"), """
                # Effective settings of the sandbox world (written by SandboxMain, read again on the next run).
                DATABASE_URL='postgresql://sandbox:secret@127.0.0.1:55432/storefront?sslmode=disable'
                SHOPIFY_API_KEY='sandbox-key'
                GATEWAY_URL='http://127.0.0.1:8080'
                JWT_PUBLIC_KEY='%s'
                """.formatted(KEY));
        return sandbox;
    }

    /** The services' application.properties lines that matter here, under {@code profile}, with this environment. */
    private static SmallRyeConfig config(String profile, Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withProfile(profile)
                .withSources(new PropertiesConfigSource(new HashMap<>(environment), "environment", 300))
                .withSources(new PropertiesConfigSource(Map.of(
                        "gateway.shopify.api-key", "${SHOPIFY_API_KEY:}",
                        "gateway.public-url", "${GATEWAY_URL:http://localhost:8080}",
                        "mp.jwt.verify.publickey", "${JWT_PUBLIC_KEY:NONE}"), "application.properties", 250))
                .withSources(new DatabaseUrlConfigSourceFactory())
                .withSources(new JwtPublicKeyConfigSourceFactory())
                .withSources(new SandboxEnvConfigSourceFactory())
                .build();
    }
}
