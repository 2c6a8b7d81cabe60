package io.storefrontsync.sandbox.facebook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FaultInjectionTest extends SimulatorTestSupport {

    @AfterEach
    void clearFaults() {
        delete("/_sim/faults");
    }

    @ParameterizedTest
    @CsvSource({"4, Application request limit reached", "17, User request limit reached",
            "32, Page request limit reached", "613, Calls to this api have exceeded the rate limit"})
    void rateLimitFaultAnswersTheGraphCodeThenRecovers(int code, String message) {
        String userToken = longLivedUserToken();
        String pageId = firstPageId();
        String pageToken = pageToken(userToken, pageId);
        postJson("/_sim/faults", new JsonObject().put("kind", "rate_limit").put("code", code).put("count", 2));

        for (int i = 0; i < 2; i++) {
            Reply limited = get("/v26.0/" + pageId + "?fields=name&access_token=" + enc(pageToken));
            assertThat(limited.status()).isIn(400, 403);
            assertThat(limited.error().getInteger("code")).isEqualTo(code);
            assertThat(limited.error().getString("message")).contains(message);
            assertThat(limited.error().getBoolean("is_transient")).isTrue();
            assertThat(new JsonObject(limited.header("X-Page-Usage")).getInteger("call_count")).isEqualTo(100);
        }
        Reply recovered = get("/v26.0/" + pageId + "?fields=name&access_token=" + enc(pageToken));
        assertThat(recovered.status()).isEqualTo(200);
    }

    @Test
    void serverErrorFaultAnswers500ThenRecovers() {
        String userToken = longLivedUserToken();
        postJson("/_sim/faults", new JsonObject().put("kind", "500").put("count", 1));

        Reply failed = get("/v26.0/me?access_token=" + enc(userToken));
        Reply recovered = get("/v26.0/me?access_token=" + enc(userToken));

        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.error().getBoolean("is_transient")).isTrue();
        assertThat(recovered.status()).isEqualTo(200);
    }

    @Test
    void expiredPageTokenAnswers190With463UntilANewLogin() {
        String pageId = firstPageId();
        String pageToken = pageToken(longLivedUserToken(), pageId);
        Reply armed = postJson("/_sim/faults", new JsonObject().put("kind", "token_expired").put("pageId", pageId));
        assertThat(armed.json().getInteger("tokens_expired")).isPositive();

        Reply expired = get("/v26.0/" + pageId + "?fields=name&access_token=" + enc(pageToken));

        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.error().getInteger("code")).isEqualTo(190);
        assertThat(expired.error().getInteger("error_subcode")).isEqualTo(463);
        assertThat(expired.error().getString("message")).startsWith("Error validating access token");

        String renewed = pageToken(longLivedUserToken(), pageId);
        assertThat(renewed).isNotEqualTo(pageToken);
        assertThat(get("/v26.0/" + pageId + "?fields=name&access_token=" + enc(renewed)).status()).isEqualTo(200);
    }
}
