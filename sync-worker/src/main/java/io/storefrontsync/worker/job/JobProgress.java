package io.storefrontsync.worker.job;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;

/**
 * What a running (or parked) sync has done so far, noted in its job row ({@code worker.jobs.progress}) for
 * {@code GET /jobs}: the phase, products read of the shop's total, the bulk operation's status, points spent.
 * Cheap on purpose: one {@code UPDATE} by target at each phase change and, while products are read, at most one per
 * {@link #PRODUCT_NOTE_EVERY}; a note that fails is logged and forgotten, never failing the sync.
 */
@ApplicationScoped
public class JobProgress {

    private static final Logger LOG = Logger.getLogger(JobProgress.class);

    /** How often a products count is written at most, while pages are read. */
    static final Duration PRODUCT_NOTE_EVERY = Duration.ofSeconds(1);

    private final JobStore jobs;

    public JobProgress(JobStore jobs) {
        this.jobs = jobs;
    }

    /** The notes of one sync of the target; its running job is the one the target has (one at most). */
    public Tracker track(JobTarget target) {
        return new Tracker(target);
    }

    /** One sync's progress, kept between notes (the sync runs its steps one after another). */
    public final class Tracker {

        private final JobTarget target;
        private final JsonObject state = new JsonObject();
        private Instant lastNote = Instant.EPOCH;

        private Tracker(JobTarget target) {
            this.target = target;
        }

        /** A new phase (and any fields it knows): written now. */
        public Uni<Void> phase(String phase, JsonObject fields, long cost) {
            JsonObject snapshot;
            synchronized (this) {
                state.put("phase", phase);
                fields.forEach(field -> state.put(field.getKey(), field.getValue()));
                snapshot = stamped(cost);
            }
            return write(snapshot);
        }

        /** {@code read} products done: written when the last note is older than {@link #PRODUCT_NOTE_EVERY}. */
        public Uni<Void> productsRead(int read, long cost) {
            JsonObject snapshot;
            synchronized (this) {
                state.put("productsRead", read);
                if (Duration.between(lastNote, Instant.now()).compareTo(PRODUCT_NOTE_EVERY) < 0) {
                    return Uni.createFrom().voidItem();
                }
                snapshot = stamped(cost);
            }
            return write(snapshot);
        }

        private JsonObject stamped(long cost) {
            lastNote = Instant.now();
            return state.copy().put("cost", cost).put("updatedAt", lastNote.toString());
        }

        private Uni<Void> write(JsonObject snapshot) {
            return jobs.recordProgress(target, snapshot)
                    .onFailure().invoke(e -> LOG.debugf("progress of %s not noted: %s", target, e.getMessage()))
                    .onFailure().recoverWithItem(false)
                    .replaceWithVoid();
        }
    }
}
