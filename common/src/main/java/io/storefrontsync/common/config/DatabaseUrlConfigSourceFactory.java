package io.storefrontsync.common.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.List;

/**
 * Lets both services take their database from the single {@code DATABASE_URL} variable App
 * Platform provides, and the CA its server certificate is verified against from
 * {@code DATABASE_CA_CERT} (PEM, App Platform's {@code ${db.CA_CERT}}; or {@code jdk}). Evaluated at
 * runtime (also in native images). Its ordinal sits above {@code application.properties} and below
 * environment variables, so an explicit {@code QUARKUS_DATASOURCE_*} variable still wins.
 */
public class DatabaseUrlConfigSourceFactory implements ConfigSourceFactory {

    static final int ORDINAL = 275;
    static final String CA_VARIABLE = "DATABASE_CA_CERT";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue value = context.getValue("DATABASE_URL");
        if (value == null || value.getValue() == null || value.getValue().isBlank()) {
            return List.of();
        }
        try {
            DatabaseUrl url = DatabaseUrl.parse(value.getValue());
            ConfigValue ca = context.getValue(CA_VARIABLE);
            DatabaseTrust trust = trust(ca == null ? null : ca.getValue());
            return List.of(new PropertiesConfigSource(url.quarkusProperties(trust), "DATABASE_URL", ORDINAL));
        } catch (IllegalArgumentException e) {
            // Quarkus prints a configuration problem as its message, without a stack trace.
            throw new ConfigValidationException(new ConfigValidationException.Problem[] {
                    new ConfigValidationException.Problem(e.getMessage())});
        }
    }

    /**
     * @throws IllegalArgumentException naming {@code DATABASE_CA_CERT} when it is neither {@code jdk}
     *     nor a readable PEM certificate
     */
    static DatabaseTrust trust(String value) {
        if (value == null || value.isBlank()) {
            return DatabaseTrust.none();
        }
        String pem = value.strip();
        if ("jdk".equals(pem)) {
            return DatabaseTrust.jdk();
        }
        if (!pem.contains("\n") && pem.contains("\\n")) {
            pem = pem.replace("\\n", "\n"); // a PEM squeezed onto one line by a dotenv file
        }
        if (!pem.startsWith("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException(CA_VARIABLE
                    + " is not a PEM certificate (-----BEGIN CERTIFICATE-----...) nor 'jdk'");
        }
        try {
            // Parsed here so a damaged certificate stops the service with this line, not a TLS error later.
            if (CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).isEmpty()) {
                throw new CertificateException("no certificate");
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(CA_VARIABLE + " holds no readable X.509 certificate");
        }
        return DatabaseTrust.caFile(write(pem));
    }

    /** Both PostgreSQL clients read the CA from a file; a CA certificate is public, the file needs no secrecy. */
    private static Path write(String pem) {
        try {
            Path file = Files.createTempFile("database-ca-", ".pem");
            file.toFile().deleteOnExit();
            return Files.writeString(file, pem + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + CA_VARIABLE + " to a temporary file", e);
        }
    }
}
