package io.storefrontsync.common.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code DATABASE_URL} as DigitalOcean App Platform injects it
 * ({@code postgresql://user:password@host:port/db?sslmode=require}), turned into the JDBC URL
 * (Flyway) and the reactive URL (Hibernate Reactive, Vert.x pg client) Quarkus expects.
 */
public record DatabaseUrl(String host, int port, String database, String username, String password, String sslMode) {

    public static DatabaseUrl parse(String value) {
        if (value == null || value.isBlank()) {
            throw invalid("is empty");
        }
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw invalid("is not a URL");
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw invalid("must start with postgresql://");
        }
        if (uri.getHost() == null) {
            throw invalid("has no host");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.length() <= 1 || path.indexOf('/', 1) >= 0) {
            throw invalid("must name one database (postgresql://user:password@host:port/database)");
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null || userInfo.isEmpty()) {
            throw invalid("has no user (postgresql://user:password@host:port/database)");
        }
        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        String sslMode = query(uri.getRawQuery()).getOrDefault("sslmode", "disable");
        if (!sslMode.matches("disable|allow|prefer|require|verify-ca|verify-full")) {
            throw invalid("has an unknown sslmode");
        }
        return new DatabaseUrl(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), decode(path.substring(1)),
                user, password, sslMode);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=" + sslMode;
    }

    public String reactiveUrl() {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    /** The Quarkus datasource properties this URL stands for. */
    public Map<String, String> quarkusProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.datasource.jdbc.url", jdbcUrl());
        props.put("quarkus.datasource.reactive.url", reactiveUrl());
        props.put("quarkus.datasource.username", username);
        props.put("quarkus.datasource.password", password);
        switch (sslMode) {
            case "require", "verify-ca", "verify-full" -> {
                props.put("quarkus.datasource.reactive.postgresql.ssl-mode", "require");
                // libpq's sslmode=require encrypts without verifying the server certificate; the
                // managed database's CA is not in the JDK trust store.
                props.put("quarkus.datasource.reactive.trust-all", String.valueOf("require".equals(sslMode)));
            }
            case "prefer", "allow" -> props.put("quarkus.datasource.reactive.postgresql.ssl-mode", sslMode);
            default -> props.put("quarkus.datasource.reactive.postgresql.ssl-mode", "disable");
        }
        return props;
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + reactiveUrl() + ", user=" + username + ", sslmode=" + sslMode + "]";
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException invalid(String why) {
        // Never include the value: it carries the database password.
        return new IllegalArgumentException("DATABASE_URL " + why);
    }
}
