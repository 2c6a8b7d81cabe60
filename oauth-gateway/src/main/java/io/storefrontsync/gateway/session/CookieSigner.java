package io.storefrontsync.gateway.session;

import io.storefrontsync.common.signature.Hmac;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Signs short-lived cookie values with {@code STATE_TOKEN_SECRET}: {@code <value>.<expiry>.<mac>},
 * the MAC (HMAC-SHA256, base64url) over a purpose label, the value and the expiry, so a cookie of
 * one kind cannot be replayed as another and an expired one is refused. Built once, at start, by
 * {@code config.CookieSignerProducer}.
 */
public class CookieSigner {

    private static final int MIN_SECRET_BYTES = 32;

    private final byte[] secret;

    /** @throws IllegalArgumentException when the secret is shorter than 32 bytes, naming STATE_TOKEN_SECRET */
    public CookieSigner(String secret) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.strip());
        } catch (IllegalArgumentException e) {
            key = secret.getBytes(StandardCharsets.UTF_8);
        }
        if (key.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("STATE_TOKEN_SECRET must hold at least 32 random bytes (base64)");
        }
        this.secret = key;
    }

    /** {@code value} must not contain '.'. */
    public String sign(String purpose, String value, Instant expiresAt) {
        String payload = value + "." + expiresAt.getEpochSecond();
        return payload + "." + mac(purpose, payload);
    }

    /** The value when the signature is good and the expiry is in the future. */
    public Optional<String> verify(String purpose, String signed, Instant now) {
        if (signed == null) {
            return Optional.empty();
        }
        String[] parts = signed.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty()) {
            return Optional.empty();
        }
        String payload = parts[0] + "." + parts[1];
        if (!Hmac.constantTimeEquals(mac(purpose, payload).getBytes(StandardCharsets.US_ASCII),
                parts[2].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            if (Long.parseLong(parts[1]) <= now.getEpochSecond()) {
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(parts[0]);
    }

    private String mac(String purpose, String payload) {
        byte[] mac = Hmac.sha256(secret, (purpose + ":" + payload).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }
}
