package io.storefrontsync.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.storefrontsync.common.auth.ServiceAuth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the worker's {@code POST /internal/events}, started for the gateway's tests on a
 * free port: it checks the service JWT (RS256 with JWT_PUBLIC_KEY, issuer, audience, group, expiry; and,
 * signature key or not, the hash of the body it carries and a {@code jti} never seen before, as the worker does),
 * records the events it accepts, can be told to fail the next N requests, and can be taken down
 * (connection refused) and brought up again on the same port.
 */
public class WorkerReceiver implements QuarkusTestResourceLifecycleManager {

    private static volatile WorkerReceiver instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private final List<String> rejections = new CopyOnWriteArrayList<>();
    /** Event ids whose deliveries are answered 400 (an event the worker cannot take), with every event sent with them. */
    private final java.util.Set<String> refusedEvents = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger refusals = new AtomicInteger();
    private final AtomicInteger failNext = new AtomicInteger();
    /** Deliveries still to accept before the {@link #failNext} ones are failed. */
    private final AtomicInteger acceptFirst = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    /** While set, an accepted delivery is answered only once this latch opens (a batch held in flight). */
    private volatile CountDownLatch hold;
    private final List<String> jtis = new CopyOnWriteArrayList<>();
    private volatile PublicKey publicKey;
    private int port;
    private HttpServer server;

    public static WorkerReceiver get() {
        return instance;
    }

    @Override
    public Map<String, String> start() {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        up();
        instance = this;
        return Map.of("quarkus.rest-client.sync-worker.url", "http://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        down();
    }

    public synchronized void up() {
        if (server != null) {
            return;
        }
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
                server.createContext("/internal/events", this::handle);
                server.setExecutor(Executors.newFixedThreadPool(4));
                server.start();
                return;
            } catch (IOException e) {
                last = e;
                sleep(100);
            }
        }
        throw new UncheckedIOException("could not bind the worker receiver again", last);
    }

    public synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Verify JWTs with this key (base64 X.509 DER, as JWT_PUBLIC_KEY). */
    public void requireTokensSignedBy(String base64Der) {
        try {
            publicKey = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64Der)));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    public void failNext(int n) {
        acceptFirst.set(0);
        failNext.set(n);
    }

    /** Answers 400 to every delivery carrying this event id, as the worker does for an event it cannot take. */
    public void refuse(String eventId) {
        refusedEvents.add(eventId);
    }

    public void stopRefusing() {
        refusedEvents.clear();
    }

    /** Deliveries answered 400 because they carried a refused event. */
    public int refusals() {
        return refusals.get();
    }

    /** Accepts the next {@code accepted} deliveries, then fails the {@code failed} after them (503). */
    public void failAfter(int accepted, int failed) {
        failNext.set(0);
        acceptFirst.set(accepted);
        failNext.set(failed);
    }

    /**
     * Holds every delivery that gets past the token check (recorded, not yet answered) until {@link #release}: the
     * gateway's batch stays in hand as long as the test needs it to.
     */
    public void hold() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        CountDownLatch held = hold;
        hold = null;
        if (held != null) {
            held.countDown();
        }
    }

    /** Deliveries accepted so far (each a batch the gateway sent and got, or is about to get, a 202 for). */
    public int deliveries() {
        return batches.size();
    }

    /** The event ids of the {@code index}th accepted delivery (0-based, in arrival order). */
    public List<String> deliveryEventIds(int index) {
        return List.copyOf(batches.get(index));
    }

    public int requests() {
        return requests.get();
    }

    public List<String> rejections() {
        return rejections;
    }

    /** The {@code jti} of every request that got past the token check, in arrival order. */
    public List<String> jtis() {
        return jtis;
    }

    /** How many accepted deliveries carried at least one of these event ids. */
    public long deliveriesCarrying(java.util.Collection<String> eventIds) {
        return batches.stream().filter(ids -> ids.stream().anyMatch(eventIds::contains)).count();
    }

    /** Accepted events with this id (one entry per delivery). */
    public List<JsonNode> eventsWithId(String eventId) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : accepted) {
            if (eventId.equals(e.path("eventId").asText())) {
                out.add(e);
            }
        }
        return out;
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        byte[] body = exchange.getRequestBody().readAllBytes();
        try {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405);
                return;
            }
            String problem = checkToken(exchange.getRequestHeaders().getFirst("Authorization"), body);
            if (problem != null) {
                rejections.add(problem);
                respond(exchange, 401);
                return;
            }
            if (acceptFirst.getAndUpdate(n -> Math.max(0, n - 1)) == 0
                    && failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                respond(exchange, 503);
                return;
            }
            JsonNode batch = JSON.readTree(body);
            for (JsonNode event : batch.path("events")) {
                if (refusedEvents.contains(event.path("eventId").asText())) {
                    refusals.incrementAndGet();
                    respond(exchange, 400);
                    return;
                }
            }
            batch.path("events").forEach(accepted::add);
            List<String> ids = new ArrayList<>();
            batch.path("events").forEach(e -> ids.add(e.path("eventId").asText()));
            batches.add(ids);
            CountDownLatch held = hold;
            if (held != null && !held.await(60, TimeUnit.SECONDS)) {
                rejections.add("held for 60 s without a release");
            }
            respond(exchange, 202);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 503);
        } catch (RuntimeException e) {
            rejections.add(e.toString());
            respond(exchange, 500);
        }
    }

    private String checkToken(String authorization, byte[] body) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return "no bearer token";
        }
        String[] parts = authorization.substring(7).split("\\.");
        if (parts.length != 3) {
            return "not a JWS";
        }
        try {
            JsonNode bound = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!ServiceAuth.bodyHash(body).equals(bound.path(ServiceAuth.BODY_HASH_CLAIM).asText())) {
                return "body hash";
            }
            String jti = bound.path("jti").asText();
            if (jti.isEmpty() || jtis.contains(jti)) {
                return "jti missing or replayed";
            }
            jtis.add(jti);
        } catch (Exception e) {
            return "unreadable token: " + e;
        }
        if (publicKey == null) {
            return null;
        }
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(publicKey);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return "bad signature";
            }
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!"RS256".equals(header.path("alg").asText())) {
                return "alg " + header.path("alg").asText();
            }
            if (!ServiceAuth.ISSUER.equals(claims.path("iss").asText())) {
                return "issuer";
            }
            JsonNode aud = claims.path("aud");
            boolean audienceOk = aud.isArray()
                    ? aud.toString().contains("\"" + ServiceAuth.AUDIENCE_WORKER + "\"")
                    : ServiceAuth.AUDIENCE_WORKER.equals(aud.asText());
            if (!audienceOk) {
                return "audience";
            }
            if (!claims.path("groups").toString().contains("\"" + ServiceAuth.ROLE_SERVICE + "\"")) {
                return "groups";
            }
            long exp = claims.path("exp").asLong();
            if (exp < Instant.now().getEpochSecond() || exp > Instant.now().getEpochSecond() + 600) {
                return "exp not short-lived";
            }
            return null;
        } catch (Exception e) {
            return "unreadable token: " + e;
        }
    }

    private static void respond(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
