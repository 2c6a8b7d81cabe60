package io.storefrontsync.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The sandbox world's fault switch: a loopback HTTP endpoint that stops and starts its PostgreSQL
 * and S3 servers, so end-to-end tests can take the database or Spaces away from the running
 * services and give it back (same port, same data).
 *
 * <pre>
 * GET  /                          {"postgres":"running","s3":"stopped"}
 * POST /postgres/stop|start|restart
 * POST /s3/stop|start|restart      answers the same state document once the operation is done
 * </pre>
 * Unknown component (or one this world does not run): 404; unknown operation: 400; a failed
 * operation: 500 with {@code {"error": ...}}. Operations run one at a time, in the order they came,
 * on one thread: stopping PostgreSQL blocks for a second or two ({@code pg_ctl -w}), and a test's
 * "stop, then start" must never be reordered. Like the simulators' {@code /_sim/} APIs it has no
 * authentication and listens on loopback only.
 */
public final class SandboxControl implements AutoCloseable {

    /** The variable that carries this endpoint's URL in the world's settings. */
    public static final String URL_VARIABLE = "SANDBOX_CONTROL_URL";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SandboxWorld world;
    private final HttpServer server;
    private final ExecutorService operations;

    private SandboxControl(SandboxWorld world, HttpServer server, ExecutorService operations) {
        this.world = world;
        this.server = server;
        this.operations = operations;
    }

    /** @param port 0 picks a free port */
    public static SandboxControl start(SandboxWorld world, String host, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        ExecutorService operations = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "sandbox-control");
            thread.setDaemon(true);
            return thread;
        });
        SandboxControl control = new SandboxControl(world, server, operations);
        server.createContext("/", control::handle);
        server.setExecutor(operations);
        server.start();
        return control;
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/")) {
                reply(exchange, method.equals("GET") ? 200 : 405, state());
                return;
            }
            String[] parts = path.substring(1).split("/");
            if (parts.length != 2) {
                reply(exchange, 404, Map.of("error", "no such endpoint: " + path));
                return;
            }
            Component component = components().get(parts[0]);
            if (component == null) {
                reply(exchange, 404, Map.of("error", "this world runs no " + parts[0] + "; components: " + state().keySet()));
                return;
            }
            if (!method.equals("POST")) {
                reply(exchange, 405, Map.of("error", "operations are POST"));
                return;
            }
            try {
                switch (parts[1]) {
                    case "stop" -> component.stop().run();
                    case "start" -> component.start().run();
                    case "restart" -> {
                        component.stop().run();
                        component.start().run();
                    }
                    default -> {
                        reply(exchange, 400, Map.of("error", "operation must be stop, start or restart"));
                        return;
                    }
                }
            } catch (Exception e) {
                System.err.println("sandbox: " + parts[0] + " " + parts[1] + " failed: " + e);
                reply(exchange, 500, Map.of("error", parts[0] + " " + parts[1] + " failed: " + e.getMessage()));
                return;
            }
            System.err.println("sandbox: " + parts[0] + " " + parts[1] + " done");
            reply(exchange, 200, state());
        }
    }

    /** A server the endpoint can switch, by its own methods. */
    private record Component(Action stop, Action start, BooleanSupplier running) {
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    private Map<String, Component> components() {
        Map<String, Component> components = new LinkedHashMap<>();
        world.postgres().ifPresent(pg -> components.put("postgres", new Component(pg::stop, pg::start, pg::isRunning)));
        world.s3().ifPresent(s3 -> components.put("s3", new Component(s3::stop, s3::start, s3::isRunning)));
        return components;
    }

    private Map<String, String> state() {
        Map<String, String> state = new LinkedHashMap<>();
        components().forEach((name, c) -> state.put(name, c.running().getAsBoolean() ? "running" : "stopped"));
        return state;
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        operations.shutdownNow();
    }
}
