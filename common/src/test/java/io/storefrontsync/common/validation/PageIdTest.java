package io.storefrontsync.common.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PageIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"1", "123456789012345", "9223372036854775807"})
    void shouldAcceptDigits(String input) {
        assertThat(PageId.parse(input).value()).isEqualTo(input);
        assertThat(PageId.parse(input)).hasToString(input);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"+123", "-123", " 123", "123 ", "12a", "1.5", "1e5", "../1", "1/2", "1%2F2",
        "123456789012345678901234567890123", "١٢٣", "１２３", "12\n"})
    // Not a positive signed 64-bit number in canonical form (the Page id is a text key).
    @MethodSource("io.storefrontsync.common.validation.NumericIdsTest#notPositiveLongs")
    void shouldRejectAnythingButAsciiDigits(String input) {
        assertThatThrownBy(() -> PageId.parse(input))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("pageId"));
    }

    @Test
    void shouldSayWhatAPageIdIsWhenTheNumberIsTooBig() {
        assertThatThrownBy(() -> PageId.parse("99999999999999999999"))
                .hasMessage("pageId: must be a number from 1 to 9223372036854775807 without leading zeros: "
                        + "'99999999999999999999'");
    }
}
