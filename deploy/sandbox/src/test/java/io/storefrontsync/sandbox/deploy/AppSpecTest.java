package io.storefrontsync.sandbox.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/digitalocean/app.yaml} checked in the build the way App Platform would check it, and for what
 * App Platform would only find out in production: against DigitalOcean's published App spec schema (the part
 * kept in {@code deploy/digitalocean/spec}), the published instance sizes and our capacity budget. Each check
 * also gets a deliberately wrong copy and must name the fault, so a check that silently passes everything fails
 * here.
 */
class AppSpecTest {

    private static final Path ROOT = Path.of("../..");
    private static final Path SPEC = ROOT.resolve("deploy/digitalocean/spec");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final OpenApiSchema schema = new OpenApiSchema(SPEC.resolve("apps/models"), SPEC.resolve("supplement.yml"));
    private AppSpecRules rules;
    private ObjectNode spec;

    @BeforeEach
    void load() throws IOException {
        rules = new AppSpecRules(ROOT);
        spec = (ObjectNode) YAML.readTree(ROOT.resolve("deploy/digitalocean/app.yaml").toFile());
    }

    @Test
    void appYamlShouldConformToDigitalOceansAppSpecSchema() {
        assertThat(schema.validate(spec, "app_spec.yml")).isEmpty();
    }

    @Test
    void schemaCheckShouldNameEveryFaultOfAWrongCopy() {
        ObjectNode gateway = service(spec, "oauth-gateway");
        gateway.put("instance_sise_slug", "apps-s-1vcpu-1gb");
        gateway.put("instance_count", "2");
        gateway.putArray("routes").addObject().put("path", "/");
        gateway.put("instance_size_slug", "basic-xs");
        spec.put("region", "mars");
        ((ObjectNode) spec.path("envs").get(0)).put("scope", "ALWAYS");
        service(spec, "sync-worker").withObject("/health_check").put("port", 70000);
        ((ObjectNode) spec.path("databases").get(0)).put("version", 16);
        ((ObjectNode) spec.path("ingress").path("rules").get(0)).putObject("redirect").put("uri", "/x");

        assertThat(schema.validate(spec, "app_spec.yml")).anySatisfy(f -> assertThat(f)
                        .startsWith("services[0].instance_sise_slug: unknown field"))
                .anySatisfy(f -> assertThat(f).startsWith("services[0].instance_count: expected an integer"))
                .anySatisfy(f -> assertThat(f).startsWith("services[0].routes: deprecated by DigitalOcean"))
                .anySatisfy(f -> assertThat(f).startsWith("services[0].instance_size_slug: ").contains("deprecated"))
                .anySatisfy(f -> assertThat(f).startsWith("region: \"mars\" is not one of"))
                .anySatisfy(f -> assertThat(f).startsWith("envs[0].scope: \"ALWAYS\" is not one of"))
                .anySatisfy(f -> assertThat(f).startsWith("services[1].health_check.port: 70000 is above the maximum"))
                .anySatisfy(f -> assertThat(f).startsWith("databases[0].version: expected a string"))
                .anySatisfy(f -> assertThat(f).startsWith("ingress.rules[0].redirect: its schema")
                        .contains("is not kept"));
    }

    @Test
    void instanceSizesShouldBeDigitalOceansPublishedList() throws IOException {
        JsonNode sizes = YAML.readTree(SPEC.resolve("instance-sizes.yml").toFile());

        assertThat(schema.validate(sizes, "apps_list_instance_sizes_response.yml")).isEmpty();
        assertThat(sizes.path("instance_sizes").findValuesAsText("slug")).contains("apps-s-1vcpu-0.5gb", "apps-s-1vcpu-1gb",
                "apps-s-1vcpu-2gb");
    }

    @Test
    void sizesShouldAllowTheInstanceCountsAskedFor() {
        assertThat(rules.sizes(spec)).isEmpty();

        service(spec, "oauth-gateway").put("instance_size_slug", "apps-s-1vcpu-0.5gb");
        service(spec, "sync-worker").remove("instance_size_slug");
        service(spec, "sync-worker").put("instance_count", 3);
        assertThat(rules.sizes(spec)).containsExactly(
                "oauth-gateway: 2 instances of apps-s-1vcpu-0.5gb, which DigitalOcean marks single_instance_only",
                "sync-worker: 3 instances of apps-s-1vcpu-0.5gb, which DigitalOcean marks single_instance_only");
    }

