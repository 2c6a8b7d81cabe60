package io.storefrontsync.common.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code DATABASE_URL} as DigitalOcean App Platform injects it
 * ({@code postgresql://user:password@host:port/db?sslmode=require}), turned into the JDBC URL
 * (Flyway) and the reactive URL (Hibernate Reactive, Vert.x pg client) Quarkus expects. A URL asking
 * for TLS has its server certificate verified against a {@link DatabaseTrust}, never trusted blindly.
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

    /** The JDBC URL of a database reached without TLS (tests, the sandbox); refuses a URL asking for TLS. */
    public String jdbcUrl() {
        return jdbcUrl(DatabaseTrust.none());
    }

    /**
     * The JDBC URL (Flyway). pgjdbc's {@code sslmode=require} accepts any server certificate, so a
     * URL asking for TLS becomes {@code verify-ca} or {@code verify-full} with the CA file as
     * {@code sslrootcert}, or with the JDK's trust store when the CA is {@code jdk}.
     *
     * @throws IllegalArgumentException when sslmode asks for TLS and no CA is given
     */
    public String jdbcUrl(DatabaseTrust trust) {
        String base = "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=";
        if (!requiresTls()) {
            return base + sslMode;
        }
        requireTrust(trust);
        if (trust.jdkTrustStore()) {
            return base + "verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory";
        }
        return base + (verifiesHostname(trust) ? "verify-full" : "verify-ca")
                + "&sslrootcert=" + URLEncoder.encode(trust.caCertFile().toString(), StandardCharsets.UTF_8);
    }

    public String reactiveUrl() {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    /** True for {@code require}, {@code verify-ca} and {@code verify-full}: no connection without TLS. */
    public boolean requiresTls() {
        return switch (sslMode) {
            case "require", "verify-ca", "verify-full" -> true;
            default -> false;
        };
    }

    /**
     * The Quarkus datasource properties this URL stands for, the server certificate verified against
     * {@code trust} whenever TLS is required.
     *
     * <p>{@code require} behaves as libpq's does when it has a root certificate: the chain is verified
     * ({@code verify-ca}), the host name is not. App Platform's {@code DATABASE_URL} says
     * {@code require} and its CA is the database's own, which signs no other server, so the chain
     * alone binds the connection to that database; the server certificate is not promised to name
     * every host the database is reached by (private network). {@code verify-full}, and any
     * certificate checked against the JDK's public CAs (which sign anyone's host), also verify the
     * host name.
     *
     * @throws IllegalArgumentException when sslmode asks for TLS and no CA is given
     */
    public Map<String, String> quarkusProperties(DatabaseTrust trust) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.datasource.jdbc.url", jdbcUrl(trust));
        props.put("quarkus.datasource.reactive.url", reactiveUrl());
        props.put("quarkus.datasource.username", username);
        props.put("quarkus.datasource.password", password);
        if (requiresTls()) {
            boolean hostname = verifiesHostname(trust);
            // The Vert.x client's verify-ca/verify-full insist on explicit trust options; with the JDK's
            // trust store there are none, and require with trust-all off verifies against it.
            props.put("quarkus.datasource.reactive.postgresql.ssl-mode",
                    trust.jdkTrustStore() ? "require" : hostname ? "verify-full" : "verify-ca");
            props.put("quarkus.datasource.reactive.hostname-verification-algorithm", hostname ? "HTTPS" : "NONE");
        } else {
            props.put("quarkus.datasource.reactive.postgresql.ssl-mode", sslMode);
        }
        props.put("quarkus.datasource.reactive.trust-all", "false");
        if (trust.caCertFile() != null && !"disable".equals(sslMode)) {
            props.put("quarkus.datasource.reactive.trust-certificate-pem", "true");
            props.put("quarkus.datasource.reactive.trust-certificate-pem.certs", trust.caCertFile().toString());
        }
        return props;
    }

    private boolean verifiesHostname(DatabaseTrust trust) {
        return "verify-full".equals(sslMode) || trust.jdkTrustStore();
    }

    private void requireTrust(DatabaseTrust trust) {
        if (trust.isNone()) {
            throw new IllegalArgumentException("DATABASE_URL asks for TLS (sslmode=" + sslMode
                    + ") but DATABASE_CA_CERT is not set: give the database's CA certificate (PEM; App Platform: "
                    + "${db.CA_CERT}), or DATABASE_CA_CERT=jdk for a server certificate from a public CA");
        }
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
