package io.storefrontsync.common.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShopifyOAuthQueryVerifierTest {

    // Shopify's documented example; the hmac was recomputed here with
    // printf 'code=0907a61c0c8d55e99db179b68161bc00&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173' \
    //   | openssl dgst -sha256 -hmac 'hush'
    private static final String SECRET = "hush";
    private static final String VECTOR_HMAC = "700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf";
    private static final String VECTOR_QUERY = "code=0907a61c0c8d55e99db179b68161bc00&hmac=" + VECTOR_HMAC
            + "&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173";
    private static final Instant SIGNED_AT = Instant.ofEpochSecond(1337178173);
    private static final Duration TOLERANCE = ShopifyOAuthQueryVerifier.DEFAULT_TOLERANCE;

    @Test
    void shouldAcceptDocumentedVector() {
        Map<String, List<String>> params = ShopifyOAuthQueryVerifier.parseQuery(VECTOR_QUERY);
        assertThatCode(() -> ShopifyOAuthQueryVerifier.verify(params, SECRET, SIGNED_AT, TOLERANCE))
                .doesNotThrowAnyException();
        assertThat(ShopifyOAuthQueryVerifier.sign(params, SECRET)).isEqualTo(VECTOR_HMAC);
    }

    @Test
    void shouldIgnoreParameterOrderAndSignatureParam() {
        Map<String, List<String>> params = ShopifyOAuthQueryVerifier.parseQuery(
                "?timestamp=1337178173&signature=whatever&state=0.6784241404160823"
                        + "&shop=some-shop.myshopify.com&hmac=" + VECTOR_HMAC + "&code=0907a61c0c8d55e99db179b68161bc00");
        assertThatCode(() -> ShopifyOAuthQueryVerifier.verify(params, SECRET, SIGNED_AT, TOLERANCE))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRejectChangedParameter() {
        String tampered = VECTOR_QUERY.replace("some-shop", "evil-shop");
        assertThatThrownBy(() -> ShopifyOAuthQueryVerifier.verify(
                ShopifyOAuthQueryVerifier.parseQuery(tampered), SECRET, SIGNED_AT, TOLERANCE))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("mismatch");
    }

    @Test
    void shouldRejectAddedParameter() {
        String tampered = VECTOR_QUERY + "&host=extra";
        assertThatThrownBy(() -> ShopifyOAuthQueryVerifier.verify(
                ShopifyOAuthQueryVerifier.parseQuery(tampered), SECRET, SIGNED_AT, TOLERANCE))
                .hasMessageContaining("mismatch");
    }

    @Test
    void shouldRejectWrongSecretWithoutLeakingIt() {
        assertThatThrownBy(() -> ShopifyOAuthQueryVerifier.verify(
                ShopifyOAuthQueryVerifier.parseQuery(VECTOR_QUERY), "hush2", SIGNED_AT, TOLERANCE))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("mismatch")
                .hasMessageNotContaining("hush")
                .hasMessageNotContaining(VECTOR_HMAC);
    }

    @Test
    void shouldRejectUpperCaseHex() {
        String upper = VECTOR_QUERY.replace(VECTOR_HMAC, VECTOR_HMAC.toUpperCase(Locale.ROOT));
        assertThatThrownBy(() -> ShopifyOAuthQueryVerifier.verify(
                ShopifyOAuthQueryVerifier.parseQuery(upper), SECRET, SIGNED_AT, TOLERANCE))
                .hasMessageContaining("bad format");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hmac=", ""})
    void shouldReportMissingHmac(String hmacPart) {
        String query = VECTOR_QUERY.replace("hmac=" + VECTOR_HMAC, hmacPart);
        assertThatThrownBy(() -> ShopifyOAuthQueryVerifier.verify(
                ShopifyOAuthQueryVerifier.parseQuery(query), SECRET, SIGNED_AT, TOLERANCE))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("hmac is missing");
    }

    @ParameterizedTest
    @ValueSource(longs = {-89, 89, -90, 90, 0})
    void shouldAcceptTimestampWithinTolerance(long offsetSeconds) {
        Map<String, List<String>> params = signedWithTimestamp(1_700_000_000L);
        Instant now = Instant.ofEpochSecond(1_700_000_000L + offsetSeconds);
        assertThatCode(() -> ShopifyOAuthQueryVerifier.verify(params, SECRET, now, TOLERANCE))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(longs = {-91, 91, 86_400})
    void shouldRejectStaleOrFutureTimestamp(long offsetSeconds) {
        Map<String, List<String>> params = signedWithTimestamp(1_700_000_000L);
        Instant now = Instant.ofEpochSecond(1_700_000_000L + offsetSeconds);
        assertThatThrownBy(() -> ShopifyOAuthQueryVerifier.verify(params, SECRET, now, TOLERANCE))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("timestamp outside tolerance");
    }

    @Test
    void shouldUseNinetySecondsAndNowByDefault() {
        Map<String, List<String>> fresh = signedWithTimestamp(Instant.now().getEpochSecond());
        assertThatCode(() -> ShopifyOAuthQueryVerifier.verify(fresh, SECRET)).doesNotThrowAnyException();
        Map<String, List<String>> stale = signedWithTimestamp(Instant.now().getEpochSecond() - 120);
        assertThatThrownBy(() -> ShopifyOAuthQueryVerifier.verify(stale, SECRET))
                .hasMessageContaining("outside tolerance");
    }

    @Test
    void shouldRequireTimestamp() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("shop", List.of("demo-shop.myshopify.com"));
        params.put("code", List.of("abc"));
        params.put("hmac", List.of(ShopifyOAuthQueryVerifier.sign(params, SECRET)));
        assertThatThrownBy(() -> ShopifyOAuthQueryVerifier.verify(params, SECRET, SIGNED_AT, TOLERANCE))
                .hasMessageContaining("timestamp is missing");
    }

    @Test
    void shouldRejectNonNumericTimestamp() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("timestamp", List.of("-1337178173"));
        params.put("hmac", List.of(ShopifyOAuthQueryVerifier.sign(params, SECRET)));
        assertThatThrownBy(() -> ShopifyOAuthQueryVerifier.verify(params, SECRET, SIGNED_AT, TOLERANCE))
                .hasMessageContaining("timestamp has a bad format");
    }

    @Test
    void shouldSignArrayParamsLikeShopifyRubyLibrary() {
        Map<String, List<String>> params = ShopifyOAuthQueryVerifier.parseQuery(
                "shop=demo-shop.myshopify.com&ids%5B%5D=2&ids%5B%5D=1&timestamp=1");
        assertThat(ShopifyOAuthQueryVerifier.message(params))
                .isEqualTo("ids=[\"2\", \"1\"]&shop=demo-shop.myshopify.com&timestamp=1");
    }

    @Test
    void shouldEscapeDelimitersSoValuesCannotForgePairs() {
        Map<String, List<String>> smuggled = new LinkedHashMap<>();
        smuggled.put("a", List.of("1&b=2"));
        Map<String, List<String>> honest = new LinkedHashMap<>();
        honest.put("a", List.of("1"));
        honest.put("b", List.of("2"));
        assertThat(ShopifyOAuthQueryVerifier.message(smuggled)).isEqualTo("a=1%26b=2");
        assertThat(ShopifyOAuthQueryVerifier.sign(smuggled, SECRET))
                .isNotEqualTo(ShopifyOAuthQueryVerifier.sign(honest, SECRET));
    }

    @Test
    void shouldRejectRepeatedPlainParameter() {
        Map<String, List<String>> params = ShopifyOAuthQueryVerifier.parseQuery(
                VECTOR_QUERY + "&shop=evil.myshopify.com");
        assertThatThrownBy(() -> ShopifyOAuthQueryVerifier.verify(params, SECRET, SIGNED_AT, TOLERANCE))
                .hasMessageContaining("repeated");
    }

    @Test
    void shouldUrlDecodeWhenParsing() {
        Map<String, List<String>> params = ShopifyOAuthQueryVerifier.parseQuery("?a=x%2By+z&b&c=%C3%A9");
        assertThat(params).containsExactly(
                Map.entry("a", List.of("x+y z")), Map.entry("b", List.of("")), Map.entry("c", List.of("é")));
        assertThatThrownBy(() -> ShopifyOAuthQueryVerifier.parseQuery("a=%zz"))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("bad format");
    }

    private static Map<String, List<String>> signedWithTimestamp(long epochSeconds) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("code", List.of("abc123"));
        params.put("shop", List.of("demo-shop.myshopify.com"));
        params.put("state", List.of("nonce"));
        params.put("timestamp", List.of(Long.toString(epochSeconds)));
        params.put("hmac", List.of(ShopifyOAuthQueryVerifier.sign(params, SECRET)));
        return params;
    }
}
