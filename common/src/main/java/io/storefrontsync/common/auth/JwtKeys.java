package io.storefrontsync.common.auth;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Checks {@code JWT_PRIVATE_KEY} / {@code JWT_PUBLIC_KEY} at start, so a service with a missing or
 * malformed key stops with a message naming the variable instead of failing its first request.
 * Messages never contain key material.
 */
public final class JwtKeys {

    private JwtKeys() {
    }

    public static PublicKey publicKey(String base64Der) {
        byte[] der = decode("JWT_PUBLIC_KEY", base64Der);
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (Exception e) {
            throw new IllegalArgumentException("JWT_PUBLIC_KEY is not a base64 X.509 (SubjectPublicKeyInfo) RSA public key");
        }
    }

    public static PrivateKey privateKey(String base64Der) {
        byte[] der = decode("JWT_PRIVATE_KEY", base64Der);
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (Exception e) {
            throw new IllegalArgumentException("JWT_PRIVATE_KEY is not a base64 PKCS#8 RSA private key");
        }
    }

    private static byte[] decode(String variable, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(variable + " is required (see .env.example)");
        }
        String body = value.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(variable + " is not base64");
        }
    }
}
