package io.storefrontsync.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code deploy/sandbox/run.sh} as a child process, and a terminal next to it that runs the commands
 * a newcomer would copy from its walkthrough ({@code bash -c}, from the repository root).
 */
final class RunScript implements AutoCloseable {

    /** Every port run.sh uses, before {@code SANDBOX_PORT_OFFSET}: both services and their management, the world's. */
    static final List<Integer> BASE_PORTS = List.of(8080, 8081, 9080, 9081, 8090, 8091, 9000, 55432);
    private static final Pattern LOOPBACK_PORT = Pattern.compile("(?:127\\.0\\.0\\.1|localhost):([0-9]{2,5})");
    private static final String READY = "Press Ctrl-C to stop everything.";
    private static final String WORLD_READY = "Press Ctrl-C to stop the world.";
    private static final Set<RunScript> RUNNING = ConcurrentHashMap.newKeySet();

    private final Process process;
    private final Path root;
    private final Path sandbox;
    private final StringBuffer output = new StringBuffer();
    private final Path stderr;

    private RunScript(Process process, Path root, Path sandbox, Path stderr) {
        this.process = process;
        this.root = root;
        this.sandbox = sandbox;
        this.stderr = stderr;
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "run.sh-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts run.sh with its data in {@code sandbox} and every port shifted by {@code offset}; waits for the walkthrough. */
    static RunScript start(Path root, Path sandbox, int offset) throws Exception {
        return start(root, sandbox, offset, READY);
    }

    /** {@code run.sh --world}: the sandbox world only, for services run with {@code quarkus:dev}; waits until it runs. */
    static RunScript startWorld(Path root, Path sandbox, int offset) throws Exception {
        return start(root, sandbox, offset, WORLD_READY, "--world");
    }

    private static RunScript start(Path root, Path sandbox, int offset, String ready, String... args) throws Exception {
        Files.createDirectories(sandbox);
        Path stderr = sandbox.resolveSibling(sandbox.getFileName() + ".stderr");
        // A terminal's Ctrl-C must reach the script even when the build itself runs with SIGINT
        // ignored (a backgrounded CI job): env resets it to the default before bash starts.
        List<String> command = new java.util.ArrayList<>(List.of("env", "--default-signal=INT", "bash", "deploy/sandbox/run.sh"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectError(stderr.toFile());
        builder.environment().put("SANDBOX_DIR", sandbox.toString());
        builder.environment().put("SANDBOX_PORT_OFFSET", Integer.toString(offset));
        RunScript run = new RunScript(builder.start(), root, sandbox, stderr);
        RUNNING.add(run);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!run.output().contains(ready)) {
            if (!run.process.isAlive() || System.nanoTime() > deadline) {
                run.close();
                throw new AssertionError("run.sh did not print its walkthrough (exit "
                        + (run.process.isAlive() ? "none" : run.process.exitValue()) + ")\nstdout:\n" + run.output()
                        + "\nstderr:\n" + Files.readString(stderr));
            }
            Thread.sleep(200);
        }
        return run;
    }

    String output() {
        return output.toString();
    }

    /** The settings file the world wrote ({@code $SANDBOX_DIR/env}), which run.sh and dev mode read. */
    String envFile() throws IOException {
        return Files.readString(sandbox.resolve("env"));
    }

    /**
     * The loopback ports named in {@code text} (URLs, {@code host:port}) that are not one of {@link #BASE_PORTS}
     * shifted by {@code offset}: a printed URL or setting that forgot the offset points at another copy, or at nothing.
     */
    static List<String> unshifted(String text, int offset) {
        List<String> wrong = new ArrayList<>();
        Matcher port = LOOPBACK_PORT.matcher(text);
        while (port.find()) {
            if (!BASE_PORTS.contains(Integer.parseInt(port.group(1)) - offset)) {
                wrong.add(port.group());
            }
        }
        return wrong;
    }

    /**
     * The repository root (the parent of {@code system-tests}, where the ITs run) after emptying
     * {@code target/<name>}, the sandbox directory of one IT.
     */
    static Path freshSandbox(String name) throws IOException {
        Path sandbox = Path.of("target", name).toAbsolutePath();
        if (Files.exists(sandbox)) {
            try (Stream<Path> files = Files.walk(sandbox)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
        return sandbox;
    }

    /** The repository root, with run.sh and mvnw. */
    static Path root() {
        Path root = Path.of("").toAbsolutePath().getParent();
        if (!Files.isExecutable(root.resolve("deploy/sandbox/run.sh")) || !Files.isExecutable(root.resolve("mvnw"))) {
            throw new IllegalStateException("not the repository root: " + root);
        }
        return root;
    }

    /**
     * The first {@code SANDBOX_PORT_OFFSET}, from {@code first} in steps of 100, at which every one of
     * {@link #BASE_PORTS} is free (each IT starts from its own {@code first}, so ITs running at once differ).
     */
    static int freeOffset(int first) throws IOException {
        for (int candidate = first; candidate < 3000; candidate += 100) {
            int shift = candidate;
            if (BASE_PORTS.stream().allMatch(port -> free(port + shift))) {
                return candidate;
            }
        }
        throw new IOException("no free set of ports for run.sh from offset " + first);
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** Runs a walkthrough command as printed; fails on a non-zero exit. */
    String shell(String script) {
        try {
            Process shell = new ProcessBuilder("bash", "-c", "set -eo pipefail\n" + script)
                    .directory(root.toFile()).redirectErrorStream(true).start();
            String out = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!shell.waitFor(2, TimeUnit.MINUTES)) {
                shell.destroyForcibly();
                throw new AssertionError("timed out: " + script);
            }
            if (shell.exitValue() != 0) {
                throw new AssertionError("exit " + shell.exitValue() + " from:\n" + script + "\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@link #shell} for polling: an empty answer when the command fails. */
    String shellQuietly(String script) {
        try {
            return shell(script);
        } catch (AssertionError e) {
            return "";
        }
    }

    List<ProcessHandle> descendants() {
        return process.descendants().toList();
    }

    /** Ctrl-C: SIGINT to the script; returns its exit status. */
    int interrupt() throws Exception {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        kill.waitFor();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            throw new AssertionError("run.sh still running 90 s after SIGINT\n" + Files.readString(stderr));
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        RUNNING.remove(this);
        stop(process, false, Duration.ofSeconds(60));
    }

    /**
     * Stops a process tree: SIGTERM to the process (and to its descendants too when they do not stop with it, as the
     * JVM Maven forks for {@code quarkus:dev}), {@code grace} to exit, then SIGKILL to whatever is left.
     */
    static void stop(Process process, boolean descendantsToo, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        if (descendantsToo) {
            children.forEach(ProcessHandle::destroy);
        }
        process.destroy();
        try {
            process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Whatever a failed test left running. */
    static void stopAll() {
        List.copyOf(RUNNING).forEach(RunScript::close);
    }
}
