package io.storefrontsync.worker.facebook;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.job.ConnectionHealth;
import io.storefrontsync.worker.job.JobRunner;
import io.storefrontsync.worker.job.TargetKind;
import io.storefrontsync.worker.schedule.DailyPoll;
import io.storefrontsync.worker.spaces.Spaces;
import io.storefrontsync.worker.spaces.SpacesMetrics;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.storefrontsync.worker.testing.HealthRows;
import io.storefrontsync.worker.testing.JobRows;
import io.storefrontsync.worker.testing.SimulatedFacebook;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static io.storefrontsync.worker.testing.TestTokens.admin;
import static io.storefrontsync.worker.testing.TestTokens.bearer;
import static io.storefrontsync.worker.testing.TestTokens.serviceToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Page sync end to end against the sandbox world: real Page tokens from the simulator's Facebook Login,
 * stored encrypted in gateway.facebook_pages as the gateway stores them, jobs run by the job runner.
 */
@QuarkusTest
@WithTestResource(SandboxWorldResource.class)
class FacebookPageSyncTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    Pool pool;
    @Inject
    JobRunner runner;
    @Inject
    DailyPoll dailyPoll;
    @Inject
    SpacesMetrics spacesMetrics;
    @Inject
    FacebookMetrics facebookMetrics;
    @Inject
    ConnectionHealth health;
    @Inject
    @Spaces
    S3AsyncClient s3;
    @ConfigProperty(name = "storefront.spaces.bucket")
    String bucket;

    private UUID owner;
    private String page;
    private String pageToken;
    private String key;
    private Map<String, String> tokens;

    @BeforeEach
    void connectFirstSimulatedPage() {
        GatewaySchema.ensure(pool);
        SimulatedFacebook.clearFaults();
        tokens = SimulatedFacebook.loginPageTokens();
        page = tokens.keySet().iterator().next();
        pageToken = tokens.get(page);
        owner = GatewaySchema.seedUser(pool);
        // The simulator's page ids are shared by every test: start from a clean queue and no flags for this one.
        tokens.keySet().forEach(id -> {
            JobRows.discardPending(pool, id);
            HealthRows.clearPage(pool, id);
        });
        GatewaySchema.connectPage(pool, owner, page, pageToken);
        key = SpacesKeys.facebookPageData(new UserId(owner), new PageId(page));
    }

    @AfterEach
    void disconnect() {
        SimulatedFacebook.clearFaults();
        tokens.keySet().forEach(id -> GatewaySchema.setPageStatus(pool, id, "deleted"));
    }

    @Test
    void pageSyncShouldWriteTheSimulatorsPageDataWithoutAnyToken() throws Exception {
        Row job = runToEnd(resync());

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(key).isEqualTo("users/" + owner + "/facebook/" + page + "/page_data.json");
        byte[] stored = object(key);
        String expected = SimulatedFacebook.page(page, pageToken, String.join(",", FacebookGraphClient.PAGE_FIELDS));
        assertThat(stored).isEqualTo(CanonicalJson.canonicalBytes(CanonicalJson.parse(expected)));
        String text = new String(stored, StandardCharsets.UTF_8);
        assertThat(SimulatedFacebook.tokensSeen()).isNotEmpty().allSatisfy(token -> assertThat(text).doesNotContain(token));
        assertThat(text).doesNotContain("access_token").doesNotContainPattern("EAA[A-Za-z0-9]{20,}");
        assertThat(CanonicalJson.parse(stored).path("emails").isArray()).isTrue();
        JsonObject result = (JsonObject) job.getValue("result");
        assertThat(result.getJsonArray("written").getList()).containsExactly(key);
        assertThat(result.getInteger("requests")).isEqualTo(1);
    }

    @Test
    void requestedFieldsShouldBeValidPageFieldsOnly() {
        // The simulator refuses unknown Page fields with (#100) as Graph does, so a successful sync proves the list.
        assertThat(runToEnd(resync()).getString("status")).isEqualTo("succeeded");
        assertThat(FacebookGraphClient.PAGE_FIELDS).contains("emails", "picture{url}")
                .doesNotContain("email", "created_time", "access_token");
        given().header("Authorization", "Bearer " + pageToken).queryParam("fields", "id,email")
                .when().get(SimulatedFacebook.graphUrl() + "/v26.0/" + page)
                .then().statusCode(400);
    }

    @Test
    void unchangedPageShouldMakeNoPut() {
        runToEnd(resync());
        double puts = spacesMetrics.requests("put");

        Row second = runToEnd(resync());

        assertThat(second.getString("status")).isEqualTo("succeeded");
        assertThat(spacesMetrics.requests("put")).isEqualTo(puts);
        JsonObject result = (JsonObject) second.getValue("result");
        assertThat(result.getJsonArray("skipped").getList()).containsExactly(key);
        assertThat(result.getJsonArray("written").getList()).isEmpty();
    }

    @Test
    void pageChangeShouldRewriteTheObject() throws Exception {
        runToEnd(resync());
        String before = CanonicalJson.parse(object(key)).path("name").asText();

        SimulatedFacebook.changePage(page, "name");
        Row job = runToEnd(resync());

        assertThat(((JsonObject) job.getValue("result")).getJsonArray("written").getList()).containsExactly(key);
        String after = CanonicalJson.parse(object(key)).path("name").asText();
        assertThat(after).isNotEqualTo(before).contains("(rev ");
    }

    @Test
    void rateLimitErrorsShouldBeRetriedAndThePageWrittenOnce() {
        double puts = spacesMetrics.requests("put");
        double limited = facebookMetrics.requests("rate_limited");
        SimulatedFacebook.armFault(Map.of("kind", "rate_limit", "code", 4, "count", 2));

        Row job = runToEnd(resync());

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(job.getInteger("attempts")).as("retried inside the one job attempt").isEqualTo(1);
        assertThat(((JsonObject) job.getValue("result")).getInteger("requests")).isEqualTo(3);
        assertThat(spacesMetrics.requests("put") - puts).isEqualTo(1);
        assertThat(facebookMetrics.requests("rate_limited") - limited).isEqualTo(2);
    }

    @Test
    void expiredPageTokenShouldKillTheJobAtOnceAndFlagThePageAsNeedingLogin() {
        health.refreshGauge().await().atMost(TIMEOUT);
        long needingLogin = health.needingLogin(TargetKind.FACEBOOK_PAGE);
        SimulatedFacebook.armFault(Map.of("kind", "token_expired", "pageId", page));

        String jobId = resync();
        Row job = runToEnd(jobId);

        assertThat(job.getString("status")).isEqualTo("dead");
        assertThat(job.getInteger("attempts")).as("not retried").isEqualTo(1);
        assertThat(job.getString("last_error")).contains("code 190").contains("log in with Facebook again")
                .doesNotContain(pageToken);
        assertThatThrownBy(() -> object(key)).hasCauseInstanceOf(software.amazon.awssdk.services.s3.model.NoSuchKeyException.class);
        given().header("Authorization", bearer(admin()))
                .when().get("/jobs/" + jobId)
                .then().statusCode(200)
                .body("status", is("dead"))
                .body("lastError", containsString("code 190"));
        assertThat(HealthRows.ofPage(pool, page)).hasValueSatisfying(flag -> {
            assertThat(flag.getString("status")).isEqualTo("needs_login");
            assertThat(flag.getUUID("user_id")).isEqualTo(owner);
            assertThat(flag.getUUID("job_id")).isEqualTo(UUID.fromString(jobId));
            assertThat(flag.getString("reason")).contains("code 190").doesNotContain(pageToken);
        });
        assertThat(health.needingLogin(TargetKind.FACEBOOK_PAGE)).isEqualTo(needingLogin + 1);
        assertThat(JobRows.withStatus(pool, page, "pending")).as("nothing queued to retry").isEmpty();
    }

    @Test
    void dailyPollShouldSkipAPageNeedingLoginAndStillPollTheOthers() {
        String otherPage = connectSecondPage();
        flagByExpiredToken();

        LocalDate day = LocalDate.of(1960, 1, 1).plusDays((long) (Math.random() * 3000));
        var polled = dailyPoll.enqueueDailyPoll(day).await().atMost(TIMEOUT);

        assertThat(polled).hasValueSatisfying(jobs -> assertThat(jobs).extracting(j -> j.target().id())
                .contains(otherPage).doesNotContain(page));
        assertThat(JobRows.withStatus(pool, page, "pending")).isEmpty();
        assertThat(JobRows.withStatus(pool, otherPage, "pending")).singleElement()
                .satisfies(row -> assertThat(row.getString("trigger")).isEqualTo("poll"));
        assertThat(HealthRows.ofPage(pool, page)).as("still flagged").isPresent();
    }

    @Test
    void resyncOfAPageNeedingLoginShouldAnswer409WithTheReasonAndEnqueueNothing() {
        flagByExpiredToken();

        given().header("Authorization", bearer(admin())).contentType(ContentType.JSON)
                .body(Map.of("userId", owner.toString(), "pageId", page))
                .when().post("/resync")
                .then().statusCode(409)
                .body("error", is("needs_login"))
                .body("field", is("pageId"))
                .body("message", allOf(containsString("facebook_page:" + page), containsString("code 190"),
                        containsString("log in with Facebook again")));

        assertThat(JobRows.withStatus(pool, page, "pending")).isEmpty();
    }

    @Test
    void resyncOfEverythingShouldEnqueueTheOtherPagesAndListTheFlaggedOneAsSkipped() {
        String otherPage = connectSecondPage();
        flagByExpiredToken();

        given().header("Authorization", bearer(admin())).contentType(ContentType.JSON)
                .body(Map.of("userId", owner.toString()))
                .when().post("/resync")
                .then().statusCode(202)
                .body("jobs.target.id", contains(otherPage))
                .body("skipped.target.id", contains(page))
                .body("skipped[0].target.kind", is("facebook_page"))
                .body("skipped[0].status", is("needs_login"))
                .body("skipped[0].reason", containsString("code 190"))
                .body("skipped[0].since", notNullValue());

        assertThat(JobRows.withStatus(pool, page, "pending")).isEmpty();
        assertThat(JobRows.withStatus(pool, otherPage, "pending")).hasSize(1);
    }

    @Test
    void pageConnectedEventShouldClearTheFlagAndSyncThePage() {
        flagByExpiredToken();
        health.refreshGauge().await().atMost(TIMEOUT);
        long needingLogin = health.needingLogin(TargetKind.FACEBOOK_PAGE);

        // Graph's change webhooks of a page whose token was refused make no job (it could only die again).
        given().filter(serviceToken()).contentType(ContentType.JSON)
                .body(Map.of("events", List.of(facebookEvent("page/feed"))))
                .when().post("/internal/events")
                .then().statusCode(202)
                .body("jobs", hasSize(0))
                .body("ignored[0].reason", containsString("log in with Facebook again"));

        // The merchant logs in again: the gateway stores the fresh Page token and publishes page/connected.
        String freshToken = SimulatedFacebook.loginPageTokens().get(page);
        GatewaySchema.connectPage(pool, owner, page, freshToken);
        String jobId = given().filter(serviceToken()).contentType(ContentType.JSON)
                .body(Map.of("events", List.of(facebookEvent("page/connected"))))
                .when().post("/internal/events")
                .then().statusCode(202)
                .body("ignored", hasSize(0))
                .extract().path("jobs[0].id");

        assertThat(HealthRows.ofPage(pool, page)).as("flag cleared").isEmpty();
        assertThat(health.needingLogin(TargetKind.FACEBOOK_PAGE)).isEqualTo(needingLogin - 1);
        Row job = runToEnd(jobId);
        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(job.getString("trigger")).isEqualTo("install");
        assertThat(((JsonObject) job.getValue("result")).getJsonArray("written").getList()).containsExactly(key);
        given().header("Authorization", bearer(admin())).contentType(ContentType.JSON)
                .body(Map.of("userId", owner.toString(), "pageId", page))
                .when().post("/resync")
                .then().statusCode(202)
                .body("skipped", hasSize(0));
    }

    /** The page's token expires in the simulator and a resync's job dies on code 190: the page is flagged. */
    private void flagByExpiredToken() {
        SimulatedFacebook.armFault(Map.of("kind", "token_expired", "pageId", page));
        assertThat(runToEnd(resync()).getString("status")).isEqualTo("dead");
        assertThat(HealthRows.ofPage(pool, page)).isPresent();
    }

    /** The simulated user's other Page, connected to the same owner with its own (valid) token. */
    private String connectSecondPage() {
        String other = tokens.keySet().stream().filter(id -> !id.equals(page)).findFirst().orElseThrow();
        GatewaySchema.connectPage(pool, owner, other, tokens.get(other));
        return other;
    }

    @Test
    void resyncWithPageIdAndDailyPollShouldEnqueuePageJobs() {
        String jobId = resync();
        Row job = JobRows.byId(pool, UUID.fromString(jobId));
        assertThat(job.getString("target_kind")).isEqualTo("facebook_page");
        assertThat(job.getString("target_id")).isEqualTo(page);
        assertThat(job.getString("trigger")).isEqualTo("resync");
        runToEnd(jobId);

        LocalDate day = LocalDate.of(1990, 1, 1).plusDays((long) (Math.random() * 3000));
        var polled = dailyPoll.enqueueDailyPoll(day).await().atMost(TIMEOUT);
        assertThat(polled).hasValueSatisfying(jobs -> assertThat(jobs).extracting(j -> j.target().id()).contains(page));
        List<Row> pending = JobRows.withStatus(pool, page, "pending");
        assertThat(pending).singleElement().satisfies(row -> {
            assertThat(row.getString("trigger")).isEqualTo("poll");
            assertThat(row.getUUID("user_id")).isEqualTo(owner);
        });
        runToEnd(pending.get(0).getUUID("id").toString());
    }

    @Test
    void pageDeletedEventShouldRemoveThePagesObjectsAndRows() {
        runToEnd(resync());
        assertThat(documentRows()).isEqualTo(1);

        GatewaySchema.setPageStatus(pool, page, "deleted");
        String jobId = given().filter(serviceToken()).contentType(ContentType.JSON)
                .body(Map.of("events", List.of(facebookEvent("page/deleted"))))
                .when().post("/internal/events")
                .then().statusCode(202)
                .extract().path("jobs[0].id");
        Row job = runToEnd(jobId);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(job.getString("action")).isEqualTo("redact");
        // Copies earlier tests left for users who no longer own this page are removed as well (reconciliation).
        assertThat(((JsonObject) job.getValue("result")).getJsonArray("deleted").getList()).contains(key);
        assertThat(((JsonObject) job.getValue("result")).containsKey("resyncJob")).as("no active owner left").isFalse();
        assertThatThrownBy(() -> object(key)).isInstanceOf(CompletionException.class);
        assertThat(documentRows()).isZero();
    }

    private Map<String, Object> facebookEvent(String topic) {
        return Map.of("eventId", UUID.randomUUID().toString(), "source", "FACEBOOK", "topic", topic,
                "pageId", page, "userId", owner.toString(), "receivedAt", java.time.Instant.now().toString());
    }

    /** {@code POST /resync} for this page, as an admin; @return the job id */
    private String resync() {
        return given().header("Authorization", bearer(admin())).contentType(ContentType.JSON)
                .body(Map.of("userId", owner.toString(), "pageId", page))
                .when().post("/resync")
                .then().statusCode(202)
                .extract().path("jobs[0].id");
    }

    private Row runToEnd(String jobId) {
        UUID id = UUID.fromString(jobId);
        Row job = JobRows.byId(pool, id);
        for (int poll = 0; poll < 40 && List.of("pending", "running").contains(job.getString("status")); poll++) {
            runner.runDueJobs().await().atMost(TIMEOUT);
            job = JobRows.byId(pool, id);
        }
        return job;
    }

    private long documentRows() {
        return pool.preparedQuery("SELECT count(*) FROM worker.documents WHERE starts_with(object_key, $1)")
                .execute(Tuple.of(SpacesKeys.pagePrefix(new UserId(owner), new PageId(page))))
                .await().atMost(TIMEOUT).iterator().next().getLong(0);
    }

    private byte[] object(String objectKey) throws Exception {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(objectKey), AsyncResponseTransformer.toBytes())
                    .get(30, TimeUnit.SECONDS).asByteArray();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CompletionException(e.getCause());
        }
    }
}
