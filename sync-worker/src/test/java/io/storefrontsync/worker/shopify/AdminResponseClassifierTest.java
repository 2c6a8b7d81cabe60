package io.storefrontsync.worker.shopify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every branch of the classification of an Admin API answer, and the exception each failure becomes:
 * the exception type is what makes the session renew the token ({@code Unauthorized}), wait
 * ({@code RateLimited}), retry ({@code Transient}) or fail the sync (plain {@code ShopifyApiException}).
 */
class AdminResponseClassifierTest {

    private static final String CONTEXT = "demo-shop.myshopify.com CatalogProducts";
    private static final String COST = """
            "extensions":{"cost":{"requestedQueryCost":752,"actualQueryCost":%d,
              "throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":52,"restoreRate":100.0}}}""";

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void aRefusedTokenAsksForTheTokenToBeReadAgain(int status) {
        AdminAnswer answer = classify(status, null, "{\"errors\":\"[API] Invalid API key or access token\"}", 10);

        assertThat(answer).isEqualTo(new AdminAnswer.TokenRefused(status));
        assertThat(answer.outcome()).isEqualTo(String.valueOf(status));
        assertThat(answer.cost()).isEmpty();
        ShopifyApiException failure = failureOf(answer);
        assertThat(failure).isInstanceOf(ShopifyApiException.Unauthorized.class);
        assertThat(failure.getMessage()).startsWith(CONTEXT + ": Shopify answered " + status);
    }

    @Test
    void a429WaitsTheRetryAfterSecondsPlusTheJitter() {
        AdminAnswer answer = AdminResponseClassifier.classify(429, "2.0", bytes("Too many requests"), 10, 37);

        assertThat(answer).isEqualTo(new AdminAnswer.RateLimited("429", 2037, null));
        assertThat(answer.outcome()).isEqualTo("429");
        assertThat(answer.cost()).isEmpty();
        ShopifyApiException failure = failureOf(answer);
        assertThat(failure).isInstanceOf(ShopifyApiException.RateLimited.class);
        assertThat(((ShopifyApiException.RateLimited) failure).waitMillis).isEqualTo(2037);
        assertThat(((ShopifyApiException.RateLimited) failure).reason()).isEqualTo("429");
    }

