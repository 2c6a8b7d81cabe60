package io.storefrontsync.worker.job;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.shopify.ShopifyShopSync;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.storefrontsync.worker.testing.JobRows;
import io.storefrontsync.worker.testing.ShopifySandbox;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.storefrontsync.worker.testing.Shops.uniqueShop;
import static io.storefrontsync.worker.testing.TestTokens.admin;
import static io.storefrontsync.worker.testing.TestTokens.bearer;
import static io.storefrontsync.worker.testing.TestTokens.service;
import static io.storefrontsync.worker.testing.TestTokens.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code GET /jobs?userId=}: a user's jobs page by page (keyset cursor), who may list them, what bad parameters get,
 * and the progress a real sync notes in its job row as it goes. The simulator's bucket refills fast (as in
 * {@code ShopifyShopSyncTest}) so the sync of the 650-product store takes seconds.
 */
@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, initArgs = {
        @ResourceArg(name = "set.SIM_SHOPIFY_BUCKET_SIZE", value = "1000"),
        @ResourceArg(name = "set.SIM_SHOPIFY_RESTORE_RATE", value = "20000")})
class JobListTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Inject
    Pool pool;
    @Inject
    SyncJobQueue queue;
    @Inject
    ShopifyShopSync shopifySync;

    private UUID owner;
    private List<UUID> newestFirst;

    @BeforeEach
    void fiveJobs() {
        GatewaySchema.ensure(pool);
        owner = GatewaySchema.seedUser(pool);
        newestFirst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            newestFirst.add(0, queue.enqueue(pool, JobRequest.sync(JobTarget.shop(new ShopDomain(uniqueShop())),
                    new UserId(owner), JobTrigger.WEBHOOK)).await().atMost(TIMEOUT).id());
        }
    }

    /**
     * The five jobs are due pending syncs of shops nobody installed: left behind, the next test class sharing this
     * application would have its runner claim them before its own job (and the retention test count them).
     */
    @AfterEach
    void removeTheJobs() {
        pool.preparedQuery("DELETE FROM worker.jobs WHERE id = ANY($1)")
                .execute(Tuple.of(newestFirst.toArray(new UUID[0]))).await().atMost(TIMEOUT);
    }

    @Test
    void adminShouldPageThroughTheUsersJobsNewestFirstWithoutRepeats() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().header("Authorization", bearer(admin()))
                    .queryParam("userId", owner.toString()).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.when().get("/jobs").then().statusCode(200).extract().jsonPath();
            List<String> ids = page.getList("jobs.id");
            assertThat(ids).hasSizeLessThanOrEqualTo(2);
            seen.addAll(ids);
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(newestFirst.stream().map(UUID::toString).toList());
    }

    @Test
    void eachJobShouldCarryTargetActionStatusAttemptsAndTimes() {
        given().header("Authorization", bearer(admin())).queryParam("userId", owner.toString()).queryParam("limit", 1)
                .when().get("/jobs")
                .then().statusCode(200)
                .body("jobs[0].id", is(newestFirst.get(0).toString()))
                .body("jobs[0].target.kind", is("shopify_shop"))
                .body("jobs[0].action", is("sync"))
                .body("jobs[0].status", is("pending"))
                .body("jobs[0].attempts", is(0))
                .body("jobs[0].lastError", nullValue())
                .body("jobs[0].progress", nullValue());
    }

    @Test
    void statusShouldFilter() {
        pool.preparedQuery("UPDATE worker.jobs SET status = 'dead', last_error = 'gone', finished_at = now() WHERE id = $1")
                .execute(Tuple.of(newestFirst.get(3))).await().atMost(TIMEOUT);
        given().header("Authorization", bearer(admin())).queryParam("userId", owner.toString()).queryParam("status", "dead")
                .when().get("/jobs")
                .then().statusCode(200)
                .body("jobs.id", is(List.of(newestFirst.get(3).toString())))
                .body("jobs[0].lastError", is("gone"))
                .body("jobs[0].finishedAt", org.hamcrest.Matchers.notNullValue())
                .body("nextCursor", nullValue());
        given().header("Authorization", bearer(admin())).queryParam("userId", owner.toString())
                .queryParam("status", "pending").queryParam("limit", 200)
                .when().get("/jobs")
                .then().statusCode(200).body("jobs.size()", is(4));
    }

    @Test
    void aUserShouldListItsOwnJobsOnly() {
        given().header("Authorization", bearer(user(owner))).queryParam("userId", owner.toString())
                .when().get("/jobs")
                .then().statusCode(200).body("jobs.size()", is(5));
        given().header("Authorization", bearer(user(UUID.randomUUID()))).queryParam("userId", owner.toString())
                .when().get("/jobs")
                .then().statusCode(403).body("error", is("forbidden")).body("field", is("userId"));
        given().header("Authorization", bearer(service())).queryParam("userId", owner.toString())
                .when().get("/jobs").then().statusCode(403);
        given().queryParam("userId", owner.toString()).when().get("/jobs").then().statusCode(401);
    }

    @Test
    void badParametersShouldBe400WithTheField() {
        Map<String, String> missingUser = Map.of("status", "pending");
        assertBad(missingUser, "userId");
        assertBad(Map.of("userId", "../" + owner), "userId");
        assertBad(Map.of("userId", owner.toString(), "status", "PENDING"), "status");
        assertBad(Map.of("userId", owner.toString(), "status", "bogus"), "status");
        for (String limit : List.of("0", "201", "-1", "abc", "1e3", "٣", "99999999999")) {
            assertBad(Map.of("userId", owner.toString(), "limit", limit), "limit");
        }
        for (String cursor : List.of("x", "!!!", "MTIzNA", "MTIzLm5vdC1hLXV1aWQ", "a".repeat(200))) {
            assertBad(Map.of("userId", owner.toString(), "cursor", cursor), "cursor");
        }
    }

    @Test
    void aRunningSyncShouldShowItsProgressAndAFinishedOneNone() {
        UUID shopOwner = GatewaySchema.seedUser(pool);
        String shop = ShopifySandbox.SHOP;
        ShopifySandbox.install(pool, shopOwner, shop);
        pool.preparedQuery("DELETE FROM worker.jobs WHERE target_id = $1 AND status IN ('pending', 'running', 'waiting')")
                .execute(Tuple.of(shop)).await().atMost(TIMEOUT);
        UUID running = JobRows.plantRunning(pool, shop, shopOwner, "another-worker", 600);
        try {
            shopifySync.sync(new UserId(shopOwner), new ShopDomain(shop)).await().atMost(TIMEOUT);

            JsonPath page = given().header("Authorization", bearer(user(shopOwner)))
                    .queryParam("userId", shopOwner.toString()).queryParam("status", "running")
                    .when().get("/jobs").then().statusCode(200).extract().jsonPath();
            assertThat(page.getList("jobs.id")).containsExactly(running.toString());
            Map<String, Object> progress = page.getMap("jobs[0].progress");
            assertThat(progress).containsEntry("phase", "writing")
                    .containsEntry("productsTotal", 650)
                    .containsEntry("productsRead", 650)
                    .containsKey("updatedAt");
            assertThat(((Number) progress.get("cost")).longValue()).isGreaterThan(1000);

            pool.preparedQuery("UPDATE worker.jobs SET status = 'succeeded', finished_at = now(), lease_owner = NULL WHERE id = $1")
                    .execute(Tuple.of(running)).await().atMost(TIMEOUT);
            given().header("Authorization", bearer(admin())).when().get("/jobs/" + running)
                    .then().statusCode(200).body("progress", nullValue());
        } finally {
            pool.preparedQuery("DELETE FROM worker.jobs WHERE id = $1").execute(Tuple.of(running)).await().atMost(TIMEOUT);
        }
    }

    private static void assertBad(Map<String, String> params, String field) {
        given().header("Authorization", bearer(admin())).queryParams(params)
                .when().get("/jobs")
                .then().statusCode(400).body("error", is("invalid_input")).body("field", is(field));
    }
}
