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
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntPredicate;

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

    @Test
    void aTickShouldPollOnlyTheShopsWhoseSlotHasCome() {
        GatewaySchema.ensure(pool);
        UUID user = GatewaySchema.seedUser(pool);
        // Far past any other test's slots (the catch-up reads the latest claimed slot of any day).
        Instant first = LocalDate.of(2300, 1, 1).plusDays((long) (Math.random() * 3000)).atStartOfDay(ZoneOffset.UTC)
                .toInstant().plus(Duration.ofHours(9));
        Instant next = first.plus(Duration.ofMinutes(15));
        int nextSlot = PollSlots.Slot.at(next).number();
        String due = shopInSlot(slot -> slot == nextSlot);
        String notDue = shopInSlot(slot -> slot != nextSlot);
        GatewaySchema.seedShop(pool, user, due, "active");
        GatewaySchema.seedShop(pool, user, notDue, "active");
        // Everything claimed up to `first`: both shops' pending poll jobs are run and gone before the next tick.
        dailyPoll.enqueueDueSlots(first).await().atMost(TIMEOUT);
        JobRows.discardPending(pool, due);
        JobRows.discardPending(pool, notDue);

        List<EnqueuedJob> tick = dailyPoll.enqueueDueSlots(next).await().atMost(TIMEOUT);
        List<EnqueuedJob> again = dailyPoll.enqueueDueSlots(next.plus(Duration.ofMinutes(5))).await().atMost(TIMEOUT);

        assertThat(tick).extracting(job -> job.target().id()).contains(due).doesNotContain(notDue)
                .allSatisfy(id -> assertThat(PollSlots.slotOf(id)).isEqualTo(nextSlot));
        assertThat(JobRows.forTarget(pool, due)).singleElement()
                .satisfies(row -> assertThat(row.getString("trigger")).isEqualTo("poll"));
        assertThat(JobRows.forTarget(pool, notDue)).as("its slot has not come").isEmpty();
        assertThat(again).as("the slot was already polled, by this or another instance").isEmpty();
    }

    private static String shopInSlot(IntPredicate slot) {
        for (int i = 0; i < 10_000; i++) {
            String shop = uniqueShop();
            if (slot.test(PollSlots.slotOf(shop))) {
                return shop;
            }
        }
        throw new AssertionError("no shop name found for the slot");
    }
}
