package io.storefrontsync.common.config;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseUrlConfigSourceFactoryTest {

    @Test
    void aPemCaShouldBeWrittenToAFileBothClientsRead() throws IOException {
        String pem = testCa();

        DatabaseTrust trust = DatabaseUrlConfigSourceFactory.trust(pem);

        assertThat(trust.jdkTrustStore()).isFalse();
        assertThat(Files.readString(trust.caCertFile())).isEqualToIgnoringWhitespace(pem);
    }

    @Test
    void aPemSqueezedOntoOneLineShouldBeRestored() throws IOException {
        String pem = testCa().strip();

        DatabaseTrust trust = DatabaseUrlConfigSourceFactory.trust(pem.replace("\n", "\\n"));

        assertThat(Files.readString(trust.caCertFile()).strip()).isEqualTo(pem);
    }

    @Test
    void jdkShouldChooseTheJdkTrustStoreAndNothingNoTrust() {
        assertThat(DatabaseUrlConfigSourceFactory.trust("jdk")).isEqualTo(DatabaseTrust.jdk());
        assertThat(DatabaseUrlConfigSourceFactory.trust(null).isNone()).isTrue();
        assertThat(DatabaseUrlConfigSourceFactory.trust("  ").isNone()).isTrue();
    }

    @Test
    void somethingElseShouldStopTheServiceNamingTheVariable() throws IOException {
        assertThatThrownBy(() -> DatabaseUrlConfigSourceFactory.trust("trust-all"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("DATABASE_CA_CERT is not a PEM certificate");
        String damaged = testCa().replace("M", "x");
        assertThatThrownBy(() -> DatabaseUrlConfigSourceFactory.trust(damaged))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DATABASE_CA_CERT holds no readable X.509 certificate");
    }

    @Test
    void tlsWithoutACaShouldStopTheConfigurationAsAProblemNamingBothVariables() {
        var builder = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(
                        Map.of("DATABASE_URL", "postgresql://u:s3cret@db.example.com/app?sslmode=require"), "env", 300))
                .withSources(new DatabaseUrlConfigSourceFactory());

        // A ConfigValidationException is what Quarkus prints as its message alone, with no stack trace.
        assertThatThrownBy(builder::build)
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("DATABASE_URL asks for TLS (sslmode=require) but DATABASE_CA_CERT is not set")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    }

    @Test
    void theGivenCaShouldReachTheDatasource() throws IOException {
        var config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of(
                        "DATABASE_URL", "postgresql://u:p@db.example.com/app?sslmode=require",
                        "DATABASE_CA_CERT", testCa()), "env", 300))
                .withSources(new DatabaseUrlConfigSourceFactory())
                .build();

        assertThat(config.getValue("quarkus.datasource.reactive.postgresql.ssl-mode", String.class)).isEqualTo("verify-ca");
        assertThat(config.getValue("quarkus.datasource.reactive.trust-all", String.class)).isEqualTo("false");
        String caFile = config.getValue("quarkus.datasource.reactive.trust-certificate-pem.certs", String.class);
        assertThat(Files.readString(Path.of(caFile))).isEqualToIgnoringWhitespace(testCa());
    }

    private static String testCa() throws IOException {
        try (InputStream in = DatabaseUrlConfigSourceFactoryTest.class.getResourceAsStream("/tls/test-ca.pem")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
