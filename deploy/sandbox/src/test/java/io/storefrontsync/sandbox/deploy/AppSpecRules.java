package io.storefrontsync.sandbox.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What App Platform's schema cannot say about {@code app.yaml}: that each size allows the instance count
 * asked for, that each heap cap fits its instance with room, that all pools together fit the managed
 * database's connection limit, that the worker is reachable from no public route, that the health checks
 * call the management ports and that the database's CA certificate is bound. Facts come from DigitalOcean's
 * published data ({@code spec/instance-sizes.yml}), our budget ({@code capacity.yml}) and each service's
 * {@code application.properties}. Every check returns its faults rather than asserting, so a test can feed
 * it a broken copy and see the fault named.
 */
final class AppSpecRules {

    static final String HEAP_VARIABLE = "MAX_HEAP_SIZE";
    static final String REACTIVE_POOL_VARIABLE = "QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE";
    static final String JDBC_POOL_VARIABLE = "QUARKUS_DATASOURCE_JDBC_MAX_SIZE";
    /** App Platform's default when a component names no size (app_component_instance_base.yml). */
    static final String DEFAULT_SIZE = "apps-s-1vcpu-0.5gb";
    private static final long MIB = 1024 * 1024;
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kKmMgG]?)");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path root;
    private final Map<String, JsonNode> sizes = new HashMap<>();
    private final JsonNode capacity;

    AppSpecRules(Path root) throws IOException {
        this.root = root;
        for (JsonNode size : YAML.readTree(root.resolve("deploy/digitalocean/spec/instance-sizes.yml").toFile())
                .path("instance_sizes")) {
            sizes.put(size.path("slug").asText(), size);
        }
        this.capacity = YAML.readTree(root.resolve("deploy/digitalocean/capacity.yml").toFile());
    }

    /** No size DigitalOcean marks {@code single_instance_only} runs more than one instance. */
    List<String> sizes(JsonNode spec) {
        List<String> faults = new ArrayList<>();
        for (JsonNode service : spec.path("services")) {
            String slug = slug(service);
            JsonNode size = sizes.get(slug);
            if (size == null) {
                faults.add(name(service) + ": instance size " + slug + " is not one DigitalOcean lists");
                continue;
            }
            int count = service.path("instance_count").asInt(1);
            if (count > 1 && size.path("single_instance_only").asBoolean(false)) {
                faults.add(name(service) + ": " + count + " instances of " + slug
                        + ", which DigitalOcean marks single_instance_only");
            }
        }
        return faults;
    }

    /** Every service sets a heap cap that leaves its instance room for what lives outside the heap. */
    List<String> heapCaps(JsonNode spec) {
        List<String> faults = new ArrayList<>();
        double share = capacity.path("heap").path("max_share_of_instance").asDouble();
        long room = capacity.path("heap").path("min_room_mib").asLong() * MIB;
        for (JsonNode service : spec.path("services")) {
            JsonNode size = sizes.get(slug(service));
            Optional<String> heap = runTimeValue(spec, service, HEAP_VARIABLE);
            if (heap.isEmpty()) {
                faults.add(name(service) + ": no " + HEAP_VARIABLE + " at run time, so the heap is the runtime's default share"
                        + " of the instance (80% for a native image)");
                continue;
            }
            Optional<Long> bytes = bytes(heap.get());
            if (bytes.isEmpty()) {
                faults.add(name(service) + ": " + HEAP_VARIABLE + "=" + heap.get() + " is not a size like 512m or 1g");
                continue;
            }
            if (size == null) {
                continue; // sizes() names it
            }
            long memory = size.path("memory_bytes").asLong();
            if (bytes.get() > memory * share) {
                faults.add(String.format(Locale.ROOT, "%s: heap %s is more than %.0f%% of %s's %d MiB",
                        name(service), heap.get(), share * 100, slug(service), memory / MIB));
            }
            if (memory - bytes.get() < room) {
                faults.add(String.format(Locale.ROOT, "%s: heap %s leaves %d MiB of %s's %d MiB, less than the %d MiB needed"
                                + " beside the heap", name(service), heap.get(), (memory - bytes.get()) / MIB, slug(service),
                        memory / MIB, room / MIB));
            }
        }
        return faults;
    }

    /**
     * Every instance's pools together, with one extra instance per component while a deploy overlaps old and new,
     * plus the operator's reserve, stay within the managed database's connection limit.
     */
    List<String> connections(JsonNode spec) throws IOException {
        List<String> faults = new ArrayList<>();
        JsonNode db = capacity.path("database");
        JsonNode database = spec.path("databases").path(0);
        if (!db.path("cluster_name").asText().equals(database.path("cluster_name").asText())) {
            faults.add("databases[0].cluster_name " + database.path("cluster_name") + " is not the cluster capacity.yml budgets ("
                    + db.path("cluster_name") + ")");
        }
        long gib = db.path("memory_bytes").asLong() / (1024 * MIB);
        long limit = gib * db.path("connections_per_gib").asLong() - db.path("reserved_by_digitalocean").asLong();
        long surge = db.path("surge_instances_per_component").asLong();
        long used = db.path("operator_reserve").asLong();
        List<String> terms = new ArrayList<>();
        for (JsonNode service : spec.path("services")) {
            Map<String, String> properties = properties(name(service));
            int reactive = pool(spec, service, REACTIVE_POOL_VARIABLE, properties, "quarkus.datasource.reactive.max-size", faults);
            int jdbc = pool(spec, service, JDBC_POOL_VARIABLE, properties, "quarkus.datasource.jdbc.max-size", faults);
            long instances = service.path("instance_count").asLong(1) + surge;
            used += instances * (reactive + jdbc);
            terms.add(name(service) + " " + instances + " x (" + reactive + " + " + jdbc + ")");
        }
        if (used > limit) {
            faults.add("database connections: " + String.join(" + ", terms) + " + reserve " + db.path("operator_reserve").asLong()
                    + " = " + used + ", above the " + limit + " a " + db.path("size_slug").asText() + " cluster allows");
        }
        return faults;
    }

    /**
     * The worker is reachable from no public route, every health check calls its service's management port (which
     * no route or internal port exposes) on a health path.
     */
    List<String> exposure(JsonNode spec) throws IOException {
        List<String> faults = new ArrayList<>();
        for (JsonNode rule : spec.path("ingress").path("rules")) {
            String target = rule.path("component").path("name").asText();
            if (!"oauth-gateway".equals(target)) {
                faults.add("ingress routes public traffic to " + target + "; only oauth-gateway is public");
            }
        }
        for (JsonNode service : spec.path("services")) {
            String name = name(service);
            int management = Integer.parseInt(properties(name).getOrDefault("quarkus.management.port", "-1"));
            if ("sync-worker".equals(name) && (service.has("http_port") || service.has("routes"))) {
                faults.add("sync-worker: has an http_port or routes; it must stay internal");
            }
            for (String check : List.of("health_check", "liveness_health_check")) {
                JsonNode health = service.path(check);
                if (health.path("port").asInt() != management) {
                    faults.add(name + ": " + check + " calls port " + health.path("port") + ", not the management port " + management);
                }
                if (!health.path("http_path").asText().startsWith("/q/health/")) {
                    faults.add(name + ": " + check + " has no /q/health/ http_path (it would be a bare TCP check)");
                }
            }
            if (service.path("http_port").asInt() == management || service.path("internal_ports").toString()
                    .matches(".*\\b" + management + "\\b.*")) {
                faults.add(name + ": the management port " + management + " is exposed");
            }
        }
        return faults;
    }

    /** Every service gets the managed database's URL and CA certificate, bound from the database component. */
    List<String> databaseBinding(JsonNode spec) {
        List<String> faults = new ArrayList<>();
        String db = spec.path("databases").path(0).path("name").asText();
        for (JsonNode service : spec.path("services")) {
            Map<String, String> expected = Map.of("DATABASE_URL", "${" + db + ".DATABASE_URL}",
                    "DATABASE_CA_CERT", "${" + db + ".CA_CERT}");
            expected.forEach((key, value) -> {
                Optional<String> bound = runTimeValue(spec, service, key);
                if (!bound.equals(Optional.of(value))) {
                    faults.add(name(service) + ": " + key + " is " + bound.orElse("not set") + ", not " + value);
                }
            });
        }
        return faults;
    }

    private int pool(JsonNode spec, JsonNode service, String variable, Map<String, String> properties, String property,
            List<String> faults) {
        String value = runTimeValue(spec, service, variable).orElse(properties.get(property));
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            faults.add(name(service) + ": pool size " + variable + "/" + property + " is " + value + ", not a number");
            return 0;
        }
    }

    /** A variable's value at run time: the component's own entry wins over the app-level one. */
    static Optional<String> runTimeValue(JsonNode spec, JsonNode service, String key) {
        for (JsonNode envs : List.of(service.path("envs"), spec.path("envs"))) {
            for (JsonNode env : envs) {
                String scope = env.path("scope").asText("RUN_AND_BUILD_TIME");
                if (key.equals(env.path("key").asText()) && (scope.equals("RUN_TIME") || scope.equals("RUN_AND_BUILD_TIME"))) {
                    return Optional.of(env.path("value").asText(""));
                }
            }
        }
        return Optional.empty();
    }

    /** A JVM size ({@code 512m}, {@code 1g}, bytes) in bytes. */
    static Optional<Long> bytes(String size) {
        Matcher m = SIZE.matcher(size.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> n * 1024;
            case "m" -> n * MIB;
            case "g" -> n * 1024 * MIB;
            default -> n;
        });
    }

    private Map<String, String> properties(String service) throws IOException {
        Map<String, String> properties = new HashMap<>();
        Path file = root.resolve(service).resolve("src/main/resources/application.properties");
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("%") && eq > 0) {
                properties.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return properties;
    }

    private static String slug(JsonNode service) {
        return service.path("instance_size_slug").asText(DEFAULT_SIZE);
    }

    private static String name(JsonNode service) {
        return service.path("name").asText();
    }
}
