package io.storefrontsync.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #16, developers: the README's dev loop as a developer runs it. {@code deploy/sandbox/run.sh --world} starts the
 * sandbox world and prints the two {@code ./mvnw quarkus:dev} commands (with its shifted ports); they are run as
 * printed, the gateway first, then the worker, from the checkout, each reading the world's settings
 * ({@code $SANDBOX_DIR/env}, the dev profile only). Each must become ready on its management port, migrate and
 * answer: the gateway the merchant's pages (an install starting at the Shopify simulator, the status page's refusal
 * rendered by Qute), the worker its API (401 without a token). Then a class added to the worker's sources must be
 * served without a restart (live reload), and everything is stopped.
 * <p>
 * Offline ({@code -o}) when the build is: a dev-only artifact that cannot be resolved (Qute's debugger,
 * {@code io.quarkus.qute:qute-debug}, which Maven Central does not serve for 3.33.2: excluded in the gateway's pom and
 * its bean in {@code %dev}) fails here rather than on a developer's first {@code quarkus:dev}.
 */
class DevModeIT {

    private static final Duration STARTUP = Duration.ofMinutes(4);
    private static final Duration RELOAD = Duration.ofMinutes(2);
    /** What Chromium sends when it navigates. */
    private static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Added to the worker's sources while it runs in dev mode, removed afterwards (also when the test fails). */
    private static final String PROBE = "sync-worker/src/main/java/io/storefrontsync/worker/DevModeReloadProbe.java";
    /** Where dev mode compiles it: left there, the next build would package it and the next run find it served. */
    private static final String PROBE_CLASS = "sync-worker/target/classes/io/storefrontsync/worker/DevModeReloadProbe.class";
    private static final String PROBE_SOURCE = """
            package io.storefrontsync.worker;

            import jakarta.annotation.security.PermitAll;
            import jakarta.ws.rs.GET;
            import jakarta.ws.rs.Path;

            /** Written by DevModeIT into a worker running in dev mode, and deleted again: live reload serves it. */
            @Path("/dev-mode-probe")
            public class DevModeReloadProbe {

                @GET
                @PermitAll
                public String get() {
                    return "reloaded %s";
                }
            }
            """;

    private static Path root;
    private static Path sandbox;
    private static int offset;
    private static final List<Process> DEV_MODES = new ArrayList<>();

    @BeforeAll
    static void prepare() throws IOException {
        root = RunScript.root();
        sandbox = RunScript.freshSandbox("dev-mode-sandbox");
        offset = RunScript.freeOffset(500);
        removeProbe();
    }

    @AfterAll
    static void stop() throws IOException {
        DEV_MODES.forEach(devMode -> RunScript.stop(devMode, true, Duration.ofSeconds(30)));
        RunScript.stopAll();
        removeProbe();
    }

    private static void removeProbe() throws IOException {
        Files.deleteIfExists(root.resolve(PROBE));
        Files.deleteIfExists(root.resolve(PROBE_CLASS));
    }