    @Test
    void heapCapsShouldFitEachInstanceWithRoom() {
        assertThat(rules.heapCaps(spec)).isEmpty();

        env(service(spec, "sync-worker"), AppSpecRules.HEAP_VARIABLE).put("value", "1800m");
        env(service(spec, "oauth-gateway"), AppSpecRules.HEAP_VARIABLE).put("scope", "BUILD_TIME");
        assertThat(rules.heapCaps(spec)).containsExactly(
                "oauth-gateway: no MAX_HEAP_SIZE at run time, so the heap is the runtime's default share of the instance"
                        + " (80% for a native image)",
                "sync-worker: heap 1800m is more than 60% of apps-s-1vcpu-2gb's 2048 MiB",
                "sync-worker: heap 1800m leaves 248 MiB of apps-s-1vcpu-2gb's 2048 MiB, less than the 512 MiB needed beside"
                        + " the heap");
    }

    @Test
    void connectionPoolsShouldFitTheManagedDatabase() throws IOException {
        assertThat(rules.connections(spec)).isEmpty();

        env(service(spec, "sync-worker"), AppSpecRules.REACTIVE_POOL_VARIABLE).put("value", "20");
        service(spec, "sync-worker").put("instance_count", 4);
        assertThat(rules.connections(spec)).containsExactly("database connections: oauth-gateway 3 x (10 + 2)"
                + " + sync-worker 5 x (20 + 2) + reserve 5 = 151, above the 97 a db-s-2vcpu-4gb cluster allows");
    }

    @Test
    void workerShouldStayInternalAndChecksCallTheManagementPorts() throws IOException {
        assertThat(rules.exposure(spec)).isEmpty();

        ((ObjectNode) spec.path("ingress").path("rules").get(0).path("component")).put("name", "sync-worker");
        service(spec, "sync-worker").put("http_port", 8081);
        service(spec, "oauth-gateway").withObject("/health_check").put("port", 8080);
        service(spec, "oauth-gateway").withObject("/liveness_health_check").remove("http_path");
        ((ArrayNode) service(spec, "sync-worker").path("internal_ports")).add(9081);
        assertThat(rules.exposure(spec)).containsExactly(
                "ingress routes public traffic to sync-worker; only oauth-gateway is public",
                "oauth-gateway: health_check calls port 8080, not the management port 9080",
                "oauth-gateway: liveness_health_check has no /q/health/ http_path (it would be a bare TCP check)",
                "sync-worker: has an http_port or routes; it must stay internal",
                "sync-worker: the management port 9081 is exposed");
    }

    @Test
    void everyServiceShouldGetTheDatabaseUrlAndItsCaCertificate() {
        assertThat(rules.databaseBinding(spec)).isEmpty();

        ArrayNode envs = (ArrayNode) spec.path("envs");
        for (int i = 0; i < envs.size(); i++) {
            if ("DATABASE_CA_CERT".equals(envs.get(i).path("key").asText())) {
                envs.remove(i);
                break;
            }
        }
        assertThat(rules.databaseBinding(spec)).containsExactly(
                "oauth-gateway: DATABASE_CA_CERT is not set, not ${db.CA_CERT}",
                "sync-worker: DATABASE_CA_CERT is not set, not ${db.CA_CERT}");
    }

    static ObjectNode service(JsonNode spec, String name) {
        for (JsonNode service : spec.path("services")) {
            if (name.equals(service.path("name").asText())) {
                return (ObjectNode) service;
            }
        }
        throw new AssertionError("app.yaml has no service " + name);
    }

    private static ObjectNode env(ObjectNode service, String key) {
        for (JsonNode env : service.path("envs")) {
            if (key.equals(env.path("key").asText())) {
                return (ObjectNode) env;
            }
        }
        throw new AssertionError(service.path("name").asText() + " sets no " + key);
    }
}
