package io.storefrontsync.sandbox.shopify;

import io.storefrontsync.sandbox.DemoShop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Shopify stand-in for tests and the local run: OAuth, the Admin GraphQL API (validated against
 * the real 2026-07 schema, priced and throttled like Shopify), webhooks and fault switches, for one
 * or more simulated shops. Shops are addressed by path prefix ({@code /{shop}/admin/...}, as
 * {@code SHOPIFY_ADMIN_URL_TEMPLATE=http://127.0.0.1:8090/{shop}} produces) or, without prefix, by a
 * {@code *.myshopify.com} Host header. Control endpoints for tests live under {@code /_sim/}.
 */
public final class ShopifySimulator {

    private static final System.Logger LOG = System.getLogger(ShopifySimulator.class.getName());
    private static final Pattern PREFIXED = Pattern.compile("^/([^/]+)(/admin/.*)$");
    private static final Pattern GRAPHQL = Pattern.compile("^/admin/api/([^/]+)/graphql\\.json$");

    private final Vertx vertx;
    private final Config config;
    private final SimClock clock = new SimClock();
    private final TokenStore tokens;
    private final FaultInjector faults = new FaultInjector();
    private final TokenRateLimit tokenRateLimit = new TokenRateLimit();
    /**
     * Every simulated shop's domain and index (its place in {@code SIM_SHOPIFY_SHOPS}, which seeds its data and ids),
     * configured or added; a shop costs this entry until it is first touched.
     */
    private final Map<String, Integer> known = new LinkedHashMap<>();
    /** Shops added by {@code POST /_sim/shops}: generated with an empty catalogue. */
    private final Set<String> empty = new HashSet<>();
    /** The shops touched so far, generated from their domain and index on first use (see {@link #shop}). */
    private final Map<String, SimulatedShop> materialised = new HashMap<>();
    private HttpServer server;
    private AdminSchema schema;
    private WebhookDispatcher webhooks;
    private Path bulkDirectory;
    private BulkOperationRunner bulk;

    public ShopifySimulator(Vertx vertx, Config config) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        this.tokens = new TokenStore(config.tokenLifetime(), config.strictRefreshRotation());
        resetShops();
    }

    /** Loads the schema and makes the bulk results' directory (off the event loop), then listens; answers the bound port. */
    public Future<Integer> start(String host, int port) {
        return vertx.executeBlocking(() -> {
                    bulkDirectory = Files.createTempDirectory("shopify-sim-bulk-");
                    return AdminSchema.shared();
                }, false)
                .compose(loaded -> {
                    this.schema = loaded;
                    LOG.log(System.Logger.Level.INFO, "Shopify Admin schema 2026-07 built in {0} ms", loaded.buildMillis());
                    Router router = router();
                    return vertx.createHttpServer().requestHandler(router).listen(port, host);
                })
                .map(listening -> {
                    this.server = listening;
                    bulk.listeningOn(host, listening.actualPort());
                    LOG.log(System.Logger.Level.INFO, "Shopify simulator on {0}:{1} for {2}", host,
                            String.valueOf(listening.actualPort()), describeShops());
                    return listening.actualPort();
                });
    }

    public Future<Void> stop() {
        if (webhooks != null) {
            webhooks.close();
        }
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return bulk == null ? closed : closed.eventually(v -> bulk.close());
    }

    /** How long building the executable Admin schema took (0 before {@link #start}). */
    public long schemaLoadMillis() {
        return schema == null ? 0 : schema.buildMillis();
    }

    private Router router() {
        ShopifyOAuthHandler oauth = new ShopifyOAuthHandler(config, tokens, clock, tokenRateLimit);
        webhooks = new WebhookDispatcher(vertx, config);
        bulk = new BulkOperationRunner(vertx, config, schema, clock, webhooks, bulkDirectory, this::shop);
        AdminGraphQLHandler graphql = new AdminGraphQLHandler(vertx, config, schema, tokens, faults, clock, bulk);
        ControlApiHandler control = new ControlApiHandler(this, webhooks, tokens, faults, clock, tokenRateLimit, bulk);
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(4 * 1024 * 1024));
        control.mount(router);
        router.route().handler(ctx -> dispatchAdmin(ctx, oauth, graphql));
        return router;
    }

    private void dispatchAdmin(RoutingContext ctx, ShopifyOAuthHandler oauth, AdminGraphQLHandler graphql) {
        String path = ctx.normalizedPath();
        String shopName;
        String rest;
        Matcher prefixed = PREFIXED.matcher(path);
        if (prefixed.matches() && !prefixed.group(1).equals("admin")) {
            shopName = prefixed.group(1);
            rest = prefixed.group(2);
        } else if (path.startsWith("/admin/")) {
            String host = ctx.request().getHeader("Host");
            shopName = host == null ? "" : host.replaceFirst(":\\d+$", "");
            rest = path;
        } else {
            notFound(ctx);
            return;
        }
        SimulatedShop shop = shop(shopName);
        if (shop == null) {
            notFound(ctx);
            return;
        }
        String method = ctx.request().method().name();
        if (rest.equals("/admin/oauth/authorize") && method.equals("GET")) {
            oauth.authorize(ctx, shop);
        } else if (rest.equals("/admin/oauth/access_token") && method.equals("POST")) {
            oauth.accessToken(ctx, shop);
        } else if (GRAPHQL.matcher(rest).matches() && method.equals("POST")) {
            Matcher graphqlPath = GRAPHQL.matcher(rest);
            graphqlPath.matches();
            graphql.handle(ctx, shop, graphqlPath.group(1));
        } else {
            notFound(ctx);
        }
    }

    static void notFound(RoutingContext ctx) {
        AdminGraphQLHandler.reply(ctx, 404, Map.of("errors", "Not Found"));
    }

    /**
     * A shop by full domain or short name ({@code demo-shop}); null when not simulated. A shop's data is generated
     * from its domain, index and the seed when it is first asked for, then kept (it may change from there on): a
     * fleet of thousands configured costs nothing for the shops no request touches.
     */
    synchronized SimulatedShop shop(String name) {
        String domain = domain(name);
        SimulatedShop shop = materialised.get(domain);
        if (shop != null) {
            return shop;
        }
        Integer index = known.get(domain);
        if (index == null) {
            return null;
        }
        Config catalog = empty.contains(domain) ? config.withCatalog(0, 0, 1, 0, 0, 0) : config;
        shop = new SimulatedShop(domain, new FixtureStore(catalog, domain, index),
                new LeakyBucket(config.bucketSize(), config.restoreRate(), System::nanoTime));
        materialised.put(domain, shop);
        return shop;
    }

    /** Every simulated shop's domain, in order, without generating any of them. */
    synchronized List<String> shopDomains() {
        return new ArrayList<>(known.keySet());
    }

    /** How many shops have been generated so far (touched by a request since the start or the last reset). */
    synchronized int materialisedShops() {
        return materialised.size();
    }

    /** Forgets every shop's data and bucket ({@code POST /_sim/reset}): each is generated again from the seed when next touched. */
    synchronized void resetShops() {
        materialised.clear();
        known.clear();
        empty.clear();
        for (String name : config.shops()) {
            known.putIfAbsent(domain(name), known.size());
        }
    }

    /**
     * Adds an installed shop with an empty catalogue ({@code POST /_sim/shops}): thousands of them
     * for token refresh tests, generated (empty) only when a request touches them. Answers the domain, null if it exists.
     */
    synchronized String addEmptyShop(String name) {
        String domain = domain(name);
        if (known.containsKey(domain)) {
            return null;
        }
        known.put(domain, known.size());
        empty.add(domain);
        return domain;
    }

    private static String domain(String name) {
        String domain = name.toLowerCase(Locale.ROOT);
        return domain.contains(".") ? domain : domain + ".myshopify.com";
    }

    private synchronized String describeShops() {
        List<String> domains = new ArrayList<>(known.keySet());
        return domains.size() <= 10 ? domains.toString()
                : domains.subList(0, 10) + " and " + (domains.size() - 10) + " more (generated when first touched)";
    }

    Config config() {
        return config;
    }

    SimClock clockForTests() {
        return clock;
    }

    /**
     * Simulator settings. The first thirteen components are the contract; the rest tune Shopify
     * behaviour the tests sometimes need to change and default to what Shopify does.
     *
     * @param apiVersions            versions answered on {@code /admin/api/{version}/graphql.json}; all
     *                               use the 2026-07 schema; others get 404
     * @param maxQueryCost           single-query cost limit (Shopify: 1000)
     * @param allowNonExpiringTokens issue non-expiring offline tokens when {@code expiring=1} is absent
     * @param strictRefreshRotation  retire a refresh token as soon as it is used (Shopify keeps it
     *                               until its replacement is used)
     * @param webhookMaxAttempts     delivery attempts per webhook (Shopify: 8 over 4 hours)
     * @param webhookRetryBackoff    delay before the first retry, doubled for each further one
     * @param webhookTimeout         how long a receiver has to answer (Shopify: 5 s)
     * @param bulkObjectsPerSecond   how fast bulk operations write objects (lines); 0 holds them
     *                               in {@code CREATED}/{@code RUNNING} (Shopify has no fixed rate)
     */
    public record Config(String apiKey, String apiSecret, List<String> shops, int products, int variantsPerProduct,
                         int locations, int metafieldsPerProduct, int collections, int discounts, int bucketSize,
                         int restoreRate, Duration tokenLifetime, long seed,
                         List<String> apiVersions, int maxQueryCost, boolean allowNonExpiringTokens,
                         boolean strictRefreshRotation, int webhookMaxAttempts, Duration webhookRetryBackoff,
                         Duration webhookTimeout, int bulkObjectsPerSecond) {

        /** Fast enough that the 650-product store's catalog completes within a second or two in tests. */
        public static final int DEFAULT_BULK_OBJECTS_PER_SECOND = 20_000;

        public static final List<String> DEFAULT_API_VERSIONS = List.of("2025-07", "2025-10", "2026-01", "2026-04",
                "2026-07", "2026-10", "unstable");

        public Config {
            Objects.requireNonNull(apiKey, "apiKey");
            Objects.requireNonNull(apiSecret, "apiSecret");
            shops = List.copyOf(shops);
            apiVersions = List.copyOf(apiVersions);
            if (shops.isEmpty()) {
                throw new IllegalArgumentException("at least one shop is required");
            }
            if (bucketSize <= 0 || restoreRate <= 0) {
                throw new IllegalArgumentException("bucketSize and restoreRate must be positive");
            }
            if (bulkObjectsPerSecond < 0) {
                throw new IllegalArgumentException("bulkObjectsPerSecond must not be negative");
            }
        }

        /** The contract's constructor: Shopify defaults for everything else. */
        public Config(String apiKey, String apiSecret, List<String> shops, int products, int variantsPerProduct,
                      int locations, int metafieldsPerProduct, int collections, int discounts, int bucketSize,
                      int restoreRate, Duration tokenLifetime, long seed) {
            this(apiKey, apiSecret, shops, products, variantsPerProduct, locations, metafieldsPerProduct, collections,
                    discounts, bucketSize, restoreRate, tokenLifetime, seed, DEFAULT_API_VERSIONS, 1000, false, false,
                    4, Duration.ofMillis(500), Duration.ofSeconds(5), DEFAULT_BULK_OBJECTS_PER_SECOND);
        }

        public static Config defaults() {
            return fromEnv(name -> null);
        }

        /** Reads {@code SIM_SHOPIFY_*} (and {@code SHOPIFY_API_KEY}/{@code SHOPIFY_API_SECRET}). */
        public static Config fromEnv(Function<String, String> lookup) {
            Env env = new Env(lookup);
            return new Config(
                    env.string("SHOPIFY_API_KEY", "sandbox-api-key"),
                    env.string("SHOPIFY_API_SECRET", "sandbox-api-secret"),
                    env.list("SIM_SHOPIFY_SHOPS", List.of(DemoShop.DOMAIN)),
                    env.integer("SIM_SHOPIFY_PRODUCTS", 650),
                    env.integer("SIM_SHOPIFY_VARIANTS_PER_PRODUCT", 3),
                    env.integer("SIM_SHOPIFY_LOCATIONS", 2),
                    env.integer("SIM_SHOPIFY_METAFIELDS_PER_PRODUCT", 2),
                    env.integer("SIM_SHOPIFY_COLLECTIONS", 12),
                    env.integer("SIM_SHOPIFY_DISCOUNTS", FixtureGenerator.DISCOUNT_KINDS),
                    env.integer("SIM_SHOPIFY_BUCKET_SIZE", 1000),
                    env.integer("SIM_SHOPIFY_RESTORE_RATE", 100),
                    Duration.ofSeconds(env.integer("SIM_SHOPIFY_TOKEN_LIFETIME_SECONDS", 3600)),
                    Long.parseLong(env.string("SIM_SHOPIFY_SEED", "42")),
                    env.list("SIM_SHOPIFY_API_VERSIONS", DEFAULT_API_VERSIONS),
                    env.integer("SIM_SHOPIFY_MAX_QUERY_COST", 1000),
                    Boolean.parseBoolean(env.string("SIM_SHOPIFY_ALLOW_NON_EXPIRING_TOKENS", "false")),
                    Boolean.parseBoolean(env.string("SIM_SHOPIFY_STRICT_REFRESH_ROTATION", "false")),
                    env.integer("SIM_SHOPIFY_WEBHOOK_MAX_ATTEMPTS", 4),
                    Duration.ofMillis(env.integer("SIM_SHOPIFY_WEBHOOK_RETRY_BACKOFF_MILLIS", 500)),
                    Duration.ofMillis(env.integer("SIM_SHOPIFY_WEBHOOK_TIMEOUT_MILLIS", 5000)),
                    env.integer("SIM_SHOPIFY_BULK_OBJECTS_PER_SECOND", DEFAULT_BULK_OBJECTS_PER_SECOND));
        }

        public Config withShops(List<String> newShops) {
            return new Config(apiKey, apiSecret, newShops, products, variantsPerProduct, locations,
                    metafieldsPerProduct, collections, discounts, bucketSize, restoreRate, tokenLifetime, seed,
                    apiVersions, maxQueryCost, allowNonExpiringTokens, strictRefreshRotation, webhookMaxAttempts,
                    webhookRetryBackoff, webhookTimeout, bulkObjectsPerSecond);
        }

        public Config withCatalog(int newProducts, int newVariantsPerProduct, int newLocations,
                                  int newMetafieldsPerProduct, int newCollections, int newDiscounts) {
            return new Config(apiKey, apiSecret, shops, newProducts, newVariantsPerProduct, newLocations,
                    newMetafieldsPerProduct, newCollections, newDiscounts, bucketSize, restoreRate, tokenLifetime,
                    seed, apiVersions, maxQueryCost, allowNonExpiringTokens, strictRefreshRotation,
                    webhookMaxAttempts, webhookRetryBackoff, webhookTimeout, bulkObjectsPerSecond);
        }

        public Config withBucket(int newBucketSize, int newRestoreRate) {
            return new Config(apiKey, apiSecret, shops, products, variantsPerProduct, locations,
                    metafieldsPerProduct, collections, discounts, newBucketSize, newRestoreRate, tokenLifetime, seed,
                    apiVersions, maxQueryCost, allowNonExpiringTokens, strictRefreshRotation, webhookMaxAttempts,
                    webhookRetryBackoff, webhookTimeout, bulkObjectsPerSecond);
        }

        public Config withWebhookRetries(int attempts, Duration backoff, Duration timeout) {
            return new Config(apiKey, apiSecret, shops, products, variantsPerProduct, locations,
                    metafieldsPerProduct, collections, discounts, bucketSize, restoreRate, tokenLifetime, seed,
                    apiVersions, maxQueryCost, allowNonExpiringTokens, strictRefreshRotation, attempts, backoff,
                    timeout, bulkObjectsPerSecond);
        }

        public Config withTokenPolicy(boolean nonExpiringAllowed, boolean strictRotation) {
            return new Config(apiKey, apiSecret, shops, products, variantsPerProduct, locations,
                    metafieldsPerProduct, collections, discounts, bucketSize, restoreRate, tokenLifetime, seed,
                    apiVersions, maxQueryCost, nonExpiringAllowed, strictRotation, webhookMaxAttempts,
                    webhookRetryBackoff, webhookTimeout, bulkObjectsPerSecond);
        }

        public Config withBulkObjectsPerSecond(int objectsPerSecond) {
            return new Config(apiKey, apiSecret, shops, products, variantsPerProduct, locations,
                    metafieldsPerProduct, collections, discounts, bucketSize, restoreRate, tokenLifetime, seed,
                    apiVersions, maxQueryCost, allowNonExpiringTokens, strictRefreshRotation, webhookMaxAttempts,
                    webhookRetryBackoff, webhookTimeout, objectsPerSecond);
        }

        private record Env(Function<String, String> lookup) {
            String string(String name, String fallback) {
                String value = lookup.apply(name);
                return value == null || value.isBlank() ? fallback : value.trim();
            }

            int integer(String name, int fallback) {
                String value = string(name, null);
                if (value == null) {
                    return fallback;
                }
                try {
                    return Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + " must be an integer, was '" + value + "'", e);
                }
            }

            List<String> list(String name, List<String> fallback) {
                String value = string(name, null);
                if (value == null) {
                    return fallback;
                }
                return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            }
        }
    }
}
