import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One sandbox world (SandboxMain as a child process: PostgreSQL, S3, the simulators) in its own
 * directory, on the benchmark's ports, and our two services started against it as {@code run.sh}
 * starts them ({@code java -jar quarkus-run.jar}, JVM defaults), one after the other so that each
 * one's time to ready is its own.
 */
final class BenchWorld implements AutoCloseable {

    static final String SANDBOX_CP = "deploy/sandbox/target/sandbox.jar:deploy/sandbox/target/lib/*";
    static final String SHOP = "demo-shop.myshopify.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READY = "SANDBOX READY ";

    /** The ports of one world: distinct from run.sh's 8080/8081/9080/9081/8090/8091/9000/55432. */
    record Ports(int gateway, int worker, int shopify, int facebook, int s3, int postgres, int naive,
                 int gatewayManagement, int workerManagement) {

        static Ports from(int base) {
            return new Ports(base, base + 1, base + 10, base + 11, base + 20, base + 30, base + 15, base + 40, base + 41);
        }

        void requireFree() {
            Procs.requireFree("gateway", gateway);
            Procs.requireFree("worker", worker);
            Procs.requireFree("gateway management", gatewayManagement);
            Procs.requireFree("worker management", workerManagement);
            Procs.requireFree("Shopify simulator", shopify);
            Procs.requireFree("Facebook simulator", facebook);
            Procs.requireFree("S3", s3);
            Procs.requireFree("PostgreSQL", postgres);
            Procs.requireFree("naive peer", naive);
        }
    }

    /**
     * One of our services, running; {@code readyMillis} from process start to the first 200 on /q/health/ready
     * (on its management port, like /q/metrics).
     */
    record Service(String name, Process process, int port, int managementPort, long readyMillis, Path log) {

        String url() {
            return "http://127.0.0.1:" + port;
        }

        String managementUrl() {
            return "http://127.0.0.1:" + managementPort;
        }

        long pid() {
            return process.pid();
        }
    }

    private final Process world;
    private final Map<String, String> env;
    private final Ports ports;
    private final Path logs;
    private final List<Service> services = new ArrayList<>();

    private BenchWorld(Process world, Map<String, String> env, Ports ports, Path logs) {
        this.world = world;
        this.env = env;
        this.ports = ports;
        this.logs = logs;
    }

    /** Starts the world with {@code settings} (SIM_SHOPIFY_*...) and waits for its READY line. */
    static BenchWorld start(Path dir, Ports ports, Map<String, String> settings) throws Exception {
        return start(dir, ports, settings, List.of(), Duration.ofMinutes(5));
    }

    /**
     * The same with JVM options for the world's own process (e.g. {@code -Xmx8g} for a simulator holding a
     * 100,000-product store, whose memory is not what a benchmark measures), waiting up to {@code startTimeout}
     * (generating such a store takes minutes on a busy machine).
     */
    static BenchWorld start(Path dir, Ports ports, Map<String, String> settings, List<String> jvmOptions,
                            Duration startTimeout) throws Exception {
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        Map<String, String> all = new LinkedHashMap<>();
        all.put("GATEWAY_URL", "http://127.0.0.1:" + ports.gateway());
        all.put("SYNC_WORKER_URL", "http://127.0.0.1:" + ports.worker());
        // Commits flushed to disk, as in production: "durably stored" means what it says.
        all.put("SANDBOX_POSTGRES_DURABLE", "true");
        all.putAll(settings);
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", SANDBOX_CP, "io.storefrontsync.sandbox.SandboxMain",
                "--dir", dir.resolve("world").toString(), "--stop-on-stdin-eof",
                "--postgres-port", String.valueOf(ports.postgres()), "--s3-port", String.valueOf(ports.s3()),
                "--shopify-port", String.valueOf(ports.shopify()), "--facebook-port", String.valueOf(ports.facebook())));
        all.forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
        Path out = logs.resolve("world.out");
        // stdin stays a pipe to this JVM: when the benchmark dies, the world stops with it.
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(logs.resolve("world.log").toFile());
        Process world = builder.start();
        Procs.record(command, Map.of());
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!world.isAlive()) {
                throw new IllegalStateException("the sandbox world exited; see " + logs.resolve("world.log"));
            }
            for (String line : Files.readAllLines(out)) {
                if (line.startsWith(READY)) {
                    Map<String, String> env = JSON.readValue(line.substring(READY.length()), new TypeReference<>() {
                    });
                    return new BenchWorld(world, env, ports, logs);
                }
            }
            Thread.sleep(100);
        }
        world.destroyForcibly();
        throw new IllegalStateException("the sandbox world did not start within " + startTimeout + "; see " + logs);
    }

    Map<String, String> env() {
        return env;
    }

    Ports ports() {
        return ports;
    }

    Path logs() {
        return logs;
    }

    long worldPid() {
        return world.pid();
    }

    /** Secrets of this world, for redaction of recorded commands. */
    Map<String, String> secrets() {
        Map<String, String> secrets = new HashMap<>();
        for (String name : List.of("SHOPIFY_API_SECRET", "ADMIN_API_KEY", "FACEBOOK_APP_SECRET", "STATE_TOKEN_SECRET",
                "TOKEN_ENCRYPTION_KEY", "SPACES_SECRET_KEY", "JWT_PRIVATE_KEY")) {
            secrets.put(name, env.get(name));
        }
        return secrets;
    }

    String shopifySimulator() {
        return env.get("SHOPIFY_SIMULATOR_URL");
    }

    /**
     * PostgreSQL's postmaster (first line of {@code postmaster.pid}): its CPU time and its backends'
     * are the database's share of the work.
     */
    long postgresPid() throws IOException {
        Path pidFile = logs.getParent().resolve("world").resolve("postgres").resolve("postmaster.pid");
        return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    }

    /** {@code java -jar <jar>} with the world's settings, timed from process start to ready. */
    Service startService(String name, Path jar, int port, int managementPort) throws Exception {
        return startService(name, jar, port, managementPort, List.of(), Map.of());
    }

    /**
     * The same with JVM options before {@code -jar} (e.g. {@code -Xmx256m}, {@code -Xlog:gc...}) and extra
     * environment (e.g. {@code STOREFRONT_SHOPIFY_BULK_THRESHOLD}; the caller reports it, the recorded command
     * holds the JVM options only).
     */
    Service startService(String name, Path jar, int port, int managementPort, List<String> jvmOptions,
                         Map<String, String> extraEnv) throws Exception {
        Map<String, String> serviceEnv = new HashMap<>(env);
        serviceEnv.putAll(extraEnv);
        serviceEnv.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        serviceEnv.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        serviceEnv.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        serviceEnv.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        // Readable log lines locally, as run.sh does; production logs are JSON.
        serviceEnv.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        Path log = logs.resolve(name + ".log");
        long started = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        Process process = Procs.start(command, serviceEnv, log, Map.of());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = started + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    Service service = new Service(name, process, port, managementPort, (System.nanoTime() - started) / 1_000_000, log);
                    services.add(service);
                    return service;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        Procs.stop(process, 5);
        throw new IllegalStateException(name + " was not ready within 3 minutes; see " + log);
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            Procs.stop(services.get(i).process(), 30);
        }
        try {
            world.getOutputStream().close(); // --stop-on-stdin-eof: the world shuts down cleanly
            if (!world.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                Procs.stop(world, 10);
            }
        } catch (IOException e) {
            Procs.stop(world, 10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Procs.stop(world, 10);
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
