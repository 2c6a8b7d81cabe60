package io.storefrontsync.sandbox.facebook;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A Facebook Graph API (v26.0) and Facebook Login stand-in for tests and the local sandbox: one simulated user
 * managing a few Pages, served under {@code /{version}/...} like graph.facebook.com and
 * {@code /{version}/dialog/oauth} like www.facebook.com, plus a {@code /_sim/} control API.
 */
public final class FacebookSimulator {

    /** Graph versions look like {@code v26.0}; anything else is not a version. */
    private static final Pattern VERSION = Pattern.compile("v\\d+\\.\\d");
    static final String CURRENT_VERSION = "v26.0";
    static final String APP_NAME = "Storefront Sync (sandbox)";

    /**
     * @param webhookCallbackUrl where Page webhooks go from the start (null = nowhere until an app subscription
     *     is created through {@code POST /{app-id}/subscriptions})
     * @param seed drives the Page fixture data, so the same seed serves the same Pages
     * @param pageCount how many Pages the simulated user manages
     * @param webhookMaxAttempts deliveries per change before giving up (callback answering non-2xx)
     * @param webhookRetryDelayMillis delay before the first retry; doubles per retry
     */
    public record Config(String appId, String appSecret, String webhookCallbackUrl, String webhookVerifyToken,
            long seed, int pageCount, int webhookMaxAttempts, long webhookRetryDelayMillis) {

        public Config {
            if (appId == null || appId.isBlank() || appSecret == null || appSecret.isBlank()) {
                throw new IllegalArgumentException("appId and appSecret are required");
            }
            if (pageCount < 1) {
                throw new IllegalArgumentException("pageCount must be at least 1");
            }
        }

        /**
         * FACEBOOK_APP_ID, FACEBOOK_APP_SECRET, FACEBOOK_WEBHOOK_ADDRESS, FACEBOOK_VERIFY_TOKEN as the services
         * read them; SIM_FACEBOOK_SEED (42), SIM_FACEBOOK_PAGE_COUNT (2), SIM_FACEBOOK_WEBHOOK_ATTEMPTS (5),
         * SIM_FACEBOOK_WEBHOOK_RETRY_MS (1000) for the simulator itself.
         */
        public static Config fromEnv(Function<String, String> lookup) {
            return new Config(
                    orDefault(lookup, "FACEBOOK_APP_ID", "sandbox-app-id"),
                    orDefault(lookup, "FACEBOOK_APP_SECRET", "sandbox-app-secret"),
                    orDefault(lookup, "FACEBOOK_WEBHOOK_ADDRESS", null),
                    orDefault(lookup, "FACEBOOK_VERIFY_TOKEN", "sandbox-verify-token"),
                    number(lookup, "SIM_FACEBOOK_SEED", 42),
                    (int) number(lookup, "SIM_FACEBOOK_PAGE_COUNT", 2),
                    (int) number(lookup, "SIM_FACEBOOK_WEBHOOK_ATTEMPTS", 5),
                    number(lookup, "SIM_FACEBOOK_WEBHOOK_RETRY_MS", 1000));
        }

        private static long number(Function<String, String> lookup, String name, long fallback) {
            String value = orDefault(lookup, name, null);
            if (value == null) {
                return fallback;
            }
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
            }
        }

