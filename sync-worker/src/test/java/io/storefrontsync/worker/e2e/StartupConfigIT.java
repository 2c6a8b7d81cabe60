package io.storefrontsync.worker.e2e;

import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.sandbox.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A packaged service started with a required secret missing or malformed stops at once, and what
 * it prints names the variable without echoing the bad value.
 */
class StartupConfigIT {

    private static final SandboxWorldResource world = new SandboxWorldResource();
    private static Map<String, String> env;

    @BeforeAll
    static void start() {
        world.init(Map.of("components", "postgres,s3"));
        env = world.start();
    }

    @AfterAll
    static void stop() {
        world.stop();
    }

    @ParameterizedTest(name = "{0} with {1}={2}")
    @CsvSource({
            "oauth-gateway, TOKEN_ENCRYPTION_KEY, k1:c2hvcnQta2V5",
            "oauth-gateway, ADMIN_API_KEY, ",
            "oauth-gateway, SHOPIFY_API_SECRET, ",
            "oauth-gateway, DATABASE_URL, mysql://user:hunter2@db/app",
            "sync-worker, TOKEN_ENCRYPTION_KEY, not-base64-at-all!",
            "sync-worker, JWT_PUBLIC_KEY, bm90LWEta2V5",
            "oauth-gateway, JWT_PRIVATE_KEY, bm90LWEta2V5",
            "sync-worker, DATABASE_URL, postgresql://user:hunter2@db",
    })
    void aServiceShouldRefuseToStartNamingTheBadVariable(String service, String variable, String value) throws IOException {
        Map<String, String> settings = new HashMap<>(env);
        if (value == null) {
            settings.remove(variable);
        } else {
            settings.put(variable, value);
        }
        Path logs = Path.of("target", "e2e", "StartupConfigIT", variable + "-" + (value == null ? "missing" : "bad"));
        Path jar = Path.of(System.getProperty(service.equals("oauth-gateway") ? "e2e.gateway.jar" : "e2e.worker.jar"));
        ServiceProcess process = new ServiceProcess(service, jar, settings, freePort(), logs);
        Files.deleteIfExists(process.log());

        assertThatThrownBy(process::start).hasMessageContaining("exited");

        String output = Files.readString(process.log());
        assertThat(output).contains(variable);
        if (value != null && value.length() > 3) {
            assertThat(output).doesNotContain(value).doesNotContain("hunter2");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
