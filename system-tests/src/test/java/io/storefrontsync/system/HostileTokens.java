package io.storefrontsync.system;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.sandbox.testing.TestJwts;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * JWTs for the corpus: good ones exactly as the gateway mints them ({@link TestJwts}, the sandbox's
 * {@code JWT_PRIVATE_KEY}), and the classic forgeries — unsigned ({@code alg: none}), expired, foreign
 * issuer, another RSA key, and HS256 "signed" with the public key (the RS/HS confusion). Each forgery
 * starts from {@link TestJwts#claims} and changes only what it forges.
 */
final class HostileTokens {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final TestJwts gateway;
    private final String publicKeyBase64;
    private final PrivateKey strangerKey;

    HostileTokens(Map<String, String> env) {
        this.gateway = TestJwts.of(env);
        this.publicKeyBase64 = env.get("JWT_PUBLIC_KEY");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.strangerKey = generator.generateKeyPair().getPrivate();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A genuine token: our issuer and key. */
    String valid(String audience, String role, String subject) {
        return gateway.token(subject, role, audience);
    }

    /** A genuine service token as the gateway mints it for one request: the body's hash ({@code bsh}) and this jti. */
    String service(byte[] body, String jti) {
        return gateway.service(body, jti);
    }

    /** Genuine but expired ten minutes ago (beyond any clock-skew allowance). */
    String expired(String audience, String role, String subject) {
        return gateway.sign(TestJwts.claims(ServiceAuth.ISSUER, audience, role, subject)
                .issuedAt(Instant.now().minusSeconds(1200)).expiresAt(Instant.now().minusSeconds(600)));
    }

    /** Signed with our key, but another issuer. */
    String foreignIssuer(String audience, String role, String subject) {
        return gateway.sign(TestJwts.claims("https://evil.example", audience, role, subject));
    }

    /** Every claim right, signed with a freshly generated RSA key the services never saw. */
    String otherKey(String audience, String role, String subject) {
        return TestJwts.claims(ServiceAuth.ISSUER, audience, role, subject).sign(strangerKey);
    }

    /** RS256 → HS256 confusion: an HMAC "signature" keyed with the public key, which anybody has. */
    String hmacWithPublicKey(String audience, String role, String subject) {
        SecretKeySpec key = new SecretKeySpec(publicKeyBase64.getBytes(StandardCharsets.US_ASCII), "HmacSHA256");
        return TestJwts.claims(ServiceAuth.ISSUER, audience, role, subject)
                .jws().algorithm(SignatureAlgorithm.HS256).sign(key);
    }

    /** {@code alg: none}, empty signature part, hand-built: no library would write it. */
    String unsigned(String audience, String role, String subject) {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"none\",\"typ\":\"JWT\"}";
        String payload = "{\"iss\":\"" + ServiceAuth.ISSUER + "\",\"aud\":\"" + audience + "\",\"sub\":\"" + subject
                + "\",\"groups\":[\"" + role + "\"],\"iat\":" + now + ",\"exp\":" + (now + 600) + "}";
        return B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".";
    }
}
