package io.storefrontsync.worker.schedule;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.storefrontsync.worker.job.EnqueuedJob;
import io.storefrontsync.worker.testing.GatewaySchema;
import io.storefrontsync.worker.testing.JobRows;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.storefrontsync.worker.testing.Shops.uniqueShop;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(SandboxWorldResource.class)
class DailyPollTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    Pool pool;
    @Inject
    DailyPoll dailyPoll;

    @Test
    void shouldEnqueueOnePollJobPerActiveShopOncePerDay() {
        GatewaySchema.ensure(pool);
        UUID user = GatewaySchema.seedUser(pool);
        String active = uniqueShop();
        String uninstalled = uniqueShop();
        GatewaySchema.seedShop(pool, user, active, "active");
        GatewaySchema.seedShop(pool, user, uninstalled, "uninstalled");
        LocalDate day = LocalDate.of(2001, 1, 1).plusDays((long) (Math.random() * 3000));

        Optional<List<EnqueuedJob>> first = dailyPoll.enqueueDailyPoll(day).await().atMost(TIMEOUT);
        Optional<List<EnqueuedJob>> second = dailyPoll.enqueueDailyPoll(day).await().atMost(TIMEOUT);

        assertThat(first).isPresent();
        assertThat(first.get()).extracting(job -> job.target().id()).contains(active).doesNotContain(uninstalled);
        assertThat(JobRows.forTarget(pool, active)).singleElement()
                .satisfies(row -> assertThat(row.getString("trigger")).isEqualTo("poll"));
        assertThat(second).as("the day was already polled").isEmpty();
        assertThat(JobRows.forTarget(pool, active)).hasSize(1);
    }
}
