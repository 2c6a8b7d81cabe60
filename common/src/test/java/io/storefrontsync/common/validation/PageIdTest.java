package io.storefrontsync.common.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PageIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "123456789012345", "00042", "12345678901234567890123456789012"})
    void shouldAcceptDigits(String input) {
        assertThat(PageId.parse(input).value()).isEqualTo(input);
        assertThat(PageId.parse(input)).hasToString(input);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"+123", "-123", " 123", "123 ", "12a", "1.5", "1e5", "../1", "1/2", "1%2F2",
        "123456789012345678901234567890123", "١٢٣", "１２３", "12\n"})
    void shouldRejectAnythingButAsciiDigits(String input) {
        assertThatThrownBy(() -> PageId.parse(input))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("pageId"));
    }
}
