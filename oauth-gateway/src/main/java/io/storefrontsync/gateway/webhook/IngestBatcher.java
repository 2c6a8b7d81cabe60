package io.storefrontsync.gateway.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.storefrontsync.gateway.webhook.WebhookReceipts.Change;
import io.storefrontsync.gateway.webhook.WebhookReceipts.ChangeRecorded;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Group commit for webhook changes: concurrent requests share one statement and one commit (one fsync) instead of
 * paying one each, which is what bounded the gateway at the disk's pace.
 * <p>
 * Everything here runs on one Vert.x event-loop context of its own, so the state needs no lock and nothing blocks:
 * {@link #submit} hops onto it, and each request is answered back on its own context. An idle batcher writes
 * {@code gateway.ingest.batch-window} after the first change arrives, or at once when {@code batch-size} changes
 * wait. One batch is in flight at a time: whatever arrives meanwhile is written, up to the size, as soon as it has
 * committed (that wait is the window under load), so arrival order is outbox order.
 * <p>
 * A request completes only after the statement that holds its change committed; when the statement fails (the
 * database is down, the connection was lost) nothing of it was written and every request of the batch fails, which
 * the resource answers with 5xx so that Shopify or Meta retries. A delivery's changes (a Page webhook's entries) are
 * never split across batches: they are stored together or not at all.
 */
@Startup // its meters exist from the start, not from the first webhook
@ApplicationScoped
public class IngestBatcher {

    private static final Logger LOG = Logger.getLogger(IngestBatcher.class);

    /** The changes of one request, where it came from, and how to answer it. */
    private record Pending(List<Change> changes, Context origin, UniEmitter<? super List<ChangeRecorded>> emitter) {
    }

    private final Pool pool;
    private final WebhookReceipts receipts;
    private final Vertx vertx;
    private final Context context;
    private final long windowMillis;
    private final int size;
    private final DistributionSummary batchSizes;
    private final Counter failedBatches;

    // Only touched on `context`.
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private volatile int queuedChanges; // written on `context` only; volatile for the gauge
    private boolean scheduled;
    private long timer = -1;
    private volatile boolean inFlight; // written on `context` only; volatile for the shutdown wait

    public IngestBatcher(Pool pool, WebhookReceipts receipts, Vertx vertx, IngestConfig config, MeterRegistry registry) {
        if (config.batchSize() < 1) {
            throw new IllegalArgumentException("gateway.ingest.batch-size must be at least 1");
        }
        if (config.batchWindow().isNegative()) {
            throw new IllegalArgumentException("gateway.ingest.batch-window must not be negative");
        }
        this.pool = pool;
        this.receipts = receipts;
        this.vertx = vertx;
        // A context of its own on one of the event loops, whichever thread first asked for this bean.
        this.context = ((VertxInternal) vertx).createEventLoopContext();
        this.windowMillis = config.batchWindow().toMillis();
        this.size = config.batchSize();
        this.batchSizes = DistributionSummary.builder("gateway.ingest.batch.size")
                .description("webhook changes written by one statement and commit").register(registry);
        this.failedBatches = Counter.builder("gateway.ingest.batch.failures")
                .description("batches whose statement failed; each of their requests was answered 5xx").register(registry);
        Gauge.builder("gateway.ingest.queued", this, batcher -> batcher.queuedChanges)
                .description("webhook changes waiting for the batch in flight to commit").register(registry);
    }

    /**
     * Stores {@code changes} (one request's) with whatever else arrives about now; one result per change, in order,
     * once they are committed. Fails when their batch failed: nothing of it was written.
     */
    public Uni<List<ChangeRecorded>> submit(List<Change> changes) {
        return Uni.createFrom().emitter(emitter -> {
            Pending pending = new Pending(List.copyOf(changes), Vertx.currentContext(), emitter);
            context.runOnContext(ignored -> add(pending));
        });
    }

    private void add(Pending pending) {
        queue.add(pending);
        queuedChanges += pending.changes().size();
        if (inFlight) {
            return; // written when the batch in flight has committed
        }
        if (queuedChanges >= size) {
            cancelWindow();
            flush();
        } else if (!scheduled) {
            scheduled = true;
            if (windowMillis == 0) {
                context.runOnContext(ignored -> windowOver());
            } else {
                timer = vertx.setTimer(windowMillis, ignored -> windowOver());
            }
        }
    }

    private void windowOver() {
        scheduled = false;
        timer = -1;
        flush();
    }

    private void cancelWindow() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        scheduled = false;
    }

    /** Takes up to {@code size} changes (at least one request, whole requests only) and writes them. */
    private void flush() {
        if (inFlight || queue.isEmpty()) {
            return;
        }
        List<Pending> batch = new ArrayList<>();
        List<Change> changes = new ArrayList<>(Math.min(queuedChanges, size));
        while (!queue.isEmpty()
                && (changes.isEmpty() || changes.size() + queue.peek().changes().size() <= size)) {
            Pending next = queue.poll();
            batch.add(next);
            changes.addAll(next.changes());
        }
        queuedChanges -= changes.size();
        inFlight = true;
        receipts.recordChanges(pool, changes).subscribe().with(
                recorded -> committed(batch, changes.size(), recorded),
                failure -> failed(batch, changes.size(), failure));
    }

    private void committed(List<Pending> batch, int changes, List<ChangeRecorded> recorded) {
        batchSizes.record(changes);
        int from = 0;
        for (Pending pending : batch) {
            int to = from + pending.changes().size();
            List<ChangeRecorded> own = List.copyOf(recorded.subList(from, to));
            answer(pending, () -> pending.emitter().complete(own));
            from = to;
        }
        next();
    }

    private void failed(List<Pending> batch, int changes, Throwable failure) {
        failedBatches.increment();
        LOG.warnf("a batch of %d webhook changes (%d requests) was not stored, each request answers 5xx: %s",
                changes, batch.size(), failure.toString());
        for (Pending pending : batch) {
            answer(pending, () -> pending.emitter().fail(failure));
        }
        next();
    }

    /**
     * Graceful stop: the webhooks in flight are answered only once their batch committed, and Quarkus' own graceful
     * phase ({@code quarkus.shutdown.timeout}) has waited for those requests; this waits, as long again at most, for
     * anything still queued or committing, before the pool closes.
     */
    void onStop(@Observes ShutdownEvent event,
                @ConfigProperty(name = "quarkus.shutdown.timeout") Optional<Duration> grace) {
        long deadline = System.nanoTime() + grace.orElse(Duration.ZERO).toNanos();
        while ((inFlight || queuedChanges > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight || queuedChanges > 0) {
            LOG.warnf("shutdown: %d webhook changes not committed within %s; their requests answer 5xx and are retried",
                    queuedChanges, grace.orElse(Duration.ZERO));
        }
    }

    /** What arrived during the commit has waited for it already: written at once. */
    private void next() {
        inFlight = false;
        flush();
    }

    private static void answer(Pending pending, Runnable answer) {
        if (pending.origin() == null) {
            answer.run();
        } else {
            pending.origin().runOnContext(ignored -> answer.run());
        }
    }
}
