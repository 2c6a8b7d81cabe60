package io.storefrontsync.sandbox.shopify;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.schema.DataFetchingEnvironment;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shopify's bulk query operations for every simulated shop: {@code bulkOperationRunQuery} checks
 * the query and the shop's concurrent operations, then each operation runs on the event loop in
 * windows of {@link #WINDOW_ROOTS} top-level objects, paced to {@code objectsPerSecond}
 * ({@code SIM_SHOPIFY_BULK_OBJECTS_PER_SECOND}, {@code POST /_sim/bulk/pace}), writing its JSONL to
 * a temporary file so no result is ever held whole in memory. When it ends, the status turns
 * {@code COMPLETED} (or {@code FAILED}/{@code CANCELED}) only once the file is flushed, and the
 * {@code bulk_operations/finish} webhook goes to the shop's subscriptions, signed like every other.
 *
 * <p>The file is served at a signed URL that expires ({@code GET /_sim/bulk/{n}.jsonl?expires=&signature=},
 * S3-style XML errors: 403 {@code AccessDenied} once expired, 403 {@code SignatureDoesNotMatch},
 * 404 {@code NoSuchKey}), with single {@code Range} requests, as the storage behind Shopify's URLs
 * does. Faults ({@code POST /_sim/bulk/faults}, see {@link BulkFaults}) fail, expire or cut an
 * operation, or swallow its webhook.
 */
final class BulkOperationRunner {

    private static final System.Logger LOG = System.getLogger(BulkOperationRunner.class.getName());

    /** Shopify keeps {@code url} and {@code partialDataUrl} for seven days. */
    static final Duration URL_LIFETIME = Duration.ofDays(7);
    /** Top-level objects per executed window; the ungrouped order interleaves lines within one window. */
    static final int WINDOW_ROOTS = 25;
    static final long TICK_MILLIS = 50;
    /** At most this much pace is saved up when the event loop was busy. */
    static final double MAX_BURST_SECONDS = 0.25;
    /**
     * Executing windows holds the event loop (the fixture is only read there); after this long an
     * operation yields, so the Admin API keeps answering other requests while a large export runs.
     */
    static final long SLICE_NANOS = 20_000_000L;
    static final String FINISH_TOPIC = "bulk_operations/finish";
    /** Bytes queued for the disk before the operation waits for them to drain. */
    static final int WRITE_QUEUE_BYTES = 4 * 1024 * 1024;
    /** API versions before 2026-01 allow one bulk query per shop at a time, later ones five. */
    static final String FIVE_CONCURRENT_FROM = "2026-01";

    private static final Pattern FILE = Pattern.compile("^(\\d+)(-partial)?\\.jsonl$");
    private static final Pattern RANGE = Pattern.compile("^bytes=(\\d+)-(\\d*)$");
    private static final String JSONL = "application/jsonl";

    /** Signs a file name and expiry into a download URL. */
    interface UrlSigner {
        String sign(String fileName, Instant expires);
    }

    private final Vertx vertx;
    private final ShopifySimulator.Config config;
    private final AdminSchema schema;
    private final SimClock clock;
    private final WebhookDispatcher webhooks;
    private final Path directory;
    private final Function<String, SimulatedShop> shops;
    private final BulkFaults faults = new BulkFaults();
    private final Map<Long, BulkOperation> operations = new HashMap<>();
    private final byte[] signingKey = new byte[32];
    private volatile int objectsPerSecond;
    private long nextNumber = 4_100_000_000_000L;
    private String defaultBaseUrl = "http://127.0.0.1";

    BulkOperationRunner(Vertx vertx, ShopifySimulator.Config config, AdminSchema schema, SimClock clock,
                        WebhookDispatcher webhooks, Path directory, Function<String, SimulatedShop> shops) {
        this.vertx = vertx;
        this.config = config;
        this.schema = schema;
        this.clock = clock;
        this.webhooks = webhooks;
        this.directory = directory;
        this.shops = shops;
        this.objectsPerSecond = config.bulkObjectsPerSecond();
        new SecureRandom().nextBytes(signingKey);
    }

    /** Where the simulator listens, for URLs of requests without a Host header. */
    void listeningOn(String host, int port) {
        defaultBaseUrl = "http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + port;
    }

    String defaultBaseUrl() {
        return defaultBaseUrl;
    }

    // ---- GraphQL: the mutations and queries ----------------------------------------------------------

    /** {@code bulkOperationRunQuery(query:, groupObjects:)}: the payload map. */
    Map<String, Object> runQuery(StoreFetchers.AdminRequest request, String text, boolean groupObjects) {
        SimulatedShop shop = request.shop();
        Map<String, Object> payload = new LinkedHashMap<>();
        BulkQuery.Parsed parsed = BulkQuery.parse(text, schema.schema());
        List<Map<String, Object>> errors = new ArrayList<>();
        parsed.errors().forEach(message -> errors.add(userError(List.of("query"), message, "INVALID")));
        if (errors.isEmpty()) {
            List<String> inProgress = shop.bulkOperations.stream().filter(BulkOperation::inProgress)
                    .map(op -> op.id).toList();
            if (inProgress.size() >= concurrentLimit(request.apiVersion())) {
                errors.add(userError(null, "A bulk query operation for this app and shop is already in progress: "
                        + String.join(", ", inProgress) + ".", "OPERATION_IN_PROGRESS"));
            } else if (faults.next(shop.domain(), Set.of(BulkFaults.Kind.LIMIT_REACHED)) != null) {
                errors.add(userError(null, "Bulk operations limit reached. Please try again later.", "LIMIT_REACHED"));
            }
        }
        if (!errors.isEmpty()) {
            payload.put("bulkOperation", null);
            payload.put("userErrors", errors);
            return payload;
        }
        long number = nextNumber++;
        BulkFaults.Fault outcome = faults.next(shop.domain(), BulkFaults.OUTCOMES);
        boolean noWebhook = faults.next(shop.domain(), Set.of(BulkFaults.Kind.NO_WEBHOOK)) != null;
        BulkOperation operation = new BulkOperation(number, shop, request.apiVersion(), parsed.query(), groupObjects,
                request.now(), directory.resolve(number + ".jsonl"), outcome, noWebhook);
        operations.put(number, operation);
        shop.bulkOperations.add(operation);
        schedule(operation);
        payload.put("bulkOperation", operation.view(request.now(), signer(request.baseUrl())));
        payload.put("userErrors", List.of());
        return payload;
    }

    /** {@code bulkOperationCancel(id:)}: a running operation turns {@code CANCELING}, then {@code CANCELED}. */
    Map<String, Object> cancel(StoreFetchers.AdminRequest request, String id) {
        Map<String, Object> payload = new LinkedHashMap<>();
        BulkOperation operation = find(request.shop(), id);
        if (operation == null) {
            payload.put("bulkOperation", null);
            payload.put("userErrors", List.of(userError(List.of("id"), "Bulk operation does not exist", null)));
            return payload;
        }
        if (!operation.inProgress() || operation.finishing) {
            payload.put("bulkOperation", view(request, operation));
            payload.put("userErrors", List.of(userError(null, "A bulk operation cannot be canceled when it is "
                    + operation.status(request.now()).toLowerCase(Locale.ROOT), null)));
            return payload;
        }
        operation.status = "CANCELING";
        payload.put("bulkOperation", view(request, operation));
        payload.put("userErrors", List.of());
        return payload;
    }

    /** {@code bulkOperation(id:)} and {@code node(id:)}: only the shop's own operations. */
    Map<String, Object> byId(StoreFetchers.AdminRequest request, String id) {
        BulkOperation operation = find(request.shop(), id);
        return operation == null ? null : view(request, operation);
    }

    /** The deprecated {@code currentBulkOperation(type:)}: the shop's most recent one of that type. */
    Map<String, Object> current(StoreFetchers.AdminRequest request, String type) {
        if (type != null && !type.equals("QUERY")) {
            return null; // the simulator runs no bulk mutations
        }
        List<BulkOperation> all = request.shop().bulkOperations;
        return all.isEmpty() ? null : view(request, all.get(all.size() - 1));
    }

    /**
     * {@code bulkOperations(query:, first:, …)}: newest first unless {@code reverse}; filters
     * {@code status:}, {@code operation_type:}, {@code id:} and {@code created_at:} joined by AND.
     */
    Map<String, Object> connection(StoreFetchers.AdminRequest request, DataFetchingEnvironment env) {
        String query = env.getArgument("query");
        List<String[]> terms = new ArrayList<>();
        if (query != null) {
            Matcher matcher = StoreFetchers.QUERY_TERM.matcher(query);
            while (matcher.find()) {
                String value = matcher.group(4) != null ? matcher.group(4)
                        : matcher.group(5) != null ? matcher.group(5) : matcher.group(6);
                terms.add(new String[] {matcher.group(1), matcher.group(2) == null ? "" : matcher.group(2), value});
            }
        }
        List<Map<String, Object>> views = new ArrayList<>();
        for (BulkOperation operation : request.shop().bulkOperations) {
            if (terms.stream().allMatch(t -> operation.matches(t[0], t[1], t[2], request.now()))) {
                views.add(view(request, operation));
            }
        }
        boolean reverse = Boolean.TRUE.equals(env.getArgument("reverse"));
        return Connections.page(views, env.getArgument("first"), env.getArgument("last"), env.getArgument("after"),
                env.getArgument("before"), !reverse);
    }

    private Map<String, Object> view(StoreFetchers.AdminRequest request, BulkOperation operation) {
        return operation.view(request.now(), signer(request.baseUrl()));
    }

    private static BulkOperation find(SimulatedShop shop, String id) {
        if (id == null) {
            return null;
        }
        for (BulkOperation operation : shop.bulkOperations) {
            if (operation.id.equals(id)) {
                return operation;
            }
        }
        return null;
    }

    static int concurrentLimit(String apiVersion) {
        return apiVersion.matches("\\d{4}-\\d{2}") && apiVersion.compareTo(FIVE_CONCURRENT_FROM) < 0 ? 1 : 5;
    }

    private static Map<String, Object> userError(List<String> field, String message, String code) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("field", field);
        error.put("message", message);
        error.put("code", code);
        return error;
    }

    // ---- running -------------------------------------------------------------------------------------

    private void schedule(BulkOperation operation) {
        vertx.setTimer(TICK_MILLIS, id -> tick(operation));
    }

    private void tick(BulkOperation operation) {
        if (operation.discarded || operation.finishing) {
            return;
        }
        if (operation.status.equals("CANCELING")) {
            finish(operation, "CANCELED", null);
            return;
        }
        long now = System.nanoTime();
        int pace = objectsPerSecond;
        if (pace <= 0) {
            operation.lastTickNanos = now; // paused: nothing saved up for later
            schedule(operation);
            return;
        }
        if (operation.out == null) {
            open(operation);
            return;
        }
        double elapsed = (now - operation.lastTickNanos) / 1e9;
        operation.lastTickNanos = now;
        operation.allowance = Math.min(operation.allowance + elapsed * pace, Math.max(1.0, pace * MAX_BURST_SECONDS));
        try {
            while (operation.allowance > 0 && !exhausted(operation)) {
                if (operation.out.writeQueueFull()) {
                    // The disk is behind: continue as soon as the queued writes are done, not a tick later.
                    operation.out.drainHandler(drained -> {
                        operation.out.drainHandler(null);
                        tick(operation);
                    });
                    return;
                }
                if (System.nanoTime() - now > SLICE_NANOS) {
                    // Enough event loop time for now: let other requests through, then carry on.
                    vertx.setTimer(1, id -> tick(operation));
                    return;
                }
                List<BulkQuery.Line> lines = runWindow(operation);
                if (!write(operation, lines)) {
                    return; // a fault struck
                }
                operation.allowance -= Math.max(1, lines.size());
            }
        } catch (RuntimeException e) {
            operation.simulatorError = String.valueOf(e.getMessage());
            LOG.log(System.Logger.Level.WARNING, "bulk operation {0} failed in the simulator: {1}", operation.id,
                    operation.simulatorError);
            finish(operation, "FAILED", "INTERNAL_SERVER_ERROR");
            return;
        }
        if (exhausted(operation)) {
            String failure = operation.outcome == null ? null : operation.outcome.kind().errorCode();
            finish(operation, failure == null ? "COMPLETED" : "FAILED", failure);
            return;
        }
        schedule(operation);
    }

    private void open(BulkOperation operation) {
        vertx.fileSystem().open(operation.file.toString(),
                        new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true))
                .onSuccess(file -> {
                    if (operation.discarded) {
                        file.close();
                        return;
                    }
                    operation.out = file;
                    file.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
                    if (operation.status.equals("CREATED")) {
                        operation.status = "RUNNING";
                    }
                    operation.lastTickNanos = System.nanoTime();
                    schedule(operation);
                })
                .onFailure(e -> {
                    operation.simulatorError = "cannot write " + operation.file + ": " + e.getMessage();
                    finish(operation, "FAILED", "INTERNAL_SERVER_ERROR");
                });
    }

    private static boolean exhausted(BulkOperation operation) {
        int roots = operation.window.rootCount();
        return roots >= 0 && operation.nextRoot >= roots;
    }

    /** Executes the query for the next window of top-level objects, through the same schema and fetchers as any request. */
    private List<BulkQuery.Line> runWindow(BulkOperation operation) {
        int from = operation.nextRoot;
        operation.window.range(from, from + WINDOW_ROOTS);
        Map<Object, Object> context = new HashMap<>();
        context.put(AdminSchema.DOCUMENT_KEY, operation.query.document());
        context.put(StoreFetchers.REQUEST_KEY, new StoreFetchers.AdminRequest(operation.shop.store(),
                operation.apiVersion, clock.now(), operation.shop, this, defaultBaseUrl));
        context.put(BulkQuery.Window.KEY, operation.window);
        ExecutionInput input = ExecutionInput.newExecutionInput()
                .query(operation.query.text())
                .root(operation.shop.store().root())
                .graphQLContext(context)
                .locale(Locale.ENGLISH)
                .build();
        ExecutionResult result = schema.graphQL().execute(input);
        if (!result.getErrors().isEmpty()) {
            throw new IllegalStateException(result.getErrors().get(0).getMessage());
        }
        if (operation.window.rootCount() < 0) {
            // The top-level connection has no list in the fixture (a placeholder, or its own fetcher):
            // what this one execution returned is all of it.
            operation.window.readWhole();
        }
        operation.nextRoot = Math.min(from + WINDOW_ROOTS, operation.window.rootCount());
        List<BulkQuery.Line> lines = operation.query.lines(result.getData());
        // Seeded by the query and the window, not the operation: the same query on the same store writes the same file.
        return operation.groupObjects ? lines : BulkQuery.interleave(lines, operation.query.text().hashCode() * 31L + from);
    }

    /** Appends the lines; false when an armed failure struck with them (the operation is then finishing). */
    private boolean write(BulkOperation operation, List<BulkQuery.Line> lines) {
        String failure = operation.outcome == null ? null : operation.outcome.kind().errorCode();
        boolean strike = false;
        if (failure != null && operation.objectCount + lines.size() >= operation.outcome.afterObjects()) {
            lines = lines.subList(0, (int) Math.max(0, operation.outcome.afterObjects() - operation.objectCount));
            strike = true;
        }
        if (!lines.isEmpty()) {
            Buffer buffer = Buffer.buffer();
            long roots = 0;
            for (BulkQuery.Line line : lines) {
                buffer.appendString(line.json()).appendByte((byte) '\n');
                if (line.parent() < 0) {
                    roots++;
                }
            }
            operation.out.write(buffer);
            operation.bytesWritten += buffer.length();
            operation.objectCount += lines.size();
            operation.rootObjectCount += roots;
        }
        if (strike) {
            finish(operation, "FAILED", failure);
            return false;
        }
        return true;
    }

    /** Flushes and closes the file, then sets the final status and sends {@code bulk_operations/finish}. */
    private void finish(BulkOperation operation, String status, String errorCode) {
        if (operation.finishing) {
            return;
        }
        operation.finishing = true;
        Future<Void> closed = closeFile(operation);
        closed.onComplete(done -> {
            if (operation.discarded) {
                return;
            }
            Instant now = clock.now().truncatedTo(ChronoUnit.SECONDS);
            operation.status = status;
            operation.errorCode = errorCode;
            if (status.equals("COMPLETED")) {
                operation.completedAt = now;
                boolean expiresEarly = operation.outcome != null && operation.outcome.kind() == BulkFaults.Kind.EXPIRED;
                operation.urlExpiresAt = expiresEarly ? now.plusSeconds(operation.outcome.afterSeconds())
                        : now.plus(URL_LIFETIME);
            } else if (status.equals("FAILED")) {
                operation.partialData = operation.bytesWritten > 0;
                operation.urlExpiresAt = now.plus(URL_LIFETIME);
            }
            boolean keepFile = (status.equals("COMPLETED") && operation.objectCount > 0) || operation.partialData;
            if (!keepFile && operation.out != null) {
                vertx.fileSystem().delete(operation.file.toString());
            }
            if (operation.webhookSuppressed) {
                operation.webhook = "suppressed";
                return;
            }
            webhooks.dispatch(operation.shop, FINISH_TOPIC, WebhookPayloads.bulkOperationFinish(operation), null)
                    .onComplete(delivered -> operation.webhook = delivered.succeeded() ? delivered.result()
                            : "failed: " + delivered.cause().getMessage());
        });
    }

    /** Closes the operation's file once (a second close of an AsyncFile throws). */
    private static Future<Void> closeFile(BulkOperation operation) {
        if (operation.out == null || operation.fileClosed) {
            return Future.succeededFuture();
        }
        operation.fileClosed = true;
        return operation.out.close();
    }

    // ---- downloads -----------------------------------------------------------------------------------

    UrlSigner signer(String baseUrl) {
        String base = baseUrl == null ? defaultBaseUrl : baseUrl;
        return (fileName, expires) -> {
            long epoch = expires.getEpochSecond();
            return base + "/_sim/bulk/" + fileName + "?expires=" + epoch + "&signature=" + signature(fileName, epoch);
        };
    }

    private String signature(String fileName, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((fileName + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void download(RoutingContext ctx) {
        String name = ctx.pathParam("file");
        Matcher matcher = FILE.matcher(name);
        BulkOperation operation = matcher.matches() ? operations.get(Long.parseLong(matcher.group(1))) : null;
        if (operation == null) {
            storageError(ctx, 404, "NoSuchKey", "The specified key does not exist.", "");
            return;
        }
        String expires = ctx.queryParams().get("expires");
        String signature = ctx.queryParams().get("signature");
        if (expires == null || signature == null || !expires.matches("\\d{1,12}")) {
            storageError(ctx, 403, "AccessDenied",
                    "Query-string authentication requires the expires and signature parameters.", "");
            return;
        }
        if (!MessageDigest.isEqual(signature(name, Long.parseLong(expires)).getBytes(StandardCharsets.UTF_8),
                signature.getBytes(StandardCharsets.UTF_8))) {
            storageError(ctx, 403, "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided.", "");
            return;
        }
        Instant now = clock.now();
        Instant expiry = Instant.ofEpochSecond(Long.parseLong(expires));
        if (!now.isBefore(expiry)) {
            storageError(ctx, 403, "AccessDenied", "Request has expired",
                    "<Expires>" + expiry + "</Expires><ServerTime>" + now.truncatedTo(ChronoUnit.SECONDS) + "</ServerTime>");
            return;
        }
        boolean partial = matcher.group(2) != null;
        if (partial ? !operation.hasPartialFile(now) : !operation.hasResultFile(now)) {
            storageError(ctx, 404, "NoSuchKey", "The specified key does not exist.", "");
            return;
        }
        BulkFaults.Fault cut = faults.next(operation.shop.domain(), Set.of(BulkFaults.Kind.CUT_DOWNLOAD));
        if (cut != null) {
            cutDownload(ctx, operation, cut.bytes());
            return;
        }
        long size = operation.bytesWritten;
        ctx.response().putHeader("Content-Type", JSONL).putHeader("Accept-Ranges", "bytes");
        String range = ctx.request().getHeader("Range");
        Matcher ranged = range == null ? null : RANGE.matcher(range.trim());
        if (ranged != null && ranged.matches()) {
            long start = Long.parseLong(ranged.group(1));
            long end = ranged.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(ranged.group(2)));
            if (start >= size || end < start) {
                ctx.response().setStatusCode(416).putHeader("Content-Range", "bytes */" + size).end();
                return;
            }
            ctx.response().setStatusCode(206).putHeader("Content-Range", "bytes " + start + "-" + end + "/" + size)
                    .sendFile(operation.file.toString(), start, end - start + 1);
            return;
        }
        ctx.response().setStatusCode(200).sendFile(operation.file.toString());
    }

    /**
     * Announces the whole file, sends {@code limit} bytes of it (by default half, moved so the cut
     * falls inside a line), then closes the connection: what a client sees when a download breaks.
     */
    private void cutDownload(RoutingContext ctx, BulkOperation operation, Long limit) {
        long size = operation.bytesWritten;
        vertx.fileSystem().open(operation.file.toString(), new OpenOptions().setRead(true)).onSuccess(file -> {
            Future<Long> cutAt;
            if (limit != null) {
                cutAt = Future.succeededFuture(Math.max(0, Math.min(limit, size)));
            } else {
                long half = Math.max(1, size / 2);
                cutAt = file.read(Buffer.buffer(1), 0, half - 1, 1)
                        .map(last -> last.length() == 1 && last.getByte(0) == '\n' ? half - 1 : half);
            }
            cutAt.onSuccess(bytes -> {
                ctx.response().setStatusCode(200).putHeader("Content-Type", JSONL)
                        .putHeader("Content-Length", String.valueOf(size));
                file.setReadPos(0).setReadLength(bytes);
                file.pipe().endOnComplete(false).to(ctx.response()).onComplete(sent -> {
                    file.close();
                    // The pipe is done when its writes are queued, not when they reached the socket: closing at
                    // once could drop them (a client then saw 0 bytes). Give them a moment to leave, then cut.
                    vertx.setTimer(200, id -> ctx.request().connection().close());
                });
            }).onFailure(e -> {
                file.close();
                ctx.fail(e);
            });
        }).onFailure(ctx::fail);
    }

    /** Errors in the XML the storage behind Shopify's URLs (S3, GCS) answers. */
    private static void storageError(RoutingContext ctx, int status, String code, String message, String extra) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/xml")
                .end("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
                        + message + "</Message>" + extra + "</Error>");
    }

    // ---- control API ---------------------------------------------------------------------------------

    /** Mounted by {@link ControlApiHandler} before its catch-all. */
    void mount(Router router) {
        router.get("/_sim/bulk/:file").handler(this::download);
        router.post("/_sim/bulk/pace").handler(this::setPace);
        router.post("/_sim/bulk/faults").handler(this::armFault);
        router.delete("/_sim/bulk/faults").handler(ctx -> {
            faults.clear();
            ctx.response().setStatusCode(204).end();
        });
        router.get("/_sim/shops/:shop/bulk").handler(ctx -> {
            SimulatedShop shop = shops.apply(ctx.pathParam("shop"));
            if (shop == null) {
                ShopifySimulator.notFound(ctx);
                return;
            }
            Instant now = clock.now();
            AdminGraphQLHandler.reply(ctx, 200, Map.of("operations",
                    shop.bulkOperations.stream().map(op -> op.controlView(now)).toList(),
                    "objectsPerSecond", objectsPerSecond));
        });
    }

    /** {@code {"objectsPerSecond": N}}: the pace of every operation from now on; 0 holds them where they are. */
    private void setPace(RoutingContext ctx) {
        JsonObject body = json(ctx);
        if (body == null) {
            return;
        }
        Object value = body.getValue("objectsPerSecond");
        if (!(value instanceof Integer pace) || pace < 0) {
            AdminGraphQLHandler.reply(ctx, 400, Map.of("error", "objectsPerSecond must be an integer >= 0"));
            return;
        }
        objectsPerSecond = pace;
        AdminGraphQLHandler.reply(ctx, 200, Map.of("objectsPerSecond", pace));
    }

    /**
     * {@code {"shop":…, "kind":"internal_server_error"|"timeout"|"access_denied"|"expired"|"cut_download"|
     * "no_webhook"|"limit_reached", "count":1, "afterObjects":10, "bytes":N, "afterSeconds":0}}.
     */
    private void armFault(RoutingContext ctx) {
        JsonObject body = json(ctx);
        if (body == null) {
            return;
        }
        try {
            BulkFaults.Kind kind = BulkFaults.Kind.parse(body.getString("kind", ""));
            String domain = null;
            if (body.getString("shop") != null) {
                SimulatedShop shop = shops.apply(body.getString("shop"));
                if (shop == null) {
                    ShopifySimulator.notFound(ctx);
                    return;
                }
                domain = shop.domain();
            }
            Long bytes = body.getLong("bytes");
            long afterObjects = body.getLong("afterObjects", 10L);
            long afterSeconds = body.getLong("afterSeconds", 0L);
            if (afterObjects < 0 || afterSeconds < 0 || (bytes != null && bytes < 0)) {
                throw new IllegalArgumentException("afterObjects, afterSeconds and bytes must not be negative");
            }
            faults.arm(new BulkFaults.Fault(domain, kind, afterObjects, bytes, afterSeconds), body.getInteger("count", 1));
            AdminGraphQLHandler.reply(ctx, 201, Map.of("pending", faults.pending()));
        } catch (IllegalArgumentException | ClassCastException e) {
            AdminGraphQLHandler.reply(ctx, 400, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private static JsonObject json(RoutingContext ctx) {
        try {
            return ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            AdminGraphQLHandler.reply(ctx, 400, Map.of("error", "body must be a JSON object"));
            return null;
        }
    }

    // ---- lifecycle -----------------------------------------------------------------------------------

    /** {@code POST /_sim/reset}: every operation stops and its file goes; faults and pace return to the start. */
    void reset() {
        for (BulkOperation operation : operations.values()) {
            operation.discarded = true;
            if (operation.out != null) {
                closeFile(operation).onComplete(closed -> vertx.fileSystem().delete(operation.file.toString()));
            }
        }
        operations.clear();
        faults.clear();
        objectsPerSecond = config.bulkObjectsPerSecond();
    }

    /** On stop: as {@link #reset}, and the temporary directory goes. */
    Future<Void> close() {
        for (BulkOperation operation : operations.values()) {
            operation.discarded = true;
        }
        List<Future<Void>> closing = new ArrayList<>();
        for (BulkOperation operation : operations.values()) {
            closing.add(closeFile(operation).recover(e -> Future.succeededFuture()));
        }
        operations.clear();
        return Future.all(closing).transform(done -> vertx.fileSystem().deleteRecursive(directory.toString(), true))
                .recover(e -> Future.succeededFuture());
    }
}
