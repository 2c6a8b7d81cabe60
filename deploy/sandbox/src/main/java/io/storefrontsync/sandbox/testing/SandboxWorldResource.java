package io.storefrontsync.sandbox.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.storefrontsync.sandbox.SandboxControl;
import io.storefrontsync.sandbox.SandboxMain;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts an ephemeral sandbox world (PostgreSQL, S3 server, simulators, all on free ports) as a
 * child process for a {@code @QuarkusTest}, and hands its settings to the application under test
 * under the {@code .env.example} names. The child runs on the sandbox module's own classpath, so
 * none of its dependencies leak into the service under test; it exits when this JVM closes its
 * stdin, even if the JVM dies.
 * <p>
 * Init args: {@code components} (comma list, default all), {@code set.KEY=VALUE} settings passed on.
 * <p>
 * The world also opens its control endpoint ({@link SandboxControl}): {@link #control} stops and
 * starts its PostgreSQL and S3 servers for fault-injection tests.
 */
public class SandboxWorldResource implements QuarkusTestResourceLifecycleManager {

    private static final long START_TIMEOUT_SECONDS = 180;

    private final Map<String, String> initArgs = new HashMap<>();
    private Process process;
    private Map<String, String> env = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        this.initArgs.putAll(initArgs);
    }

    @Override
    public Map<String, String> start() {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx512m", "-XX:+UseSerialGC",
                "-cp", sandboxClasspath(), SandboxMain.class.getName(),
                "--ephemeral", "--stop-on-stdin-eof",
                "--postgres-port", "0", "--s3-port", "0", "--shopify-port", "0", "--facebook-port", "0",
                "--control-port", "0"));
        if (initArgs.containsKey("components")) {
            command.add("--components");
            command.add(initArgs.get("components"));
        }
        initArgs.forEach((k, v) -> {
            if (k.startsWith("set.")) {
                command.add("--set");
                command.add(k.substring(4) + "=" + v);
            }
        });
        try {
            Path log = Path.of("target", "sandbox-world.log");
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            env = awaitReady(process, log);
            return env;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the sandbox world", e);
        }
    }

    /** The world's settings, for tests that talk to the simulators or the S3 server themselves. */
    public Map<String, String> env() {
        return env;
    }

    /**
     * Switches one of the world's servers and returns once it is done: {@code component} is
     * {@code postgres} or {@code s3}, {@code operation} {@code stop}, {@code start} or {@code restart}.
     * Restarted servers come back on the same port with the same data.
     */
    public void control(String component, String operation) {
        String url = env.get(SandboxControl.URL_VARIABLE);
        if (url == null) {
            throw new IllegalStateException("the sandbox world is not running");
        }
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/" + component + "/" + operation))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .timeout(Duration.ofSeconds(START_TIMEOUT_SECONDS)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(component + " " + operation + " failed: " + response.statusCode()
                        + " " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(component + " " + operation + ": the sandbox world did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + component + " " + operation, e);
        }
    }

    private static Map<String, String> awaitReady(Process process, Path log) {
        CompletableFuture<Map<String, String>> ready = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(SandboxMain.READY_PREFIX)) {
                        Map<String, String> settings = new ObjectMapper().readValue(
                                line.substring(SandboxMain.READY_PREFIX.length()), new TypeReference<>() {
                                });
                        drainInBackground(out, log);
                        return settings;
                    }
                    Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
                throw new IllegalStateException("the sandbox world exited before it was ready; see " + log.toAbsolutePath());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("the sandbox world did not start; see " + log.toAbsolutePath(), e);
        }
    }

    private static void drainInBackground(BufferedReader out, Path log) {
        Thread drain = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            } catch (IOException ignored) {
                // the child went away
            }
        }, "sandbox-stdout");
        drain.setDaemon(true);
        drain.start();
    }

    @Override
    public void stop() {
        if (process == null) {
            return;
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * This class's own jar (or classes directory) plus the {@code lib/} directory the sandbox
     * build fills next to it: the sandbox module's complete runtime classpath.
     */
    static String sandboxClasspath() {
        try {
            Path self = Path.of(SandboxWorldResource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path lib = self.getParent().resolve("lib");
            if (!Files.isDirectory(lib)) {
                throw new IllegalStateException("no " + lib + ": build the sandbox module first ("
                        + "./mvnw -pl deploy/sandbox -am package -DskipTests)");
            }
            return self + File.pathSeparator + lib + File.separator + "*";
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
