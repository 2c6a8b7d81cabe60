package io.storefrontsync.sandbox.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL 14 server from the zonky binaries on Maven Central: no install, no Docker.
 * The application database and role are created on first start and kept in {@code dataDir}.
 * <p>
 * Fault-injection tests {@link #stop()} and {@link #start()} it again (or {@link #restart()} it):
 * a fast shutdown, as an operator's restart or a managed database's failover does — open
 * connections are cut, committed data stays — and the same port afterwards.
 */
public final class SandboxPostgres implements AutoCloseable {

    public static final String DATABASE = "storefront";
    public static final String USER = "storefront";
    public static final String PASSWORD = "storefront";

    private final Path dataDir;
    private final boolean durable;
    /** Holds {@code server.crt} and {@code server.key} when the server speaks TLS; null otherwise. */
    private final Path tlsDir;
    /** Fixed by the first start (which may pick a free port), so a restart comes back where clients look. */
    private int port;
    /** Null while stopped. */
    private EmbeddedPostgres server;

    private SandboxPostgres(Path dataDir, int port, boolean durable, Path tlsDir) {
        this.dataDir = dataDir;
        this.port = port;
        this.durable = durable;
        this.tlsDir = tlsDir;
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
        return start(dataDir, port, durable, null);
    }

    /**
     * @param tlsDir {@code server.crt} and {@code server.key} (PEM): the server accepts TLS with that
     *               certificate, as a managed database does; null for plain connections only
     */
    public static SandboxPostgres start(Path dataDir, int port, boolean durable, Path tlsDir)
            throws IOException, SQLException {
        SandboxPostgres postgres = new SandboxPostgres(dataDir, port, durable, tlsDir);
        postgres.start();
        postgres.ensureApplicationDatabase();
        return postgres;
    }

    /** Starts the server again on the same cluster and port (no-op when running). */
    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        EmbeddedPostgres.Builder builder = builder(dataDir, port, durable);
        if (tlsDir != null) {
            Path keys = serverKeys();
            builder.setServerConfig("ssl", "on")
                    .setServerConfig("ssl_cert_file", keys.resolve("server.crt").toString())
                    .setServerConfig("ssl_key_file", keys.resolve("server.key").toString());
        }
        server = builder.start();
        port = server.getPort();
    }

    /** Fast shutdown ({@code pg_ctl stop -m fast}): sessions are cut, nothing committed is lost. No-op when stopped. */
    public synchronized void stop() throws IOException {
        if (server == null) {
            return;
        }
        server.close();
        server = null;
    }

    public synchronized void restart() throws IOException {
        stop();
        start();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** PostgreSQL refuses a key file others can read, and git keeps no such mode: copied with 0600. */
    private Path serverKeys() throws IOException {
        Path keys = Files.createDirectories(dataDir.resolveSibling("postgres-tls"));
        Files.copy(tlsDir.resolve("server.crt"), keys.resolve("server.crt"), StandardCopyOption.REPLACE_EXISTING);
        Path key = keys.resolve("server.key");
        Files.copy(tlsDir.resolve("server.key"), key, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return keys;
    }

    private static EmbeddedPostgres.Builder builder(Path dataDir, int port, boolean durable) {
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
        // Opt-in, for the bench's per-statement ranking (#17): e.g. SANDBOX_POSTGRES_PRELOAD=pg_stat_statements.
        // The zonky binaries ship the extension; off by default because it costs every statement a hash.
        String preload = System.getenv("SANDBOX_POSTGRES_PRELOAD");
        if (preload != null && !preload.isBlank()) {
            builder.setServerConfig("shared_preload_libraries", preload.strip());
        }
        if (port > 0) {
            builder.setPort(port);
        }
        return builder;
    }

    private synchronized void ensureApplicationDatabase() throws SQLException {
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

    public synchronized int port() {
        return port;
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
        stop();
    }
}
