package io.storefrontsync.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the sandbox world as its own process.
 *
 * <pre>
 * java -cp 'deploy/sandbox/target/sandbox.jar:deploy/sandbox/target/lib/*' io.storefrontsync.sandbox.SandboxMain [--dir .sandbox] [--ephemeral] [--stop-on-stdin-eof]
 *      [--postgres-port 55432] [--s3-port 9000] [--shopify-port 8090] [--facebook-port 8091]
 *      [--components postgres,s3,shopify,facebook] [--set KEY=VALUE]... [--control-port PORT]
 * </pre>
 * <p>
 * When everything listens it prints one line {@value #READY_PREFIX}{@code {...}} with the
 * services' settings as JSON, and writes them to {@code <dir>/env}. Runs until Ctrl-C, or, with
 * {@code --stop-on-stdin-eof}, until its parent closes stdin (so a test JVM that dies takes its
 * world with it).
 * <p>
 * {@code --control-port} (0 = any free port) also opens {@link SandboxControl}, the loopback
 * endpoint fault-injection tests use to stop and start PostgreSQL and the S3 server
 * ({@code POST /postgres/restart}, {@code POST /s3/stop}, ...); its URL is added to the ready line
 * as {@value SandboxControl#URL_VARIABLE}, not to {@code <dir>/env}: it is a tool of the process
 * that started this world, not a setting of the services.
 */
public final class SandboxMain {

    public static final String READY_PREFIX = "SANDBOX READY ";

    private SandboxMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(".sandbox");
        boolean ephemeral = false;
        boolean stopOnStdinEof = false;
        int postgresPort = 55432, s3Port = 9000, shopifyPort = 8090, facebookPort = 8091;
        Integer controlPort = null;
        Set<String> components = new LinkedHashSet<>(SandboxWorld.ALL_COMPONENTS);
        Map<String, String> overrides = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--dir" -> dir = Path.of(value(args, ++i, arg));
                case "--ephemeral" -> ephemeral = true;
                case "--stop-on-stdin-eof" -> stopOnStdinEof = true;
                case "--postgres-port" -> postgresPort = Integer.parseInt(value(args, ++i, arg));
                case "--s3-port" -> s3Port = Integer.parseInt(value(args, ++i, arg));
                case "--shopify-port" -> shopifyPort = Integer.parseInt(value(args, ++i, arg));
                case "--facebook-port" -> facebookPort = Integer.parseInt(value(args, ++i, arg));
                case "--control-port" -> controlPort = Integer.parseInt(value(args, ++i, arg));
                case "--components" -> components = new LinkedHashSet<>(Arrays.asList(value(args, ++i, arg).split(",")));
                case "--set" -> {
                    String kv = value(args, ++i, arg);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        usage("--set needs KEY=VALUE, got " + kv);
                    }
                    overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                default -> usage("unknown argument " + arg);
            }
        }
        if (!SandboxWorld.ALL_COMPONENTS.containsAll(components)) {
            usage("--components takes " + SandboxWorld.ALL_COMPONENTS);
        }
        if (ephemeral && !Files.exists(dir)) {
            dir = Files.createTempDirectory("storefront-sandbox-");
        }

        SandboxWorld.Options options = new SandboxWorld.Options(dir, ephemeral, "127.0.0.1", postgresPort, s3Port,
                shopifyPort, facebookPort, components, overrides);
        SandboxWorld world = SandboxWorld.start(options);
        SandboxControl control = controlPort == null ? null : SandboxControl.start(world, options.host(), controlPort);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (control != null) {
                control.close();
            }
            world.close();
            stopped.countDown();
        }, "sandbox-shutdown"));

        Map<String, String> ready = new LinkedHashMap<>(world.env());
        if (control != null) {
            ready.put(SandboxControl.URL_VARIABLE, control.url());
        }
        System.out.println(READY_PREFIX + new ObjectMapper().writeValueAsString(ready));
        System.out.flush();

        if (stopOnStdinEof) {
            while (System.in.read() != -1) {
                // parent still there
            }
            System.exit(0);
        }
        stopped.await();
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            usage(flag + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("sandbox: " + problem);
        System.exit(2);
    }
}
