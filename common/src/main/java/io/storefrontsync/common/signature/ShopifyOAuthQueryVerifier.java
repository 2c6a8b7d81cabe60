package io.storefrontsync.common.signature;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Verifies the {@code hmac} query parameter Shopify adds to OAuth callbacks (and to app URLs):
 * lower-case hex HMAC-SHA256(app secret, message), where the message is built from the URL-decoded
 * parameters like Shopify's Ruby library does it:
 *
 * <ul>
 *   <li>{@code hmac} and {@code signature} are removed;</li>
 *   <li>in keys {@code %}, {@code &} and {@code =} are escaped ({@code %25 %26 %3D}); in values
 *       {@code %} and {@code &}, so no value can smuggle in another pair;</li>
 *   <li>an array parameter {@code ids[]=1&ids[]=2} becomes {@code ids=["1", "2"]} (Ruby's
 *       {@code Array#to_s}, with a space after each comma); a plain key given twice is rejected,
 *       because Shopify never sends one and there is no agreed way to sign it;</li>
 *   <li>pairs are sorted by key ({@link String#compareTo}) and joined as {@code key=value} with
 *       {@code &}.</li>
 * </ul>
 *
 * <p>The signed {@code timestamp} (unix seconds) must lie within the tolerance of now, in both
 * directions, which bounds how long a leaked callback URL can be replayed.
 */
public final class ShopifyOAuthQueryVerifier {

    public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(90);

    private static final String HMAC = "hmac";
    private static final String SIGNATURE = "signature";
    private static final String TIMESTAMP = "timestamp";

    private ShopifyOAuthQueryVerifier() {
    }

    public static void verify(Map<String, List<String>> queryParams, String secret) {
        verify(queryParams, secret, Instant.now(), DEFAULT_TOLERANCE);
    }

    public static void verify(
            Map<String, List<String>> queryParams, String secret, Instant now, Duration tolerance) {
        if (queryParams == null) {
            throw new SignatureVerificationException("Shopify query hmac is missing");
        }
        String hmac = single(queryParams, HMAC);
        if (Hmac.isBlank(hmac)) {
            throw new SignatureVerificationException("Shopify query hmac is missing");
        }
        if (!Hmac.isLowerHex(hmac, 64)) {
            throw new SignatureVerificationException(
                    "Shopify query hmac has a bad format: expected 64 lower-case hex digits");
        }
        byte[] expected = sign(queryParams, secret).getBytes(StandardCharsets.US_ASCII);
        if (!Hmac.constantTimeEquals(expected, hmac.getBytes(StandardCharsets.US_ASCII))) {
            throw new SignatureVerificationException("Shopify query hmac mismatch");
        }
        checkTimestamp(single(queryParams, TIMESTAMP), now, tolerance);
    }

    /** Lower-case hex HMAC of the parameters; {@code hmac} and {@code signature} are ignored. */
    public static String sign(Map<String, List<String>> params, String secret) {
        return Hmac.hex(Hmac.sha256(secret, message(params).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Splits a raw query string ({@code a=1&b=2}, with or without a leading {@code ?}) and
     * URL-decodes keys and values ({@code +} is a space, as in forms). Order is kept.
     */
    public static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        String query = rawQuery.startsWith("?") ? rawQuery.substring(1) : rawQuery;
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.computeIfAbsent(decode(key), k -> new ArrayList<>()).add(decode(value));
        }
        return params;
    }

    static String message(Map<String, List<String>> params) {
        Map<String, String> signable = new TreeMap<>();
        for (Map.Entry<String, List<String>> entry : params.entrySet()) {
            String key = entry.getKey();
            if (key == null || HMAC.equals(key) || SIGNATURE.equals(key)) {
                continue;
            }
            List<String> values = entry.getValue() == null ? List.of() : entry.getValue();
            String name;
            String value;
            if (key.endsWith("[]")) {
                name = key.substring(0, key.length() - 2);
                value = rubyArray(values);
            } else if (values.size() <= 1) {
                name = key;
                value = values.isEmpty() || values.get(0) == null ? "" : values.get(0);
            } else {
                throw new SignatureVerificationException(
                        "Shopify query has a bad format: a parameter is repeated");
            }
            if (signable.put(escapeKey(name), escapeValue(value)) != null) {
                throw new SignatureVerificationException(
                        "Shopify query has a bad format: a parameter is given both as array and single value");
            }
        }
        StringBuilder message = new StringBuilder();
        signable.forEach((k, v) -> {
            if (message.length() > 0) {
                message.append('&');
            }
            message.append(k).append('=').append(v);
        });
        return message.toString();
    }

    private static String single(Map<String, List<String>> params, String key) {
        List<String> values = params.get(key);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new SignatureVerificationException(
                    "Shopify query has a bad format: " + key + " is repeated");
        }
        return values.get(0);
    }

    private static void checkTimestamp(String timestamp, Instant now, Duration tolerance) {
        if (Hmac.isBlank(timestamp)) {
            throw new SignatureVerificationException("Shopify query timestamp is missing");
        }
        long seconds;
        try {
            if (!timestamp.chars().allMatch(c -> c >= '0' && c <= '9') || timestamp.length() > 12) {
                throw new NumberFormatException();
            }
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw new SignatureVerificationException(
                    "Shopify query timestamp has a bad format: expected unix seconds");
        }
        Duration skew = Duration.between(Instant.ofEpochSecond(seconds), now).abs();
        if (skew.compareTo(tolerance) > 0) {
            throw new SignatureVerificationException(
                    "Shopify query timestamp outside tolerance of " + tolerance.toSeconds() + " s");
        }
    }

    // Ruby's Array#to_s: ["a", "b"] with each element inspected (quotes and backslashes escaped).
    private static String rubyArray(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            String v = values.get(i) == null ? "" : values.get(i);
            sb.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.append(']').toString();
    }

    private static String escapeKey(String key) {
        return escapeValue(key).replace("=", "%3D");
    }

    private static String escapeValue(String value) {
        // '%' first so the escapes added for '&' are not escaped again.
        return value.replace("%", "%25").replace("&", "%26");
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SignatureVerificationException(
                    "Shopify query has a bad format: invalid URL encoding");
        }
    }
}
