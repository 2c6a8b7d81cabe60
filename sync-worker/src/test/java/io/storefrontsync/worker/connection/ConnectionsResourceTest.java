package io.storefrontsync.worker.connection;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.job.JobRequest;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.JobTrigger;
import io.storefrontsync.worker.job.SyncJobQueue;
import io.storefrontsync.worker.spaces.DocumentRecords;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
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
import static org.hamcrest.Matchers.is;

/**
 * {@code GET /connections?userId=}: a user's shops and Pages from the gateway's tables, with the worker's flag, the
 * jobs' history and the Spaces keys with their last hashes; and who may ask.
 */
@QuarkusTest
@WithTestResource(SandboxWorldResource.class)
class ConnectionsResourceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Inject
    Pool pool;
    @Inject
    SyncJobQueue queue;
    @Inject
    DocumentRecords documents;

    private UUID owner;
    private String healthyShop;
    private String brokenShop;
    private String page;

    @BeforeEach
    void seed() {
        GatewaySchema.ensure(pool);
        owner = GatewaySchema.seedUser(pool);
        UserId user = new UserId(owner);
        healthyShop = uniqueShop();
        brokenShop = uniqueShop();
        page = uniquePage();
        GatewaySchema.seedShop(pool, owner, healthyShop, "active");
        GatewaySchema.seedShop(pool, owner, brokenShop, "needs_reinstall");
        GatewaySchema.seedPage(pool, owner, page);

        // healthy: failed once, then succeeded; broken: succeeded, then died; a pending job open on it.
        finish(job(healthyShop), "failed", "THROTTLED", "2026-01-01T10:00:00Z");
        finish(job(healthyShop), "succeeded", null, "2026-01-01T11:00:00Z");
        finish(job(brokenShop), "succeeded", null, "2026-01-01T09:00:00Z");
        finish(job(brokenShop), "dead", "refresh token rejected", "2026-01-01T12:00:00Z");
        UUID open = job(brokenShop);
        pool.preparedQuery("""
                        INSERT INTO worker.connection_health (target_kind, target_id, user_id, status, reason, job_id)
                        VALUES ('facebook_page', $1, $2, 'needs_login', 'code 190: token expired', $3)""")
                .execute(Tuple.of(page, owner, open)).await().atMost(TIMEOUT);

        documents.record(user, SpacesKeys.shopifyShopMetadata(user, new ShopDomain(healthyShop)), "a".repeat(64), 10)
                .await().atMost(TIMEOUT);
        documents.record(user, SpacesKeys.shopifyShopProducts(user, new ShopDomain(healthyShop)), "b".repeat(64), 20)
                .await().atMost(TIMEOUT);
        documents.record(user, SpacesKeys.facebookPageData(user, new PageId(page)), "c".repeat(64), 30)
                .await().atMost(TIMEOUT);
        // Another user's copy of the same shop is not this user's.
        UserId other = new UserId(GatewaySchema.seedUser(pool));
        documents.record(other, SpacesKeys.shopifyShopMetadata(other, new ShopDomain(healthyShop)), "d".repeat(64), 40)
                .await().atMost(TIMEOUT);
    }

    @Test
    void shouldShowEachShopAndPageWithStatusHistoryFlagsAndDocuments() {
        JsonPath answer = given().header("Authorization", bearer(admin())).queryParam("userId", owner.toString())
                .when().get("/connections").then().statusCode(200).extract().jsonPath();
        assertThat(answer.getString("userId")).isEqualTo(owner.toString());
        List<Map<String, Object>> connections = answer.getList("connections");
        assertThat(connections.stream().map(c -> (String) ((Map<?, ?>) c.get("target")).get("id")).toList())
                .containsExactly(brokenShop.compareTo(healthyShop) < 0 ? brokenShop : healthyShop,
                        brokenShop.compareTo(healthyShop) < 0 ? healthyShop : brokenShop, page);

        Map<String, Object> healthy = find(connections, healthyShop);
        assertThat(healthy).containsEntry("status", "active").containsEntry("needsLogin", false)
                .containsEntry("needsReinstall", false);
        assertThat(instant(healthy.get("lastSuccessfulSync"))).isEqualTo("2026-01-01T11:00:00Z");
        assertThat(healthy.get("lastError")).as("the failure came before the success").isNull();
        assertThat((List<?>) healthy.get("documents")).hasSize(2);
        assertThat(answer.getList("connections.find { it.target.id == '" + healthyShop + "' }.documents.sha256"))
                .containsExactly("a".repeat(64), "b".repeat(64));

        Map<String, Object> broken = find(connections, brokenShop);
        assertThat(broken).containsEntry("status", "needs_reinstall").containsEntry("needsReinstall", true)
                .containsEntry("lastError", "refresh token rejected").containsEntry("openJobStatus", "pending");
        assertThat(instant(broken.get("lastSuccessfulSync"))).isEqualTo("2026-01-01T09:00:00Z");
        assertThat((List<?>) broken.get("documents")).isEmpty();

        Map<String, Object> flagged = find(connections, page);
        assertThat(flagged).containsEntry("needsLogin", true).containsEntry("needsLoginReason", "code 190: token expired")
                .containsEntry("lastSuccessfulSync", null);
        assertThat(((Map<?, ?>) flagged.get("target")).get("kind")).isEqualTo("facebook_page");
        assertThat(answer.getList("connections.find { it.target.id == '" + page + "' }.documents.key"))
                .containsExactly("users/" + owner + "/facebook/" + page + "/page_data.json");
    }

    @Test
    void aUserShouldSeeOnlyItsOwnConnections() {
        given().header("Authorization", bearer(user(owner))).queryParam("userId", owner.toString())
                .when().get("/connections").then().statusCode(200).body("connections.size()", is(3));
        given().header("Authorization", bearer(user(UUID.randomUUID()))).queryParam("userId", owner.toString())
                .when().get("/connections").then().statusCode(403).body("error", is("forbidden"));
        given().header("Authorization", bearer(service())).queryParam("userId", owner.toString())
                .when().get("/connections").then().statusCode(403);
        given().queryParam("userId", owner.toString()).when().get("/connections").then().statusCode(401);
    }

    @Test
    void aMissingOrMalformedUserIdShouldBe400() {
        for (String bad : List.of("", "../x", owner.toString().toUpperCase() + "0", "%2e%2e")) {
            given().header("Authorization", bearer(admin())).queryParam("userId", bad)
                    .when().get("/connections").then().statusCode(400).body("field", is("userId"));
        }
        given().header("Authorization", bearer(admin())).when().get("/connections")
                .then().statusCode(400).body("error", is("invalid_input")).body("field", is("userId"));
    }

    @Test
    void aUserWithNothingShouldGetAnEmptyList() {
        given().header("Authorization", bearer(admin())).queryParam("userId", UUID.randomUUID().toString())
                .when().get("/connections").then().statusCode(200).body("connections.size()", is(0));
    }

    /**
     * The jobs seeded here are finished months ago or pending on shops nobody installed: left behind, the retention
     * test would count them and another class's runner would claim them before its own job.
     */
    @AfterEach
    void removeTheJobs() {
        pool.preparedQuery("DELETE FROM worker.jobs WHERE target_id = ANY($1)")
                .execute(Tuple.of(new String[] {healthyShop, brokenShop, page})).await().atMost(TIMEOUT);
    }

    private UUID job(String shop) {
        return queue.enqueue(pool, JobRequest.sync(JobTarget.shop(new ShopDomain(shop)), new UserId(owner),
                JobTrigger.RESYNC)).await().atMost(TIMEOUT).id();
    }

    /** Moves a job to a finished status at a chosen time (the queue's own transitions need a runner). */
    private void finish(UUID id, String status, String error, String at) {
        pool.preparedQuery("""
                        UPDATE worker.jobs SET status = $2, last_error = $3, finished_at = $4::text::timestamptz,
                            updated_at = $4::text::timestamptz WHERE id = $1""")
                .execute(Tuple.of(id, status, error, at)).await().atMost(TIMEOUT);
    }

    private static String instant(Object text) {
        return java.time.OffsetDateTime.parse((String) text).toInstant().toString();
    }

    private static Map<String, Object> find(List<Map<String, Object>> connections, String id) {
        return connections.stream().filter(c -> id.equals(((Map<?, ?>) c.get("target")).get("id"))).findFirst().orElseThrow();
    }
}