    @Test
    void a429WithoutAReadableRetryAfterWaitsOneSecond() {
        assertThat(AdminResponseClassifier.retryAfterMillis(null)).isEqualTo(1000);
        assertThat(AdminResponseClassifier.retryAfterMillis(" ")).isEqualTo(1000);
        assertThat(AdminResponseClassifier.retryAfterMillis("soon")).isEqualTo(1000);
        assertThat(AdminResponseClassifier.retryAfterMillis(" 1.5 ")).isEqualTo(1500);
        assertThat(AdminResponseClassifier.retryAfterMillis("0.0001")).as("rounded up").isEqualTo(1);
        assertThat(((AdminAnswer.RateLimited) classify(429, null, "", 10)).waitMillis()).isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 530})
    void aServerErrorIsRetried(int status) {
        AdminAnswer answer = classify(status, null, "<html>oops</html>", 10);

        assertThat(answer).isEqualTo(new AdminAnswer.ServerError(status));
        assertThat(answer.outcome()).isEqualTo("5xx");
        ShopifyApiException failure = failureOf(answer);
        assertThat(failure).isInstanceOf(ShopifyApiException.Transient.class);
        assertThat(failure.getMessage()).isEqualTo(CONTEXT + ": HTTP " + status);
    }

    /** 402 a frozen shop (unpaid), 423 a locked one, 404 an unknown shop or API version: resending cannot help. */
    @ParameterizedTest
    @ValueSource(ints = {400, 402, 404, 423, 201, 302})
    void anyOtherStatusFailsWithoutRetryAndQuotesTheBody(int status) {
        AdminAnswer answer = classify(status, "3", "{\"errors\":\"Unavailable Shop\"}", 10);

        assertThat(answer).isEqualTo(new AdminAnswer.HttpError(status, "{\"errors\":\"Unavailable Shop\"}"));
        assertThat(answer.outcome()).isEqualTo("error");
        ShopifyApiException failure = failureOf(answer);
        assertThat(failure.getClass()).isEqualTo(ShopifyApiException.class);
        assertThat(failure.getMessage()).isEqualTo(CONTEXT + ": HTTP " + status + " {\"errors\":\"Unavailable Shop\"}");
    }

    @Test
    void aLongErrorBodyIsCutSoTheJobsLastErrorStaysShort() {
        AdminAnswer.HttpError answer = (AdminAnswer.HttpError) classify(404, null, "x".repeat(1000), 10);

        assertThat(answer.bodySnippet()).hasSize(AdminResponseClassifier.MAX_ERROR_BODY + 1).endsWith("x…");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "<html>gateway</html>", "{\"data\":", "{} {}"})
    void a200ThatIsNotJsonIsRetried(String body) {
        AdminAnswer answer = classify(200, null, body, 10);

        assertThat(answer).isInstanceOf(AdminAnswer.Unreadable.class);
        assertThat(answer.outcome()).isEqualTo("error");
        assertThat(answer.cost()).isEmpty();
        ShopifyApiException failure = failureOf(answer);
        assertThat(failure).isInstanceOf(ShopifyApiException.Transient.class);
        assertThat(failure.getMessage()).startsWith(CONTEXT + ": unreadable answer: invalid JSON");
    }

    @Test
    void throttledWaitsUntilTheBucketHoldsWhatTheQueryRequests() {
        AdminAnswer answer = classify(200, null, """
                {"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],%s}""".formatted(COST.formatted(0)), 752);

        // 752 requested, 52 available, 100 points per second: 7 s for the missing 700, plus the safety margin.
        assertThat(answer).isInstanceOf(AdminAnswer.RateLimited.class);
        AdminAnswer.RateLimited limited = (AdminAnswer.RateLimited) answer;
        assertThat(limited.reason()).isEqualTo("THROTTLED");
        assertThat(limited.waitMillis()).isEqualTo(7000 + CostBudget.SAFETY_MILLIS);
        assertThat(answer.outcome()).isEqualTo("throttled");
        assertThat(answer.cost()).hasValueSatisfying(cost -> {
            assertThat(cost.requested()).isEqualTo(752);
            assertThat(cost.throttleStatus().path("currentlyAvailable").asInt()).isEqualTo(52);
        });
        ShopifyApiException failure = failureOf(answer);
        assertThat(failure).isInstanceOf(ShopifyApiException.RateLimited.class);
        assertThat(((ShopifyApiException.RateLimited) failure).reason()).isEqualTo("throttled");
    }

    @Test
    void throttledWaitsForTheDearerOfOurPriceAndShopifys() {
        String body = """
                {"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],%s}""".formatted(COST.formatted(0));

        assertThat(((AdminAnswer.RateLimited) classify(200, null, body, 952)).waitMillis())
                .as("ours dearer: 900 missing points").isEqualTo(9000 + CostBudget.SAFETY_MILLIS);
        assertThat(((AdminAnswer.RateLimited) classify(200, null, body, 100)).waitMillis())
                .as("Shopify's dearer: 700 missing points").isEqualTo(7000 + CostBudget.SAFETY_MILLIS);
    }

    @Test
    void throttledAmongOtherErrorsIsStillWaitedOut() {
        AdminAnswer answer = classify(200, null, """
                {"errors":[{"message":"Field x"},{"message":"Throttled","extensions":{"code":"THROTTLED"}}]}""", 10);

        assertThat(answer).isInstanceOf(AdminAnswer.RateLimited.class);
        assertThat(((AdminAnswer.RateLimited) answer).waitMillis()).as("no bucket reported: one second").isEqualTo(1000);
    }

    @Test
    void graphQLErrorsFailTheSyncEvenBesidePartialData() {
        AdminAnswer answer = classify(200, null, """
                {"data":{"shop":null},"errors":[
                  {"message":"Access denied for shop field.","extensions":{"code":"ACCESS_DENIED"}},
                  {"message":"Field 'x' doesn't exist on type 'Shop'"}],%s}""".formatted(COST.formatted(3)), 752);

        assertThat(answer).isInstanceOf(AdminAnswer.GraphQLErrors.class);
        assertThat(((AdminAnswer.GraphQLErrors) answer).description())
                .isEqualTo("ACCESS_DENIED: Access denied for shop field.; Field 'x' doesn't exist on type 'Shop'");
        assertThat(answer.outcome()).isEqualTo("error");
        assertThat(answer.cost()).hasValueSatisfying(cost -> assertThat(cost.actual()).isEqualTo(3));
        ShopifyApiException failure = failureOf(answer);
        assertThat(failure.getClass()).isEqualTo(ShopifyApiException.class);
        assertThat(failure.getMessage()).isEqualTo(CONTEXT + ": " + ((AdminAnswer.GraphQLErrors) answer).description());
    }

    @Test
    void aLongListOfErrorsIsCutSoTheJobsLastErrorStaysShort() {
        String many = "[" + "{\"message\":\"%s\"},".formatted("m".repeat(100)).repeat(10) + "{\"message\":\"last\"}]";

        String description = ((AdminAnswer.GraphQLErrors) classify(200, null, "{\"errors\":" + many + "}", 10)).description();

        assertThat(description).hasSize(AdminResponseClassifier.MAX_ERROR_BODY + 1).endsWith("…");
    }

    @Test
    void anErrorWithoutMessageIsNamedByItsCodeOrAQuestionMark() {
        String description = ((AdminAnswer.GraphQLErrors) classify(200, null,
                "{\"errors\":[{\"extensions\":{\"code\":\"INTERNAL_SERVER_ERROR\"}},{}]}", 10)).description();

        assertThat(description).isEqualTo("INTERNAL_SERVER_ERROR: ?; ?");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"data\":null}", "{\"errors\":[]}", "[]"})
    void a200WithoutDataFailsTheSync(String body) {
        AdminAnswer answer = classify(200, null, body, 10);

        assertThat(answer).isInstanceOf(AdminAnswer.NoData.class);
        assertThat(answer.outcome()).isEqualTo("error");
        ShopifyApiException failure = failureOf(answer);
        assertThat(failure.getClass()).isEqualTo(ShopifyApiException.class);
        assertThat(failure.getMessage()).isEqualTo(CONTEXT + ": answer without data");
    }

    @Test
    void dataComesWithWhatTheQueryCostAndTheBucketAfterIt() {
        AdminAnswer answer = classify(200, null, """
                {"data":{"shop":{"id":"gid://shopify/Shop/1"}},"errors":[],%s}""".formatted(COST.formatted(40)), 752);

        assertThat(answer).isInstanceOf(AdminAnswer.Data.class);
        assertThat(((AdminAnswer.Data) answer).data().path("shop").path("id").asText()).isEqualTo("gid://shopify/Shop/1");
        assertThat(answer.outcome()).isEqualTo("ok");
        assertThat(answer.cost()).hasValueSatisfying(cost -> {
            assertThat(cost.requested()).isEqualTo(752);
            assertThat(cost.actual()).isEqualTo(40);
            assertThat(cost.throttleStatus().path("restoreRate").asDouble()).isEqualTo(100.0);
        });
    }

    @Test
    void dataWithoutACostBlockReportsNoRequestedCostAndNothingSpent() {
        AdminAnswer answer = classify(200, null, "{\"data\":{}}", 752);

        assertThat(answer.cost()).hasValue(new AdminAnswer.QueryCost(null, -1, 0));
    }

    private static AdminAnswer classify(int status, String retryAfter, String body, int requestedCost) {
        return AdminResponseClassifier.classify(status, retryAfter, bytes(body), requestedCost, 0);
    }

    private static ShopifyApiException failureOf(AdminAnswer answer) {
        assertThat(answer).isInstanceOf(AdminAnswer.Failure.class);
        return ((AdminAnswer.Failure) answer).failure(CONTEXT);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
