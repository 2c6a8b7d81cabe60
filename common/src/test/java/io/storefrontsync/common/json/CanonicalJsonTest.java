package io.storefrontsync.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalJsonTest {

    private static final String DOC = "{\"b\":[3,1,2],\"a\":{\"y\":null,\"x\":\"é\"},\"c\":1.50}";

    @Test
    void shouldSortKeysDropWhitespaceAndKeepNulls() {
        String pretty = "{\n  \"c\" : 1.50,\n  \"a\" : { \"x\" : \"é\", \"y\" : null },\n  \"b\" : [ 3, 1, 2 ]\n}";
        assertThat(canonical(DOC)).isEqualTo("{\"a\":{\"x\":\"é\",\"y\":null},\"b\":[3,1,2],\"c\":1.5}");
        assertThat(CanonicalJson.hash(CanonicalJson.parse(pretty)))
                .isEqualTo(CanonicalJson.hash(CanonicalJson.parse(DOC)));
    }

    @Test
    void shouldHashKnownBytes() {
        // printf '{"a":1}' | sha256sum
        assertThat(CanonicalJson.hash(CanonicalJson.parse("{ \"a\" : 1 }")))
                .isEqualTo("015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"b\":[3,1,2],\"a\":{\"y\":null,\"x\":\"é\"},\"c\":1.51}",     // number
        "{\"b\":[3,1,2],\"a\":{\"y\":null,\"x\":\"e\"},\"c\":1.50}",     // string
        "{\"b\":[3,1,2],\"a\":{\"y\":0,\"x\":\"é\"},\"c\":1.50}",        // nested null -> 0
        "{\"b\":[1,3,2],\"a\":{\"y\":null,\"x\":\"é\"},\"c\":1.50}",     // array order
        "{\"b\":[3,1,2],\"a\":{\"x\":\"é\"},\"c\":1.50}",                // null field dropped
        "{\"b\":[3,1,2],\"a\":{\"y\":null,\"x\":\"é\"},\"c\":\"1.5\"}",  // number vs string
        "{\"b\":[3,1,2],\"a\":{\"y\":null,\"X\":\"é\"},\"c\":1.50}"      // key case
    })
    void shouldChangeHashWhenAnyValueChanges(String changed) {
        assertThat(CanonicalJson.hash(CanonicalJson.parse(changed)))
                .isNotEqualTo(CanonicalJson.hash(CanonicalJson.parse(DOC)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.50|1.5", "1E+2|100", "1e2|100", "1.0|1", "1|1", "-0.0|0", "0.000|0", "-12|-12",
        "0.1|0.1", "1.25e-3|0.00125", "12345678901234567890123|12345678901234567890123",
        "3.141592653589793238462643383279|3.141592653589793238462643383279"
    })
    void shouldWriteNumbersByValueWithoutExponent(String input, String canonical) {
        assertThat(canonical("[" + input + "]")).isEqualTo("[" + canonical + "]");
    }

    @Test
    void shouldRefuseNumbersWhosePlainFormIsHuge() {
        JsonNode node = CanonicalJson.parse("[1e999999999]");
        assertThatThrownBy(() -> CanonicalJson.canonicalBytes(node))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseNonFiniteDoubles() {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("x", Double.NaN);
        assertThatThrownBy(() -> CanonicalJson.canonicalBytes(node))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldEscapeOnlyWhatJsonRequires() {
        JsonNode node = JsonNodeFactory.instance.textNode("q\" b\\ n\n t\t u\u0001 ü 😀 / <\u007f");
        assertThat(new String(CanonicalJson.canonicalBytes(node), StandardCharsets.UTF_8))
                .isEqualTo("\"q\\\" b\\\\ n\\n t\\t u\\u0001 ü 😀 / <\u007f\"");
    }

    @Test
    void shouldEncodeAsUtf8() {
        byte[] bytes = CanonicalJson.canonicalBytes(JsonNodeFactory.instance.textNode("é"));
        assertThat(bytes).containsExactly('"', 0xC3, 0xA9, '"');
    }

    @Test
    void shouldTreatEscapedAndLiteralUnicodeAlike() {
        assertThat(canonical("[\"\\u00e9\\ud83d\\ude00\"]")).isEqualTo("[\"é😀\"]");
    }

    @Test
    void shouldEscapeLoneSurrogatesInsteadOfCollidingWithQuestionMark() {
        String lone = canonical("[\"\\ud800\"]");
        assertThat(lone).isEqualTo("[\"\\ud800\"]");
        assertThat(lone).isNotEqualTo(canonical("[\"?\"]"));
    }

    @Test
    void shouldSortKeysByUtf16CodeUnits() {
        assertThat(canonical("{\"b\":1,\"a\":2,\"B\":3,\"é\":4,\"aa\":5}"))
                .isEqualTo("{\"B\":3,\"a\":2,\"aa\":5,\"b\":1,\"é\":4}");
    }

    @Test
    void shouldKeepBooleansAndTopLevelScalars() {
        assertThat(canonical("[true,false,null]")).isEqualTo("[true,false,null]");
        assertThat(canonical("\"x\"")).isEqualTo("\"x\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1,\"a\":2}", "{\"a\":1} {}", "{", ""})
    void shouldRejectAmbiguousOrInvalidJson(String json) {
        assertThatThrownBy(() -> CanonicalJson.parse(json)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldHexEncodeSha256() {
        // printf '' | sha256sum
        assertThat(CanonicalJson.sha256Hex(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    private static String canonical(String json) {
        return new String(CanonicalJson.canonicalBytes(CanonicalJson.parse(json)), StandardCharsets.UTF_8);
    }
}
