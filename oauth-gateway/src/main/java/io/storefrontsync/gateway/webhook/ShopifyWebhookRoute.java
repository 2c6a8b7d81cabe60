package io.storefrontsync.gateway.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.common.validation.InvalidInputException;
import io.storefrontsync.gateway.error.ApiException;
import io.storefrontsync.gateway.error.ExceptionMappers;
import io.storefrontsync.gateway.shopify.ShopifyConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /shopify/webhook}: Shopify's webhook deliveries, the gateway's hottest path. A Vert.x route rather than a
 * REST resource (#17): at a flash sale's thousands of deliveries a second, the REST layer's request context, handler
 * chain and serialisers cost about a tenth of the gateway's CPU per webhook (50.7 against 44.5–46.0 ms per 1,000 in
 * the benchmark) for what is here header checks, one HMAC and one group-committed write. The route keeps the
 * resource's contract (documented in {@code META-INF/openapi.yaml}):
 * <ul>
 *   <li>the body is read as raw bytes, whatever its content type (the HMAC is over exactly them), and refused with 413
 *   past {@code quarkus.http.limits.max-body-size}, declared or streamed;</li>
 *   <li>400 (no body, no HMAC, a required header missing or malformed, a body that is not one JSON object), 401 (HMAC
 *   mismatch), 500 when the event could not be stored (Shopify retries): an {@link ApiError} JSON body each;</li>
 *   <li>200 {@code {"status":"stored|recorded|duplicate|ignored"}} only after the event is durable;</li>
 *   <li>any other method: 405.</li>
 * </ul>
 */
@ApplicationScoped
public class ShopifyWebhookRoute {

    public static final String PATH = "/shopify/webhook";
    private static final String SOURCE = "shopify";
    private static final Logger LOG = Logger.getLogger(ShopifyWebhookRoute.class);
    private static final String JSON = "application/json";

    private final WebhookIngestService ingest;
    private final OutboxPublisher publisher;
    private final WebhookMetrics metrics;
    private final ObjectMapper json;
    /**
     * Read per request, not here: the route is created while the router is built, before {@code StartupChecks} refuses
     * a bad {@code SHOPIFY_API_VERSION} or secret naming the variable (a read here would fail the start without it).
     */
    private final ShopifyConfig shopify;
    private final long bodyLimit;
    /** The answer of each outcome, written once: {@code {"status":"stored"}} and so on. */
    private final Map<IngestOutcome, Buffer> acks = new EnumMap<>(IngestOutcome.class);
    /** Versions already logged as differing (a few at most: the header's format is checked). */
    private final Set<String> mismatchLogged = ConcurrentHashMap.newKeySet();

    public ShopifyWebhookRoute(WebhookIngestService ingest, OutboxPublisher publisher, WebhookMetrics metrics,
                               ShopifyConfig shopify, ObjectMapper json,
                               @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize bodyLimit) {
        this.ingest = ingest;
        this.publisher = publisher;
        this.metrics = metrics;
        this.json = json;
        this.shopify = shopify;
        this.bodyLimit = bodyLimit.asLongValue();
        for (IngestOutcome outcome : IngestOutcome.values()) {
            acks.put(outcome, Buffer.buffer("{\"status\":\"" + outcome.label() + "\"}"));
        }
    }

