package io.storefrontsync.worker.job;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.testing.TestTokens;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Finished jobs older than storefront.jobs.retention (14 days by default) are deleted; nothing else is. */
@QuarkusTest
@WithTestResource(SandboxWorldResource.class)
class JobRetentionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Inject
    Pool pool;
    @Inject
    JobRetention retention;

    private final List<UUID> inserted = new ArrayList<>();

    @AfterEach
    void removeTheJobs() {
        pool.preparedQuery("DELETE FROM worker.jobs WHERE id = ANY($1)")
                .execute(Tuple.of(inserted.toArray(new UUID[0]))).await().atMost(TIMEOUT);
    }

    @Test
    void finishedJobsPastTheRetentionShouldGoInBatchesAndEverythingElseStay() {
        Map<String, UUID> jobs = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            jobs.put("old succeeded " + i, job("succeeded", "20 days", "20 days"));
        }
        jobs.put("old failed", job("failed", "15 days", "15 days"));
        jobs.put("old dead", job("dead", "30 days", "30 days"));
        jobs.put("old cancelled", job("cancelled", "15 days", "15 days"));
        Map<String, UUID> kept = new LinkedHashMap<>();
        kept.put("recent succeeded", job("succeeded", "20 days", "13 days"));
        kept.put("recent dead", job("dead", "1 day", "1 hour"));
        kept.put("old but still pending", job("pending", "40 days", null));
        kept.put("old but running", job("running", "40 days", null));
        String recentDead = kept.get("recent dead").toString();

        long deleted = retention.purge(2).await().atMost(TIMEOUT);

        assertThat(deleted).as("8 old finished jobs, 2 per statement").isEqualTo(8);
        assertThat(existing(jobs.values())).as("old finished jobs").isEmpty();
        assertThat(existing(kept.values())).containsExactlyInAnyOrderElementsOf(kept.values());
        given().header("Authorization", "Bearer " + TestTokens.admin()).get("/jobs/" + jobs.get("old dead")).then().statusCode(404);
        given().header("Authorization", "Bearer " + TestTokens.admin()).get("/jobs/" + recentDead).then().statusCode(200);
        assertThat(retention.purge(2).await().atMost(TIMEOUT)).as("a second run").isZero();
    }

    private UUID job(String status, String createdAgo, String finishedAgo) {
        UUID id = UUID.randomUUID();
        inserted.add(id);
        pool.preparedQuery("""
                        INSERT INTO worker.jobs (id, target_kind, target_id, user_id, trigger, status, created_at, run_after,
                                                 finished_at, lease_owner, lease_until)
                        VALUES ($1, 'facebook_page', $2, $3, 'resync', $4, now() - $5::text::interval, now() - $5::text::interval,
                                now() - $6::text::interval, CASE WHEN $4 = 'running' THEN 'elsewhere' END,
                                CASE WHEN $4 = 'running' THEN now() + interval '1 minute' END)""")
                .execute(Tuple.of(id, String.valueOf(System.nanoTime()), UUID.randomUUID(), status, createdAgo, finishedAgo))
                .await().atMost(TIMEOUT);
        return id;
    }

    private List<UUID> existing(java.util.Collection<UUID> ids) {
        List<UUID> found = new ArrayList<>();
        for (Row row : pool.preparedQuery("SELECT id FROM worker.jobs WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(new UUID[0]))).await().atMost(TIMEOUT)) {
            found.add(row.getUUID("id"));
        }
        return found;
    }
}
