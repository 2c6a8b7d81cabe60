package io.storefrontsync.worker.job;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * The {@code jobs} readiness check with a 2-second limit (the tests' runner does not poll by itself, like an
 * instance whose poll has stopped): a due job older than the limit makes the instance not ready until it claims.
 */
@QuarkusTest
@TestProfile(JobQueueHealthCheckTest.ShortLimit.class)
@WithTestResource(SandboxWorldResource.class)
class JobQueueHealthCheckTest {

    /** Health, metrics and the OpenAPI document are on the management interface (a free port in tests). */
    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    public static class ShortLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("storefront.jobs.ready-max-delay", "2s");
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Inject
    Pool pool;
    @Inject
    JobRunner runner;

    private final UUID job = UUID.randomUUID();

    @AfterEach
    void removeTheJob() {
        pool.preparedQuery("DELETE FROM worker.jobs WHERE id = $1").execute(Tuple.of(job)).await().atMost(TIMEOUT);
    }

    @Test
    void aDueJobOlderThanTheLimitThatNobodyClaimsShouldMakeTheWorkerNotReadyUntilItClaims() throws InterruptedException {
        given().port(managementPort).when().get("/q/health/ready").then().statusCode(200);
        pool.preparedQuery("""
                        INSERT INTO worker.jobs (id, target_kind, target_id, user_id, trigger, run_after)
                        VALUES ($1, 'facebook_page', $2, $3, 'resync', now() - interval '1 minute')""")
                .execute(Tuple.of(job, String.valueOf(System.nanoTime()), UUID.randomUUID())).await().atMost(TIMEOUT);
        Thread.sleep(2100); // past the limit since this instance last claimed anything (its start, at the latest)

        given().port(managementPort).when().get("/q/health/ready")
                .then().statusCode(503)
                .body("status", is("DOWN"))
                .body("checks.find { it.name == 'jobs' }.status", is("DOWN"))
                .body("checks.find { it.name == 'jobs' }.data.due", greaterThanOrEqualTo(1))
                .body("checks.find { it.name == 'jobs' }.data.oldest_due_seconds", greaterThanOrEqualTo(60))
                .body("checks.find { it.name == 'jobs' }.data.since_last_claim_seconds", greaterThanOrEqualTo(2))
                .body("checks.find { it.name == 'jobs' }.data.max_delay_seconds", is(2))
                .body("checks.find { it.name == 'spaces' }.status", is("UP"));

        // The instance claims (the job fails for want of a connection and waits for its retry): ready again.
        runner.runDueJobs().await().atMost(TIMEOUT);

        given().port(managementPort).when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.find { it.name == 'jobs' }.status", is("UP"));
    }
}
