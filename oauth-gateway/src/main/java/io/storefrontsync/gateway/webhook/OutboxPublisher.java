package io.storefrontsync.gateway.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers outbox rows to the worker's {@code POST /internal/events}, oldest first, in batches.
 *
 * <p>A delivery is one transaction ({@link Outbox#take}): due rows are locked with {@code FOR UPDATE SKIP LOCKED}
 * and marked delivered, the worker is called while the transaction stays open, and the transaction commits after
 * the worker's 2xx. Several gateway instances never send the same row at the same time (the others skip the locked
 * rows); a failed delivery rolls back and then records the failure on its rows, whose next attempt waits with
 * exponential backoff and jitter, capped at {@code max-backoff} and repeated forever: a row is never dropped. A
 * crashed instance's transaction ends with its connection and its rows are due at once; one that stays idle longer
 * than {@code gateway.outbox.lease} is ended by PostgreSQL. A delivery the worker refuses for its content (400, 413,
 * 422) is split in halves within its transaction down to the event at fault, which alone waits with backoff
 * ({@code gateway_outbox_refused_total}); the others go through. The backlog is a gauge ({@code gateway_outbox_backlog},
 * {@code gateway_outbox_oldest_pending_seconds}), re-read on every poll.
 *
 * <p>One statement and one commit per delivery, and that commit does not wait for the disk: losing the mark in a
 * database crash means a redelivery, which the worker recognises by the events' ids. So the worker's commit of the
 * batch is the only flush a delivery waits for (#17: a separate claim and mark each cost a commit, two round trips
 * and a new version of every row). The body is written from the stored payloads, not parsed and serialised again.
 *
 * <p>At shutdown no new run starts and the run in progress (the batch in hand) gets up to
 * {@code quarkus.shutdown.timeout} to be delivered and committed; past it, its transaction ends with the pool and
 * its rows are due again for another instance.
 */
@ApplicationScoped
public class OutboxPublisher {

    private static final Logger LOG = Logger.getLogger(OutboxPublisher.class);
    private static final int MAX_ERROR_LENGTH = 500;

    private final Pool pool;
    private final Outbox outbox;
    private final SyncWorkerClient worker;
    private final ServiceTokens tokens;
    private final OutboxConfig config;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean stopping;
    /** The lowest id a take looks at between rescans: one past the highest id delivered by this instance. */
    private final AtomicLong floor = new AtomicLong();
    private volatile long lastRescan = System.nanoTime() - Duration.ofDays(1).toNanos();
    private volatile boolean floorUsedSinceRescan;
    private final AtomicBoolean rescanArmed = new AtomicBoolean();
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestPendingSeconds = new AtomicLong();
    private final Counter delivered;
    private final Counter failures;
    private final Counter refused;

    public OutboxPublisher(Pool pool, Outbox outbox, @RestClient SyncWorkerClient worker, ServiceTokens tokens,
                           OutboxConfig config, MeterRegistry registry, Vertx vertx) {
        this.vertx = vertx;
        this.pool = pool;
        this.outbox = outbox;
        this.worker = worker;
        this.tokens = tokens;
        this.config = config;
        // Quarkus' test restarts share Micrometer's global registry: a gauge left by an earlier application in this
        // JVM would be returned by register() still bound to that application's value.
        registry.find("gateway.outbox.backlog").meters().forEach(registry::remove);
        registry.find("gateway.outbox.oldest.pending.seconds").meters().forEach(registry::remove);
        Gauge.builder("gateway.outbox.backlog", backlog, AtomicLong::get)
                .description("Outbox rows not yet delivered to the worker (all instances)").register(registry);
        Gauge.builder("gateway.outbox.oldest.pending.seconds", oldestPendingSeconds, AtomicLong::get)
                .description("Age of the oldest undelivered outbox row").register(registry);
        this.delivered = Counter.builder("gateway.outbox.delivered")
                .description("Change events delivered to the worker").register(registry);
        this.failures = Counter.builder("gateway.outbox.delivery.failures")
                .description("Failed deliveries of a batch to the worker (retried with backoff)").register(registry);
        this.refused = Counter.builder("gateway.outbox.refused")
                .description("Events the worker refused alone for their content (kept, retried with backoff)")
                .register(registry);
    }

    /**
     * Publishes everything due after {@link OutboxConfig#linger()}, without making the caller wait. Called right
     * after a transaction that wrote outbox rows commits; a call while a run is pending or in progress makes that
     * run go round once more, so rows committed during a delivery are sent by the next one.
     */
    public void trigger() {
        if (stopping) {
            return; // rows committed now are sent by another instance, or after the restart
        }
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        long linger = config.linger().toMillis();
        if (linger > 0) {
            vertx.setTimer(linger, id -> run());
        } else {
            run();
        }
    }

    private void run() {
        again.set(false);
        drain().subscribe().with(sent -> finish(), failure -> {
            LOG.warnf("outbox run failed: %s", failure.toString());
            finish();
        });
    }

    @Scheduled(every = "{gateway.outbox.poll-interval}", delayed = "{gateway.outbox.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        trigger();
        refreshBacklog().subscribe().with(ignored -> { }, failure -> LOG.debugf("backlog query failed: %s", failure));
    }

    /**
     * Graceful stop: no new run; the run in progress finishes its batch in hand (bounded by
     * {@code quarkus.shutdown.timeout}). Runs on the thread stopping Quarkus, before the pool and the REST client close.
     */
    void onStop(@Observes ShutdownEvent event,
                @ConfigProperty(name = "quarkus.shutdown.timeout") Optional<Duration> grace) {
        stopping = true;
        long deadline = System.nanoTime() + grace.orElse(Duration.ZERO).toNanos();
        while (running.get() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (running.get()) {
            LOG.warnf("shutdown: the outbox batch in hand was not delivered within %s; its transaction ends with the "
                    + "pool and its rows are due again for another instance", grace.orElse(Duration.ZERO));
        } else {
            LOG.info("shutdown: outbox publisher stopped, no batch in hand");
        }
    }

    private void finish() {
        running.set(false);
        if (again.get() && !stopping) {
            trigger();
        } else if (floorUsedSinceRescan && !stopping && rescanArmed.compareAndSet(false, true)) {
            // Takes since the last rescan looked above the floor only: a row committed late below it (another
            // instance's, or a lifecycle transaction's) is found by a rescan at most rescan-interval later.
            vertx.setTimer(Math.max(1, config.rescanInterval().toMillis()), id -> {
                rescanArmed.set(false);
                trigger();
            });
        }
    }

    /**
     * Where the next take starts: from id 0 (a rescan) when the last rescan is {@code rescan-interval} ago, else from
     * the floor. Rows are committed in nearly increasing id order, so the floor finds every new one at once; a row
     * committed late with a lower id (two instances' ingest batches, a lifecycle transaction overtaken by a batch) or
     * due again after a backoff is found by the next rescan.
     */
    private long takeFrom() {
        long now = System.nanoTime();
        if (now - lastRescan >= config.rescanInterval().toNanos()) {
            lastRescan = now;
            floorUsedSinceRescan = false;
            return 0;
        }
        floorUsedSinceRescan = true;
        return floor.get();
    }

    /**
     * Batches until one comes back short (all due rows sent) or a delivery fails (back off). Deferred: each repetition
     * is a new delivery with its own start ({@link #takeFrom}) and its own rows in hand, not a resubscription to the
     * first one's.
     */
    Uni<Integer> drain() {
        return Uni.createFrom().deferred(this::publishBatch)
                .repeat().whilst(sent -> sent == config.batchSize() && !stopping)
                .collect().with(java.util.stream.Collectors.summingInt(sent -> Math.max(sent, 0)));
    }

    /**
     * One delivery: takes due rows in a transaction that stays open while the worker is called and commits (the
     * delivered mark) after its 2xx; any failure rolls it back and then records the failure on the rows. A delivery
     * the worker refuses for its content is split instead ({@link #deliver}).
     *
     * @return rows taken (delivered, or refused alone and scheduled again), or -1 when the delivery failed
     */
    private Uni<Integer> publishBatch() {
        List<Outbox.Taken> inHand = new ArrayList<>();
        long from = takeFrom();
        return pool.withTransaction(conn -> outbox.take(conn, config.batchSize(), from, config.lease())
                        .invoke(inHand::addAll)
                        .chain(taken -> deliver(conn, taken)))
                .map(sent -> {
                    if (!inHand.isEmpty()) {
                        long highest = inHand.get(inHand.size() - 1).id();
                        floor.accumulateAndGet(highest + 1, Math::max);
                        delivered.increment(sent);
                        LOG.debugf("delivered %d events to the worker", sent);
                    }
                    return inHand.size();
                })
                .onFailure().recoverWithUni(failure -> {
                    if (inHand.isEmpty()) {
                        return Uni.createFrom().failure(failure); // nothing taken: the take itself failed
                    }
                    return markFailed(inHand.stream().map(Outbox.Taken::id).toArray(Long[]::new), failure);
                });
    }

    /**
     * Sends {@code taken} in the delivery's transaction on {@code conn}. When the worker refuses it for what it carries
     * (400, 413, 422: an event it cannot take, say from a newer gateway during a deploy, or a body too large), the rows
     * are sent again in two halves, and so on down to the row at fault, which alone is unmarked and scheduled again
     * with backoff: one event the worker refuses does not hold back the others taken with it. Any other failure fails
     * the whole delivery (rolled back, retried with backoff).
     *
     * @return rows delivered
     */
    private Uni<Integer> deliver(SqlConnection conn, List<Outbox.Taken> taken) {
        if (taken.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return send(taken).onFailure(OutboxPublisher::refusedForItsContent).recoverWithUni(refusal -> {
            if (taken.size() == 1) {
                refused.increment();
                long row = taken.get(0).id();
                String error = describe(refusal);
                return outbox.refused(conn, new Long[] {row}, error, config.initialBackoff(), config.maxBackoff())
                        .invoke(eventIds -> LOG.warnf("the worker refused event %s (outbox row %d): %s; it is kept "
                                + "and tried again with backoff", String.join(", ", eventIds), row, error))
                        .replaceWith(0);
            }
            int half = taken.size() / 2;
            List<Outbox.Taken> first = taken.subList(0, half);
            List<Outbox.Taken> second = taken.subList(half, taken.size());
            return deliver(conn, first).chain(a -> deliver(conn, second).map(b -> a + b));
        });
    }

    /** A 4xx about the request's content: splitting it can isolate the event at fault. A 401 or a 404 cannot. */
    private static boolean refusedForItsContent(Throwable failure) {
        if (failure instanceof WebApplicationException wae) {
            int status = wae.getResponse().getStatus();
            return status == 400 || status == 413 || status == 422;
        }
        return false;
    }

    private Uni<Integer> send(List<Outbox.Taken> taken) {
        // Deferred: every attempt (a later take of the same rows after a failure) mints its own single-use token.
        return Uni.createFrom().deferred(() -> {
                    byte[] body = body(taken);
                    return worker.publish(tokens.bearerForWorker(body), body);
                })
                .replaceWith(taken.size());
    }

    private Uni<Integer> markFailed(Long[] ids, Throwable failure) {
        failures.increment();
        String error = describe(failure);
        LOG.warnf("delivery of %d events to the worker failed, will retry: %s", ids.length, error);
        return outbox.markFailed(pool, ids, error, config.initialBackoff(), config.maxBackoff()).replaceWith(-1);
    }

    Uni<Void> refreshBacklog() {
        return outbox.backlog(pool).invoke(read -> {
            backlog.set(read.pending());
            oldestPendingSeconds.set(read.oldestPendingSeconds());
        }).replaceWithVoid();
    }

    /**
     * The {@code ChangeEventBatch} JSON of the rows, written from their stored payloads as they are: each was a
     * validated {@code ChangeEvent} when it was enqueued, so it is not parsed and written again here.
     */
    static byte[] body(List<Outbox.Taken> taken) {
        StringBuilder json = new StringBuilder(32 + taken.size() * 512).append("{\"events\":[");
        for (int i = 0; i < taken.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(taken.get(i).payload());
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(Throwable failure) {
        String text = failure instanceof WebApplicationException wae
                ? "HTTP " + wae.getResponse().getStatus() + " from the worker"
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }
}
