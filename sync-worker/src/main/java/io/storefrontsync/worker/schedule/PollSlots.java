package io.storefrontsync.worker.schedule;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where in the UTC day each shop and page is polled. The day has {@value #PER_DAY} slots of 15 minutes; a target's
 * slot comes from a stable offset, a hash of its id (the shop's domain, the page's id) modulo 24 hours, so the
 * fleet's polls spread evenly over the day instead of all landing at midnight, and a target keeps its slot from
 * day to day and from instance to instance. SHA-256 rather than {@code String.hashCode}: shop domains share long
 * suffixes ({@code .myshopify.com}), and its bits spread whatever the names look like.
 */
final class PollSlots {

    static final int PER_DAY = 96;
    static final Duration LENGTH = Duration.ofDays(1).dividedBy(PER_DAY);

    /** One slot of one UTC day: polled once, by the instance whose claim of it succeeds. */
    record Slot(LocalDate day, int number) {

        Instant start() {
            return day.atStartOfDay(ZoneOffset.UTC).toInstant().plus(LENGTH.multipliedBy(number));
        }

        static Slot at(Instant instant) {
            LocalDate day = LocalDate.ofInstant(instant, ZoneOffset.UTC);
            Duration sinceMidnight = Duration.between(day.atStartOfDay(ZoneOffset.UTC).toInstant(), instant);
            return new Slot(day, (int) sinceMidnight.dividedBy(LENGTH));
        }
    }

    private PollSlots() {
    }

    /** The target's stable offset into the UTC day, in [0, 24 h). */
    static Duration offset(String targetId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(targetId.getBytes(StandardCharsets.UTF_8));
            long bits = ByteBuffer.wrap(digest).getLong();
            return Duration.ofSeconds(Math.floorMod(bits, Duration.ofDays(1).toSeconds()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The slot number the target is polled in every day. */
    static int slotOf(String targetId) {
        return (int) offset(targetId).dividedBy(LENGTH);
    }

    /**
     * The slots due at {@code now}: every slot that started after the last one claimed (by any instance) and
     * within the last 24 hours, oldest first, so a tick missed while every instance was down is caught up and
     * a target is still polled once in any 24 hours. With nothing claimed yet (the first tick after deploying
     * this), only the current slot: a deploy does not poll the whole fleet at once.
     */
    static List<Slot> due(Optional<Instant> lastClaimedStart, Instant now) {
        Slot current = Slot.at(now);
        if (lastClaimedStart.isEmpty()) {
            return List.of(current);
        }
        Instant oldest = current.start().minus(LENGTH.multipliedBy(PER_DAY - 1));
        Instant from = lastClaimedStart.get().plus(LENGTH).isAfter(oldest) ? lastClaimedStart.get().plus(LENGTH) : oldest;
        List<Slot> due = new ArrayList<>();
        for (Instant start = from; !start.isAfter(current.start()); start = start.plus(LENGTH)) {
            due.add(Slot.at(start));
        }
        return due;
    }

    /** Every slot of {@code day}: the whole fleet, as an operator's or a test's poll of one day. */
    static List<Slot> allOf(LocalDate day) {
        List<Slot> slots = new ArrayList<>();
        for (int n = 0; n < PER_DAY; n++) {
            slots.add(new Slot(day, n));
        }
        return slots;
    }
}
