package io.storefrontsync.gateway.facebook;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.storefrontsync.gateway.support.FacebookLogin;
import io.storefrontsync.gateway.support.GatewayDb;
import io.storefrontsync.gateway.support.ShopifyInstall;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = WorkerReceiver.class, scope = TestResourceScope.MATCHING_RESOURCES)
class FacebookDataDeletionResourceTest {

    @Inject
    Pool pool;

    @Inject
    FacebookConfig config;

    @ConfigProperty(name = "gateway.public-url")
    String publicUrl;

    GatewayDb db;
    String facebookUser;

    @BeforeEach
    void setUp() {
        db = new GatewayDb(pool);
        facebookUser = given().get(config.graphUrl() + "/_sim/user").then().statusCode(200).extract().jsonPath()
                .getString("id");
    }

    @Test
    void shouldRejectAForgedOrMalformedSignedRequestAndDeleteNothing() {
        String page = GatewayDb.uniquePageId();
        db.activeFacebookPage(page, facebookUser);
        String forged = signedRequest("{\"app_secret\":\"not-the-app-secret\"}");

        deletion(forged).then().statusCode(401).body("error", is("invalid_signature"))
                .body("message", containsString("signature mismatch"));
        deletion("not.a-signed-request!").then().statusCode(401).body("error", is("invalid_signature"));
        given().contentType("application/x-www-form-urlencoded").post("/facebook/data-deletion")
                .then().statusCode(401).body("message", containsString("missing"));

        assertThat(db.count("SELECT count(*) FROM gateway.facebook_pages WHERE page_id = $1", page)).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM gateway.outbox WHERE payload->>'pageId' = $1 "
                + "AND payload->>'topic' = 'page/deleted'", page)).isZero();
    }

    @Test
    void shouldRejectASignedRequestWithoutAUserWith400() {
        deletion(signedRequest("{\"user_id\":\"not-a-number\"}")).then().statusCode(400)
                .body("error", is("invalid_signed_request"));
    }

    /** Meta's user ids fit a signed 64-bit number: a bigger one (or 0, or leading zeros) names no user. */
    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999", "9223372036854775808", "0", "01234567890"})
    void shouldRejectAUserIdThatIsNoPositiveLongWith400(String userId) {
        deletion(signedRequest("{\"user_id\":\"" + userId + "\"}")).then().statusCode(400)
                .body("error", is("invalid_signed_request"));
        assertThat(db.count("SELECT count(*) FROM gateway.facebook_deletion_requests WHERE facebook_user_id = $1", userId))
                .isZero();
    }

    @Test
    void shouldDeleteTheUsersPagesAndTokensQueueObjectDeletionAndAnswerAStatusUrl() {
        ShopifyInstall.Installed merchant = ShopifyInstall.demoShop();
        List<String> pages = FacebookLogin.connectPages(merchant.session()).jsonPath().getList("pages.id");
        String someoneElses = GatewayDb.uniquePageId();
        db.activeFacebookPage(someoneElses, "1234567890");
        long before = db.count("SELECT coalesce(max(id), 0) FROM gateway.outbox");

        Response answer = deletion(signedRequest("{}"));

        answer.then().statusCode(200);
        String code = answer.jsonPath().getString("confirmation_code");
        assertThat(code).matches("[A-Za-z0-9_-]{16,64}");
        assertThat(answer.jsonPath().getString("url")).isEqualTo(publicUrl + "/facebook/data-deletion/" + code);
        assertThat(db.count("SELECT count(*) FROM gateway.facebook_pages WHERE facebook_user_id = $1", facebookUser)).isZero();
        for (String page : pages) {
            assertThat(db.count("SELECT count(*) FROM gateway.facebook_pages WHERE page_id = $1", page)).isZero();
        }
        List<Row> events = db.query("SELECT payload::text FROM gateway.outbox WHERE id > $1", before);
        // Pages seeded for this Facebook user by other tests go too; the ones connected here must be among them.
        assertThat(events).extracting(r -> new JsonObject(r.getString(0)).getString("pageId")).containsAll(pages);
        assertThat(events).allSatisfy(r -> {
            JsonObject event = new JsonObject(r.getString(0));
            assertThat(event.getString("topic")).isEqualTo("page/deleted");
            if (pages.contains(event.getString("pageId"))) {
                assertThat(event.getString("userId")).isEqualTo(merchant.userUuid());
            }
        });
        assertThat(db.count("SELECT count(*) FROM gateway.facebook_pages WHERE page_id = $1", someoneElses)).isEqualTo(1);

        given().get("/facebook/data-deletion/" + code).then().statusCode(200)
                .body("confirmation_code", is(code)).body("status", is("completed"))
                .body("pages_deleted", is(events.size())).body("page_tokens_deleted", is(events.size()))
                .body("stored_page_data", containsString("queued"));
    }

    @Test
    void shouldAnswer404ForAnUnknownConfirmationCode() {
        given().get("/facebook/data-deletion/" + UUID.randomUUID().toString().replace("-", ""))
                .then().statusCode(404).body("error", is("unknown_confirmation_code"));
        given().get("/facebook/data-deletion/x").then().statusCode(404);
    }

    private String signedRequest(String body) {
        return given().contentType("application/json").body(body).post(config.graphUrl() + "/_sim/signed-request")
                .then().statusCode(200).extract().jsonPath().getString("signed_request");
    }

    private static Response deletion(String signedRequest) {
        return given().formParam("signed_request", signedRequest).post("/facebook/data-deletion");
    }
}
