package io.storefrontsync.worker.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.auth.ServiceAuth;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Service tokens are single-use and bound to their body ({@link ServiceAuth#BODY_HASH_CLAIM}): the intake checks
 * the hash of the raw bytes it received, then records the token's {@code jti} in {@code worker.service_token_uses}
 * in the transaction that stores the batch. The table is shared by every worker instance, so a replay is refused
 * whichever instance it reaches; a batch that was not stored leaves no row, and the gateway's retry mints a fresh
 * token anyway. Refusals are counted ({@code storefront_intake_tokens_refused_total{reason}}).
 */
@Startup
@ApplicationScoped
public class ServiceTokenUses {

    private static final Logger LOG = Logger.getLogger(ServiceTokenUses.class);
    private static final List<String> REASONS = List.of("body_hash", "jti_missing", "jti_replayed");

    // Kept until the verifier would refuse the token anyway: its exp plus the allowed clock skew.
    private static final String RECORD = """
            INSERT INTO worker.service_token_uses (jti, expires_at)
            VALUES ($1, to_timestamp($2) + make_interval(secs => $3))
            ON CONFLICT (jti) DO NOTHING""";
    private static final String PURGE = "DELETE FROM worker.service_token_uses WHERE expires_at < now()";

    private final Pool pool;
    private final MeterRegistry registry;
    private final long clockSkewSeconds;

    public ServiceTokenUses(Pool pool, MeterRegistry registry,
                            @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60") long clockSkewSeconds) {
        this.pool = pool;
        this.registry = registry;
        this.clockSkewSeconds = clockSkewSeconds;
        // Registered up front so each reason has a series at 0 before the first refusal.
        REASONS.forEach(this::refusals);
    }

    /**
     * The token's claim to the body: refused (401) unless it names the hash of exactly these bytes and a jti.
     *
     * @return the jti to record with the batch
     */
    public String checkBinding(JsonWebToken token, byte[] body) {
        // smallrye-jwt hands out private claims as JSON values.
        Object claimed = token.getClaim(ServiceAuth.BODY_HASH_CLAIM);
        String bound = claimed instanceof JsonString json ? json.getString()
                : claimed == null ? null : claimed.toString();
        byte[] expected = ServiceAuth.bodyHash(body).getBytes(StandardCharsets.US_ASCII);
        if (bound == null || !MessageDigest.isEqual(expected, bound.getBytes(StandardCharsets.US_ASCII))) {
            throw refuse("body_hash", "the service token is not bound to this body");
        }
        String jti = token.getTokenID();
        if (jti == null || jti.isBlank() || jti.length() > 128) {
            throw refuse("jti_missing", "the service token has no usable jti");
        }
        return jti;
    }

    /** Records the jti on the caller's transaction; fails with a 401 refusal when any instance saw it before. */
    public Uni<Void> recordFirstUse(SqlClient client, String jti, long expiresAtEpochSeconds) {
        return client.preparedQuery(RECORD).execute(Tuple.of(jti, (double) expiresAtEpochSeconds, (double) clockSkewSeconds))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw refuse("jti_replayed", "the service token was already used");
                    }
                })
                .replaceWithVoid();
    }

    @Scheduled(identity = "service-token-uses-purge", every = "10m", delayed = "60s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledPurge() {
        return purge().invoke(count -> LOG.debugf("purged %d expired service token uses", count)).replaceWithVoid();
    }

    /** @return the rows of expired tokens deleted */
    public Uni<Integer> purge() {
        return pool.query(PURGE).execute().map(RowSet::rowCount);
    }

    private ServiceTokenRefused refuse(String reason, String message) {
        refusals(reason).increment();
        LOG.warnf("intake refused: %s", message);
        return new ServiceTokenRefused(message);
    }

    private Counter refusals(String reason) {
        return Counter.builder("storefront.intake.tokens.refused")
                .description("Service tokens refused at the intake: not bound to the body, no jti, or replayed")
                .tag("reason", reason).register(registry);
    }
}
