package io.storefrontsync.common.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one byte representation of a JSON document that the sync hashes and stores, so the same
 * store data always gives the same bytes and the same SHA-256.
 *
 * <ul>
 *   <li>UTF-8, no whitespace, arrays in their order, {@code null} values kept;</li>
 *   <li>object keys sorted with {@link String#compareTo} (UTF-16 code units, as RFC 8785);</li>
 *   <li>numbers by value: integers as plain digits, decimals as the shortest plain
 *       {@link BigDecimal} ({@code 1.50 -> 1.5}, {@code 1E+2 -> 100}, {@code 1.0 -> 1}, {@code -0.0
 *       -> 0}). So {@code 1.0} and {@code 1} hash the same, which is what a reader comparing values
 *       expects; Shopify sends money and weights as strings anyway, and strings are never touched;</li>
 *   <li>strings escape only what JSON requires: {@code "} and {@code \}, the short forms
 *       {@code \b \f \n \r \t}, other control characters and lone surrogates as lower-case
 *       {@code \}{@code u00xx}; everything else, non-ASCII included, is written as is (RFC 8785 rules).</li>
 * </ul>
 */
public final class CanonicalJson {

    /**
     * Decimals whose plain form would need more digits than this are refused: {@code 1e999999999}
     * is a short input whose plain form would fill the heap.
     */
    static final int MAX_PLAIN_DIGITS = 1000;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // Trailing tokens after the document would otherwise be ignored silently.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // A duplicated key has two possible meanings; refusing it keeps "same data, same hash" honest.
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final HexFormat HEX = HexFormat.of();

    private CanonicalJson() {
    }

    /** The shared mapper: big decimals for floats (no rounding), duplicate keys rejected. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** @throws IllegalArgumentException when the input is not exactly one JSON value */
    public static JsonNode parse(byte[] json) {
        try {
            return checkPresent(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException when the input is not exactly one JSON value */
    public static JsonNode parse(String json) {
        try {
            return checkPresent(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode checkPresent(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            throw new IllegalArgumentException("invalid JSON: no content");
        }
        return node;
    }

    public static byte[] canonicalBytes(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static String canonicalString(JsonNode node) {
        return new String(canonicalBytes(node), StandardCharsets.UTF_8);
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    public static String hash(JsonNode node) {
        return sha256Hex(canonicalBytes(node));
    }

    /** See {@link ConnectionFlattener}. */
    public static JsonNode flattenConnections(JsonNode node) {
        return ConnectionFlattener.flatten(node);
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            writeObject(node, out);
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isTextual()) {
            writeString(node.textValue(), out);
        } else if (node.isBoolean()) {
            out.append(node.booleanValue());
        } else if (node.isNumber()) {
            out.append(number(node));
        } else {
            // Binary and POJO nodes have no single JSON spelling.
            throw new IllegalArgumentException("cannot canonicalise JSON node of type " + node.getNodeType());
        }
    }

    private static void writeObject(JsonNode node, StringBuilder out) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            fields.add(it.next());
        }
        fields.sort(Map.Entry.comparingByKey());
        out.append('{');
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeString(fields.get(i).getKey(), out);
            out.append(':');
            write(fields.get(i).getValue(), out);
        }
        out.append('}');
    }

    static String number(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            throw new IllegalArgumentException("cannot canonicalise a non-finite number");
        }
        BigDecimal value = node.decimalValue().stripTrailingZeros();
        if (value.signum() == 0) {
            return "0";
        }
        int plainDigits = Math.max(value.precision(), Math.abs(value.scale()) + 1);
        if (plainDigits > MAX_PLAIN_DIGITS) {
            throw new IllegalArgumentException("number too large to canonicalise");
        }
        return value.toPlainString();
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || isLoneSurrogate(s, i)) {
                        // Lone surrogates would turn into '?' in UTF-8 and collide with a real '?'.
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean isLoneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }
}
