package io.storefrontsync.worker.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class PollSlotsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T13:37:00Z");

    @Test
    void aShopShouldKeepItsSlotAndTheFleetShouldSpreadOverTheDay() {
        int[] perSlot = new int[PollSlots.PER_DAY];
        IntStream.range(0, 2000).forEach(i -> perSlot[PollSlots.slotOf("shop-" + i + ".myshopify.com")]++);

        assertThat(PollSlots.slotOf("demo-shop.myshopify.com")).isEqualTo(PollSlots.slotOf("demo-shop.myshopify.com"))
                .isBetween(0, PollSlots.PER_DAY - 1);
        assertThat(PollSlots.offset("demo-shop.myshopify.com")).isLessThan(Duration.ofDays(1)).isGreaterThanOrEqualTo(Duration.ZERO);
        // 2,000 shops over 96 slots: about 21 each; never an empty slot, never a midnight-like pile.
        assertThat(IntStream.of(perSlot).min().orElseThrow()).as("fewest in a slot").isGreaterThanOrEqualTo(5);
        assertThat(IntStream.of(perSlot).max().orElseThrow()).as("most in a slot").isLessThanOrEqualTo(42);
    }

    @Test
    void aTickShouldTakeTheCurrentSlotAndCatchUpMissedOnesWithinADay() {
        PollSlots.Slot current = PollSlots.Slot.at(NOW);
        assertThat(current).isEqualTo(new PollSlots.Slot(LocalDate.of(2026, 12, 2), 54)); // 13:30-13:45

        assertThat(PollSlots.due(Optional.empty(), NOW)).as("first tick ever").containsExactly(current);
        assertThat(PollSlots.due(Optional.of(current.start()), NOW)).as("already claimed").isEmpty();
        assertThat(PollSlots.due(Optional.of(Instant.parse("2026-12-02T12:45:00Z")), NOW)).as("missed two ticks")
                .extracting(PollSlots.Slot::number).containsExactly(52, 53, 54);
        assertThat(PollSlots.due(Optional.of(Instant.parse("2026-11-20T00:00:00Z")), NOW)).as("down for days")
                .hasSize(PollSlots.PER_DAY).first().isEqualTo(new PollSlots.Slot(LocalDate.of(2026, 12, 1), 55));
        assertThat(PollSlots.due(Optional.of(Instant.parse("2026-12-01T23:45:00Z")), Instant.parse("2026-12-02T00:00:00Z")))
                .as("midnight").containsExactly(new PollSlots.Slot(LocalDate.of(2026, 12, 2), 0));
    }
}