    void register(@Observes Router router) {
        router.route(PATH).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.method() != HttpMethod.POST) {
            ctx.response().putHeader(HttpHeaders.ALLOW, "POST");
            error(ctx, 405, ApiError.of("http_405", "Method Not Allowed"));
            return;
        }
        readBody(ctx, body -> receive(ctx, body));
    }

    /**
     * The raw body, at most {@code max-body-size}: a larger one, declared (Content-Length) or streamed (chunked), is
     * answered 413 and the connection closed, as the HTTP layer does for every other path.
     */
    private void readBody(RoutingContext ctx, java.util.function.Consumer<byte[]> then) {
        HttpServerRequest request = ctx.request();
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                length = -1; // the HTTP codec refuses a malformed Content-Length before this is reached
            }
        }
        if (length > bodyLimit) {
            tooLarge(ctx);
            return;
        }
        Buffer body = Buffer.buffer((int) Math.max(0, Math.min(length, bodyLimit)));
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if ((long) body.length() + chunk.length() > bodyLimit) {
                refused[0] = true;
                tooLarge(ctx);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(failure -> {
            if (!refused[0]) {
                refused[0] = true;
                LOG.debugf("webhook body not received whole: %s", failure.toString());
                ctx.fail(failure);
            }
        });
        request.endHandler(end -> {
            if (!refused[0]) {
                then.accept(body.getBytes());
            }
        });
        request.resume();
    }

    private void receive(RoutingContext ctx, byte[] body) {
        metrics.received(SOURCE);
        MultiMap headers = ctx.request().headers();
        ShopifyWebhook webhook;
        try {
            webhook = ShopifyWebhook.verify(body, name -> header(headers, name), shopify.apiSecret());
        } catch (WebhookRejectedException e) {
            metrics.rejected(SOURCE, e.error());
            error(ctx, e.status(), ApiError.of(e.error(), e.getMessage()));
            return;
        } catch (InvalidInputException e) {
            error(ctx, 400, new ApiError("invalid_input", e.field(), e.getMessage()));
            return;
        } catch (ApiException e) {
            error(ctx, e.status(), ApiError.of(e.error(), e.getMessage()));
            return;
        } catch (RuntimeException e) {
            unexpected(ctx, e);
            return;
        }
        checkVersion(webhook);
        ingest.ingest(webhook).subscribe().with(outcome -> {
            metrics.outcome(SOURCE, outcome);
            if (outcome == IngestOutcome.STORED) {
                publisher.trigger();
            }
            if (!ctx.response().ended()) {
                ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(acks.get(outcome));
            }
        }, failure -> unexpected(ctx, failure));
    }

    /**
     * What {@code HttpHeaders.getHeaderString} answered for the REST resource: the values of a repeated header joined
     * by commas, so a repeated header is read the same way (and refused by the same format checks).
     */
    private static String header(MultiMap headers, String name) {
        List<String> values = headers.getAll(name);
        if (values.isEmpty()) {
            return null;
        }
        return values.size() == 1 ? values.get(0) : String.join(",", values);
    }

    /** Counted (and logged once per version) after the HMAC verified, so only Shopify can move it. */
    private void checkVersion(ShopifyWebhook webhook) {
        String apiVersion = shopify.apiVersion();
        if (!apiVersion.equals(webhook.apiVersion())) {
            metrics.apiVersionMismatch(webhook.apiVersion());
            if (mismatchLogged.size() < 16 && mismatchLogged.add(webhook.apiVersion())) {
                LOG.warnf("Shopify webhooks arrive signed for API version %s, the app uses %s (SHOPIFY_API_VERSION): "
                        + "align the subscriptions' version (logged once per version; counted in "
                        + "gateway_webhooks_api_version_mismatch_total)", webhook.apiVersion(), apiVersion);
            }
        }
    }

    /** Not stored (the database down, a batch that failed): 500, so Shopify retries; the cause stays in the log. */
    private void unexpected(RoutingContext ctx, Throwable failure) {
        LOG.error("request failed", failure);
        error(ctx, 500, ExceptionMappers.INTERNAL_ERROR);
    }

    private void error(RoutingContext ctx, int status, ApiError error) {
        HttpServerResponse response = ctx.response();
        if (response.ended()) {
            return;
        }
        Buffer body;
        try {
            body = Buffer.buffer(json.writeValueAsBytes(error));
        } catch (JsonProcessingException e) {
            body = Buffer.buffer("{\"error\":\"internal_error\"}".getBytes(StandardCharsets.UTF_8));
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body);
    }

    /** 413 with no body, and the connection closed: the rest of the body is not read. */
    private static void tooLarge(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.ended()) {
            return;
        }
        response.setStatusCode(413).putHeader(HttpHeaders.CONNECTION, "close");
        response.endHandler(done -> ctx.request().connection().close());
        response.end();
    }
}
