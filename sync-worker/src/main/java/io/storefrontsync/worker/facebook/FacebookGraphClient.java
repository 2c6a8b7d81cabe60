package io.storefrontsync.worker.facebook;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.PageId;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Reads a Page node from Graph ({@code GET /{version}/{page-id}?fields=...}) with its Page token, within
 * Graph's rate limits:
 * <ul>
 *   <li>rate-limit errors (codes 4, 17, 32, 613), errors Graph marks {@code is_transient}, 5xx and I/O
 *       failures are retried after a pause: exponential backoff with jitter, at least Graph's
 *       {@code estimated_time_to_regain_access}, at most {@code max-wait}; {@code max-attempts} calls in all;</li>
 *   <li>when a usage header reaches {@code usage-slowdown-percent}, the next call to that page (or, for
 *       {@code X-App-Usage}, any call) waits first;</li>
 *   <li>an invalid token (code 190) is never retried: {@link PageTokenRejectedException}.</li>
 * </ul>
 * The token travels only in the Authorization header; nothing here logs it.
 */
@ApplicationScoped
public class FacebookGraphClient {

    /**
     * Fields of the Page node, each checked against Meta's Page reference and the simulator's list (which
     * comes from Meta's business SDK, {@code Page.Field}): {@code emails}, not {@code email}; a Page has no
     * {@code created_time}. {@code access_token} is deliberately absent.
     */
    public static final List<String> PAGE_FIELDS = List.of(
            "id", "name", "username", "category", "category_list", "about", "description", "mission",
            "company_overview", "general_info", "website", "link", "emails", "phone", "location",
            "single_line_address", "hours", "price_range", "temporary_status", "is_permanently_closed",
            "is_published", "verification_status", "fan_count", "followers_count", "picture{url}");

    private static final Logger LOG = Logger.getLogger(FacebookGraphClient.class);
    private static final Pattern VERSION = Pattern.compile("v[0-9]{1,3}\\.[0-9]{1,2}");
    private static final String APP_WIDE = "app";

    /** A Page node and the Graph calls it took. */
    public record PageFetch(JsonNode page, int requests) {
    }

    private final FacebookConfig config;
    private final FacebookMetrics metrics;
    private final GraphPageApi api;
    private final String fields = String.join(",", PAGE_FIELDS);
    /** Earliest time of the next call, per page id and {@link #APP_WIDE}, set by high usage or throttling. */
    private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();

    public FacebookGraphClient(FacebookConfig config, FacebookMetrics metrics) {
        if (!VERSION.matcher(config.graphVersion()).matches()) {
            throw new IllegalArgumentException("FACEBOOK_GRAPH_VERSION must look like v26.0, got '"
                    + config.graphVersion() + "'");
        }
        this.config = config;
        this.metrics = metrics;
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(config.graphUrl()))
                .connectTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .build(GraphPageApi.class);
    }

    /** @throws PageTokenRejectedException (as the Uni's failure) when Graph refuses the token */
    public Uni<PageFetch> fetchPage(PageId page, String pageToken) {
        return attempt(page, pageToken, 1);
    }

    private Uni<PageFetch> attempt(PageId page, String pageToken, int attempt) {
        return pauseIfThrottled(page)
                .chain(ignored -> api.page(config.graphVersion(), page.value(), "Bearer " + pageToken, fields))
                .map(response -> succeeded(page, response, attempt))
                .onFailure().recoverWithUni(failure -> retryOrFail(page, pageToken, attempt, failure));
    }

    private PageFetch succeeded(PageId page, RestResponse<JsonNode> response, int attempt) {
        metrics.request("ok");
        remember(page, GraphUsage.from(response::getHeaderString));
        JsonNode body = response.getEntity();
        if (body == null || !body.isObject() || !page.value().equals(body.path("id").asText())) {
            throw new IllegalStateException("Graph answered page " + page + " without that page's id");
        }
        metrics.pageFetched();
        return new PageFetch(body, attempt);
    }

    private Uni<PageFetch> retryOrFail(PageId page, String pageToken, int attempt, Throwable failure) {
        if (failure instanceof GraphRequestException graph) {
            metrics.request(outcome(graph));
            remember(page, graph.usage());
            if (graph.isRateLimit()) {
                metrics.rateLimited(graph.code());
            }
            if (graph.isInvalidToken()) {
                return Uni.createFrom().failure(new PageTokenRejectedException(page, graph));
            }
            if (!graph.isRetryable()) {
                return Uni.createFrom().failure(graph);
            }
        } else if (failure instanceof IllegalStateException) {
            return Uni.createFrom().failure(failure); // an answer we cannot use; retrying gives the same
        } else {
            metrics.request("io_error");
        }
        if (attempt >= config.maxAttempts()) {
            LOG.warnf("page %s: giving up after %d Graph calls: %s", page, attempt, failure.getMessage());
            return Uni.createFrom().failure(failure);
        }
        Duration pause = cap(max(backoff(attempt), failure instanceof GraphRequestException graph
                ? graph.usage().regainAccess() : Duration.ZERO));
        LOG.infof("page %s: Graph call %d failed (%s), retrying in %d ms", page, attempt, failure.getMessage(),
                pause.toMillis());
        metrics.waited("retry", pause);
        return Uni.createFrom().voidItem().onItem().delayIt().by(pause)
                .chain(ignored -> attempt(page, pageToken, attempt + 1));
    }

    /** Waits out a slowdown that earlier usage headers asked for, cut to {@code max-wait}. */
    private Uni<Void> pauseIfThrottled(PageId page) {
        Instant now = Instant.now();
        Instant until = later(notBefore.getOrDefault(APP_WIDE, now), notBefore.getOrDefault(page.value(), now));
        if (!until.isAfter(now)) {
            return Uni.createFrom().voidItem();
        }
        Duration pause = cap(Duration.between(now, until));
        metrics.slowedDown();
        metrics.waited("usage", pause);
        LOG.debugf("page %s: usage near Graph's limit, waiting %d ms before the next call", page, pause.toMillis());
        return Uni.createFrom().voidItem().onItem().delayIt().by(pause);
    }

    private void remember(PageId page, GraphUsage usage) {
        Instant now = Instant.now();
        if (usage.appPercent() >= config.usageSlowdownPercent()) {
            notBefore.merge(APP_WIDE, now.plus(config.usageSlowdownPause()), FacebookGraphClient::later);
        }
        if (usage.pagePercent() >= config.usageSlowdownPercent() || !usage.regainAccess().isZero()) {
            Instant until = now.plus(max(config.usageSlowdownPause(), usage.regainAccess()));
            notBefore.merge(page.value(), until, FacebookGraphClient::later);
        }
    }

    private Duration backoff(int failedAttempts) {
        long exponential = config.retryInitialBackoff().toMillis() << Math.min(failedAttempts - 1, 20);
        long half = Math.min(exponential, config.maxWait().toMillis()) / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    private Duration cap(Duration wait) {
        return wait.compareTo(config.maxWait()) > 0 ? config.maxWait() : wait;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String outcome(GraphRequestException graph) {
        if (graph.isRateLimit()) {
            return "rate_limited";
        }
        if (graph.isInvalidToken()) {
            return "token_invalid";
        }
        return graph.status() >= 500 ? "server_error" : "error";
    }
}
