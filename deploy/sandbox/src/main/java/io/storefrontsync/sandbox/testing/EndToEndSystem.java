package io.storefrontsync.sandbox.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The whole system for end-to-end tests: a fresh sandbox world plus both services as real
 * processes, wired exactly as {@code deploy/sandbox/run.sh} wires them, on free ports.
 * <p>
 * The services' jars are found through the system properties {@code e2e.gateway.jar} and
 * {@code e2e.worker.jar} (set by the build).
 */
public final class EndToEndSystem implements AutoCloseable {

    private final SandboxWorldResource world = new SandboxWorldResource();
    private final Map<String, String> env;
    private final ServiceProcess gateway;
    private final ServiceProcess worker;

    private EndToEndSystem(String name, Map<String, String> settings) {
        int gatewayPort = FreePorts.next();
        int workerPort = FreePorts.next();
        Map<String, String> init = new HashMap<>();
        init.put("set.GATEWAY_URL", "http://127.0.0.1:" + gatewayPort);
        init.put("set.SYNC_WORKER_URL", "http://127.0.0.1:" + workerPort);
        // The daily poll ticks every 15 minutes by default and would sync shops of its own during a run; a test that
        // wants it says so (tests drive DailyPoll themselves).
        init.put("set.SYNC_DAILY_CRON", "off");
        settings.forEach((k, v) -> init.put("set." + k, v));
        world.init(init);
        this.env = Map.copyOf(world.start());
        Path logs = Path.of("target", "e2e", name);
        this.gateway = new ServiceProcess("oauth-gateway", jar("e2e.gateway.jar"), env, gatewayPort, logs);
        this.worker = new ServiceProcess("sync-worker", jar("e2e.worker.jar"), env, workerPort, logs);
    }

    /**
     * Starts the world, then the worker and the gateway side by side (neither needs the other to
     * start: the gateway's outbox waits for the worker). {@code settings} override the world's;
     * the services' logs go to {@code target/e2e/<name>/}.
     */
    public static EndToEndSystem start(String name, Map<String, String> settings) {
        EndToEndSystem system = new EndToEndSystem(name, settings);
        try {
            CompletableFuture<ServiceProcess> worker = CompletableFuture.supplyAsync(system.worker::start);
            RuntimeException failure = null;
            try {
                system.gateway.start();
            } catch (RuntimeException e) {
                failure = e;
            }
            try {
                worker.join(); // either way, so that close() below finds the worker's process
            } catch (CompletionException e) {
                failure = failure != null ? failure : e.getCause() instanceof RuntimeException cause ? cause : e;
            }
            if (failure != null) {
                throw failure;
            }
            return system;
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    /** The settings both services run with, in {@code .env.example} names, plus the simulators' URLs. */
    public Map<String, String> env() {
        return env;
    }

    public ServiceProcess gateway() {
        return gateway;
    }

    public ServiceProcess worker() {
        return worker;
    }

    /** Takes Spaces (the world's S3 server) away: connections are refused until {@link #startSpaces()}. */
    public void stopSpaces() {
        world.control("s3", "stop");
    }

    /** Spaces back, on the same endpoint with the same objects. */
    public void startSpaces() {
        world.control("s3", "start");
    }

    /** Shuts PostgreSQL down (fast: sessions are cut, committed data stays) until {@link #startDatabase()}. */
    public void stopDatabase() {
        world.control("postgres", "stop");
    }

    /** PostgreSQL back, on the same port with the same data. */
    public void startDatabase() {
        world.control("postgres", "start");
    }

    public String shopifySimulatorUrl() {
        return env.get("SHOPIFY_SIMULATOR_URL");
    }

    public String facebookSimulatorUrl() {
        return env.get("FACEBOOK_GRAPH_URL");
    }

    @Override
    public void close() {
        gateway.stop();
        worker.stop();
        world.stop();
    }

    private static Path jar(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set (see sync-worker/pom.xml failsafe)");
        }
        return Path.of(value);
    }
}
