package io.storefrontsync.worker;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(SandboxWorldResource.class)
class WorkerWiringTest {

    @Inject
    Pool pool;

    @Test
    void shouldBeReadyWithDatabaseSpacesAndADrainingQueue() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems("spaces", "Reactive PostgreSQL connections health check", "jobs"))
                .body("checks.find { it.name == 'jobs' }.status", is("UP"))
                .body("checks.find { it.name == 'jobs' }.data.keySet()",
                        hasItems("pending", "due", "running", "oldest_due_seconds", "max_delay_seconds"));
    }

    @Test
    void shouldNotBeReadyWhileADueJobWaitsLongerThanTheLimit() {
        // A job nobody claimed for 31 minutes (limit 30m): every instance is stuck or the queue is beyond them.
        UUID stuck = UUID.randomUUID();
        pool.preparedQuery("""
                        INSERT INTO worker.jobs (id, target_kind, target_id, user_id, trigger, run_after)
                        VALUES ($1, 'facebook_page', $2, $3, 'resync', now() - interval '31 minutes')""")
                .execute(Tuple.of(stuck, String.valueOf(System.nanoTime()), UUID.randomUUID()))
                .await().atMost(Duration.ofSeconds(10));
        try {
            given().when().get("/q/health/ready")
                    .then().statusCode(503)
                    .body("status", is("DOWN"))
                    .body("checks.find { it.name == 'jobs' }.status", is("DOWN"))
                    .body("checks.find { it.name == 'jobs' }.data.oldest_due_seconds", greaterThanOrEqualTo(1860))
                    .body("checks.find { it.name == 'jobs' }.data.max_delay_seconds", is(1800))
                    .body("checks.find { it.name == 'spaces' }.status", is("UP"));
        } finally {
            pool.preparedQuery("DELETE FROM worker.jobs WHERE id = $1").execute(Tuple.of(stuck)).await().atMost(Duration.ofSeconds(10));
        }
        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void shouldBeLive() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void shouldMigrateItsOwnSchemaOnly() {
        List<String> tables = new ArrayList<>();
        for (Row row : pool.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'worker' ORDER BY 1")
                .execute().await().atMost(Duration.ofSeconds(10))) {
            tables.add(row.getString(0));
        }
        assertThat(tables).contains("jobs", "documents", "flyway_schema_history");
        assertThat(tables).doesNotContain("outbox");
    }
}
