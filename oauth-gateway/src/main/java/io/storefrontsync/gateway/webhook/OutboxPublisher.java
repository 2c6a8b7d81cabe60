package io.storefrontsync.gateway.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.event.ChangeEventBatch;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers outbox rows to the worker's {@code POST /internal/events}, oldest first, in batches.
 *
 * <p>Claiming is one statement: due rows are locked with {@code FOR UPDATE SKIP LOCKED} and leased
 * (their {@code next_attempt_at} pushed past the lease), so several gateway instances never send the
 * same row at the same time and a crashed instance's rows come back after the lease. A 2xx marks the
 * batch delivered; anything else schedules the next attempt with exponential backoff and jitter,
 * capped at {@code max-backoff} and repeated forever: a row is never dropped, the backlog is a gauge
 * ({@code gateway_outbox_backlog}, {@code gateway_outbox_oldest_pending_seconds}), re-read on every poll.
 *
 * <p>Runs on the reactive SQL client rather than Hibernate sessions: it is started from timers and
 * after commits, outside any request, and its statements are SQL-level claims, not entity work.
 */
@ApplicationScoped
public class OutboxPublisher {

    private static final Logger LOG = Logger.getLogger(OutboxPublisher.class);
    private static final int MAX_ERROR_LENGTH = 500;

    private static final String CLAIM = """
            UPDATE gateway.outbox SET attempts = attempts + 1,
                   next_attempt_at = now() + make_interval(secs => $2)
             WHERE id IN (SELECT id FROM gateway.outbox
                           WHERE delivered_at IS NULL AND next_attempt_at <= now()
                           ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING id, payload::text AS payload""";
    private static final String DELIVERED = """
            UPDATE gateway.outbox SET delivered_at = now(), last_error = NULL WHERE id = ANY($1)""";
    // Equal jitter: half the exponential delay fixed, half random, so retries of many rows spread out.
    private static final String FAILED = """
            UPDATE gateway.outbox SET last_error = $2,
                   next_attempt_at = now() + make_interval(secs =>
                       least($4, $3 * power(2, least(attempts - 1, 30))) * (0.5 + random() * 0.5))
             WHERE id = ANY($1)""";
    private static final String BACKLOG = """
            SELECT count(*) AS pending,
                   coalesce(extract(epoch FROM now() - min(created_at)), 0) AS oldest
              FROM gateway.outbox WHERE delivered_at IS NULL""";

    private final Pool pool;
    private final SyncWorkerClient worker;
    private final ServiceTokens tokens;
    private final ObjectMapper mapper;
    private final OutboxConfig config;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestPendingSeconds = new AtomicLong();
    private final Counter delivered;
    private final Counter failures;

    public OutboxPublisher(Pool pool, @RestClient SyncWorkerClient worker, ServiceTokens tokens, ObjectMapper mapper,
                           OutboxConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.worker = worker;
        this.tokens = tokens;
        this.mapper = mapper;
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
    }

    /**
     * Publishes everything due, now, without waiting. Called right after a transaction that wrote
     * outbox rows commits; a call while a run is in progress makes that run go round once more.
     */
    public void trigger() {
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
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

    private void finish() {
        running.set(false);
        if (again.get()) {
            trigger();
        }
    }

    /** Batches until one comes back short (all due rows sent) or a delivery fails (back off). */
    Uni<Integer> drain() {
        return publishBatch()
                .repeat().whilst(sent -> sent == config.batchSize())
                .collect().with(java.util.stream.Collectors.summingInt(sent -> Math.max(sent, 0)));
    }

    /** @return rows delivered, or -1 when the delivery failed */
    private Uni<Integer> publishBatch() {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of((long) config.batchSize(), seconds(config.lease())))
                .chain(this::deliver);
    }

    private Uni<Integer> deliver(RowSet<Row> claimed) {
        if (claimed.size() == 0) {
            return Uni.createFrom().item(0);
        }
        List<Long> ids = new ArrayList<>();
        List<ChangeEvent> events = new ArrayList<>();
        for (Row row : claimed) {
            ids.add(row.getLong("id"));
            events.add(parse(row.getString("payload")));
        }
        Long[] idArray = ids.toArray(new Long[0]);
        // Deferred: every attempt (a later claim of the same rows after a failure) mints its own single-use token.
        return Uni.createFrom().deferred(() -> {
                    byte[] body = serialise(new ChangeEventBatch(events));
                    return worker.publish(tokens.bearerForWorker(body), body);
                })
                .chain(response -> pool.preparedQuery(DELIVERED).execute(Tuple.tuple().addArrayOfLong(idArray)))
                .map(updated -> {
                    delivered.increment(ids.size());
                    LOG.debugf("delivered %d events to the worker", ids.size());
                    return ids.size();
                })
                .onFailure().recoverWithUni(failure -> markFailed(idArray, failure));
    }

    private Uni<Integer> markFailed(Long[] ids, Throwable failure) {
        failures.increment();
        String error = describe(failure);
        LOG.warnf("delivery of %d events to the worker failed, will retry: %s", ids.length, error);
        Tuple params = Tuple.tuple().addArrayOfLong(ids).addString(error)
                .addDouble(seconds(config.initialBackoff())).addDouble(seconds(config.maxBackoff()));
        return pool.preparedQuery(FAILED).execute(params).replaceWith(-1);
    }

    Uni<Void> refreshBacklog() {
        return pool.query(BACKLOG).execute().invoke(rows -> {
            Row row = rows.iterator().next();
            backlog.set(row.getLong("pending"));
            oldestPendingSeconds.set(row.getNumeric("oldest").longValue());
        }).replaceWithVoid();
    }

    private ChangeEvent parse(String payload) {
        try {
            return mapper.readValue(payload, ChangeEvent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outbox payload is not a ChangeEvent", e);
        }
    }

    private byte[] serialise(ChangeEventBatch batch) {
        try {
            return mapper.writeValueAsBytes(batch);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a ChangeEventBatch did not serialise", e);
        }
    }

    private static String describe(Throwable failure) {
        String text = failure instanceof WebApplicationException wae
                ? "HTTP " + wae.getResponse().getStatus() + " from the worker"
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }

    private static double seconds(java.time.Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
