package io.storefrontsync.system;

import io.storefrontsync.sandbox.testing.FreePorts;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.sandbox.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
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

    /**
     * {@code ownLine}: the service's own check refuses the value, and Quarkus prints its message alone, one
     * line that starts with the variable's name; otherwise SmallRye Config or Quarkus name it in their own words.
     */
    @ParameterizedTest(name = "{0} with {1}={2}")
    @CsvSource({
            "oauth-gateway, TOKEN_ENCRYPTION_KEY, k1:c2hvcnQta2V5, true",
            "oauth-gateway, ADMIN_API_KEY, , false",
            "oauth-gateway, SHOPIFY_API_SECRET, , false",
            "oauth-gateway, DATABASE_URL, mysql://user:hunter2@db/app, false",
            "sync-worker, TOKEN_ENCRYPTION_KEY, not-base64-at-all!, true",
            "sync-worker, JWT_PUBLIC_KEY, bm90LWEta2V5, true",
            "oauth-gateway, JWT_PRIVATE_KEY, bm90LWEta2V5, true",
            "sync-worker, DATABASE_URL, postgresql://user:hunter2@db, false",
            "sync-worker, JWT_PUBLIC_KEY, , true",
            "oauth-gateway, JWT_PUBLIC_KEY, , true",
            "oauth-gateway, JWT_PUBLIC_KEY, '', true",
            "sync-worker, JWT_PUBLIC_KEY, '', true",
            "oauth-gateway, JWT_PRIVATE_KEY, '', true",
            "oauth-gateway, JWT_PUBLIC_KEY, bm90LWEta2V5, true",
            "oauth-gateway, JWT_PRIVATE_KEY, , true",
            "oauth-gateway, SHOPIFY_API_VERSION, latest, true",
            "oauth-gateway, SHOPIFY_API_VERSION, '', true",
            "sync-worker, SHOPIFY_API_VERSION, 2026-13, true",
            "sync-worker, SHOPIFY_API_VERSION, latest, true",
            "sync-worker, SHOPIFY_API_VERSION, '', true",
    })
    void aServiceShouldRefuseToStartNamingTheBadVariable(String service, String variable, String value, boolean ownLine)
            throws IOException {
        Map<String, String> settings = new HashMap<>(env);
        if (value == null) {
            settings.remove(variable);
        } else {
            settings.put(variable, value);
        }
        Path logs = Path.of("target", "e2e", "StartupConfigIT", service, variable + "-" + describe(value));
        Path jar = Path.of(System.getProperty(service.equals("oauth-gateway") ? "e2e.gateway.jar" : "e2e.worker.jar"));
        ServiceProcess process = new ServiceProcess(service, jar, settings, FreePorts.next(), logs);
        Files.deleteIfExists(process.log());

        assertThatThrownBy(process::start).hasMessageContaining("exited");

        String output = Files.readString(process.log());
        assertThat(output).contains(variable);
        if (ownLine) {
            assertThat(output.lines()).as("one plain line naming the variable")
                    .anyMatch(line -> line.startsWith(variable + " "));
            assertThat(output).doesNotContain("\tat ").doesNotContain("Exception");
        }
        if (value != null && value.length() > 3) {
            assertThat(output).doesNotContain(value).doesNotContain("hunter2");
        }
    }

    /** The database's certificate is verified or there is no connection: no CA given, no start (issue 11: keys). */
    @ParameterizedTest(name = "{0} with sslmode={1} and no DATABASE_CA_CERT")
    @CsvSource({"oauth-gateway, require", "sync-worker, verify-full"})
    void tlsWithoutACaToVerifyTheServerShouldStopTheServiceNamingTheVariable(String service, String sslMode)
            throws IOException {
        Map<String, String> settings = new HashMap<>(env);
        settings.put("DATABASE_URL", env.get("DATABASE_URL") + "?sslmode=" + sslMode);
        settings.remove("DATABASE_CA_CERT");
        Path logs = Path.of("target", "e2e", "StartupConfigIT", service, "DATABASE_CA_CERT-" + sslMode);
        Path jar = Path.of(System.getProperty(service.equals("oauth-gateway") ? "e2e.gateway.jar" : "e2e.worker.jar"));
        ServiceProcess process = new ServiceProcess(service, jar, settings, FreePorts.next(), logs);
        Files.deleteIfExists(process.log());

        assertThatThrownBy(process::start).hasMessageContaining("exited");

        String output = Files.readString(process.log());
        assertThat(output.lines()).as("a plain line naming both variables")
                .anyMatch(line -> line.strip().startsWith("DATABASE_URL asks for TLS (sslmode=" + sslMode + ")")
                        && line.contains("DATABASE_CA_CERT"));
        assertThat(output).doesNotContain("\tat ").doesNotContain("Exception");
    }

    private static String describe(String value) {
        if (value == null) {
            return "missing";
        }
        return value.isEmpty() ? "empty" : "bad-" + Integer.toHexString(value.hashCode());
    }
}
