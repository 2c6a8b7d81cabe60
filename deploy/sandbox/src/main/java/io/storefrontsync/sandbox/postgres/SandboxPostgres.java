package io.storefrontsync.sandbox.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL 14 server from the zonky binaries on Maven Central: no install, no Docker.
 * The application database and role are created on first start and kept in {@code dataDir}.
 */
public final class SandboxPostgres implements AutoCloseable {

    public static final String DATABASE = "storefront";
    public static final String USER = "storefront";
    public static final String PASSWORD = "storefront";

    private final EmbeddedPostgres server;

    private SandboxPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /**
     * @param dataDir where the cluster lives; reused when it already holds one
     * @param port    0 picks a free port
     */
    public static SandboxPostgres start(Path dataDir, int port) throws IOException, SQLException {
        return start(dataDir, port, false);
    }

    /**
     * @param durable PostgreSQL's own defaults ({@code fsync}, {@code synchronous_commit},
     *                {@code full_page_writes} on): a commit is on disk when it returns, as in
     *                production. Benchmarks that claim "durably stored" need it; tests do not.
     */
    public static SandboxPostgres start(Path dataDir, int port, boolean durable) throws IOException, SQLException {
        String flush = durable ? "on" : "off";
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.toFile())
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "300")
                // By default the sandbox trades durability for speed; it is a test world, not a store of record.
                .setServerConfig("fsync", flush)
                .setServerConfig("synchronous_commit", flush)
                .setServerConfig("full_page_writes", flush);
        if (port > 0) {
            builder.setPort(port);
        }
        SandboxPostgres postgres = new SandboxPostgres(builder.start());
        postgres.ensureApplicationDatabase();
        return postgres;
    }

    private void ensureApplicationDatabase() throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (var rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + USER + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
                }
            }
            try (var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
                }
            }
        }
    }

    public int port() {
        return server.getPort();
    }

    /** DigitalOcean style, as the services read it from {@code DATABASE_URL}. */
    public String databaseUrl() {
        return "postgresql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port() + "/" + DATABASE;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
