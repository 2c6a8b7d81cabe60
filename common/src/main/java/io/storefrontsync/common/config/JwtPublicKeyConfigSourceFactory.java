package io.storefrontsync.common.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * An empty {@code JWT_PUBLIC_KEY} (as copied from {@code .env.example}, or an App Platform variable left
 * blank) means "not configured", like a missing one. Without this, {@code ${JWT_PUBLIC_KEY:NONE}} in
 * {@code application.properties} expands to an empty value, and Quarkus stops with a message naming
 * only {@code mp.jwt.verify.publickey} before either service's JwtKeyCheck could name the variable.
 * Here {@code mp.jwt.verify.publickey} is smallrye-jwt's own "not configured", {@code NONE}, which
 * that check refuses naming {@code JWT_PUBLIC_KEY}. Same ordinal as {@link DatabaseUrlConfigSourceFactory}.
 */
public class JwtPublicKeyConfigSourceFactory implements ConfigSourceFactory {

    static final String VARIABLE = "JWT_PUBLIC_KEY";
    static final String PROPERTY = "mp.jwt.verify.publickey";
    static final String NOT_CONFIGURED = "NONE";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue value = context.getValue(VARIABLE);
        if (value != null && value.getValue() != null && !value.getValue().isBlank()) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(Map.of(PROPERTY, NOT_CONFIGURED), VARIABLE + " (blank)",
                DatabaseUrlConfigSourceFactory.ORDINAL));
    }
}
