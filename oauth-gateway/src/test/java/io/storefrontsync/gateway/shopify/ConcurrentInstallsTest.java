package io.storefrontsync.gateway.shopify;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.storefrontsync.gateway.session.SessionCookies;
import io.storefrontsync.gateway.support.GatewayDb;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #15's fleet install: OAuth callbacks arriving at once, as a 2,000-shop install or a merchant's double click
 * sends them. Every consent is given first, one after the other; then every callback is sent at the same moment, so
 * their code exchanges and their transactions overlap. Distinct shops must all install; callbacks of one shop (a new
 * one: each saw no connection yet and created its user) must all answer 200 with one owner, not a unique-violation 500.
 */
@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = WorkerReceiver.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ConcurrentInstallsTest {

    private static final HttpClient BROWSERS = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @ConfigProperty(name = "SHOPIFY_SIMULATOR_URL")
    String simulator;

    @TestHTTPResource("/shopify/callback")
    URI callback;

    @Inject
    Pool pool;

    @Test
    void fiftyShopsInstalledAtOnceShouldEachGetTheirOwnUser() {
        List<String> shops = newShops(50);
        List<Authorized> consents = shops.stream().map(this::authorize).toList();

        List<HttpResponse<String>> answers = callbacksAtOnce(consents);

        assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200));
        assertThat(answers.stream().map(answer -> JsonPath.from(answer.body()).getString("user_uuid")).distinct())
                .hasSize(shops.size());
        assertThat(new GatewayDb(pool).count("SELECT count(*) FROM gateway.shopify_connections WHERE shop = ANY($1)",
                (Object) shops.toArray(String[]::new))).isEqualTo(shops.size());
    }

    @Test
    void tenInstallsOfOneNewShopAtOnceShouldAllSucceedWithOneOwner() {
        String shop = newShops(1).get(0);
        List<Authorized> consents = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            consents.add(authorize(shop));
        }

        List<HttpResponse<String>> answers = callbacksAtOnce(consents);

        assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200));
        List<String> owners = answers.stream().map(answer -> JsonPath.from(answer.body()).getString("user_uuid"))
                .distinct().toList();
        assertThat(owners).as("the owner every callback answered").hasSize(1);
        GatewayDb db = new GatewayDb(pool);
        assertThat(db.query("SELECT user_id FROM gateway.shopify_connections WHERE shop = $1", shop))
                .singleElement().satisfies(row -> assertThat(row.getUUID("user_id").toString()).isEqualTo(owners.get(0)));
        assertThat(db.count("SELECT count(*) FROM gateway.shopify_connections WHERE status = 'active' AND shop = $1", shop))
                .isEqualTo(1);
    }

    private record Authorized(Cookie stateCookie, String callbackQuery) {
    }

    /** Shops the simulator knows from now on, under a prefix of this run. */
    private List<String> newShops(int count) {
        String prefix = "at-once-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<Map<String, Object>> added = given().contentType("application/json")
                .body(Map.of("prefix", prefix, "count", count))
                .post(simulator + "/_sim/shops").then().statusCode(201).extract().jsonPath().getList("shops");
        assertThat(added).hasSize(count);
        List<String> shops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            shops.add(prefix + i + ".myshopify.com");
        }
        return shops;
    }

    /** Login and the merchant's consent at the simulator: the state cookie and the query Shopify redirects back with. */
    private Authorized authorize(String shop) {
        Response login = given().redirects().follow(false).get("/shopify/" + shop + "/login");
        assertThat(login.statusCode()).isEqualTo(302);
        Response approve = given().redirects().follow(false).urlEncodingEnabled(false).get(login.header("Location"));
        assertThat(approve.statusCode()).as(approve.asString()).isEqualTo(302);
        return new Authorized(login.detailedCookie(SessionCookies.SHOPIFY_STATE),
                URI.create(approve.header("Location")).getRawQuery());
    }

    /** Every callback sent before any is answered, each as its own browser would (its state cookie). */
    private List<HttpResponse<String>> callbacksAtOnce(List<Authorized> consents) {
        List<CompletableFuture<HttpResponse<String>>> calls = consents.stream().map(consent -> BROWSERS.sendAsync(
                HttpRequest.newBuilder(URI.create(callback + "?" + consent.callbackQuery()))
                        .header("Accept", "application/json")
                        .header("Cookie", consent.stateCookie().getName() + "=" + consent.stateCookie().getValue())
                        .build(), HttpResponse.BodyHandlers.ofString())).toList();
        return calls.stream().map(CompletableFuture::join).toList();
    }
}
