package io.storefrontsync.worker.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.common.validation.ShopDomain;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * POST {@code {admin}/admin/api/{version}/graphql.json} with {@code X-Shopify-Access-Token},
 * cost-aware: each query says what it will request, and we wait (a Mutiny delay, never a blocked
 * thread) until the shop's bucket covers it. THROTTLED and 429 are waited out and resent; 5xx and
 * connection errors retried with exponential backoff and jitter, bounded; GraphQL errors fail at
 * once (the job queue retries the whole job). A 401 or 403 re-reads the shop's token once: the
 * gateway rotates expiring tokens (1 h) ahead of time, so a sync that outlives the token it started
 * with carries on with the current one; when the stored token is the one refused, the sync fails.
 *
 * <p>Built on the Mutiny Vert.x core {@link HttpClient} rather than a REST client interface: the
 * URL comes per shop from {@code SHOPIFY_ADMIN_URL_TEMPLATE}, the answer is judged on status,
 * {@code Retry-After} and a GraphQL body that carries errors under 200 ({@link AdminResponseClassifier}
 * decides what each answer means), and the body is parsed with {@link CanonicalJson}'s exact-decimal
 * mapper; a REST client would need one instance per shop and turns non-2xx into exceptions that lose
 * those details. No extra dependency either.
 */
@ApplicationScoped
public class ShopifyAdminGraphQL {

    private static final Logger LOG = Logger.getLogger(ShopifyAdminGraphQL.class);
    private static final String DEFAULT_TEMPLATE = "https://{shop}";
    /** Added to a 429's {@code Retry-After}, so that syncs refused together do not come back together. */
    private static final long RETRY_AFTER_JITTER_MILLIS = 100;

    /** Renewals of the token within one sync, at most: more means the store keeps handing out refused tokens. */
    private static final int MAX_TOKEN_RENEWALS = 3;

    private final ShopifyConfig config;
    private final ShopifyMetrics metrics;
    private final ShopifyAccessTokens tokens;
    private final ShopifyDeprecations deprecations;
    private final HttpClient http;
    /** Shopify's bucket is per app and shop: what one sync learnt about it holds for the next one. */
    private final Map<String, CostBudget> budgets = new ConcurrentHashMap<>();

