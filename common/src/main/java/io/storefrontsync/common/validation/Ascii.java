package io.storefrontsync.common.validation;

/**
 * The few character-class checks run on every webhook (#17: as regular expressions they were a twentieth of the
 * gateway's CPU per webhook), written as loops over the characters. Each answers exactly what the pattern named in
 * its comment answers for every string ({@code AsciiTest} compares them over random strings).
 */
public final class Ascii {

    /** Shopify's and Meta's delivery ids and our event ids: {@code [A-Za-z0-9._:/@-]}. */
    public static final Ascii DELIVERY_ID = new Ascii("._:/@-", true, true);
    /** API versions: {@code [A-Za-z0-9-]}. */
    public static final Ascii VERSION = new Ascii("-", true, true);
    /** Base64 (standard alphabet) without padding: {@code [A-Za-z0-9+/]}. */
    public static final Ascii BASE64 = new Ascii("+/", true, true);
    /** A topic's segment: {@code [a-z0-9_]}. */
    private static final Ascii TOPIC_SEGMENT = new Ascii("_", false, true);

    private final boolean[] allowed = new boolean[128];

    private Ascii(String others, boolean upper, boolean lowerAndDigits) {
        for (char c : others.toCharArray()) {
            allowed[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            allowed[c] = lowerAndDigits;
            allowed[Character.toUpperCase(c)] = upper;
        }
        for (char c = '0'; c <= '9'; c++) {
            allowed[c] = lowerAndDigits;
        }
    }

    /** {@code [class]{min,max}}: {@code s} is {@code min} to {@code max} characters, all of this class. */
    public boolean matches(CharSequence s, int min, int max) {
        if (s == null || s.length() < min || s.length() > max) {
            return false;
        }
        return allIn(s, 0, s.length());
    }

    private boolean allIn(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 128 || !allowed[c]) {
                return false;
            }
        }
        return true;
    }

    /** {@code [a-z0-9_]+(/[a-z0-9_]+)*}: segments separated by single slashes, none empty. */
    public static boolean isTopic(CharSequence s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        int segment = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/') {
                if (i == segment) {
                    return false; // empty segment: leading slash or two in a row
                }
                segment = i + 1;
            } else if (c >= 128 || !TOPIC_SEGMENT.allowed[c]) {
                return false;
            }
        }
        return segment < s.length(); // no trailing slash
    }

    /** {@code [0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}: a UUID as written. */
    public static boolean isCanonicalUuid(CharSequence s) {
        if (s == null || s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23
                    ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code [A-Za-z0-9+/]{43}=}: the base64 of 32 bytes, as Shopify writes its HMAC. */
    public static boolean isBase64Of32Bytes(CharSequence s) {
        return s != null && s.length() == 44 && s.charAt(43) == '=' && BASE64.allIn(s, 0, 43);
    }
}
