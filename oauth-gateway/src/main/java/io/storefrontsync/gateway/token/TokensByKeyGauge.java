package io.storefrontsync.gateway.token;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.crypto.TokenCipher;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code gateway_tokens_by_key{kind, key_id}}: stored tokens per column and key id, for all
 * instances (read from the database on a timer, never on the scrape). Every key of the ring is
 * reported, at 0 when no token uses it, so a retired key shows 0 once {@link TokenReencryptionJob}
 * has moved everything; a key id found in the table but missing from the ring is reported too —
 * those tokens no longer decrypt. A key id once seen stays reported (at 0 when gone) until restart.
 */
@ApplicationScoped
public class TokensByKeyGauge {

    private static final Logger LOG = Logger.getLogger(TokensByKeyGauge.class);
    private static final String NAME = "gateway.tokens.by.key";

    private final EncryptedColumns columns;
    private final TokenCipher cipher;
    private final MeterRegistry registry;
    /** One gauge per (kind, key id) ever seen, registered once: a scrape never finds one missing while counts change. */
    private final Map<List<String>, AtomicLong> counts = new ConcurrentHashMap<>();
    /** Counts are applied in the order their queries were issued: a slow poll never overwrites a newer count. */
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();

    public TokensByKeyGauge(EncryptedColumns columns, TokenCipher cipher, MeterRegistry registry) {
        this.columns = columns;
        this.cipher = cipher;
        this.registry = registry;
        // A gauge of this name left by an earlier application in this JVM (Quarkus' test restarts share
        // Micrometer's global registry) would be returned by register() bound to that application's counts.
        registry.find(NAME).meters().forEach(registry::remove);
        for (EncryptedColumn column : EncryptedColumn.values()) {
            for (String keyId : cipher.keyIds()) {
                gauge(column.kind, keyId);
            }
        }
    }

    @Scheduled(every = "{gateway.token-keys.count-every}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return refresh().onFailure().recoverWithItem(failure -> {
            LOG.debugf("token count query failed: %s", failure);
            return null;
        });
    }

    Uni<Void> refresh() {
        long ticket = issued.incrementAndGet();
        List<Uni<Map<String, Long>>> perColumn = Stream.of(EncryptedColumn.values()).map(columns::countByKey).toList();
        return Uni.join().all(perColumn).andFailFast()
                .invoke(counted -> {
                    if (applied.getAndAccumulate(ticket, Math::max) > ticket) {
                        return; // a count started later has already been applied: this one is older
                    }
                    Map<List<String>, Long> read = new HashMap<>();
                    for (int i = 0; i < counted.size(); i++) {
                        String kind = EncryptedColumn.values()[i].kind;
                        counted.get(i).forEach((keyId, tokens) ->
                                read.merge(List.of(kind, keyId.isEmpty() ? "malformed" : keyId), tokens, Long::sum));
                    }
                    read.keySet().forEach(labels -> gauge(labels.get(0), labels.get(1)));
                    counts.forEach((labels, tokens) -> tokens.set(read.getOrDefault(labels, 0L)));
                })
                .replaceWithVoid();
    }

    private AtomicLong gauge(String kind, String keyId) {
        return counts.computeIfAbsent(List.of(kind, keyId), labels -> {
            AtomicLong tokens = new AtomicLong();
            Gauge.builder(NAME, tokens, AtomicLong::get)
                    .tags("kind", kind, "key_id", keyId)
                    .description("Stored tokens per column and encryption key id (all instances)")
                    .register(registry);
            return tokens;
        });
    }
}
