package io.storefrontsync.common.validation;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Each check of {@link Ascii} against the regular expression it replaces, over strings made to sit near its edges. */
class AsciiTest {

    /** Every class's members and neighbours: ASCII punctuation, the letters' edges, and look-alikes above 127. */
    private static final String ALPHABET = "aAzZ09mM_./:@-+=/ \t\n%\\\"'`~!#$&*()[]{}<>?,;|^"
            + "\u00e9\u212a\u0130\u017f\uff41\u0000\u007f";

    @Test
    void deliveryIdsShouldMatchAsTheirPatternDoes() {
        same(Pattern.compile("[A-Za-z0-9._:/@-]{1,128}"), s -> Ascii.DELIVERY_ID.matches(s, 1, 128), 130, 1_000);
    }

    @Test
    void versionsShouldMatchAsTheirPatternDoes() {
        same(Pattern.compile("[A-Za-z0-9-]{1,32}"), s -> Ascii.VERSION.matches(s, 1, 32), 34, 1_000);
    }

    @Test
    void topicsShouldMatchAsTheirPatternDoes() {
        same(Pattern.compile("[a-z0-9_]+(/[a-z0-9_]+)*"), Ascii::isTopic, 12, 1_000);
    }

    @Test
    void shopifyHmacsShouldMatchAsTheirPatternDoes() {
        Pattern pattern = Pattern.compile("[A-Za-z0-9+/]{43}=");
        same(pattern, Ascii::isBase64Of32Bytes, 45, 0);
        // Random strings of 44 rarely have 43 base64 characters: real ones, and each with one character changed.
        SplittableRandom bytes = new SplittableRandom(3);
        sameOnRealOnes(pattern, Ascii::isBase64Of32Bytes, i -> {
            byte[] hmac = new byte[32];
            bytes.nextBytes(hmac);
            return java.util.Base64.getEncoder().encodeToString(hmac);
        }, ALPHABET);
    }

    @Test
    void uuidsShouldMatchAsTheirPatternDoes() {
        Pattern pattern = Pattern.compile(
                "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
        same(pattern, Ascii::isCanonicalUuid, 38, 0);
        sameOnRealOnes(pattern, Ascii::isCanonicalUuid, i -> {
            String uuid = java.util.UUID.randomUUID().toString();
            return i % 3 == 0 ? uuid.toUpperCase(java.util.Locale.ROOT) : uuid;
        }, "gG-0aF:/ \u00e9");
    }

    @Test
    void edgesShouldBeAnsweredAsThePatternsDo() {
        for (String s : List.of("", "/", "a/", "/a", "a//b", "a/b", "a_b/c_d/e", "A/b", "products/update")) {
            assertThat(Ascii.isTopic(s)).as(s).isEqualTo(s.matches("[a-z0-9_]+(/[a-z0-9_]+)*"));
        }
        assertThat(Ascii.DELIVERY_ID.matches(null, 1, 128)).isFalse();
        assertThat(Ascii.isTopic(null)).isFalse();
        assertThat(Ascii.isBase64Of32Bytes(null)).isFalse();
        assertThat(Ascii.DELIVERY_ID.matches("a".repeat(128), 1, 128)).isTrue();
        assertThat(Ascii.DELIVERY_ID.matches("a".repeat(129), 1, 128)).isFalse();
    }

    /**
     * 20,000 values made by {@code real}, every other one with one character replaced by one of {@code swaps}: the check
     * answers as the pattern does, and more than half match (so both answers are met).
     */
    private static void sameOnRealOnes(Pattern pattern, Predicate<String> check,
                                       java.util.function.IntFunction<String> real, String swaps) {
        SplittableRandom random = new SplittableRandom(11);
        int matched = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder value = new StringBuilder(real.apply(i));
            if (i % 2 == 1) {
                value.setCharAt(random.nextInt(value.length()), swaps.charAt(random.nextInt(swaps.length())));
            }
            String text = value.toString();
            boolean expected = pattern.matcher(text).matches();
            assertThat(check.test(text)).as(text).isEqualTo(expected);
            matched += expected ? 1 : 0;
        }
        assertThat(matched).isGreaterThan(10_000);
    }

    private static void same(Pattern pattern, Predicate<String> check, int maxLength, int minMatched) {
        SplittableRandom random = new SplittableRandom(42);
        int matched = 0;
        for (int i = 0; i < 200_000; i++) {
            int length = random.nextInt(maxLength + 1);
            StringBuilder s = new StringBuilder(length);
            // Mostly from the class's own neighbourhood, so that many strings match and the edges are met often.
            boolean plain = random.nextInt(4) > 0;
            for (int c = 0; c < length; c++) {
                s.append(plain && random.nextInt(40) > 0
                        ? "abcxyz019_-./"
                                .charAt(random.nextInt(13))
                        : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String text = s.toString();
            boolean expected = pattern.matcher(text).matches();
            assertThat(check.test(text)).as("%s for \"%s\"", pattern, text).isEqualTo(expected);
            matched += expected ? 1 : 0;
        }
        assertThat(matched).as("strings the pattern matched, so both answers were met").isGreaterThanOrEqualTo(minMatched);
    }
}
