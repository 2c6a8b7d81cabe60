package io.storefrontsync.sandbox;

import io.storefrontsync.sandbox.postgres.SandboxPostgres;
import io.storefrontsync.sandbox.s3.SandboxS3Server;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Everything the services talk to, on loopback: PostgreSQL, the S3 server, the Shopify and the
 * Facebook simulators. {@link #env()} is what the services need to reach them, in the variable
 * names of {@code .env.example}.
 */
public final class SandboxWorld implements AutoCloseable {

    public static final Set<String> ALL_COMPONENTS = Set.of("postgres", "s3", "shopify", "facebook");

    /**
     * @param dir        where data lives (PostgreSQL cluster, S3 objects, env file)
     * @param ephemeral  delete {@code dir} on close (tests)
     * @param ports      0 = any free port
     * @param overrides  settings that win over generated ones (e.g. the services' URLs)
     */
    public record Options(Path dir, boolean ephemeral, String host, int postgresPort, int s3Port, int shopifyPort,
                          int facebookPort, Set<String> components, Map<String, String> overrides) {

        public static Options sandboxDefaults(Path dir) {
            return new Options(dir, false, "127.0.0.1", 55432, 9000, 8090, 8091, ALL_COMPONENTS, Map.of());
        }

        public static Options ephemeralDefaults(Path dir) {
            return new Options(dir, true, "127.0.0.1", 0, 0, 0, 0, ALL_COMPONENTS, Map.of());
        }
    }

    private final Options options;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private Vertx vertx;
    private SandboxPostgres postgres;
    private SandboxS3Server s3;

    private SandboxWorld(Options options) {
        this.options = options;
    }

    public static SandboxWorld start(Options options) throws Exception {
        SandboxWorld world = new SandboxWorld(options);
        try {
            world.startAll();
            return world;
        } catch (Exception e) {
            world.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Files.createDirectories(options.dir());
        Path envFile = envFile(options.dir());
        Map<String, String> stored = DotEnv.read(envFile);
        env.putAll(stored);
        // Simulator knobs (SIM_SHOPIFY_*, SIM_FACEBOOK_*) may come from the caller's environment too.
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("SIM_")) {
                env.put(k, v);
            }
        });
        env.putAll(options.overrides());
        SandboxSecrets.fillMissing(env);
        defaults(stored.get("GATEWAY_URL"));

        if (options.components().contains("postgres")) {
            // SANDBOX_POSTGRES_DURABLE=true: commits flushed to disk, for benchmarks (bench/run-all.sh).
            // SIM_POSTGRES_TLS_DIR=<dir of server.crt, server.key, ca.crt>: the server speaks TLS with that
            // certificate and the services get sslmode=require and the CA, as App Platform hands them out.
            Path tls = env.containsKey("SIM_POSTGRES_TLS_DIR") ? Path.of(env.get("SIM_POSTGRES_TLS_DIR")).toAbsolutePath() : null;
            postgres = SandboxPostgres.start(options.dir().resolve("postgres"), options.postgresPort(),
                    Boolean.parseBoolean(env.get("SANDBOX_POSTGRES_DURABLE")), tls);
            started.push(postgres);
            env.put("DATABASE_URL", postgres.databaseUrl() + (tls == null ? "" : "?sslmode=require"));
            if (tls != null) {
                // One line, as a dotenv file holds it; the services restore the line breaks.
                env.put("DATABASE_CA_CERT", Files.readString(tls.resolve("ca.crt")).strip().replace("\n", "\\n"));
            }
        }
        if (options.components().contains("s3")) {
            s3 = SandboxS3Server.start(options.dir().resolve("spaces"), options.host(),
                    options.s3Port(), env.get("SPACES_ACCESS_KEY"), env.get("SPACES_SECRET_KEY"),
                    env.get("SPACES_BUCKET"));
            started.push(s3);
            env.put("SPACES_ENDPOINT", s3.endpoint());
        }
        vertx = Vertx.vertx();
        started.push(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        SimulatorLauncher.startSimulators(this);
        DotEnv.write(envFile, env, """
                Effective settings of the sandbox world (written by SandboxMain, read again on the next run).
                Same variable names as .env.example; secrets were generated for this directory only.""");
    }

    /** @param storedGateway the {@code GATEWAY_URL} of the env file of an earlier run; null on the first */
    private void defaults(String storedGateway) {
        env.putIfAbsent("SPACES_BUCKET", "storefront-sync");
        env.putIfAbsent("SPACES_REGION", "nyc3");
        env.putIfAbsent("SHOPIFY_API_VERSION", "2026-07");
        env.putIfAbsent("SHOPIFY_SCOPES", "read_products,read_inventory,read_discounts,read_locations,read_product_listings");
        env.putIfAbsent("FACEBOOK_GRAPH_VERSION", "v26.0");
        env.putIfAbsent("GATEWAY_URL", "http://" + options.host() + ":8080");
        env.putIfAbsent("SYNC_WORKER_URL", "http://" + options.host() + ":8081");
        String gateway = env.get("GATEWAY_URL");
        // Made from GATEWAY_URL, and made again when it moved (run.sh with another SANDBOX_PORT_OFFSET on the same
        // directory): a value still equal to what the stored GATEWAY_URL made follows the new one, an edited one stays.
        for (String[] derived : new String[][] {{"SHOPIFY_REDIRECT_URI", "/shopify/callback"},
                {"SHOPIFY_WEBHOOK_ADDRESS", "/shopify/webhook"}, {"FACEBOOK_REDIRECT_URI", "/facebook/callback"},
                {"FACEBOOK_WEBHOOK_ADDRESS", "/facebook/webhook"}}) {
            derive(derived[0], storedGateway == null ? null : storedGateway + derived[1], gateway + derived[1]);
        }
        // The sandbox serves plain http on loopback, where browsers and curl drop Secure cookies.
        derive("COOKIES_SECURE", storedGateway == null ? null : String.valueOf(storedGateway.startsWith("https:")),
                String.valueOf(gateway.startsWith("https:")));
    }

    /** Sets {@code key} to {@code value} when it is unset or still holds what the earlier run made ({@code stored}). */
    private void derive(String key, String stored, String value) {
        String current = env.get(key);
        if (current == null || current.equals(stored)) {
            env.put(key, value);
        }
    }

    public static Path envFile(Path dir) {
        return dir.resolve("env");
    }

    public Options options() {
        return options;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Settings for the services, in the names of {@code .env.example}. */
    public Map<String, String> env() {
        return env;
    }

    /** The PostgreSQL server, when this world runs one (fault injection stops and starts it). */
    public Optional<SandboxPostgres> postgres() {
        return Optional.ofNullable(postgres);
    }

    /** The S3 server, when this world runs one (fault injection stops and starts it). */
    public Optional<SandboxS3Server> s3() {
        return Optional.ofNullable(s3);
    }

    void register(AutoCloseable component) {
        started.push(component);
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("sandbox: error while stopping a component: " + e);
            }
        }
        if (options.ephemeral()) {
            deleteRecursively(options.dir());
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("sandbox: could not delete " + dir + ": " + e);
        }
    }
}
