package io.storefrontsync.common.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class UserIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"0f8fad5b-d9cb-469f-a165-70867728950e", "0F8FAD5B-D9CB-469F-A165-70867728950E"})
    void shouldAcceptCanonicalFormInEitherCase(String input) {
        UserId id = UserId.parse(input);
        assertThat(id.value()).isEqualTo(UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e"));
        assertThat(id).hasToString("0f8fad5b-d9cb-469f-a165-70867728950e");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "1-2-3-4-5",                                   // UUID.fromString accepts this
        "0f8fad5b-d9cb-469f-a165-70867728950e0",       // too long
        "00f8fad5b-d9cb-469f-a165-70867728950e",       // long first group, also accepted by fromString
        "0f8fad5bd9cb469fa16570867728950e",            // no dashes
        "{0f8fad5b-d9cb-469f-a165-70867728950e}",
        " 0f8fad5b-d9cb-469f-a165-70867728950e",
        "0f8fad5b-d9cb-469f-a165-70867728950g",
        "../0f8fad5b-d9cb-469f-a165-70867728950e"
    })
    void shouldRejectLenientOrInvalidForms(String input) {
        assertThatThrownBy(() -> UserId.parse(input))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("userId"));
    }

    @Test
    void shouldCreateDistinctRandomIdsThatParseBack() {
        UserId a = UserId.random();
        assertThat(a).isNotEqualTo(UserId.random());
        assertThat(UserId.parse(a.toString())).isEqualTo(a);
    }
}
