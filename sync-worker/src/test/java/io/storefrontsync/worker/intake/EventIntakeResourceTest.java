package io.storefrontsync.worker.intake;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.storefrontsync.worker.testing.JobRows;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.storefrontsync.worker.testing.Events.batch;
import static io.storefrontsync.worker.testing.Events.facebook;
import static io.storefrontsync.worker.testing.Events.shopify;
import static io.storefrontsync.worker.testing.Shops.uniquePage;
import static io.storefrontsync.worker.testing.Shops.uniqueShop;
import static io.storefrontsync.worker.testing.TestTokens.admin;
import static io.storefrontsync.worker.testing.TestTokens.bearer;
import static io.storefrontsync.worker.testing.TestTokens.service;
import static io.storefrontsync.worker.testing.TestTokens.token;
import static io.storefrontsync.worker.testing.TestTokens.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(SandboxWorldResource.class)
class EventIntakeResourceTest {

    /** Health, metrics and the OpenAPI document are on the management interface (a free port in tests). */
    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    @Inject
    Pool pool;

    private UUID user;
    private String shop;

    @BeforeEach
    void seedConnection() {
        GatewaySchema.ensure(pool);
        user = GatewaySchema.seedUser(pool);
        shop = uniqueShop();
        GatewaySchema.seedShop(pool, user, shop, "active");
    }

    @Test
    void shouldRejectEventsWithoutToken() {
        given().contentType(ContentType.JSON).body(batch(shopify(shop, "products/update")))
                .when().post("/internal/events")
                .then().statusCode(401);
        assertThat(JobRows.forTarget(pool, shop)).isEmpty();
    }

    @Test
    void shouldForbidAdminAndUserTokensOnIntake() {
        for (String token : List.of(admin(), user(user))) {
            given().header("Authorization", bearer(token)).contentType(ContentType.JSON)
                    .body(batch(shopify(shop, "products/update")))
                    .when().post("/internal/events")
                    .then().statusCode(403);
        }
        assertThat(JobRows.forTarget(pool, shop)).isEmpty();
    }

    @Test
    void shouldRejectServiceTokenForAnotherAudience() {
        given().header("Authorization", bearer(token("oauth-gateway", ServiceAuth.ROLE_SERVICE, ServiceAuth.AUDIENCE_GATEWAY)))
                .contentType(ContentType.JSON).body(batch(shopify(shop, "products/update")))
                .when().post("/internal/events")
                .then().statusCode(401);
    }

    @Test
    void shouldStoreJobAndAnswer202ForServiceToken() {
        String jobId = given().header("Authorization", bearer(service())).contentType(ContentType.JSON)
                .body(batch(shopify(shop, "products/update")))
                .when().post("/internal/events")
                .then().statusCode(202)
                .body("jobs", hasSize(1))
                .body("jobs[0].target.kind", is("shopify_shop"))
                .body("jobs[0].target.id", is(shop))
                .body("jobs[0].coalesced", is(false))
                .extract().path("jobs[0].id");
        Row job = JobRows.byId(pool, UUID.fromString(jobId));
        assertThat(job.getString("status")).isEqualTo("pending");
        assertThat(job.getUUID("user_id")).isEqualTo(user);
        assertThat(job.getString("trigger")).isEqualTo("webhook");
    }

    @Test
    void shouldRejectInvalidEventWith400NamingTheField() {
        given().header("Authorization", bearer(service())).contentType(ContentType.JSON)
                .body(batch(shopify(shop, "products/update"), shopify("x.myshopify.com.evil.tld", "products/update")))
                .when().post("/internal/events")
                .then().statusCode(400)
                .body("error", is("invalid_input"))
                .body("field", is("events[1].shop"));
        assertThat(JobRows.forTarget(pool, shop)).as("nothing of a rejected batch is stored").isEmpty();
    }

    @Test
    void shouldRejectMalformedJsonWith400() {
        given().header("Authorization", bearer(service())).contentType(ContentType.JSON)
                .body("{\"events\": [ {\"eventId\": ")
                .when().post("/internal/events")
                .then().statusCode(400)
                .body("error", is("invalid_json"));
    }

    @Test
    void shouldReportUnknownShopWithoutJob() {
        String stranger = uniqueShop();
        given().header("Authorization", bearer(service())).contentType(ContentType.JSON)
                .body(batch(shopify(stranger, "products/update")))
                .when().post("/internal/events")
                .then().statusCode(202)
                .body("jobs", hasSize(0))
                .body("ignored[0].reason", containsString("unknown shop"));
        assertThat(JobRows.forTarget(pool, stranger)).isEmpty();
    }

    @Test
    void shouldMapFacebookEventToPageJob() {
        String page = uniquePage();
        GatewaySchema.seedPage(pool, user, page);
        given().header("Authorization", bearer(service())).contentType(ContentType.JSON)
                .body(batch(facebook(page, "page/feed")))
                .when().post("/internal/events")
                .then().statusCode(202)
                .body("jobs[0].target.kind", is("facebook_page"))
                .body("jobs[0].target.id", is(page));
        assertThat(JobRows.forTarget(pool, page).get(0).getUUID("user_id")).isEqualTo(user);
    }

