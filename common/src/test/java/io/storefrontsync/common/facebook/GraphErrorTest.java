package io.storefrontsync.common.facebook;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GraphErrorTest {

    @Test
    void shouldReadGraphsErrorBodyAndRedactTokens() {
        GraphError error = GraphError.parse("""
                {"error":{"message":"Error validating access token EAAB1234567890abcdef for 1234567|s3cr3t-app-secret",
                "type":"OAuthException","code":190,"error_subcode":463,"is_transient":false,"fbtrace_id":"x"}}""").orElseThrow();

        assertThat(error.code()).isEqualTo(190);
        assertThat(error.subcode()).isEqualTo(463);
        assertThat(error.type()).isEqualTo("OAuthException");
        assertThat(error.isTransient()).isFalse();
        assertThat(error.message()).doesNotContain("EAAB1234567890abcdef").doesNotContain("s3cr3t-app-secret")
                .contains("[redacted]");
    }

    @Test
    void shouldReadTransientRateLimitsWithoutSubcode() {
        GraphError error = GraphError.parse("{\"error\":{\"message\":\"Application request limit reached\",\"code\":4,"
                + "\"is_transient\":true}}").orElseThrow();

        assertThat(error.code()).isEqualTo(4);
        assertThat(error.subcode()).isNull();
        assertThat(error.isTransient()).isTrue();
    }

    @Test
    void shouldBeEmptyForBodiesThatAreNotGraphErrors() {
        assertThat(GraphError.parse("<html>bad gateway</html>")).isEmpty();
        assertThat(GraphError.parse("{\"data\":[]}")).isEmpty();
        assertThat(GraphError.parse("")).isEmpty();
    }

    @Test
    void shouldBoundLongMessages() {
        assertThat(GraphError.redact("x".repeat(1000))).hasSize(303).endsWith("...");
    }
}
