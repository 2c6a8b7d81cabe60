package io.storefrontsync.common.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseUrlTest {

    @Test
    void shouldParseDigitalOceanUrl() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://doadmin:p%40ss@db-1.ondigitalocean.com:25060/defaultdb?sslmode=require");

        assertThat(url.host()).isEqualTo("db-1.ondigitalocean.com");
        assertThat(url.port()).isEqualTo(25060);
        assertThat(url.database()).isEqualTo("defaultdb");
        assertThat(url.username()).isEqualTo("doadmin");
        assertThat(url.password()).isEqualTo("p@ss");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db-1.ondigitalocean.com:25060/defaultdb?sslmode=require");
        assertThat(url.quarkusProperties())
                .containsEntry("quarkus.datasource.reactive.url", "postgresql://db-1.ondigitalocean.com:25060/defaultdb")
                .containsEntry("quarkus.datasource.reactive.postgresql.ssl-mode", "require")
                .containsEntry("quarkus.datasource.password", "p@ss");
    }

    @Test
    void shouldDefaultPortAndDisableSslWithoutSslmode() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@localhost/app");

        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.quarkusProperties()).containsEntry("quarkus.datasource.reactive.postgresql.ssl-mode", "disable");
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
