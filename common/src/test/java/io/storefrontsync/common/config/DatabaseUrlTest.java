package io.storefrontsync.common.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseUrlTest {

    private static final DatabaseTrust CA = DatabaseTrust.caFile(Path.of("/tmp/ca dir/ca.pem"));

    @Test
    void shouldParseDigitalOceanUrl() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://doadmin:p%40ss@db-1.ondigitalocean.com:25060/defaultdb?sslmode=require");

        assertThat(url.host()).isEqualTo("db-1.ondigitalocean.com");
        assertThat(url.port()).isEqualTo(25060);
        assertThat(url.database()).isEqualTo("defaultdb");
        assertThat(url.username()).isEqualTo("doadmin");
        assertThat(url.password()).isEqualTo("p@ss");
        assertThat(url.sslMode()).isEqualTo("require");
        assertThat(url.quarkusProperties(CA))
                .containsEntry("quarkus.datasource.reactive.url", "postgresql://db-1.ondigitalocean.com:25060/defaultdb")
                .containsEntry("quarkus.datasource.password", "p@ss");
    }

    @Test
    void requireShouldVerifyTheServerCertificateAgainstTheGivenCaLikeLibpqWithARootCertificate() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://u:p@db-1.ondigitalocean.com:25060/defaultdb?sslmode=require");

        assertThat(url.quarkusProperties(CA))
                .containsEntry("quarkus.datasource.reactive.postgresql.ssl-mode", "verify-ca")
                .containsEntry("quarkus.datasource.reactive.trust-all", "false")
                .containsEntry("quarkus.datasource.reactive.trust-certificate-pem", "true")
                .containsEntry("quarkus.datasource.reactive.trust-certificate-pem.certs", "/tmp/ca dir/ca.pem")
                .containsEntry("quarkus.datasource.reactive.hostname-verification-algorithm", "NONE")
                // pgjdbc's own "require" would accept any certificate.
                .containsEntry("quarkus.datasource.jdbc.url", "jdbc:postgresql://db-1.ondigitalocean.com:25060/defaultdb"
                        + "?sslmode=verify-ca&sslrootcert=%2Ftmp%2Fca+dir%2Fca.pem");
    }

    @Test
    void verifyFullShouldAlsoVerifyTheHostName() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://u:p@db-1.ondigitalocean.com:25060/defaultdb?sslmode=verify-full");

        assertThat(url.quarkusProperties(CA))
                .containsEntry("quarkus.datasource.reactive.postgresql.ssl-mode", "verify-full")
                .containsEntry("quarkus.datasource.reactive.hostname-verification-algorithm", "HTTPS")
                .containsEntry("quarkus.datasource.reactive.trust-certificate-pem.certs", "/tmp/ca dir/ca.pem")
                .containsEntry("quarkus.datasource.jdbc.url", "jdbc:postgresql://db-1.ondigitalocean.com:25060/defaultdb"
                        + "?sslmode=verify-full&sslrootcert=%2Ftmp%2Fca+dir%2Fca.pem");
    }

    @Test
    void theJdkTrustStoreShouldVerifyChainAndHostName() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://u:p@db.example.com/app?sslmode=require");

        assertThat(url.quarkusProperties(DatabaseTrust.jdk()))
                .containsEntry("quarkus.datasource.reactive.postgresql.ssl-mode", "require")
                .containsEntry("quarkus.datasource.reactive.hostname-verification-algorithm", "HTTPS")
                .containsEntry("quarkus.datasource.reactive.trust-all", "false")
                .doesNotContainKey("quarkus.datasource.reactive.trust-certificate-pem.certs")
                .containsEntry("quarkus.datasource.jdbc.url", "jdbc:postgresql://db.example.com:5432/app"
                        + "?sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"require", "verify-ca", "verify-full"})
    void tlsWithoutACaShouldBeRefusedNamingBothVariablesNeverTrustingAll(String sslMode) {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://u:s3cret@h/db?sslmode=" + sslMode);

        assertThatThrownBy(() -> url.quarkusProperties(DatabaseTrust.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("DATABASE_URL asks for TLS (sslmode=" + sslMode + ")")
                .hasMessageContaining("DATABASE_CA_CERT")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret").doesNotContain("\n"));
        assertThatThrownBy(url::jdbcUrl).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldDefaultPortAndDisableSslWithoutSslmode() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@localhost/app");

        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.quarkusProperties(DatabaseTrust.none()))
                .containsEntry("quarkus.datasource.reactive.postgresql.ssl-mode", "disable")
                .containsEntry("quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:5432/app?sslmode=disable");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "mysql://u:p@h/db", "postgresql://u:p@h", "postgresql://u:p@h/a/b",
            "postgresql://h:5432/db", "not a url", "postgresql://u:p@h/db?sslmode=sometimes"})
    void shouldRejectMalformedUrlsNamingTheVariableButNotThePassword(String value) {
        assertThatThrownBy(() -> DatabaseUrl.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("DATABASE_URL ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(":p@"));
    }

    @Test
    void toStringShouldNotRevealThePassword() {
        assertThat(DatabaseUrl.parse("postgresql://u:s3cret@h/db").toString()).doesNotContain("s3cret");
    }
}
