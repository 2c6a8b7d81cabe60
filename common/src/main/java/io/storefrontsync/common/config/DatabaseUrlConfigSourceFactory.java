package io.storefrontsync.common.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;

/**
 * Lets both services take their database from the single {@code DATABASE_URL} variable App
 * Platform provides. Evaluated at runtime (also in native images). Its ordinal sits above
 * {@code application.properties} and below environment variables, so an explicit
 * {@code QUARKUS_DATASOURCE_*} variable still wins.
 */
public class DatabaseUrlConfigSourceFactory implements ConfigSourceFactory {

    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue value = context.getValue("DATABASE_URL");
        if (value == null || value.getValue() == null || value.getValue().isBlank()) {
            return List.of();
        }
        DatabaseUrl url = DatabaseUrl.parse(value.getValue());
        return List.of(new PropertiesConfigSource(url.quarkusProperties(), "DATABASE_URL", ORDINAL));
    }
}
