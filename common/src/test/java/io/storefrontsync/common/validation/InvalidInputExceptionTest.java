package io.storefrontsync.common.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InvalidInputExceptionTest {

    @Test
    void shouldCarryFieldAndReason() {
        InvalidInputException e = new InvalidInputException("shop", "is required");
        assertThat(e.field()).isEqualTo("shop");
        assertThat(e.reason()).isEqualTo("is required");
        assertThat(e).hasMessage("shop: is required");
    }

    @Test
    void shouldSanitiseAndTruncatePreview() {
        assertThat(InvalidInputException.preview("ab<c>\n\"é")).isEqualTo("'ab?c????'");
        assertThat(InvalidInputException.preview("x".repeat(100))).isEqualTo("'" + "x".repeat(40) + "...'");
        assertThat(InvalidInputException.preview(null)).isEqualTo("null");
    }
}
