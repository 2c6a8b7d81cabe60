package io.storefrontsync.sandbox;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The secrets a sandbox run hands to both services. Generated once per sandbox directory (and
 * kept in its env file) so tokens encrypted in the embedded database stay readable across runs.
 */
final class SandboxSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SandboxSecrets() {
    }

    /** Fills in every secret missing from {@code env}; values already there are kept. */
    static void fillMissing(Map<String, String> env) {
        env.putIfAbsent("SHOPIFY_API_KEY", "sandbox-api-key");
        env.putIfAbsent("SHOPIFY_API_SECRET", "shpss_" + randomHex(16));
        env.putIfAbsent("FACEBOOK_APP_ID", "100000000000001");
        env.putIfAbsent("FACEBOOK_APP_SECRET", randomHex(16));
        env.putIfAbsent("FACEBOOK_VERIFY_TOKEN", randomHex(12));
        env.putIfAbsent("STATE_TOKEN_SECRET", randomBase64(32));
        env.putIfAbsent("TOKEN_ENCRYPTION_KEY", "k1:" + randomBase64(32));
        env.putIfAbsent("ADMIN_API_KEY", randomHex(24));
        env.putIfAbsent("SPACES_ACCESS_KEY", "sandbox-access-key");
        env.putIfAbsent("SPACES_SECRET_KEY", randomHex(20));
        if (!env.containsKey("JWT_PRIVATE_KEY") || !env.containsKey("JWT_PUBLIC_KEY")) {
            KeyPair pair = rsaKeyPair();
            env.put("JWT_PRIVATE_KEY", Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
            env.put("JWT_PUBLIC_KEY", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
        }
    }

    static Map<String, String> generated() {
        Map<String, String> env = new LinkedHashMap<>();
        fillMissing(env);
        return env;
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is part of every JDK", e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    private static String randomBase64(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }
}
