package io.storefrontsync.worker.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.storefrontsync.worker.testing.JobRows;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
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
import static io.storefrontsync.worker.testing.TestTokens.serviceToken;
import static io.storefrontsync.worker.testing.TestTokens.token;
import static io.storefrontsync.worker.testing.TestTokens.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(SandboxWorldResource.class)
class EventIntakeResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Health, metrics and the OpenAPI document are on the management interface (a free port in tests). */
    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    @Inject
    Pool pool;
    @Inject
    ServiceTokenUses tokenUses;
    @Inject
    TakenEvents takenEvents;

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
        String jobId = given().filter(serviceToken()).contentType(ContentType.JSON)
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
        given().filter(serviceToken()).contentType(ContentType.JSON)
                .body(batch(shopify(shop, "products/update"), shopify("x.myshopify.com.evil.tld", "products/update")))
                .when().post("/internal/events")
                .then().statusCode(400)
                .body("error", is("invalid_input"))
                .body("field", is("events[1].shop"));
        assertThat(JobRows.forTarget(pool, shop)).as("nothing of a rejected batch is stored").isEmpty();
    }

    @Test
    void shouldRejectMalformedJsonWith400() {
        given().filter(serviceToken()).contentType(ContentType.JSON)
                .body("{\"events\": [ {\"eventId\": ")
                .when().post("/internal/events")
                .then().statusCode(400)
                .body("error", is("invalid_json"));
    }

    @Test
    void shouldReportUnknownShopWithoutJob() {
        String stranger = uniqueShop();
        given().filter(serviceToken()).contentType(ContentType.JSON)
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
        given().filter(serviceToken()).contentType(ContentType.JSON)
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
        List<Boolean> coalesced = given().filter(serviceToken()).contentType(ContentType.JSON)
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
            given().filter(serviceToken()).contentType(ContentType.JSON)
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
        given().filter(serviceToken()).contentType(ContentType.JSON)
                .body(batch(shopify(shop, "products/update")))
                .when().post("/internal/events").then().statusCode(202);
        given().filter(serviceToken()).contentType(ContentType.JSON)
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

        List<Map<String, Object>> jobs = given().filter(serviceToken()).contentType(ContentType.JSON)
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

    @Test
    void aBatchMixingShopsDuplicatesAndAnUnownedShopShouldGiveEachOwnedShopOneJobAndOneRowPerChangedProduct() {
        String other = uniqueShop();
        GatewaySchema.seedShop(pool, user, other, "active");
        String unowned = uniqueShop();
        GatewaySchema.seedShop(pool, GatewaySchema.seedUser(pool), unowned, "active");
        Map<String, Object> twice = patch(shop, "1");
        List<Map<String, Object>> events = List.of(twice, patch(other, "7"), patch(unowned, "9"), patch(shop, "1"),
                patch(other, "7"), twice, patch(unowned, "9"), patch(shop, "2"));
        double refusedBefore = metric("storefront_ownership_refused_total{", "stage=\"intake\"");

        List<Map<String, Object>> jobs = given().filter(serviceToken()).contentType(ContentType.JSON)
                .body(batch(events))
                .when().post("/internal/events")
                .then().statusCode(202)
                .body("ignored", hasSize(3))
                .body("ignored[0].reason", is("user " + user + " does not hold shopify_shop:" + unowned + ": refused"))
                .body("ignored[1].reason", is("event " + twice.get("eventId") + " was already taken"))
                .body("ignored[2].reason", is("user " + user + " does not hold shopify_shop:" + unowned + ": refused"))
                .extract().path("jobs");

        // Batch order: shop, other, shop, other, shop (the same event again at 5 is taken once).
        assertThat(jobs).extracting(job -> job.get("coalesced")).containsExactly(false, false, true, true, true);
        assertThat(jobs).extracting(job -> job.get("id")).containsExactly(jobs.get(0).get("id"), jobs.get(1).get("id"),
                jobs.get(0).get("id"), jobs.get(1).get("id"), jobs.get(0).get("id"));
        List<Row> pending = JobRows.withStatus(pool, shop, "pending");
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).getInteger("coalesced_events")).isEqualTo(3);
        assertThat(pending.get(0).getString("action")).isEqualTo("patch");
        assertThat(JobRows.withStatus(pool, other, "pending")).singleElement()
                .satisfies(row -> assertThat(row.getInteger("coalesced_events")).isEqualTo(2));
        assertThat(JobRows.forTarget(pool, unowned)).isEmpty();
        assertThat(changedResources(shop)).containsExactly("gid://shopify/Product/1", "gid://shopify/Product/2");
        assertThat(changedResources(other)).containsExactly("gid://shopify/Product/7");
        assertThat(changedResources(unowned)).isEmpty();
        assertThat(metric("storefront_ownership_refused_total{", "stage=\"intake\"") - refusedBefore).isEqualTo(2);
    }

    @Test
    void anEventDeliveredAgainShouldBeTakenOnceEvenAfterItsJobRan() {
        Map<String, Object> event = patch(shop, "5");
        given().filter(serviceToken()).contentType(ContentType.JSON).body(batch(event))
                .when().post("/internal/events")
                .then().statusCode(202).body("jobs", hasSize(1)).body("ignored", hasSize(0));
        long version = changeVersion(shop, "gid://shopify/Product/5");

        // The gateway's delivered mark was lost: the same event comes again, in another delivery with a fresh token.
        given().filter(serviceToken()).contentType(ContentType.JSON).body(batch(event, patch(shop, "6")))
                .when().post("/internal/events")
                .then().statusCode(202)
                .body("jobs", hasSize(1))
                .body("ignored", hasSize(1))
                .body("ignored[0].reason", is("event " + event.get("eventId") + " was already taken"));
        assertThat(JobRows.forTarget(pool, shop)).singleElement()
                .satisfies(row -> assertThat(row.getInteger("coalesced_events")).isEqualTo(2));
        assertThat(changeVersion(shop, "gid://shopify/Product/5")).as("the change is not recorded again")
                .isEqualTo(version);

        // Its patch ran (job and change gone); a third delivery of it still makes no job and no change.
        pool.preparedQuery("DELETE FROM worker.jobs WHERE target_id = $1").executeAndAwait(Tuple.of(shop));
        pool.preparedQuery("DELETE FROM worker.shop_changes WHERE shop = $1").executeAndAwait(Tuple.of(shop));
        given().filter(serviceToken()).contentType(ContentType.JSON).body(batch(event))
                .when().post("/internal/events")
                .then().statusCode(202).body("jobs", hasSize(0)).body("ignored", hasSize(1));
        assertThat(JobRows.forTarget(pool, shop)).isEmpty();
        assertThat(changedResources(shop)).isEmpty();
    }

    @Test
    void theTakenEventIdsShouldBePurgedAfterTheirRetention() {
        Map<String, Object> event = shopify(shop, "products/update");
        given().filter(serviceToken()).contentType(ContentType.JSON).body(batch(event))
                .when().post("/internal/events").then().statusCode(202);
        String id = (String) event.get("eventId");
        pool.preparedQuery("UPDATE worker.intake_events SET taken_at = now() - interval '2 hours' WHERE event_id = $1")
                .executeAndAwait(Tuple.of(id));

        assertThat(takenEvents.purge().await().atMost(Duration.ofSeconds(20))).isGreaterThanOrEqualTo(1);
        assertThat(pool.preparedQuery("SELECT count(*) FROM worker.intake_events WHERE event_id = $1")
                .executeAndAwait(Tuple.of(id)).iterator().next().getLong(0)).isZero();
    }

    // ---- issue 11: service tokens bound to their body, single-use; the event's user checked ---------------------

    @Test
    void shouldRefuseAServiceTokenMintedForAnotherBody() throws Exception {
        byte[] body = json(batch(shopify(shop, "products/update")));
        byte[] other = json(batch(shopify(shop, "products/update")));
        for (String token : List.of(service(other), service())) {
            given().header("Authorization", bearer(token)).contentType(ContentType.JSON).body(body)
                    .when().post("/internal/events")
                    .then().statusCode(401)
                    .body("error", is("invalid_token"))
                    .body("message", is("the service token is not bound to this body"));
        }
        assertThat(JobRows.forTarget(pool, shop)).isEmpty();
    }

    @Test
    void shouldAcceptEachServiceTokenOnceAcrossTheWholeQueue() throws Exception {
        byte[] body = json(batch(shopify(shop, "products/update")));
        String jti = UUID.randomUUID().toString();
        String token = service(body, jti);
        given().header("Authorization", bearer(token)).contentType(ContentType.JSON).body(body)
                .when().post("/internal/events")
                .then().statusCode(202);
        given().header("Authorization", bearer(token)).contentType(ContentType.JSON).body(body)
                .when().post("/internal/events")
                .then().statusCode(401)
                .body("error", is("invalid_token"))
                .body("message", is("the service token was already used"));
        // The same jti under another, correctly bound token is the same token used twice.
        byte[] other = json(batch(shopify(shop, "inventory_levels/update")));
        given().header("Authorization", bearer(service(other, jti))).contentType(ContentType.JSON).body(other)
                .when().post("/internal/events")
                .then().statusCode(401);

        assertThat(JobRows.forTarget(pool, shop)).hasSize(1);
        assertThat(JobRows.forTarget(pool, shop).get(0).getInteger("coalesced_events")).isEqualTo(1);
        Row use = pool.preparedQuery("SELECT expires_at > now() + interval '5 minutes' AS kept FROM worker.service_token_uses "
                + "WHERE jti = $1").execute(Tuple.of(jti)).await().atMost(Duration.ofSeconds(20))
                .iterator().next();
        assertThat(use.getBoolean("kept")).as("kept past the token's 300 s lifetime plus clock skew").isTrue();
    }

    @Test
    void aRejectedBatchShouldNotUseUpItsToken() throws Exception {
        byte[] body = json(batch(shopify("x.myshopify.com.evil.tld", "products/update")));
        String token = service(body);
        for (int i = 0; i < 2; i++) {
            given().header("Authorization", bearer(token)).contentType(ContentType.JSON).body(body)
                    .when().post("/internal/events")
                    .then().statusCode(400);
        }
    }

    @Test
    void shouldPurgeTheRecordsOfExpiredTokens() {
        String expired = UUID.randomUUID().toString();
        pool.preparedQuery("INSERT INTO worker.service_token_uses (jti, expires_at) VALUES ($1, now() - interval '1 second')")
                .execute(Tuple.of(expired)).await().atMost(Duration.ofSeconds(20));

        assertThat(tokenUses.purge().await().atMost(Duration.ofSeconds(20))).isGreaterThanOrEqualTo(1);
        assertThat(pool.preparedQuery("SELECT 1 FROM worker.service_token_uses WHERE jti = $1")
                .execute(Tuple.of(expired)).await().atMost(Duration.ofSeconds(20)).size()).isZero();
    }

    @Test
    void shouldRefuseEventsNamingAUserWhoDoesNotOwnTheShopOrPage() {
        UUID stranger = GatewaySchema.seedUser(pool);
        String page = uniquePage();
        GatewaySchema.seedPage(pool, user, page);
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(as(stranger, shopify(shop, "products/update")));
        }
        events.add(as(stranger, shopify(shop, "app/installed")));
        events.add(as(stranger, facebook(page, "page/feed")));
        double refusedBefore = metric("storefront_ownership_refused_total{", "stage=\"intake\"");

        given().filter(serviceToken()).contentType(ContentType.JSON)
                .body(batch(events))
                .when().post("/internal/events")
                .then().statusCode(202)
                .body("jobs", hasSize(0))
                .body("ignored", hasSize(5))
                .body("ignored.reason", everyItem(containsString("user " + stranger + " does not hold")));

        assertThat(JobRows.forTarget(pool, shop)).isEmpty();
        assertThat(JobRows.forTarget(pool, page)).isEmpty();
        assertThat(metric("storefront_ownership_refused_total{", "stage=\"intake\"") - refusedBefore).isEqualTo(5);
    }

    @Test
    void aDeletionShouldNameAUserKnownToHoldTheTarget() {
        // shop/redact: the gateway deleted its row in the transaction that published the event.
        UUID previous = GatewaySchema.seedUser(pool);
        String redacted = uniqueShop();
        JobRows.plantRunning(pool, redacted, previous, "previous-owner-sync", 300);
        UUID stranger = GatewaySchema.seedUser(pool);

        given().filter(serviceToken()).contentType(ContentType.JSON)
                .body(batch(as(stranger, shopify(redacted, "shop/redact")), as(previous, shopify(redacted, "shop/redact"))))
                .when().post("/internal/events")
                .then().statusCode(202)
                .body("ignored", hasSize(1))
                .body("ignored[0].reason", containsString("user " + stranger + " does not hold"))
                .body("jobs", hasSize(1));
        assertThat(JobRows.withStatus(pool, redacted, "pending")).extracting(r -> r.getUUID("user_id"))
                .containsExactly(previous);
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

    private Map<String, Object> patch(String target, String product) {
        Map<String, Object> event = withUser(shopify(target, "products/update"));
        event.put("resourceId", "gid://shopify/Product/" + product);
        return event;
    }

    private long changeVersion(String target, String resource) {
        return pool.preparedQuery("SELECT version FROM worker.shop_changes WHERE shop = $1 AND resource_id = $2")
                .executeAndAwait(Tuple.of(target, resource)).iterator().next().getLong("version");
    }

    private List<String> changedResources(String target) {
        List<String> ids = new ArrayList<>();
        pool.preparedQuery("SELECT resource_id FROM worker.shop_changes WHERE shop = $1 ORDER BY resource_id")
                .executeAndAwait(Tuple.of(target)).forEach(row -> ids.add(row.getString("resource_id")));
        return ids;
    }

    private static Map<String, Object> as(UUID owner, Map<String, Object> event) {
        event.put("userId", owner.toString());
        return event;
    }

    private static byte[] json(Object body) throws Exception {
        return JSON.writeValueAsBytes(body);
    }

    private double metric(String prefix, String label) {
        String metrics = given().port(managementPort).get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(line -> line.startsWith(prefix) && line.contains(label))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
