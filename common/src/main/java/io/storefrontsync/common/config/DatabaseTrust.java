package io.storefrontsync.common.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the database server's certificate is verified against when {@code DATABASE_URL} asks for TLS:
 * the CA certificate given in {@code DATABASE_CA_CERT} (App Platform binds the managed database's as
 * {@code ${db.CA_CERT}}), written to a file because both PostgreSQL clients take a path, or the
 * JDK's own certificate authorities ({@code DATABASE_CA_CERT=jdk}). Never "trust everything".
 */
public record DatabaseTrust(Path caCertFile, boolean jdkTrustStore) {

    private static final DatabaseTrust NONE = new DatabaseTrust(null, false);
    private static final DatabaseTrust JDK = new DatabaseTrust(null, true);

    /** No CA was given: a URL asking for TLS is refused. */
    public static DatabaseTrust none() {
        return NONE;
    }

    /** The JDK's certificate authorities, for a server whose certificate a public CA issued. */
    public static DatabaseTrust jdk() {
        return JDK;
    }

    /** A PEM file holding the CA certificate(s) that issued the server's certificate. */
    public static DatabaseTrust caFile(Path pem) {
        return new DatabaseTrust(Objects.requireNonNull(pem, "pem"), false);
    }

    public boolean isNone() {
        return caCertFile == null && !jdkTrustStore;
    }
}
