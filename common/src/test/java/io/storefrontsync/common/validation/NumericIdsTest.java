package io.storefrontsync.common.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NumericIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"1", "9", "10", "271878346596884015", "999999999999999999", "1000000000000000000",
        "9223372036854775799", "9223372036854775807"})
    void shouldAcceptEveryPositiveLongInCanonicalForm(String id) {
        assertThat(NumericIds.isPositiveLong(id)).isTrue();
        assertThat(Long.parseLong(id)).isPositive().hasToString(id);
    }

    /** Digits, or nearly, that are no positive signed 64-bit number in canonical form; PageIdTest refuses them too. */
    static Stream<String> notPositiveLongs() {
        return Stream.of("0", "00", "01", "00042", "0009223372036854775807", "-1", "+1", " 1", "1 ", "1e3", "1.0",
                "9223372036854775808", "9223372036854775810", "9999999999999999999", "10000000000000000000",
                "99999999999999999999", "18446744073709551615", "12345678901234567890123456789012", "١٢٣", "１２３",
                "12\n");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @MethodSource("notPositiveLongs")
    void shouldRefuseWhatIsNotAPositiveLongOrNotCanonical(String id) {
        assertThat(NumericIds.isPositiveLong(id)).isFalse();
    }
}