        private static String orDefault(Function<String, String> lookup, String name, String fallback) {
            String value = lookup.apply(name);
            return value == null || value.isBlank() ? fallback : value.trim();
        }
    }

    private final Vertx vertx;
    private final Config config;
    private final FacebookWorld world;
    private final FaultInjector faults = new FaultInjector();
    private WebClient client;
    private HttpServer server;

    public FacebookSimulator(Vertx vertx, Config config) {
        this.vertx = vertx;
        this.config = config;
        this.world = new FacebookWorld(config.seed(), config.pageCount(), Clock.systemUTC());
    }

    /** Starts listening; {@code port} 0 picks a free one. Completes with the bound port. */
    public Future<Integer> start(String host, int port) {
        client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false)
                .setUserAgent("facebookexternalua"));
        if (config.webhookCallbackUrl() != null) {
            // Configured up front without the verification GET: the receiving service may start after us.
            world.putAppSubscription(new FacebookWorld.AppSubscription("page", config.webhookCallbackUrl(),
                    PageFields.WEBHOOK_FIELDS.stream().sorted().toList(), config.webhookVerifyToken(), true));
        }
        return vertx.createHttpServer()
                .requestHandler(router())
                .listen(port, host)
                .map(s -> {
                    server = s;
                    return s.actualPort();
                });
    }

    public Future<Void> stop() {
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.onComplete(ar -> {
            if (client != null) {
                client.close();
            }
        });
    }

    private Router router() {
        GraphAuth auth = new GraphAuth(world, config.appId(), config.appSecret());
        GraphOAuthHandler oauth = new GraphOAuthHandler(world, auth, config.appId(), config.appSecret(), faults);
        PageHandler pages = new PageHandler(world, auth, config.appId(), APP_NAME);
        UserHandler users = new UserHandler(world, auth, pages);
        AppSubscriptionHandler appSubscriptions = new AppSubscriptionHandler(world, auth, client, CURRENT_VERSION);
        WebhookDispatcher webhooks = new WebhookDispatcher(vertx, client, world, config.appSecret(),
                config.webhookMaxAttempts(), config.webhookRetryDelayMillis());

        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(1 << 20));
        new SimControlHandler(world, faults, webhooks, config.appSecret()).mount(router);

        // www.facebook.com, not graph.facebook.com: no Graph usage headers or faults on the dialog.
        router.get("/:version/dialog/oauth").handler(ctx -> {
            if (!VERSION.matcher(ctx.pathParam("version")).matches()) {
                ctx.response().setStatusCode(404).end("Sorry, this page isn't available.");
                return;
            }
            world.countCall("GET", ctx.request().path());
            oauth.dialog(ctx);
        });

        router.route("/:version/*").handler(this::graphPreamble);
        router.route("/:version/oauth/access_token").method(HttpMethod.GET).method(HttpMethod.POST)
                .handler(sync(oauth::accessToken));
        router.get("/:version/me").handler(sync(users::me));
        router.get("/:version/me/accounts").handler(sync(users::accounts));
        router.delete("/:version/me/permissions").handler(sync(users::deauthorize));
        router.get("/:version/:id/accounts").handler(sync(ctx -> {
            if (world.user(ctx.pathParam("id")).isEmpty()) {
                throw GraphErrors.unsupportedGet(ctx.pathParam("id"));
            }
            return users.accounts(ctx);
        }));
        router.route("/:version/:id/subscribed_apps").method(HttpMethod.GET).method(HttpMethod.POST)
                .method(HttpMethod.DELETE)
                .handler(sync(ctx -> pages.subscribedApps(ctx, ctx.pathParam("id"))));
        router.route("/:version/:id/subscriptions").method(HttpMethod.GET).method(HttpMethod.POST)
                .method(HttpMethod.DELETE)
                .handler(async(ctx -> {
                    if (!ctx.pathParam("id").equals(config.appId())) {
                        throw GraphErrors.unsupportedMethod(ctx.request().method().name(), ctx.pathParam("id"));
                    }
                    return appSubscriptions.handle(ctx);
                }));
        router.get("/:version/:id").handler(sync(ctx -> node(ctx, pages, users)));
        router.route("/:version/*").handler(ctx -> GraphErrors.write(ctx.response(),
                GraphErrors.unknownPath(ctx.request().path().substring(ctx.pathParam("version").length() + 1))));
        return router;
    }

    /** Every Graph call: version check, bookkeeping, armed faults, usage headers. */
    private void graphPreamble(RoutingContext ctx) {
        String version = ctx.pathParam("version");
        world.countCall(ctx.request().method().name(), ctx.request().path());
        ctx.response().putHeader("facebook-api-version", VERSION.matcher(version).matches() ? version
                : CURRENT_VERSION).putHeader("x-fb-trace-id", GraphErrors.fbtraceId());
        if (!VERSION.matcher(version).matches()) {
            GraphErrors.write(ctx.response(), GraphErrors.unknownPath(ctx.request().path()));
            return;
        }
        mergeJsonBodyIntoParams(ctx);
        String pageIdOfToken = GraphAuth.rawToken(ctx).flatMap(world::token)
                .filter(t -> t.kind() == AccessToken.Kind.PAGE).map(AccessToken::pageId).orElse(null);
        int usage = faults.recordCallAndUsage(world.now());
        var fault = faults.nextFault();
        if (fault.isPresent()) {
            boolean throttled = fault.get().code != 2;
            FaultInjector.putUsageHeaders(ctx.response(), usage, pageIdOfToken, throttled);
            GraphErrors.write(ctx.response(), fault.get());
            return;
        }
        FaultInjector.putUsageHeaders(ctx.response(), usage, pageIdOfToken, false);
        ctx.next();
    }

    /** Graph also takes parameters as a JSON body; fold them into the request params the handlers read. */
    private static void mergeJsonBodyIntoParams(RoutingContext ctx) {
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType == null || !contentType.startsWith("application/json") || ctx.body().length() == 0) {
            return;
        }
        try {
            JsonObject body = ctx.body().asJsonObject();
            body.forEach(e -> ctx.request().params().add(e.getKey(), e.getValue() instanceof JsonArray
                    || e.getValue() instanceof JsonObject ? e.getValue().toString() : String.valueOf(e.getValue())));
        } catch (RuntimeException e) {
            // Not an object: Graph ignores what it cannot read as parameters, and so do we.
        }
    }

    private JsonObject node(RoutingContext ctx, PageHandler pages, UserHandler users) {
        String id = ctx.pathParam("id");
        if (world.user(id).isPresent()) {
            return users.user(ctx);
        }
        if (id.equals(config.appId())) {
            return new JsonObject().put("link", "https://sandbox.invalid/apps/" + config.appId())
                    .put("name", APP_NAME).put("id", config.appId());
        }
        return pages.read(ctx, id);
    }

    private static Handler<RoutingContext> sync(Function<RoutingContext, JsonObject> call) {
        return async(ctx -> Future.succeededFuture(call.apply(ctx)));
    }

    private static Handler<RoutingContext> async(Function<RoutingContext, Future<JsonObject>> call) {
        return ctx -> {
            Future<JsonObject> result;
            try {
                result = call.apply(ctx);
            } catch (GraphErrors.GraphException e) {
                result = Future.failedFuture(e);
            }
            result.onComplete(ar -> {
                if (ar.succeeded()) {
                    ctx.response().putHeader("content-type", "application/json; charset=UTF-8")
                            .end(ar.result().encode());
                } else if (ar.cause() instanceof GraphErrors.GraphException e) {
                    GraphErrors.write(ctx.response(), e);
                } else {
                    GraphErrors.write(ctx.response(), GraphErrors.serviceUnavailable());
                }
            });
        };
    }
}
