package io.storefrontsync.common.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

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

    private static String testCa() throws IOException {
        try (InputStream in = DatabaseUrlConfigSourceFactoryTest.class.getResourceAsStream("/tls/test-ca.pem")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
