package io.storefrontsync.sandbox.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a document against the OpenAPI schema files DigitalOcean publishes for App Platform, as kept in
 * {@code deploy/digitalocean/spec/apps/models} (one schema per file, {@code $ref} naming a sibling file).
 * It understands the part of OpenAPI 3.0's schema language those files use - {@code type}, {@code properties},
 * {@code required}, {@code allOf}, {@code oneOf}, {@code items}, {@code enum}, {@code pattern}, lengths,
 * bounds, {@code nullable}, {@code deprecated} - and is stricter than App Platform in three ways, because a
 * spec that passes here should not depend on luck: a field no schema names is refused (App Platform
 * ignores some), a deprecated field or value is refused, and a field whose schema file was not kept is
 * refused (we keep the schema of every field we use).
 */
final class OpenApiSchema {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path dir;
    private final JsonNode supplement;
    private final Map<String, JsonNode> files = new HashMap<>();

    /**
     * @param dir        the schema files
     * @param supplement fields App Platform accepts that the files leave out: file name to extra properties, each
     *                   entry sourced in the supplement itself (e.g. the app-level {@code envs} of {@code app_spec.yml})
     */
    OpenApiSchema(Path dir, Path supplement) {
        this.dir = dir;
        try {
            this.supplement = YAML.readTree(supplement.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return one line per fault, each starting with the path of the offending value; empty when it conforms */
    List<String> validate(JsonNode value, String schemaFile) {
        JsonNode schema = ref(schemaFile);
        if (schema == null) {
            throw new IllegalArgumentException("no schema " + schemaFile + " in " + dir);
        }
        List<String> faults = new ArrayList<>();
        check("", value, schema, faults);
        return faults;
    }

    private JsonNode ref(String file) {
        return files.computeIfAbsent(file, f -> {
            Path p = dir.resolve(f);
            if (!Files.isRegularFile(p)) {
                return null;
            }
            try {
                JsonNode schema = YAML.readTree(p.toFile());
                if (supplement.has(f)) {
                    ((ObjectNode) schema).withObject("/properties").setAll((ObjectNode) supplement.get(f));
                }
                return schema;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private void check(String path, JsonNode value, JsonNode schema, List<String> faults) {
        schema = resolve(path, schema, faults);
        if (schema == null) {
            return;
        }
        if (schema.path("deprecated").asBoolean(false)) {
            faults.add(at(path) + ": deprecated by DigitalOcean (" + firstLine(schema.path("description").asText("")) + ")");
        }
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                faults.add(at(path) + ": null is not allowed");
            }
            return;
        }
        if (schema.has("oneOf")) {
            checkOneOf(path, value, schema.get("oneOf"), faults);
        }
        List<JsonNode> parts = new ArrayList<>();
        flattenAllOf(path, schema, parts, faults);
        String type = null;
        for (JsonNode part : parts) {
            if (part.has("type")) {
                type = part.get("type").asText();
            }
            if (part != schema && part.path("deprecated").asBoolean(false)) {
                faults.add(at(path) + ": deprecated by DigitalOcean");
            }
        }
        if (type == null && parts.stream().anyMatch(p -> p.has("properties"))) {
            type = "object";
        }
        if (type == null) {
            return;
        }
        switch (type) {
            case "object" -> checkObject(path, value, parts, faults);
            case "array" -> checkArray(path, value, schema, faults);
            case "string" -> checkString(path, value, schema, faults);
            case "integer" -> checkInteger(path, value, schema, faults);
            case "number" -> {
                if (!value.isNumber()) {
                    faults.add(at(path) + ": expected a number, found " + describe(value));
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    faults.add(at(path) + ": expected a boolean, found " + describe(value));
                }
            }
            default -> faults.add(at(path) + ": schema type " + type + " is not understood by this check");
        }
    }

    /** Follows {@code $ref}; a reference to a file not kept is a fault: we keep the schema of every field we use. */
    private JsonNode resolve(String path, JsonNode schema, List<String> faults) {
        while (schema != null && schema.has("$ref")) {
            String file = schema.get("$ref").asText();
            JsonNode target = ref(file);
            if (target == null) {
                faults.add(at(path) + ": its schema (" + file + ") is not kept in deploy/digitalocean/spec,"
                        + " so it cannot be checked: keep that file or drop the field");
                return null;
            }
            schema = target;
        }
        return schema;
    }

    private void flattenAllOf(String path, JsonNode schema, List<JsonNode> into, List<String> faults) {
        into.add(schema);
        for (JsonNode part : schema.path("allOf")) {
            JsonNode resolved = resolve(path, part, faults);
            if (resolved != null) {
                flattenAllOf(path, resolved, into, faults);
            }
        }
    }

    private void checkOneOf(String path, JsonNode value, JsonNode alternatives, List<String> faults) {
        int matching = 0;
        boolean deprecatedMatch = false;
        List<String> reasons = new ArrayList<>();
        for (JsonNode alternative : alternatives) {
            List<String> own = new ArrayList<>();
            JsonNode resolved = resolve(path, alternative, own);
            if (resolved == null) {
                reasons.addAll(own);
                continue;
            }
            check(path, value, withoutDeprecation(resolved), own);
            if (own.isEmpty()) {
                matching++;
                deprecatedMatch |= resolved.path("deprecated").asBoolean(false);
            } else {
                reasons.addAll(own);
            }
        }
        if (matching == 0) {
            faults.add(at(path) + ": matches none of the allowed forms: " + String.join("; ", reasons));
        } else if (matching > 1) {
            faults.add(at(path) + ": matches " + matching + " of the forms where exactly one is allowed");
        } else if (deprecatedMatch) {
            faults.add(at(path) + ": " + describe(value) + " is deprecated by DigitalOcean");
        }
    }

    private void checkObject(String path, JsonNode value, List<JsonNode> parts, List<String> faults) {
        if (!value.isObject()) {
            faults.add(at(path) + ": expected an object, found " + describe(value));
            return;
        }
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        Set<String> required = new LinkedHashSet<>();
        for (JsonNode part : parts) {
            part.path("properties").fields().forEachRemaining(e -> properties.putIfAbsent(e.getKey(), e.getValue()));
            part.path("required").forEach(r -> required.add(r.asText()));
        }
        for (String name : required) {
            if (!value.has(name)) {
                faults.add(at(path) + ": required field " + name + " is missing");
            }
        }
        value.fields().forEachRemaining(e -> {
            String child = path + "." + e.getKey();
            JsonNode property = properties.get(e.getKey());
            if (property == null) {
                faults.add(at(child) + ": unknown field (the schema names " + properties.keySet() + ")");
            } else {
                check(child, e.getValue(), property, faults);
            }
        });
    }

    private void checkArray(String path, JsonNode value, JsonNode schema, List<String> faults) {
        if (!value.isArray()) {
            faults.add(at(path) + ": expected an array, found " + describe(value));
            return;
        }
        for (int i = 0; i < value.size(); i++) {
            check(path + "[" + i + "]", value.get(i), schema.path("items"), faults);
        }
    }

    private void checkString(String path, JsonNode value, JsonNode schema, List<String> faults) {
        if (!value.isTextual()) {
            faults.add(at(path) + ": expected a string, found " + describe(value));
            return;
        }
        String text = value.asText();
        if (schema.has("enum")) {
            List<String> allowed = new ArrayList<>();
            schema.get("enum").forEach(e -> allowed.add(e.asText()));
            if (!allowed.contains(text)) {
                faults.add(at(path) + ": \"" + text + "\" is not one of " + allowed);
            }
        }
        if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(text).find()) {
            faults.add(at(path) + ": \"" + text + "\" does not match " + schema.get("pattern").asText());
        }
        if (schema.has("minLength") && text.length() < schema.get("minLength").asInt()) {
            faults.add(at(path) + ": shorter than " + schema.get("minLength").asInt() + " characters");
        }
        if (schema.has("maxLength") && text.length() > schema.get("maxLength").asInt()) {
            faults.add(at(path) + ": longer than " + schema.get("maxLength").asInt() + " characters");
        }
    }

    private void checkInteger(String path, JsonNode value, JsonNode schema, List<String> faults) {
        if (!value.isIntegralNumber()) {
            faults.add(at(path) + ": expected an integer, found " + describe(value));
            return;
        }
        long n = value.asLong();
        if (schema.has("minimum") && n < schema.get("minimum").asLong()) {
            faults.add(at(path) + ": " + n + " is below the minimum " + schema.get("minimum").asLong());
        }
        if (schema.has("maximum") && n > schema.get("maximum").asLong()) {
            faults.add(at(path) + ": " + n + " is above the maximum " + schema.get("maximum").asLong());
        }
    }

    private static String at(String path) {
        return path.isEmpty() ? "(document)" : path.substring(1);
    }

    private static String describe(JsonNode value) {
        return value.getNodeType().name().toLowerCase() + " " + value;
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.isEmpty() ? "no reason given" : line;
    }

    /** A oneOf alternative checked as a plain form: whether a deprecated form was chosen is reported once, by oneOf. */
    private static JsonNode withoutDeprecation(JsonNode schema) {
        if (!schema.path("deprecated").asBoolean(false)) {
            return schema;
        }
        ObjectNode copy = schema.deepCopy();
        copy.remove("deprecated");
        return copy;
    }
}