    public ShopifyAdminGraphQL(Vertx vertx, ShopifyConfig config, ShopifyMetrics metrics, ShopifyAccessTokens tokens,
                               ShopifyDeprecations deprecations) {
        this.deprecations = deprecations;
        this.config = config;
        this.metrics = metrics;
        this.tokens = tokens;
        int timeoutMillis = (int) config.requestTimeout().toMillis();
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(timeoutMillis)
                .setIdleTimeout(timeoutMillis)
                .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
                .setKeepAlive(true)
                .setMaxPoolSize(8));
    }

    @PreDestroy
    void close() {
        http.closeAndForget();
    }

    /** The shop's throttle as this worker last saw it ({@link Throttle#UNKNOWN} before any answer from the shop). */
    public Throttle throttleOf(ShopDomain shop) {
        CostBudget budget = budgets.get(shop.value());
        return budget == null ? Throttle.UNKNOWN : new Throttle(budget.restoreRateOr(0), budget.maximumOr(0));
    }

    /** A conversation with one shop's Admin API for one sync; the token stays inside it. */
    public Session session(ShopDomain shop, String accessToken) {
        // Re-validated right before use: the token only ever goes to a *.myshopify.com host (or the configured simulator).
        ShopDomain checked = new ShopDomain(shop.value());
        String template = config.adminUrlTemplate().filter(t -> !t.isBlank()).orElse(DEFAULT_TEMPLATE);
        String url = template.replace("{shop}", checked.value()) + "/admin/api/" + config.apiVersion() + "/graphql.json";
        return new Session(checked, url, accessToken, budgets.computeIfAbsent(checked.value(), s -> new CostBudget()));
    }

    public final class Session {

        private final ShopDomain shop;
        private final String url;
        /** Replaced when Shopify refuses it and the gateway has stored a newer one. */
        private volatile String accessToken;
        private final CostBudget budget;
        private final FetchStats stats = new FetchStats();
        /** Told of each product a paginated read completed (a job's progress); nothing by default. */
        private volatile java.util.function.Function<Session, Uni<Void>> productListener = session -> Uni.createFrom().voidItem();

        private Session(ShopDomain shop, String url, String accessToken, CostBudget budget) {
            this.shop = shop;
            this.url = url;
            this.accessToken = accessToken;
            this.budget = budget;
        }

        public FetchStats stats() {
            return stats;
        }

        public ShopDomain shop() {
            return shop;
        }

        /** Who is told, after each product a paginated read completed, how far the read is ({@link FetchStats#productsRead()}). */
        public void onProductRead(java.util.function.Function<Session, Uni<Void>> listener) {
            this.productListener = listener;
        }

        /** One more product completed; the listener's answer is waited for (it is cheap, and throttles itself). */
        Uni<Void> productRead() {
            stats.productsRead.incrementAndGet();
            return productListener.apply(this);
        }

        /** The most a single query may request: Shopify's limit, or the bucket if that is smaller. */
        public int queryBudget() {
            return Math.min(config.maxQueryCost(), budget.maximumOr(config.maxQueryCost()));
        }

        /**
         * Runs one query and answers its {@code data}.
         *
         * @param requestedCost what the query will request by Shopify's cost rules (computed by the caller)
         */
        public Uni<JsonNode> query(String operation, String query, ObjectNode variables, int requestedCost) {
            byte[] body = requestBody(query, variables);
            return Uni.createFrom().deferred(() -> attempt(operation, body, requestedCost, 0))
                    .onFailure(ShopifyApiException.Transient.class).invoke(e -> {
                        stats.retries.incrementAndGet();
                        LOG.debugf("%s %s: %s, retrying", shop, operation, e.getMessage());
                    })
                    .onFailure(ShopifyApiException.Transient.class).retry()
                    .withBackOff(config.transientInitialBackoff(), config.transientMaxBackoff())
                    .withJitter(0.5)
                    .atMost(config.transientRetries());
        }

        private Uni<JsonNode> attempt(String operation, byte[] body, int requestedCost, int refusals) {
            long waitMillis = budget.waitMillis(requestedCost, System.nanoTime());
            Uni<Void> pause = Uni.createFrom().voidItem();
            if (waitMillis > 0) {
                stats.throttledWaits.incrementAndGet();
                metrics.throttled("wait");
                metrics.waited("wait", Duration.ofMillis(waitMillis));
                LOG.debugf("%s %s: waiting %d ms for %d points", shop, operation, waitMillis, requestedCost);
                pause = pause.onItem().delayIt().by(Duration.ofMillis(waitMillis));
            }
            String token = accessToken;
            return pause.chain(() -> send(operation, body, token))
                    .map(response -> interpret(operation, response, requestedCost))
                    .onFailure(ShopifyApiException.Unauthorized.class).recoverWithUni(refused -> renewToken(token)
                            .chain(renewed -> renewed
                                    ? attempt(operation, body, requestedCost, refusals)
                                    : Uni.createFrom().failure(refused)))
                    .onFailure(ShopifyApiException.RateLimited.class).recoverWithUni(failure -> {
                        ShopifyApiException.RateLimited limited = (ShopifyApiException.RateLimited) failure;
                        if (refusals >= config.rateLimitRetries()) {
                            return Uni.createFrom().failure(new ShopifyApiException.Transient(
                                    shop + " " + operation + ": still rate limited after " + refusals + " waits"));
                        }
                        stats.throttledWaits.incrementAndGet();
                        metrics.waited(limited.reason(), Duration.ofMillis(limited.waitMillis));
                        return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(limited.waitMillis))
                                .chain(() -> attempt(operation, body, requestedCost, refusals + 1));
                    });
        }

        /**
         * True when the shop's stored token differs from the refused one (the gateway rotated it):
         * it becomes this session's token. False when it is the same, gone, or renewed too often.
         */
        private Uni<Boolean> renewToken(String refused) {
            if (stats.tokenRenewals.get() >= MAX_TOKEN_RENEWALS) {
                return Uni.createFrom().item(false);
            }
            return tokens.accessToken(shop)
                    .map(current -> {
                        if (current.equals(refused)) {
                            return false;
                        }
                        accessToken = current;
                        stats.tokenRenewals.incrementAndGet();
                        LOG.infof("%s: Shopify refused the access token the sync started with; continuing with the"
                                + " one the gateway stored since", shop);
                        return true;
                    })
                    .onFailure().recoverWithItem(failure -> {
                        LOG.infof("%s: no token to continue with: %s", shop, failure.getMessage());
                        return false;
                    });
        }

        private Uni<RawResponse> send(String operation, byte[] body, String token) {
            stats.requests.incrementAndGet();
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setAbsoluteURI(url)
                    .setFollowRedirects(false)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Accept", "application/json")
                    .putHeader("X-Shopify-Access-Token", token);
            return http.request(options)
                    .chain(request -> request.send(Buffer.buffer(body)))
                    .chain(response -> response.body().map(bytes -> new RawResponse(response, bytes.getBytes())))
                    .ifNoItem().after(config.requestTimeout().multipliedBy(2)).failWith(() ->
                            new ShopifyApiException.Transient(shop + " " + operation + ": no answer within "
                                    + config.requestTimeout().multipliedBy(2)))
                    .onFailure(failure -> !(failure instanceof ShopifyApiException)).transform(failure -> {
                        metrics.request("connection_error");
                        return new ShopifyApiException.Transient(shop + " " + operation + ": "
                                + failure.getClass().getSimpleName() + ": " + failure.getMessage(), failure);
                    });
        }

        /**
         * The answer's data, or the exception that makes {@link #attempt} wait, renew the token or retry,
         * or fails the sync; {@link AdminResponseClassifier} decides which, this records what it cost.
         */
        private JsonNode interpret(String operation, RawResponse response, int requestedCost) {
            deprecations.noted(operation, response.deprecatedReason);
            AdminAnswer answer = AdminResponseClassifier.classify(response.status, response.retryAfter, response.body,
                    requestedCost, ThreadLocalRandom.current().nextLong(0, RETRY_AFTER_JITTER_MILLIS));
            metrics.request(answer.outcome());
            answer.cost().ifPresent(cost -> budget.observe(cost.throttleStatus(), System.nanoTime()));
            if (answer instanceof AdminAnswer.RateLimited limited) {
                metrics.throttled(limited.label());
                stats.refusals.incrementAndGet();
            } else {
                answer.cost().ifPresent(cost -> account(operation, cost, requestedCost));
            }
            if (answer instanceof AdminAnswer.Data data) {
                metrics.page(operation);
                stats.pages.incrementAndGet();
                return data.data();
            }
            throw ((AdminAnswer.Failure) answer).failure(shop + " " + operation);
        }

        /** Spent points and our formula checked against Shopify's price (a refused query was not run: not here). */
        private void account(String operation, AdminAnswer.QueryCost cost, int requestedCost) {
            if (cost.requested() >= 0) {
                stats.maxRequestedCost.accumulateAndGet(cost.requested(), Math::max);
                if (cost.requested() != requestedCost) {
                    stats.costMismatches.incrementAndGet();
                    LOG.warnf("%s %s: Shopify priced the query at %d, we computed %d", shop, operation,
                            cost.requested(), requestedCost);
                }
            }
            stats.actualCost.addAndGet(cost.actual());
            metrics.cost(cost.actual());
        }
    }

    private static byte[] requestBody(String query, ObjectNode variables) {
        ObjectNode body = CanonicalJson.mapper().createObjectNode();
        body.put("query", query);
        if (variables != null) {
            body.set("variables", variables);
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private record RawResponse(int status, String retryAfter, String deprecatedReason, byte[] body) {
        RawResponse(HttpClientResponse response, byte[] body) {
            this(response.statusCode(), response.getHeader("Retry-After"),
                    response.getHeader("X-Shopify-API-Deprecated-Reason"), body);
        }
    }
}
