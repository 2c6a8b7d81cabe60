package io.storefrontsync.worker.intake;

import io.storefrontsync.common.event.ChangeEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive events of a batch that take one route together: a burst of one shop's change webhooks becomes one
 * enqueue statement counted as that many coalesced events, instead of one statement per event. Pure, like
 * {@link IntakeRoute}, and tested directly ({@code IntakeRunTest}).
 *
 * @param route the route of every event of the run (the first event's)
 * @param events one event, or several that {@linkplain IntakeRoute#joins(IntakeRoute) join}, in batch order
 */
public record IntakeRun(IntakeRoute route, List<ChangeEvent> events) {

    public IntakeRun {
        events = List.copyOf(events);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a run has at least one event");
        }
    }

    /**
     * The batch's events in order, each event joined to the run before it when it asks for the same sync (see
     * {@link IntakeRoute#joins}); every other event is a run of its own. Only neighbours join: an event of another
     * shop in between ends the run, so the batch's order of effects is kept.
     */
    public static List<IntakeRun> of(List<ChangeEvent> events) {
        List<IntakeRun> runs = new ArrayList<>();
        IntakeRoute currentRoute = null;
        List<ChangeEvent> current = null;
        for (ChangeEvent event : events) {
            IntakeRoute route = IntakeRoute.of(event);
            if (current != null && currentRoute.joins(route)) {
                current.add(event);
            } else {
                if (current != null) {
                    runs.add(new IntakeRun(currentRoute, current));
                }
                currentRoute = route;
                current = new ArrayList<>();
                current.add(event);
            }
        }
        if (current != null) {
            runs.add(new IntakeRun(currentRoute, current));
        }
        return runs;
    }

    /** Whether this run is several events sharing one statement. */
    public boolean joined() {
        return events.size() > 1;
    }

    /** The first event: the one whose job the others are coalesced into. */
    public ChangeEvent first() {
        return events.get(0);
    }
}
