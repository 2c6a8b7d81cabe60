package io.storefrontsync.gateway.token;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.crypto.TokenCipher;
import io.storefrontsync.common.crypto.TokenDecryptionException;
import io.storefrontsync.common.validation.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Moves every stored token to the current key of {@code TOKEN_ENCRYPTION_KEY}, so a retired key can
 * leave the ring without breaking the tokens nothing else rewrites (Page tokens, refresh tokens of
 * idle shops). Runs shortly after start — a rotation is a restart with a new ring — and then every
 * {@code gateway.token-keys.reencrypt-every}, catching rows an instance still on the old ring wrote
 * during a rolling deploy.
 *
 * <p>Each column is walked in key order, {@code batch-size} rows at a time, reading only tokens under
 * another key id. A token is decrypted with its old key and sealed under the current one with the
 * same associated data, then written back by compare-and-set on the old ciphertext: a token a
 * refresh, a reinstall or a Facebook login replaced meanwhile is left alone (it is under the current
 * key already, or the next run takes it). No row is locked, so refreshes never wait on this job, and
 * two instances running it at once only repeat work. A token that cannot be decrypted (its key was
 * removed too early, or it is damaged) is logged by row and counted, never rewritten; the walk goes
 * on past it. AES-GCM over a token is microseconds, so the crypto stays on the event loop.
 */
@ApplicationScoped
public class TokenReencryptionJob {

    private static final Logger LOG = Logger.getLogger(TokenReencryptionJob.class);

    enum Outcome {
        /** Written under the current key. */
        REENCRYPTED,
        /** Replaced by a newer token between the read and the write: left as it is. */
        SUPERSEDED,
        /** Not decryptable with the ring: left as it is. */
        FAILED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What one run did. */
    record Run(int reencrypted, int superseded, int failed) {

        Run plus(Outcome outcome) {
            return new Run(reencrypted + (outcome == Outcome.REENCRYPTED ? 1 : 0),
                    superseded + (outcome == Outcome.SUPERSEDED ? 1 : 0), failed + (outcome == Outcome.FAILED ? 1 : 0));
        }
    }

    private record Batch(int rows, String lastKey, List<Outcome> outcomes) {
    }

    private final EncryptedColumns columns;
    private final TokenCipher cipher;
    private final TokenKeysConfig config;
    private final TokensByKeyGauge gauge;
    private final MeterRegistry registry;

    public TokenReencryptionJob(EncryptedColumns columns, TokenCipher cipher, TokenKeysConfig config, TokensByKeyGauge gauge,
                                MeterRegistry registry) {
        this.columns = columns;
        this.cipher = cipher;
        this.config = config;
        this.gauge = gauge;
        this.registry = registry;
    }

    @Scheduled(every = "{gateway.token-keys.reencrypt-every}", delayed = "{gateway.token-keys.reencrypt-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return reencryptAll()
                .chain(run -> gauge.refresh())
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("token re-encryption run failed, the next one retries: %s", failure.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    /** One pass over every encrypted column. */
    Uni<Run> reencryptAll() {
        return Multi.createFrom().items(EncryptedColumn.values())
                .onItem().transformToUniAndConcatenate(this::reencryptColumn)
                .onItem().transformToMultiAndConcatenate(outcomes -> Multi.createFrom().iterable(outcomes))
                .collect().asList()
                .map(outcomes -> {
                    Run run = new Run(0, 0, 0);
                    for (Outcome outcome : outcomes) {
                        run = run.plus(outcome);
                    }
                    return run;
                })
                .invoke(run -> {
                    if (run.reencrypted() + run.superseded() + run.failed() > 0) {
                        LOG.infof("moved %d tokens to key %s (%d replaced meanwhile, %d not decryptable)",
                                run.reencrypted(), cipher.currentKeyId(), run.superseded(), run.failed());
                    }
                });
    }

    private Uni<List<Outcome>> reencryptColumn(EncryptedColumn column) {
        AtomicReference<String> after = new AtomicReference<>("");
        return Uni.createFrom().deferred(() -> batch(column, after.get()))
                .invoke(batch -> after.set(batch.lastKey()))
                .repeat().whilst(batch -> batch.rows() == config.batchSize())
                .collect().in(ArrayList<Outcome>::new, (all, batch) -> all.addAll(batch.outcomes()))
                .map(List::copyOf);
    }

    private Uni<Batch> batch(EncryptedColumn column, String after) {
        return columns.notUnderKey(column, after, cipher.currentKeyId(), config.batchSize())
                .chain(tokens -> reencryptRows(column, tokens));
    }

    /** {@code tokens}: row key → envelope, in row key order. */
    private Uni<Batch> reencryptRows(EncryptedColumn column, Map<String, String> tokens) {
        List<Map.Entry<String, String>> list = List.copyOf(tokens.entrySet());
        String lastKey = list.isEmpty() ? null : list.get(list.size() - 1).getKey();
        return Multi.createFrom().iterable(list)
                .onItem().transformToUniAndConcatenate(token -> reencrypt(column, token.getKey(), token.getValue()))
                .collect().asList()
                .map(outcomes -> new Batch(list.size(), lastKey, outcomes));
    }

    /** Re-seals one token read as {@code envelope}; writes it only if the row still holds that envelope. */
    Uni<Outcome> reencrypt(EncryptedColumn column, String rowKey, String envelope) {
        String sealed;
        try {
            sealed = cipher.reencrypt(envelope, column.associatedData(rowKey));
        } catch (TokenDecryptionException | InvalidInputException e) {
            // The message names the key id or what failed, never token material.
            LOG.warnf("cannot move the %s token of %s to key %s: %s", column.kind, rowKey, cipher.currentKeyId(),
                    e.getMessage());
            return Uni.createFrom().item(counted(column, Outcome.FAILED));
        }
        return columns.replace(column, rowKey, envelope, sealed)
                .map(replaced -> counted(column, replaced ? Outcome.REENCRYPTED : Outcome.SUPERSEDED));
    }

    private Outcome counted(EncryptedColumn column, Outcome outcome) {
        registry.counter("gateway.token.reencryption", "kind", column.kind, "outcome", outcome.label()).increment();
        return outcome;
    }
}
