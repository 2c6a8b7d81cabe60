package io.storefrontsync.worker.facebook;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.job.JobRunner;
import io.storefrontsync.worker.schedule.DailyPoll;
import io.storefrontsync.worker.spaces.Spaces;
import io.storefrontsync.worker.spaces.SpacesMetrics;
import io.storefrontsync.worker.testing.GatewaySchema;
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
import static io.storefrontsync.worker.testing.TestTokens.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    @Spaces
    S3AsyncClient s3;
    @ConfigProperty(name = "storefront.spaces.bucket")
    String bucket;

    private UUID owner;
    private String page;
    private String pageToken;
    private String key;

    @BeforeEach
    void connectFirstSimulatedPage() {
        GatewaySchema.ensure(pool);
        SimulatedFacebook.clearFaults();
        Map<String, String> tokens = SimulatedFacebook.loginPageTokens();
        page = tokens.keySet().iterator().next();
        pageToken = tokens.get(page);
        owner = GatewaySchema.seedUser(pool);
        // The simulator's page ids are shared by every test: start from a clean queue for this one.
        JobRows.discardPending(pool, page);
        GatewaySchema.connectPage(pool, owner, page, pageToken);
        key = SpacesKeys.facebookPageData(new UserId(owner), new PageId(page));
    }

    @AfterEach
    void disconnect() {
        SimulatedFacebook.clearFaults();
        GatewaySchema.setPageStatus(pool, page, "deleted");
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
    void expiredPageTokenShouldFailTheJobAtOnceNamingCode190() {
        SimulatedFacebook.armFault(Map.of("kind", "token_expired", "pageId", page));

        Row job = runToEnd(resync());

        assertThat(job.getString("status")).isEqualTo("dead");
        assertThat(job.getInteger("attempts")).as("not retried").isEqualTo(1);
        assertThat(job.getString("last_error")).contains("code 190").contains("log in with Facebook again")
                .doesNotContain(pageToken);
        assertThatThrownBy(() -> object(key)).hasCauseInstanceOf(software.amazon.awssdk.services.s3.model.NoSuchKeyException.class);
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
        String jobId = given().header("Authorization", bearer(service())).contentType(ContentType.JSON)
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