    @Test
    void shouldCoalesceFiveEventsIntoOnePendingJob() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(shopify(shop, "products/update"));
        }
        List<Boolean> coalesced = given().header("Authorization", bearer(service())).contentType(ContentType.JSON)
                .body(batch(events))
                .when().post("/internal/events")
                .then().statusCode(202)
                .extract().path("jobs.coalesced");
        assertThat(coalesced).containsExactly(false, true, true, true, true);

        List<Row> pending = JobRows.withStatus(pool, shop, "pending");
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).getInteger("coalesced_events")).isEqualTo(5);
        OffsetDateTime created = pending.get(0).getOffsetDateTime("created_at");
        OffsetDateTime runAfter = pending.get(0).getOffsetDateTime("run_after");
        assertThat(Duration.between(created, runAfter)).as("debounced by about 2 s")
                .isBetween(Duration.ofMillis(1500), Duration.ofSeconds(10));
    }

    @Test
    void shouldScheduleExactlyOneFollowUpForEventsDuringRunningJob() {
        UUID running = JobRows.plantRunning(pool, shop, user, "another-worker", 300);
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", bearer(service())).contentType(ContentType.JSON)
                    .body(batch(shopify(shop, "products/update")))
                    .when().post("/internal/events")
                    .then().statusCode(202);
        }
        assertThat(JobRows.withStatus(pool, shop, "running")).extracting(r -> r.getUUID("id")).containsExactly(running);
        List<Row> pending = JobRows.withStatus(pool, shop, "pending");
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).getInteger("coalesced_events")).isEqualTo(3);
    }

    @Test
    void shouldCancelPendingSyncWhenAppIsUninstalled() {
        given().header("Authorization", bearer(service())).contentType(ContentType.JSON)
                .body(batch(shopify(shop, "products/update")))
                .when().post("/internal/events").then().statusCode(202);
        given().header("Authorization", bearer(service())).contentType(ContentType.JSON)
                .body(batch(shopify(shop, "app/uninstalled")))
                .when().post("/internal/events")
                .then().statusCode(202)
                .body("jobs", hasSize(0))
                .body("ignored[0].reason", containsString("1 pending sync cancelled"));
        assertThat(JobRows.forTarget(pool, shop)).extracting(r -> r.getString("status")).containsExactly("cancelled");
    }

    @Test
    void aBurstOfOneShopsEventsShouldBecomeOneJobCountingEveryEventAndKeepItsOrderAroundAnUninstall() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(withUser(shopify(shop, "products/update")));
        }
        events.add(withUser(shopify(shop, "app/uninstalled")));
        for (int i = 0; i < 3; i++) {
            events.add(withUser(shopify(shop, "inventory_levels/update")));
        }
        double coalescedBefore = jobEvents("coalesced");

        List<Map<String, Object>> jobs = given().header("Authorization", bearer(service())).contentType(ContentType.JSON)
                .body(batch(events))
                .when().post("/internal/events")
                .then().statusCode(202)
                .body("ignored", hasSize(1))
                .body("ignored[0].reason", containsString("1 pending sync cancelled"))
                .extract().path("jobs");

        assertThat(jobs).hasSize(43);
        assertThat(jobs).extracting(job -> job.get("coalesced"))
                .containsExactlyElementsOf(expectedCoalesced());
        Object first = jobs.get(0).get("id");
        Object afterUninstall = jobs.get(40).get("id");
        assertThat(jobs.subList(0, 40)).extracting(job -> job.get("id")).containsOnly(first);
        assertThat(jobs.subList(40, 43)).extracting(job -> job.get("id")).containsOnly(afterUninstall);
        assertThat(afterUninstall).isNotEqualTo(first);
        Row cancelled = JobRows.byId(pool, UUID.fromString((String) first));
        assertThat(cancelled.getString("status")).isEqualTo("cancelled");
        assertThat(cancelled.getInteger("coalesced_events")).isEqualTo(40);
        Row pending = JobRows.byId(pool, UUID.fromString((String) afterUninstall));
        assertThat(pending.getString("status")).isEqualTo("pending");
        assertThat(pending.getInteger("coalesced_events")).isEqualTo(3);
        assertThat(jobEvents("coalesced") - coalescedBefore).isEqualTo(39 + 2);
    }

    private static List<Boolean> expectedCoalesced() {
        List<Boolean> expected = new ArrayList<>();
        for (int i = 0; i < 43; i++) {
            expected.add(i != 0 && i != 40);
        }
        return expected;
    }

    private Map<String, Object> withUser(Map<String, Object> event) {
        event.put("userId", user.toString());
        return event;
    }

    private double jobEvents(String event) {
        String metrics = given().port(managementPort).get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(line -> line.startsWith("storefront_jobs_total{") && line.contains("event=\"" + event + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
