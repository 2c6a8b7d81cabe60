package io.storefrontsync.gateway.admin;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.gateway.support.ShopifyInstall;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.storefrontsync.sandbox.DemoShop;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.sandbox.testing.TestJwts;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;

@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = WorkerReceiver.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AdminApiTest {

    private static final String SHOP = DemoShop.DOMAIN;
    private static final String SHOP_WEBHOOKS = "/admin/shops/" + DemoShop.NAME + "/webhooks";

    @ConfigProperty(name = "ADMIN_API_KEY")
    String adminApiKey;

    @ConfigProperty(name = "FACEBOOK_WEBHOOK_ADDRESS")
    String facebookWebhookAddress;

    @ConfigProperty(name = "gateway.shopify.webhook-topics")
    List<String> topics;

    @ConfigProperty(name = "JWT_PRIVATE_KEY")
    String jwtPrivateKey;

    @Test
    void shouldMintAnAdminTokenOnlyForTheRightKey() {
        given().post("/admin/token").then().statusCode(401).body("error", is("unauthorized"));
        given().header("X-Admin-Api-Key", adminApiKey + "x").post("/admin/token").then().statusCode(401);
        given().header("X-Admin-Api-Key", adminApiKey.substring(1)).post("/admin/token").then().statusCode(401);

        given().header("X-Admin-Api-Key", adminApiKey).post("/admin/token")
                .then().statusCode(200)
                .body("token_type", is("Bearer"))
                .body("expires_in", is(3600))
                .body("access_token", not(emptyOrNullString()));
    }

    @Test
    void shouldListRemoveAndReregisterTheShopsWebhooks() {
        ShopifyInstall.demoShop();
        String admin = adminToken();

        given().auth().oauth2(admin).get(SHOP_WEBHOOKS)
                .then().statusCode(200)
                .body("shop", is(SHOP))
                .body("subscriptions", hasSize(topics.size()));

        given().auth().oauth2(admin).delete("/admin/shops/" + SHOP + "/webhooks")
                .then().statusCode(200)
                .body("deleted", hasSize(topics.size()))
                .body("errors", hasSize(0));
        given().auth().oauth2(admin).get(SHOP_WEBHOOKS)
                .then().statusCode(200).body("subscriptions", hasSize(0));

        given().auth().oauth2(admin).post(SHOP_WEBHOOKS)
                .then().statusCode(200).body("status", is("success"));
        given().auth().oauth2(admin).get(SHOP_WEBHOOKS)
                .then().statusCode(200).body("subscriptions", hasSize(topics.size()));
    }

    @Test
    void shouldRequireAnAdminJwt() {
        given().get(SHOP_WEBHOOKS).then().statusCode(401);
        TestJwts jwts = TestJwts.signedWith(jwtPrivateKey);
        String userToken = jwts.user(UUID.fromString("0b6c7f44-1f7e-4a7e-9a51-2f0c2d0c1a11"), ServiceAuth.AUDIENCE_GATEWAY);
        given().auth().oauth2(userToken).get(SHOP_WEBHOOKS).then().statusCode(403);
        String workerOnly = jwts.token(TestJwts.OPERATOR_SUBJECT, ServiceAuth.ROLE_ADMIN, ServiceAuth.AUDIENCE_WORKER);
        given().auth().oauth2(workerOnly).get(SHOP_WEBHOOKS).then().statusCode(401);
        String otherIssuer = jwts.sign(TestJwts.claims("someone-else", ServiceAuth.AUDIENCE_GATEWAY, ServiceAuth.ROLE_ADMIN,
                TestJwts.OPERATOR_SUBJECT));
        given().auth().oauth2(otherIssuer).get(SHOP_WEBHOOKS).then().statusCode(401);
        given().post("/admin/facebook/webhooks").then().statusCode(401);
        given().auth().oauth2(userToken).post("/admin/facebook/webhooks").then().statusCode(403);
    }

    @Test
    void shouldListTheAppsFacebookWebhookSubscriptionsThroughGraph() {
        // The simulator starts with the app's Page subscription pointing at FACEBOOK_WEBHOOK_ADDRESS.
        given().auth().oauth2(adminToken()).get("/admin/facebook/webhooks")
                .then().statusCode(200)
                .body("data[0].object", is("page"))
                .body("data[0].callback_url", is(facebookWebhookAddress));
    }

    @Test
    void shouldAnswer400ForAnInvalidShopAnd404ForAShopWithoutConnection() {
        String admin = adminToken();
        given().auth().oauth2(admin).get("/admin/shops/evil.example/webhooks")
                .then().statusCode(400).body("error", not(emptyOrNullString()));
        given().auth().oauth2(admin).get("/admin/shops/never-installed/webhooks")
                .then().statusCode(404).body("error", is("not_found"));
    }

    private String adminToken() {
        return given().header("X-Admin-Api-Key", adminApiKey).post("/admin/token")
                .then().statusCode(200).extract().path("access_token");
    }
}
