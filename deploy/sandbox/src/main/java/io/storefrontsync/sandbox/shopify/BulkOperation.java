package io.storefrontsync.sandbox.shopify;

import io.vertx.core.file.AsyncFile;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One bulk query operation of one shop, as {@link BulkOperationRunner} advances it. Only touched on
 * the simulator's event loop. The JSONL goes to a file while the operation runs, so the file is
 * never held in memory, and {@code objectCount}/{@code rootObjectCount} grow as Shopify's do.
 */
final class BulkOperation {

    static final String GID_PREFIX = "gid://shopify/BulkOperation/";

    final long number;
    final String id;
    final SimulatedShop shop;
    final String apiVersion;
    final BulkQuery query;
    final boolean groupObjects;
    final Instant createdAt;
    final Path file;
    final BulkQuery.Window window = new BulkQuery.Window();
    /** A failure or early expiry armed for this operation; null when it runs as Shopify normally does. */
    final BulkFaults.Fault outcome;
    final boolean webhookSuppressed;

    String status = "CREATED";
    String errorCode;
    Instant completedAt;
    long objectCount;
    long rootObjectCount;
    long bytesWritten;
    int nextRoot;
    /** Objects the pace still allows (negative: written ahead of the pace). */
    double allowance;
    long lastTickNanos;
    AsyncFile out;
    boolean fileClosed;
    /** Set when the operation is ending: its file is being flushed, its status not yet final. */
    boolean finishing;
    /** Set by a reset: timers of this operation stop. */
    boolean discarded;
    Instant urlExpiresAt;
    boolean partialData;
    /** {@code pending}, {@code suppressed}, or the delivery outcomes of the finish webhook. */
    Object webhook = "pending";
    /** Why the simulator itself failed the operation (an execution error), for {@code /_sim/shops/{shop}/bulk}. */
    String simulatorError;

    BulkOperation(long number, SimulatedShop shop, String apiVersion, BulkQuery query, boolean groupObjects,
                  Instant createdAt, Path file, BulkFaults.Fault outcome, boolean webhookSuppressed) {
        this.number = number;
        this.id = GID_PREFIX + number;
        this.shop = shop;
        this.apiVersion = apiVersion;
        this.query = query;
        this.groupObjects = groupObjects;
        this.createdAt = createdAt.truncatedTo(ChronoUnit.SECONDS);
        this.file = file;
        this.outcome = outcome;
        this.webhookSuppressed = webhookSuppressed;
    }

    /** Created, running or being canceled: counts against the shop's concurrent operations. */
    boolean inProgress() {
        return status.equals("CREATED") || status.equals("RUNNING") || status.equals("CANCELING");
    }

    /** A completed operation whose URL has expired reads as {@code EXPIRED} (Shopify: after 7 days). */
    String status(Instant now) {
        if (status.equals("COMPLETED") && urlExpiresAt != null && !now.isBefore(urlExpiresAt)) {
            return "EXPIRED";
        }
        return status;
    }

    boolean hasResultFile(Instant now) {
        return status(now).equals("COMPLETED") && objectCount > 0;
    }

    boolean hasPartialFile(Instant now) {
        return status.equals("FAILED") && partialData && urlExpiresAt != null && now.isBefore(urlExpiresAt);
    }

    /**
     * The {@code BulkOperation} object as the schema names its fields, for the default fetcher.
     * Counts and sizes are strings ({@code UnsignedInt64}); {@code url} only once completed with
     * data (Shopify gives none for an empty result), {@code partialDataUrl} only after a failure that
     * wrote something; both signed by the runner and served by the simulator.
     */
    Map<String, Object> view(Instant now, BulkOperationRunner.UrlSigner signer) {
        String current = status(now);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("__typename", "BulkOperation");
        view.put("id", id);
        view.put("status", current);
        view.put("errorCode", errorCode);
        view.put("createdAt", createdAt.toString());
        view.put("completedAt", completedAt == null ? null : completedAt.toString());
        view.put("objectCount", String.valueOf(objectCount));
        view.put("rootObjectCount", String.valueOf(rootObjectCount));
        boolean withFile = current.equals("COMPLETED") && objectCount > 0;
        view.put("fileSize", withFile ? String.valueOf(bytesWritten) : null);
        view.put("url", withFile ? signer.sign(number + ".jsonl", urlExpiresAt) : null);
        view.put("partialDataUrl", hasPartialFile(now) ? signer.sign(number + "-partial.jsonl", urlExpiresAt) : null);
        view.put("query", query.text());
        view.put("type", "QUERY");
        return view;
    }

    /** {@code GET /_sim/shops/{shop}/bulk}: the view plus what only the simulator knows. */
    Map<String, Object> controlView(Instant now) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("status", status(now));
        view.put("errorCode", errorCode);
        view.put("groupObjects", groupObjects);
        view.put("objectCount", objectCount);
        view.put("rootObjectCount", rootObjectCount);
        view.put("bytesWritten", bytesWritten);
        view.put("fault", outcome == null ? null : outcome.kind().wireName);
        view.put("webhook", webhook);
        view.put("simulatorError", simulatorError);
        return view;
    }

    /** Is this operation matched by a {@code bulkOperations(query:)} term? */
    boolean matches(String key, String op, String value, Instant now) {
        return switch (key) {
            case "status" -> value.equalsIgnoreCase(status(now));
            case "operation_type", "type" -> value.equalsIgnoreCase("QUERY");
            case "id" -> value.equals(id) || value.equals(String.valueOf(number));
            case "created_at" -> StoreFetchers.compareTime(createdAt, op, value);
            default -> true;
        };
    }

    /** Lower-case status and error code, as the {@code bulk_operations/finish} webhook carries them. */
    static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }
}
