package io.storefrontsync.gateway.token;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.crypto.TokenCipher;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code gateway_tokens_by_key{kind, key_id}}: stored tokens per column and key id, for all
 * instances (read from the database on a timer, never on the scrape). Every key of the ring is
 * reported, at 0 when no token uses it, so a retired key shows 0 once {@link TokenReencryptionJob}
 * has moved everything; a key id found in the table but missing from the ring is reported too —
 * those tokens no longer decrypt.
 */
@ApplicationScoped
public class TokensByKeyGauge {

    private static final Logger LOG = Logger.getLogger(TokensByKeyGauge.class);
    private static final String COUNT = Stream.of(EncryptedColumn.values())
            .map(EncryptedColumn::countByKey).collect(Collectors.joining(" UNION ALL "));

    private final Pool pool;
    private final TokenCipher cipher;
    private final MultiGauge gauge;

    public TokensByKeyGauge(Pool pool, TokenCipher cipher, MeterRegistry registry) {
        this.pool = pool;
        this.cipher = cipher;
        this.gauge = MultiGauge.builder("gateway.tokens.by.key")
                .description("Stored tokens per column and encryption key id (all instances)").register(registry);
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
        return pool.query(COUNT).execute()
                .invoke(rows -> {
                    Map<List<String>, Long> counts = new LinkedHashMap<>();
                    for (EncryptedColumn column : EncryptedColumn.values()) {
                        for (String keyId : cipher.keyIds()) {
                            counts.put(List.of(column.kind, keyId), 0L);
                        }
                    }
                    for (Row row : rows) {
                        String keyId = row.getString("key_id");
                        counts.merge(List.of(row.getString("kind"), keyId.isEmpty() ? "malformed" : keyId),
                                row.getLong("tokens"), Long::sum);
                    }
                    List<MultiGauge.Row<?>> gaugeRows = new ArrayList<>();
                    counts.forEach((labels, tokens) -> gaugeRows.add(
                            MultiGauge.Row.of(Tags.of("kind", labels.get(0), "key_id", labels.get(1)), tokens)));
                    gauge.register(gaugeRows, true);
                })
                .replaceWithVoid();
    }
}
