package io.storefrontsync.gateway.database;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storefrontsync.common.config.DatabaseTrust;
import io.storefrontsync.common.config.DatabaseUrl;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The database as App Platform hands it out: PostgreSQL speaking TLS with a certificate from the
 * database's own CA, {@code DATABASE_URL} with {@code sslmode=require}, the CA in
 * {@code DATABASE_CA_CERT}. The server certificate names {@code db.sandbox.invalid}, not the
 * {@code 127.0.0.1} we connect to: the chain is verified, the host name only under {@code verify-full}.
 * The gateway starting at all proves Flyway (JDBC) connected; the refusals are checked with both
 * clients configured from the same properties.
 */
@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, initArgs = {
        @ResourceArg(name = "components", value = "postgres,shopify,facebook"),
        @ResourceArg(name = "set.SIM_POSTGRES_TLS_DIR", value = "src/test/resources/postgres-tls")})
@WithTestResource(value = WorkerReceiver.class)
class DatabaseTlsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Path CA = Path.of("src/test/resources/postgres-tls/ca.crt").toAbsolutePath();
    private static final Path OTHER_CA = Path.of("src/test/resources/postgres-tls/other-ca.crt").toAbsolutePath();
    private static final String SSL_IN_USE = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

    @Inject
    Pool pool;
    @Inject
    Vertx vertx;

    @ConfigProperty(name = "DATABASE_URL")
    String databaseUrl;

    @Test
    void bothClientsShouldConnectOverTlsVerifyingTheServerAgainstTheGivenCa() throws SQLException {
        assertThat(databaseUrl).endsWith("?sslmode=require");
        assertThat(pool.query(SSL_IN_USE).execute().await().atMost(TIMEOUT).iterator().next().getBoolean(0)).isTrue();
        assertThat(pool.query("SELECT count(*) FROM gateway.flyway_schema_history").execute().await().atMost(TIMEOUT)
                .iterator().next().getLong(0)).isPositive();

        Map<String, String> props = DatabaseUrl.parse(databaseUrl).quarkusProperties(DatabaseTrust.caFile(CA));
        assertThat(jdbcSslInUse(props)).isTrue();
        assertThat(reactiveSslInUse(props)).isTrue();
    }

    @Test
    void aServerCertificateFromAnotherCaShouldBeRefusedByBothClients() {
        // Same subject name as the real CA, another key.
        Map<String, String> props = DatabaseUrl.parse(databaseUrl).quarkusProperties(DatabaseTrust.caFile(OTHER_CA));

        assertThatThrownBy(() -> jdbcSslInUse(props)).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> reactiveSslInUse(props)).hasMessageContaining("SSL handshake failed");
    }

    @Test
    void verifyFullShouldRefuseAServerCertificateNamingAnotherHost() {
        String verifyFull = databaseUrl.replace("sslmode=require", "sslmode=verify-full");
        Map<String, String> props = DatabaseUrl.parse(verifyFull).quarkusProperties(DatabaseTrust.caFile(CA));

        assertThatThrownBy(() -> jdbcSslInUse(props)).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> reactiveSslInUse(props)).hasMessageContaining("SSL handshake failed");
    }

    private static boolean jdbcSslInUse(Map<String, String> props) throws SQLException {
        try (Connection c = DriverManager.getConnection(props.get("quarkus.datasource.jdbc.url"),
                props.get("quarkus.datasource.username"), props.get("quarkus.datasource.password"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SSL_IN_USE)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** A Vert.x connection from the properties Quarkus gives its reactive pool. */
    private boolean reactiveSslInUse(Map<String, String> props) {
        PgConnectOptions options = PgConnectOptions.fromUri(props.get("quarkus.datasource.reactive.url"))
                .setUser(props.get("quarkus.datasource.username"))
                .setPassword(props.get("quarkus.datasource.password"))
                .setSslMode(SslMode.of(props.get("quarkus.datasource.reactive.postgresql.ssl-mode")))
                .setTrustAll(Boolean.parseBoolean(props.get("quarkus.datasource.reactive.trust-all")))
                .setPemTrustOptions(new PemTrustOptions()
                        .addCertPath(props.get("quarkus.datasource.reactive.trust-certificate-pem.certs")));
        String algorithm = props.get("quarkus.datasource.reactive.hostname-verification-algorithm");
        options.setHostnameVerificationAlgorithm("NONE".equals(algorithm) ? "" : algorithm);
        PgConnection connection = PgConnection.connect(vertx, options).await().atMost(TIMEOUT);
        try {
            return connection.query(SSL_IN_USE).execute().await().atMost(TIMEOUT).iterator().next().getBoolean(0);
        } finally {
            connection.closeAndAwait();
        }
    }
}
