package io.storefrontsync.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #16, developers: the README's dev loop as a developer runs it. {@code deploy/sandbox/run.sh --world} starts the
 * sandbox world, then {@code ./mvnw quarkus:dev -pl oauth-gateway -am} starts the gateway in dev mode from the
 * checkout, reading the world's settings ({@code $SANDBOX_DIR/env}, the dev profile only): it must become ready on its
 * management port, migrate, and answer the merchant's pages (an install starting at the Shopify simulator, the status
 * page's refusal rendered by Qute). Then both are stopped.
 * <p>
 * Offline ({@code -o}) when the build is: a dev-only artifact that cannot be resolved (Qute's debugger,
 * {@code io.quarkus.qute:qute-debug}, which Maven Central does not serve for 3.33.2: excluded in the gateway's pom and
 * its bean in {@code %dev}) fails here rather than on a developer's first {@code quarkus:dev}.
 */
class DevModeIT {

    private static final int[] BASE_PORTS = {8080, 8081, 9080, 9081, 8090, 8091, 9000, 55432};
    private static final Duration STARTUP = Duration.ofMinutes(4);
    /** What Chromium sends when it navigates. */
    private static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static Path root;
    private static Path sandbox;
    private static int offset;
    private static Process devMode;

    @BeforeAll
    static void prepare() throws IOException {
        root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("mvnw")).isExecutable();
        sandbox = Path.of("target", "dev-mode-sandbox").toAbsolutePath();
        if (Files.exists(sandbox)) {
            try (Stream<Path> files = Files.walk(sandbox)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
        offset = freeOffset();
    }

    @AfterAll
    static void stop() {
        if (devMode != null && devMode.isAlive()) {
            List<ProcessHandle> children = devMode.descendants().toList();
            children.forEach(ProcessHandle::destroy);
            devMode.destroy();
            try {
                devMode.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            children.forEach(ProcessHandle::destroyForcibly);
            devMode.destroyForcibly();
        }
        RunScript.stopAll();
    }

    @Test
    void theGatewayShouldStartInDevModeAgainstTheSandboxWorld() throws Exception {
        try (RunScript world = RunScript.startWorld(root, sandbox, offset)) {
            assertThat(world.output()).contains("quarkus:dev -pl oauth-gateway");
            int http = 8080 + offset;
            int management = 9080 + offset;
            Path log = sandbox.resolveSibling("dev-mode-gateway.log");
            // What the walkthrough prints, offline, with the ports shifted like the world's (GATEWAY_URL in its env).
            List<String> command = new java.util.ArrayList<>(List.of("./mvnw", "-B", "quarkus:dev", "-pl", "oauth-gateway",
                    "-am", "-Dquarkus.http.port=" + http, "-Dquarkus.management.port=" + management, "-Ddebug=false",
                    "-Dquarkus.console.enabled=false"));
            if ("offline=true".equals(System.getProperty("e2e.maven.offline"))) {
                command.add(2, "-o");
            }
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("SANDBOX_DIR", sandbox.toString());
            devMode = builder.start();

            long deadline = System.nanoTime() + STARTUP.toNanos();
            HttpResponse<String> ready = null;
            while (System.nanoTime() < deadline && devMode.isAlive()) {
                ready = getQuietly("http://127.0.0.1:" + management + "/q/health/ready", "application/json");
                if (ready != null && ready.statusCode() == 200) {
                    break;
                }
                Thread.sleep(1000);
            }
            String output = Files.readString(log);
            assertThat(ready).as("dev mode never became ready (alive: %s); its output:%n%s", devMode.isAlive(),
                    tail(output)).isNotNull();
            assertThat(ready.statusCode()).as(tail(output)).isEqualTo(200);
            assertThat(output).contains("Profile dev activated").doesNotContain("qute-debug");

            HttpResponse<String> install = getQuietly("http://127.0.0.1:" + http + "/shopify/demo-shop/login", BROWSER);
            assertThat(install).isNotNull();
            assertThat(install.statusCode()).as(install.body()).isEqualTo(302);
            assertThat(install.headers().firstValue("Location").orElse(""))
                    .startsWith("http://127.0.0.1:" + (8090 + offset) + "/demo-shop.myshopify.com/admin/oauth/authorize?")
                    .contains("redirect_uri=" + java.net.URLEncoder.encode("http://127.0.0.1:" + http + "/shopify/callback",
                            java.nio.charset.StandardCharsets.UTF_8));

            HttpResponse<String> status = getQuietly("http://127.0.0.1:" + http + "/status", BROWSER);
            assertThat(status).isNotNull();
            assertThat(status.statusCode()).isEqualTo(401);
            assertThat(status.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(status.body()).contains("<h1>").contains("no_session");
        }
    }

    private static HttpResponse<String> getQuietly(String url, String accept) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
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

    private static int freeOffset() throws IOException {
        for (int candidate = 500; candidate < 3000; candidate += 100) {
            boolean free = true;
            for (int port : BASE_PORTS) {
                try (ServerSocket socket = new ServerSocket(port + candidate)) {
                    socket.setReuseAddress(true);
                } catch (IOException taken) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free port offset for the sandbox world");
    }
}
