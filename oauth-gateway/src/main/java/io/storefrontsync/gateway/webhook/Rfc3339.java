package io.storefrontsync.gateway.webhook;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Reads the timestamps Shopify puts on every webhook ({@code X-Shopify-Triggered-At}, a body's {@code updated_at}) as
 * {@link OffsetDateTime#parse} does, faster. The JDK's formatter-driven parse was about 4 % of the gateway's CPU at
 * saturation (#17, bench/RESULTS.md: a map of parsed fields per call); the two shapes Shopify sends,
 * {@code 2026-12-03T10:15:30.877041743Z} and {@code 2026-12-03T05:15:30-05:00}, are read here directly, and anything
 * else (another shape, an out-of-range field) goes to the JDK, which decides. So the answer is always
 * {@code OffsetDateTime.parse(text).toInstant()}, or null where that throws.
 */
final class Rfc3339 {

    private Rfc3339() {
    }

    /** {@code OffsetDateTime.parse(text).toInstant()}, or null when the text does not parse. */
    static Instant instantOrNull(String text) {
        if (text == null) {
            return null;
        }
        Instant fast = fast(text);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:mm)}, or null for anything else (the JDK then reads it). */
    static Instant fast(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
            }
            int count = i - start;
            if (count == 0 || (i < n && isDigit(s.charAt(i)))) {
                return null;
            }
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        if (i >= n) {
            return null;
        }
        ZoneOffset offset;
        char sign = s.charAt(i);
        if (sign == 'Z' && i + 1 == n) {
            offset = ZoneOffset.UTC;
        } else if ((sign == '+' || sign == '-') && i + 6 == n && s.charAt(i + 3) == ':') {
            int offsetHours = digits(s, i + 1, 2);
            int offsetMinutes = digits(s, i + 4, 2);
            if ((offsetHours | offsetMinutes) < 0) {
                return null;
            }
            try {
                offset = sign == '+' ? ZoneOffset.ofHoursMinutes(offsetHours, offsetMinutes)
                        : ZoneOffset.ofHoursMinutes(-offsetHours, -offsetMinutes);
            } catch (DateTimeException e) {
                return null;
            }
        } else {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(offset);
        } catch (DateTimeException e) {
            return null; // out of range (a 30th of February, hour 24): the JDK's answer stands
        }
    }

    /** The non-negative number in {@code s[from, from + count)}, or -1 when a character is not an ASCII digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
