package io.storefrontsync.sandbox.postgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real PostgreSQL server, with the application role and database, that keeps its data between starts. */
class SandboxPostgresTest {

    @TempDir
    Path dir;

    @Test
    void shouldServeTheApplicationDatabaseAndKeepDataAcrossRestarts() throws Exception {
        try (SandboxPostgres postgres = SandboxPostgres.start(dir, 0)) {
            assertThat(postgres.databaseUrl()).startsWith("postgresql://storefront:storefront@127.0.0.1:");
            try (Connection c = connect(postgres); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('still here')");
            }
        }
        try (SandboxPostgres postgres = SandboxPostgres.start(dir, 0);
             Connection c = connect(postgres); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v, current_user, version() FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
            assertThat(rs.getString(2)).isEqualTo("storefront");
            assertThat(rs.getString(3)).startsWith("PostgreSQL 14");
        }
    }

    @Test
    void shouldCutSessionsWhenStoppedAndComeBackOnTheSamePortWithItsData() throws Exception {
        try (SandboxPostgres postgres = SandboxPostgres.start(dir, 0)) {
            int port = postgres.port();
            Connection before = connect(postgres);
            try (Statement s = before.createStatement()) {
                s.execute("CREATE TABLE committed (v text)");
                s.execute("INSERT INTO committed VALUES ('kept')");
            }

            postgres.stop();

            assertThat(postgres.isRunning()).isFalse();
            assertThatThrownBy(() -> before.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> connect(postgres)).isInstanceOf(SQLException.class);

            postgres.restart();

            assertThat(postgres.port()).isEqualTo(port);
            try (Connection after = connect(postgres); Statement s = after.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v FROM committed")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("kept");
            }
            before.close();
        }
    }

    private static Connection connect(SandboxPostgres postgres) throws Exception {
        return DriverManager.getConnection(postgres.jdbcUrl(), SandboxPostgres.USER, SandboxPostgres.PASSWORD);
    }

    @Test
    void durableStartShouldFlushCommitsToDiskWhileTheDefaultDoesNot() throws Exception {
        try (SandboxPostgres postgres = SandboxPostgres.start(dir.resolve("fast"), 0)) {
            assertThat(settings(postgres)).isEqualTo("off off off");
        }
        try (SandboxPostgres postgres = SandboxPostgres.start(dir.resolve("durable"), 0, true)) {
            assertThat(settings(postgres)).isEqualTo("on on on");
            postgres.restart();
            assertThat(settings(postgres)).as("a restart keeps the durability it started with").isEqualTo("on on on");
        }
    }

    private static String settings(SandboxPostgres postgres) throws Exception {
        try (Connection c = connect(postgres); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('fsync') || ' ' || current_setting('synchronous_commit')"
                     + " || ' ' || current_setting('full_page_writes')")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
