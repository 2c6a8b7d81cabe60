package io.storefrontsync.common.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./mvnw quarkus:dev -pl oauth-gateway} (or {@code sync-worker}) against a running sandbox: in the
 * {@code dev} profile only, the settings {@code deploy/sandbox/run.sh} wrote to {@code .sandbox/env} (the names of
 * {@code .env.example}: database, simulators, S3 server, generated secrets) become configuration, found in
 * {@code $SANDBOX_DIR/env} or the nearest {@code .sandbox/env} above the working directory.
 *
 * <p>Its ordinal sits just above the other factories here and below environment variables, so an exported variable
 * still wins. A factory's sources are invisible to the other factories, so this one also maps what they would have
 * derived from those settings: the datasource from {@code DATABASE_URL} ({@link DatabaseUrlConfigSourceFactory},
 * no TLS on loopback) and {@code mp.jwt.verify.publickey} ({@link JwtPublicKeyConfigSourceFactory}) — each only when
 * the variable is not set otherwise. Outside {@code dev} (tests, production, the packaged jar) it does nothing.
 */
public class SandboxEnvConfigSourceFactory implements ConfigSourceFactory {

    static final int ORDINAL = DatabaseUrlConfigSourceFactory.ORDINAL + 1;
    static final String DEV_PROFILE = "dev";
    static final String FILE = ".sandbox/env";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains(DEV_PROFILE)) {
            return List.of();
        }
        Path file = locate(value(context, "SANDBOX_DIR"), Path.of("").toAbsolutePath());
        if (file == null) {
            if (value(context, "DATABASE_URL") == null) {
                throw new ConfigValidationException(new ConfigValidationException.Problem[] {
                        new ConfigValidationException.Problem("dev mode reads the sandbox's settings from " + FILE
                                + " (or $SANDBOX_DIR/env), and none was found above " + Path.of("").toAbsolutePath()
                                + ": start the sandbox first with deploy/sandbox/run.sh --world, or export the "
                                + "variables of .env.example")});
            }
            return List.of();
        }
        return List.of(new PropertiesConfigSource(properties(read(file), context), "sandbox settings " + file, ORDINAL));
    }

    /** What the sandbox file gives, plus what the other factories would have derived from it. */
    static Map<String, String> properties(Map<String, String> env, ConfigSourceContext context) {
        Map<String, String> properties = new LinkedHashMap<>(env);
        String databaseUrl = env.get("DATABASE_URL");
        if (databaseUrl != null && !databaseUrl.isBlank() && value(context, "DATABASE_URL") == null) {
            properties.putAll(DatabaseUrl.parse(databaseUrl).quarkusProperties(DatabaseTrust.none()));
        }
        String publicKey = env.get(JwtPublicKeyConfigSourceFactory.VARIABLE);
        if (publicKey != null && !publicKey.isBlank() && value(context, JwtPublicKeyConfigSourceFactory.VARIABLE) == null) {
            properties.put(JwtPublicKeyConfigSourceFactory.PROPERTY, publicKey);
        }
        return properties;
    }

    /** {@code $SANDBOX_DIR/env} when set, else the nearest {@code .sandbox/env} at or above {@code from}; null if none. */
    static Path locate(String sandboxDir, Path from) {
        if (sandboxDir != null && !sandboxDir.isBlank()) {
            Path file = Path.of(sandboxDir).resolve("env");
            return Files.isRegularFile(file) ? file : null;
        }
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            Path file = dir.resolve(FILE);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }

    /** The dotenv file {@code SandboxMain} writes: {@code KEY='value'} lines and {@code #} comments. */
    static Map<String, String> read(Path file) {
        Map<String, String> env = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String trimmed = line.strip();
                int eq = trimmed.indexOf('=');
                if (trimmed.isEmpty() || trimmed.startsWith("#") || eq <= 0) {
                    continue;
                }
                String key = trimmed.substring(0, eq).strip();
                if (key.startsWith("export ")) {
                    key = key.substring("export ".length()).strip();
                }
                env.put(key, unquote(trimmed.substring(eq + 1).strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return env;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("'") && value.endsWith("'")
                || value.startsWith("\"") && value.endsWith("\""))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? null : value.getValue();
    }
}
