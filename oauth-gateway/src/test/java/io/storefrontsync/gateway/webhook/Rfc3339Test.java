package io.storefrontsync.gateway.webhook;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Rfc3339} answers what {@code OffsetDateTime.parse(text).toInstant()} answers, for every text. */
class Rfc3339Test {

    @Test
    void shopifysShapesShouldBeReadOnTheFastPath() {
        assertThat(Rfc3339.fast("2026-12-03T10:15:30.877041743Z")).isEqualTo(Instant.parse("2026-12-03T10:15:30.877041743Z"));
        assertThat(Rfc3339.fast("2026-03-01T07:00:01-05:00")).isEqualTo(Instant.parse("2026-03-01T12:00:01Z"));
        assertThat(Rfc3339.fast("2026-03-01T07:00:01.5+05:30")).isEqualTo(Instant.parse("2026-03-01T01:30:01.5Z"));
    }

    @Test
    void textsTheFastPathDoesNotTakeShouldStillGetTheJdksAnswer() {
        // Not Shopify's shapes, valid for the JDK: lower-case t and z, no seconds, an offset with seconds, a point
        // without fraction digits.
        for (String text : List.of("2026-12-03t10:15:30Z", "2026-12-03T10:15:30z", "2026-12-03T10:15Z",
                "2026-12-03T10:15:30+05:30:15", "2026-12-03T10:15:30.Z")) {
            assertThat(Rfc3339.fast(text)).as(text).isNull();
            assertThat(Rfc3339.instantOrNull(text)).as(text).isEqualTo(jdk(text)).isNotNull();
        }
        // Invalid for both: out of range, malformed.
        for (String text : List.of("2026-02-30T10:15:30Z", "2026-12-03T24:00:00Z", "2026-12-03T23:59:60Z",
                "2026-12-03T10:15:30+19:00", "2026-12-03T10:15:30.1234567890Z",
                "2026-12-03T10:15:30", "2026-12-03 10:15:30Z", "", "not a date", "2026-12-03T10:15:30+0530")) {
            assertThat(Rfc3339.instantOrNull(text)).as(text).isNull();
            assertThat(jdk(text)).as(text).isNull();
        }
        assertThat(Rfc3339.instantOrNull(null)).isNull();
    }

    @Test
    void randomTextsNearShopifysShapesShouldGetTheJdksAnswer() {
        Random random = new Random(17);
        String alphabet = "0123456789-T:.Z+z t";
        int fast = 0;
        for (int i = 0; i < 200_000; i++) {
            String text = mutate(random, sample(random), alphabet);
            Instant expected = jdk(text);
            assertThat(Rfc3339.instantOrNull(text)).as(text).isEqualTo(expected);
            Instant viaFast = Rfc3339.fast(text);
            if (viaFast != null) {
                fast++;
                assertThat(viaFast).as(text).isEqualTo(expected);
            }
        }
        assertThat(fast).as("texts taken by the fast path").isGreaterThan(20_000);
    }

    private static String sample(Random random) {
        StringBuilder text = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d", random.nextInt(10_000),
                random.nextInt(14), random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62)));
        if (random.nextBoolean()) {
            text.append('.').append(String.valueOf(random.nextLong() & Long.MAX_VALUE), 0, 1 + random.nextInt(11));
        }
        switch (random.nextInt(3)) {
            case 0 -> text.append('Z');
            case 1 -> text.append(String.format("%c%02d:%02d", random.nextBoolean() ? '+' : '-', random.nextInt(20),
                    random.nextInt(62)));
            default -> text.append(String.format("+%02d:%02d:%02d", random.nextInt(20), random.nextInt(60), random.nextInt(62)));
        }
        return text.toString();
    }

    /** Unchanged half the time; else one character replaced, inserted or removed. */
    private static String mutate(Random random, String text, String alphabet) {
        if (random.nextBoolean() || text.isEmpty()) {
            return text;
        }
        List<Character> chars = new ArrayList<>();
        for (char c : text.toCharArray()) {
            chars.add(c);
        }
        int at = random.nextInt(chars.size());
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        switch (random.nextInt(3)) {
            case 0 -> chars.set(at, c);
            case 1 -> chars.add(at, c);
            default -> chars.remove(at);
        }
        StringBuilder out = new StringBuilder();
        chars.forEach(out::append);
        return out.toString();
    }

    private static Instant jdk(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