    @Test
    void bothServicesShouldStartInDevModeAgainstTheSandboxWorldAndReload() throws Exception {
        try (RunScript world = RunScript.startWorld(root, sandbox, offset)) {
            String printed = world.output();
            assertThat(RunScript.unshifted(printed, offset)).as(printed).isEmpty();
            String gatewayCommand = printedCommand(printed, "oauth-gateway");
            String workerCommand = printedCommand(printed, "sync-worker");
            assertThat(gatewayCommand).isEqualTo("./mvnw quarkus:dev -pl oauth-gateway -am -Dquarkus.http.port="
                    + (8080 + offset) + " -Dquarkus.management.port=" + (9080 + offset));
            assertThat(workerCommand).isEqualTo("./mvnw quarkus:dev -pl sync-worker -am -Dquarkus.http.port="
                    + (8081 + offset) + " -Dquarkus.management.port=" + (9081 + offset));

            // One after the other: both builds (-am) write common's and the sandbox's target directories.
            String gateway = "http://127.0.0.1:" + (8080 + offset);
            startDevMode(gatewayCommand, "dev-mode-gateway.log", 9080 + offset);
            HttpResponse<String> install = getQuietly(gateway + "/shopify/demo-shop/login", BROWSER);
            assertThat(install).isNotNull();
            assertThat(install.statusCode()).as(install.body()).isEqualTo(302);
            assertThat(install.headers().firstValue("Location").orElse(""))
                    .startsWith("http://127.0.0.1:" + (8090 + offset) + "/demo-shop.myshopify.com/admin/oauth/authorize?")
                    .contains("redirect_uri=" + URLEncoder.encode(gateway + "/shopify/callback", StandardCharsets.UTF_8));
            HttpResponse<String> status = getQuietly(gateway + "/status", BROWSER);
            assertThat(status).isNotNull();
            assertThat(status.statusCode()).isEqualTo(401);
            assertThat(status.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(status.body()).contains("<h1>").contains("no_session");

            String worker = "http://127.0.0.1:" + (8081 + offset);
            startDevMode(workerCommand, "dev-mode-worker.log", 9081 + offset);
            HttpResponse<String> jobs = getQuietly(worker + "/jobs?userId=" + UUID.randomUUID(), "application/json");
            assertThat(jobs).isNotNull();
            assertThat(jobs.statusCode()).as("the job list without a token").isEqualTo(401);
            HttpResponse<String> before = getQuietly(worker + "/dev-mode-probe", "text/plain");
            assertThat(before).isNotNull();
            assertThat(before.statusCode()).as("the probe before it is written").isEqualTo(404);

            // Live reload: the next request after a source change recompiles and serves the new class.
            String marker = UUID.randomUUID().toString();
            Files.writeString(root.resolve(PROBE), PROBE_SOURCE.formatted(marker));
            try {
                long deadline = System.nanoTime() + RELOAD.toNanos();
                HttpResponse<String> probe = null;
                while (System.nanoTime() < deadline) {
                    probe = getQuietly(worker + "/dev-mode-probe", "text/plain");
                    if (probe != null && probe.statusCode() == 200) {
                        break;
                    }
                    Thread.sleep(1000);
                }
                String log = Files.readString(sandbox.resolveSibling("dev-mode-worker.log"));
                assertThat(probe).as(tail(log)).isNotNull();
                assertThat(probe.statusCode()).as(tail(log)).isEqualTo(200);
                assertThat(probe.body()).isEqualTo("reloaded " + marker);
            } finally {
                Files.deleteIfExists(root.resolve(PROBE));
            }
        }
    }

    /** The {@code ./mvnw quarkus:dev -pl <module>} line the world printed, without its comment. */
    private static String printedCommand(String output, String module) {
        return output.lines().map(String::strip).filter(line -> line.startsWith("./mvnw quarkus:dev -pl " + module + " "))
                .map(line -> line.replaceAll("\\s+#.*$", "")).findFirst()
                .orElseThrow(() -> new AssertionError("no quarkus:dev command for " + module + " in:\n" + output));
    }

    /**
     * Runs a printed command (batch mode, no debugger port, no interactive console and no analytics question, which
     * waits 10 s for an answer: two run at once, and none has a terminal; offline when the build is) and waits until
     * the service's management port says it is ready.
     */
    private static void startDevMode(String printed, String logName, int managementPort) throws Exception {
        List<String> command = new ArrayList<>(Arrays.asList(printed.split(" ")));
        command.addAll(List.of("-B", "-Ddebug=false", "-Dquarkus.console.enabled=false",
                "-Dquarkus.analytics.disabled=true"));
        if ("offline=true".equals(System.getProperty("e2e.maven.offline"))) {
            command.add(1, "-o");
        }
        Path log = sandbox.resolveSibling(logName);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SANDBOX_DIR", sandbox.toString());
        Process devMode = builder.start();
        DEV_MODES.add(devMode);

        long deadline = System.nanoTime() + STARTUP.toNanos();
        HttpResponse<String> ready = null;
        while (System.nanoTime() < deadline && devMode.isAlive()) {
            ready = getQuietly("http://127.0.0.1:" + managementPort + "/q/health/ready", "application/json");
            if (ready != null && ready.statusCode() == 200) {
                break;
            }
            Thread.sleep(1000);
        }
        String output = Files.readString(log);
        assertThat(ready).as("%s never became ready (alive: %s); its output:%n%s", printed, devMode.isAlive(),
                tail(output)).isNotNull();
        assertThat(ready.statusCode()).as(tail(output)).isEqualTo(200);
        assertThat(output).contains("Profile dev activated").doesNotContain("qute-debug");
    }

    private static HttpResponse<String> getQuietly(String url, String accept) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept)
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String tail(String output) {
        return output.length() <= 6000 ? output : output.substring(output.length() - 6000);
    }
}
