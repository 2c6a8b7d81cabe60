package io.storefrontsync.worker.intake;

import io.storefrontsync.common.event.ChangeEvent;

import io.storefrontsync.worker.job.JobTarget;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Events of a batch that take one route together: a burst of one shop's change webhooks becomes one ownership check
 * and one enqueue statement (and, for patches, one multi-row {@code shop_changes} upsert) counted as that many
 * coalesced events, instead of one of each per event. Pure, like {@link IntakeRoute}, and tested directly
 * ({@code IntakeRunTest}).
 *
 * @param route the route of every event of the run (the first event's)
 * @param events one event, or several that {@linkplain IntakeRoute#joins(IntakeRoute) join}, in batch order
 * @param positions the events' indexes in the batch (same order), so the intake answers in batch order
 */
public record IntakeRun(IntakeRoute route, List<ChangeEvent> events, List<Integer> positions) {

    public IntakeRun {
        events = List.copyOf(events);
        positions = List.copyOf(positions);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a run has at least one event");
        }
        if (positions.size() != events.size()) {
            throw new IllegalArgumentException("one position per event");
        }
    }

    /**
     * The batch's events grouped by target: an event joins the run of its target's previous event when it asks for
     * the same sync or patch (see {@link IntakeRoute#joins}); every other event is a run of its own. Events of
     * other targets in between do not end a run (each target's rows are its own), but any other event of the
     * same target does (an uninstall, a redaction, another user's change): each target's order of effects is kept.
     * Runs come in the order of their first event.
     */
    public static List<IntakeRun> of(List<ChangeEvent> events) {
        List<IntakeRoute> routes = new ArrayList<>();
        List<List<Integer>> members = new ArrayList<>();
        Map<JobTarget, Integer> openRun = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            IntakeRoute route = IntakeRoute.of(events.get(i));
            Integer open = openRun.get(route.target());
            if (open != null && routes.get(open).joins(route)) {
                members.get(open).add(i);
            } else {
                routes.add(route);
                List<Integer> run = new ArrayList<>();
                run.add(i);
                members.add(run);
                openRun.put(route.target(), routes.size() - 1);
            }
        }
        List<IntakeRun> runs = new ArrayList<>(routes.size());
        for (int r = 0; r < routes.size(); r++) {
            List<Integer> positions = members.get(r);
            runs.add(new IntakeRun(routes.get(r), positions.stream().map(events::get).toList(), positions));
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
