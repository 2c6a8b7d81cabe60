package io.storefrontsync.sandbox.shopify;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Set;

/**
 * Armed bulk operation faults ({@code POST /_sim/bulk/faults}), for the shop named or any shop,
 * used up in the order they were armed. Each kind is consumed at the moment it applies: an outcome
 * (failure or early expiry) and {@code no_webhook} when an operation starts, {@code limit_reached}
 * when {@code bulkOperationRunQuery} is called, {@code cut_download} when a result file is
 * downloaded. Kept apart from {@link FaultInjector}, whose faults answer Admin API requests.
 */
final class BulkFaults {

    enum Kind {
        /** The operation ends {@code FAILED} with {@code INTERNAL_SERVER_ERROR} after {@code afterObjects} objects. */
        INTERNAL_SERVER_ERROR("internal_server_error"),
        /** The operation ends {@code FAILED} with {@code TIMEOUT} after {@code afterObjects} objects. */
        TIMEOUT("timeout"),
        /** The operation ends {@code FAILED} with {@code ACCESS_DENIED} after {@code afterObjects} objects. */
        ACCESS_DENIED("access_denied"),
        /** The operation completes, but its URL expires {@code afterSeconds} later: then {@code EXPIRED}, no longer served. */
        EXPIRED("expired"),
        /** The next download is cut: the connection closes after {@code bytes} bytes (default: mid-line, mid-file). */
        CUT_DOWNLOAD("cut_download"),
        /** The {@code bulk_operations/finish} webhook of the next operation is never sent. */
        NO_WEBHOOK("no_webhook"),
        /** The next {@code bulkOperationRunQuery} answers the {@code LIMIT_REACHED} user error. */
        LIMIT_REACHED("limit_reached");

        final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        static Kind parse(String value) {
            for (Kind kind : values()) {
                if (kind.wireName.equalsIgnoreCase(value)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("kind must be one of internal_server_error, timeout, access_denied, "
                    + "expired, cut_download, no_webhook, limit_reached; was " + value);
        }

        /** The {@code BulkOperationErrorCode} of a failure kind; null for the others. */
        String errorCode() {
            return switch (this) {
                case INTERNAL_SERVER_ERROR, TIMEOUT, ACCESS_DENIED -> name();
                default -> null;
            };
        }
    }

    static final Set<Kind> OUTCOMES = Set.of(Kind.INTERNAL_SERVER_ERROR, Kind.TIMEOUT, Kind.ACCESS_DENIED, Kind.EXPIRED);

    /**
     * @param afterObjects a failure strikes once this many objects are written (the partial data)
     * @param bytes        where a cut download stops; null: half the file, moved off a line end
     * @param afterSeconds how long an {@code expired} operation's URL still works after completion
     */
    record Fault(String shop, Kind kind, long afterObjects, Long bytes, long afterSeconds) {
    }

    private static final class Armed {
        final Fault fault;
        int remaining;

        Armed(Fault fault, int remaining) {
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    private final Deque<Armed> armed = new ArrayDeque<>();

    synchronized void arm(Fault fault, int count) {
        if (count > 0) {
            armed.addLast(new Armed(fault, count));
        }
    }

    /** The first armed fault of one of these kinds for this shop, consuming one use of it; null when none. */
    synchronized Fault next(String shop, Set<Kind> kinds) {
        for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
            Armed candidate = it.next();
            if (kinds.contains(candidate.fault.kind())
                    && (candidate.fault.shop() == null || candidate.fault.shop().equals(shop))) {
                if (--candidate.remaining <= 0) {
                    it.remove();
                }
                return candidate.fault;
            }
        }
        return null;
    }

    synchronized int pending() {
        return armed.stream().mapToInt(a -> a.remaining).sum();
    }

    synchronized void clear() {
        armed.clear();
    }
}
