package io.storefrontsync.worker.job;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.storefrontsync.worker.testing.Shops.uniqueShop;
import static io.storefrontsync.worker.testing.TestTokens.admin;
import static io.storefrontsync.worker.testing.TestTokens.bearer;
import static io.storefrontsync.worker.testing.TestTokens.service;
import static io.storefrontsync.worker.testing.TestTokens.user;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@WithTestResource(SandboxWorldResource.class)
class JobResourceTest {

    @Inject
    Pool pool;
    @Inject
    SyncJobQueue queue;

    private UUID owner;
    private String shop;
    private UUID jobId;

    @BeforeEach
    void enqueueJob() {
        GatewaySchema.ensure(pool);
        owner = GatewaySchema.seedUser(pool);
        shop = uniqueShop();
        jobId = queue.enqueue(pool, JobRequest.sync(JobTarget.shop(new ShopDomain(shop)), new UserId(owner),
                JobTrigger.WEBHOOK)).await().atMost(Duration.ofSeconds(20)).id();
    }

    @Test
    void shouldShowAnyJobToAdmin() {
        given().header("Authorization", bearer(admin()))
                .when().get("/jobs/" + jobId)
                .then().statusCode(200)
                .body("id", is(jobId.toString()))
                .body("status", is("pending"))
                .body("target.kind", is("shopify_shop"))
                .body("target.id", is(shop))
                .body("trigger", is("webhook"))
                .body("attempts", is(0))
                .body("coalescedEvents", is(1))
                .body("createdAt", notNullValue());
    }

    @Test
    void shouldShowOwnJobToUser() {
        given().header("Authorization", bearer(user(owner)))
                .when().get("/jobs/" + jobId)
                .then().statusCode(200).body("id", is(jobId.toString()));
    }

    @Test
    void shouldHideAnotherUsersJob() {
        given().header("Authorization", bearer(user(UUID.randomUUID())))
                .when().get("/jobs/" + jobId)
                .then().statusCode(404);
    }

    @Test
    void shouldAnswer404ForUnknownJob() {
        given().header("Authorization", bearer(admin()))
                .when().get("/jobs/" + UUID.randomUUID())
                .then().statusCode(404);
    }

    @Test
    void shouldAnswer400ForMalformedJobId() {
        given().header("Authorization", bearer(admin()))
                .when().get("/jobs/not-a-uuid")
                .then().statusCode(400).body("field", is("id"));
    }

    @Test
    void shouldRequireAdminOrUserToken() {
        given().when().get("/jobs/" + jobId).then().statusCode(401);
        given().header("Authorization", bearer(service())).when().get("/jobs/" + jobId).then().statusCode(403);
    }
}
