package io.storefrontsync.sandbox.facebook;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Faults armed through {@code /_sim/faults}, consumed one per Graph call, and the usage headers Graph sends so a
 * client can see throttling coming (https://developers.facebook.com/docs/graph-api/overview/rate-limiting/).
 */
final class FaultInjector {

    /** One armed fault: the error to answer, how many calls are left to answer it. */
    private static final class Armed {
        final String kind;
        final int code;
        int remaining;

        Armed(String kind, int code, int remaining) {
            this.kind = kind;
            this.code = code;
            this.remaining = remaining;
        }
    }

    private final Deque<Armed> armed = new ArrayDeque<>();
    private final Deque<Instant> recentCalls = new ArrayDeque<>();
    private int loginDenials;

    /** The next {@code count} Login dialogs answer as if the user pressed Cancel. */
    synchronized void armLoginDenied(int count) {
        loginDenials += Math.max(1, count);
    }

    synchronized boolean consumeLoginDenied() {
        if (loginDenials == 0) {
            return false;
        }
        loginDenials--;
        return true;
    }

    synchronized void arm(String kind, int code, int count) {
        if (kind.equals("rate_limit")) {
            GraphErrors.rateLimited(code); // validates the code before arming
        }
        armed.add(new Armed(kind, code, Math.max(1, count)));
    }

    synchronized void clear() {
        armed.clear();
        loginDenials = 0;
    }

    /** The fault this call must answer, if one is armed; consumes it. */
    synchronized Optional<GraphErrors.GraphException> nextFault() {
        Armed head = armed.peek();
        if (head == null) {
            return Optional.empty();
        }
        if (--head.remaining <= 0) {
            armed.poll();
        }
        return Optional.of(head.kind.equals("rate_limit")
                ? GraphErrors.rateLimited(head.code)
                : GraphErrors.serviceUnavailable());
    }

    synchronized JsonArray describe() {
        JsonArray out = new JsonArray();
        armed.forEach(a -> out.add(new JsonObject().put("kind", a.kind).put("code", a.code)
                .put("remaining", a.remaining)));
        if (loginDenials > 0) {
            out.add(new JsonObject().put("kind", "login_denied").put("remaining", loginDenials));
        }
        return out;
    }

    /** Records a call in the one-minute window the usage percentages are computed from. */
    synchronized int recordCallAndUsage(Instant now) {
        recentCalls.add(now);
        while (!recentCalls.isEmpty() && recentCalls.peek().isBefore(now.minusSeconds(60))) {
            recentCalls.poll();
        }
        // 200 calls a minute is this simulator's notional budget; real budgets scale with daily active users.
        return Math.min(99, recentCalls.size() / 2);
    }

    /**
     * Platform usage ({@code X-App-Usage}) for user and app tokens; Business Use Case usage plus the legacy
     * {@code X-Page-Usage} for page tokens, as the rate-limiting doc assigns Pages API calls by token type.
     */
    static void putUsageHeaders(HttpServerResponse response, int percent, String pageIdOfToken, boolean throttled) {
        int used = throttled ? 100 : percent;
        JsonObject usage = new JsonObject().put("call_count", used).put("total_cputime", used / 2)
                .put("total_time", used / 2);
        if (throttled) {
            usage.put("total_cputime", 100).put("total_time", 100);
        }
        if (pageIdOfToken == null) {
            response.putHeader("X-App-Usage", usage.encode());
            return;
        }
        response.putHeader("X-Page-Usage", usage.encode());
        JsonObject buc = usage.copy().put("type", "pages")
                .put("estimated_time_to_regain_access", throttled ? 1 : 0);
        response.putHeader("X-Business-Use-Case-Usage",
                new JsonObject().put(pageIdOfToken, new JsonArray().add(buc)).encode());
    }
}
