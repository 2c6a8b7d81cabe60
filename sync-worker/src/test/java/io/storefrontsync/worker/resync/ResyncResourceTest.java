package io.storefrontsync.worker.resync;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.storefrontsync.worker.testing.JobRows;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.storefrontsync.worker.testing.Shops.uniquePage;
import static io.storefrontsync.worker.testing.Shops.uniqueShop;
import static io.storefrontsync.worker.testing.TestTokens.admin;
import static io.storefrontsync.worker.testing.TestTokens.bearer;
import static io.storefrontsync.worker.testing.TestTokens.service;
import static io.storefrontsync.worker.testing.TestTokens.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(SandboxWorldResource.class)
class ResyncResourceTest {

    @Inject
    Pool pool;

    private UUID owner;
    private String shop;
    private String page;

    @BeforeEach
    void seedConnections() {
        GatewaySchema.ensure(pool);
        owner = GatewaySchema.seedUser(pool);
        shop = uniqueShop();
        page = uniquePage();
        GatewaySchema.seedShop(pool, owner, shop, "active");
        GatewaySchema.seedPage(pool, owner, page);
    }

    @Test
    void shouldRequireToken() {
        given().contentType(ContentType.JSON).body(Map.of("userId", owner.toString()))
                .when().post("/resync").then().statusCode(401);
    }

    @Test
    void shouldResyncEverythingOfOwnUser() {
        given().header("Authorization", bearer(user(owner))).contentType(ContentType.JSON)
                .body(Map.of("userId", owner.toString()))
                .when().post("/resync")
                .then().statusCode(202)
                .body("jobs", hasSize(2))
                .body("jobs.target.id", containsInAnyOrder(shop, page));
        assertThat(JobRows.forTarget(pool, shop).get(0).getString("trigger")).isEqualTo("resync");
    }

    @Test
    void shouldResyncOnlyTheShopAskedFor() {
        given().header("Authorization", bearer(user(owner))).contentType(ContentType.JSON)
                .body(Map.of("userId", owner.toString(), "shop", shop))
                .when().post("/resync")
                .then().statusCode(202)
                .body("jobs", hasSize(1))
                .body("jobs[0].target.id", is(shop));
        assertThat(JobRows.forTarget(pool, page)).isEmpty();
    }

    @Test
    void shouldForbidResyncOfAnotherUser() {
        given().header("Authorization", bearer(user(UUID.randomUUID()))).contentType(ContentType.JSON)
                .body(Map.of("userId", owner.toString()))
                .when().post("/resync").then().statusCode(403);
        assertThat(JobRows.forTarget(pool, shop)).isEmpty();
    }

    @Test
    void shouldLetAdminResyncAnyUser() {
        given().header("Authorization", bearer(admin())).contentType(ContentType.JSON)
                .body(Map.of("userId", owner.toString()))
                .when().post("/resync").then().statusCode(202).body("jobs", hasSize(2));
    }

    @Test
    void shouldForbidServiceToken() {
        given().header("Authorization", bearer(service())).contentType(ContentType.JSON)
                .body(Map.of("userId", owner.toString()))
                .when().post("/resync").then().statusCode(403);
    }

    @Test
    void shouldRejectInvalidIdsWith400() {
        given().header("Authorization", bearer(admin())).contentType(ContentType.JSON)
                .body(Map.of("userId", "1-2-3-4-5"))
                .when().post("/resync").then().statusCode(400).body("field", is("userId"));
        given().header("Authorization", bearer(admin())).contentType(ContentType.JSON)
                .body(Map.of("userId", owner.toString(), "shop", "evil.example"))
                .when().post("/resync").then().statusCode(400).body("field", is("shop"));
        given().header("Authorization", bearer(admin())).contentType(ContentType.JSON)
                .body(Map.of("userId", owner.toString(), "pageId", "12ab"))
                .when().post("/resync").then().statusCode(400).body("field", is("pageId"));
    }

    @Test
    void shouldAnswer404WhenUserHasNoConnections() {
        UUID lonely = GatewaySchema.seedUser(pool);
        given().header("Authorization", bearer(user(lonely))).contentType(ContentType.JSON)
                .body(Map.of("userId", lonely.toString()))
                .when().post("/resync").then().statusCode(404);
    }
}
