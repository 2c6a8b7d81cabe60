package io.storefrontsync.sandbox.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.storefrontsync.sandbox.DotEnv;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps what a deployer reads in step with what the services read: every environment variable an
 * {@code application.properties} refers to is documented in {@code .env.example}, and every one a
 * service requires (no default) is set for it in the App Platform spec, where the worker stays
 * internal.
 */
class DeploymentSettingsTest {

    private static final Path ROOT = Path.of("../..");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:[^}]*)?}");
    private static final Set<String> SERVICES = Set.of("oauth-gateway", "sync-worker");

    @Test
    void envExampleShouldDocumentEveryVariableTheServicesRead() throws IOException {
        Set<String> documented = DotEnv.read(ROOT.resolve(".env.example")).keySet();
        Set<String> read = new TreeSet<>();
        for (String service : SERVICES) {
            read.addAll(referencedVariables(service, false));
        }

        assertThat(read).isNotEmpty();
        assertThat(documented).containsAll(read);
    }

    @Test
    void envExampleShouldNotDocumentVariablesNoServiceReads() throws IOException {
        Set<String> read = new TreeSet<>();
        for (String service : SERVICES) {
            read.addAll(referencedVariables(service, false));
        }
        // Mapped onto the datasource by common's DatabaseUrlConfigSourceFactory, not by a property.
        read.add("DATABASE_URL");
        read.add("DATABASE_CA_CERT");

        assertThat(DotEnv.read(ROOT.resolve(".env.example")).keySet()).isSubsetOf(read);
    }

    @Test
    void appSpecShouldSetEveryRequiredVariableForEachService() throws IOException {
        JsonNode spec = appSpec();
        for (String service : SERVICES) {
            JsonNode component = component(spec, service);
            Set<String> available = new TreeSet<>();
            spec.path("envs").forEach(e -> available.add(e.path("key").asText()));
            component.path("envs").forEach(e -> available.add(e.path("key").asText()));
            Set<String> required = referencedVariables(service, true);
            required.add("DATABASE_URL");
            // App Platform's DATABASE_URL says sslmode=require: without the CA neither service starts.
            required.add("DATABASE_CA_CERT");

            assertThat(available).as("variables set for %s in app.yaml", service).containsAll(required);
        }
    }

    @Test
    void appSpecShouldKeepSecretsSecretAndTheWorkerInternal() throws IOException {
        JsonNode spec = appSpec();
        JsonNode worker = component(spec, "sync-worker");
        JsonNode gateway = component(spec, "oauth-gateway");

        assertThat(worker.has("routes")).as("worker routes").isFalse();
        assertThat(worker.has("http_port")).as("worker http_port").isFalse();
        assertThat(worker.path("internal_ports").toString()).contains("8081");
        assertThat(gateway.path("health_check").path("http_path").asText()).isEqualTo("/q/health/ready");
        assertThat(worker.path("health_check").path("http_path").asText()).isEqualTo("/q/health/ready");
        // The checks call the management port, which no route or internal port exposes.
        assertThat(gateway.path("health_check").path("port").asInt()).isEqualTo(managementPort("oauth-gateway"));
        assertThat(gateway.path("liveness_health_check").path("port").asInt()).isEqualTo(managementPort("oauth-gateway"));
        assertThat(worker.path("health_check").path("port").asInt()).isEqualTo(managementPort("sync-worker"));
        assertThat(worker.path("liveness_health_check").path("port").asInt()).isEqualTo(managementPort("sync-worker"));
        assertThat(worker.path("internal_ports").toString()).doesNotContain(String.valueOf(managementPort("sync-worker")));
        assertThat(spec.path("databases").get(0).path("engine").asText()).isEqualTo("PG");

        Set<String> secrets = Set.of("SHOPIFY_API_SECRET", "FACEBOOK_APP_SECRET", "STATE_TOKEN_SECRET",
                "TOKEN_ENCRYPTION_KEY", "JWT_PRIVATE_KEY", "ADMIN_API_KEY", "SPACES_SECRET_KEY", "FACEBOOK_VERIFY_TOKEN");
        for (JsonNode env : allEnvs(spec)) {
            if (secrets.contains(env.path("key").asText())) {
                assertThat(env.path("type").asText()).as(env.path("key").asText()).isEqualTo("SECRET");
                assertThat(env.path("value").asText("")).as(env.path("key").asText() + " value").isEmpty();
            }
        }
    }

    private static int managementPort(String service) throws IOException {
        String properties = Files.readString(ROOT.resolve(service).resolve("src/main/resources/application.properties"));
        assertThat(properties).contains("quarkus.management.enabled=true");
        return properties.lines().filter(line -> line.startsWith("quarkus.management.port="))
                .map(line -> Integer.parseInt(line.substring("quarkus.management.port=".length()).strip()))
                .findFirst().orElseThrow();
    }

    private static Set<String> referencedVariables(String service, boolean requiredOnly) throws IOException {
        String properties = Files.readString(ROOT.resolve(service).resolve("src/main/resources/application.properties"));
        Set<String> names = new TreeSet<>();
        for (String line : properties.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.startsWith("%")) {
                continue; // comments and profile-specific (dev/test) values are not deployment settings
            }
            Matcher m = ENV_REFERENCE.matcher(trimmed);
            while (m.find()) {
                if (!requiredOnly || m.group(2) == null) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    private static JsonNode appSpec() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("deploy/digitalocean/app.yaml").toFile());
    }

    private static JsonNode component(JsonNode spec, String name) {
        for (JsonNode service : spec.path("services")) {
            if (name.equals(service.path("name").asText())) {
                return service;
            }
        }
        throw new AssertionError("app.yaml has no service " + name);
    }

    private static Iterable<JsonNode> allEnvs(JsonNode spec) {
        java.util.List<JsonNode> envs = new java.util.ArrayList<>();
        spec.path("envs").forEach(envs::add);
        spec.path("services").forEach(s -> s.path("envs").forEach(envs::add));
        return envs;
    }
}
