import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The processes a benchmark starts, and what Linux says about them: resident memory and CPU time
 * from {@code /proc}. Every command line is written down (secrets replaced by their variable name)
 * so that RESULTS.md can print exactly what ran.
 */
final class Procs {

    /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux unless told otherwise). */
    private static final long CLOCK_TICKS = clockTicks();

    private static final List<String> COMMANDS = new ArrayList<>();
    private static final List<Process> STARTED = new ArrayList<>();

    private Procs() {
    }

    /** Starts {@code command} with extra environment, output and errors appended to {@code log}. */
    static Process start(List<String> command, Map<String, String> env, Path log, Map<String, String> redact) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            Process process = builder.start();
            synchronized (STARTED) {
                STARTED.add(process);
            }
            record(command, redact);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command.get(0), e);
        }
    }

    /** Writes a command down for the report, each secret value replaced by {@code $NAME}. */
    static void record(List<String> command, Map<String, String> redact) {
        String line = String.join(" ", command.stream().map(Procs::quote).toList());
        for (Map.Entry<String, String> secret : redact.entrySet()) {
            if (secret.getValue() != null && !secret.getValue().isEmpty()) {
                line = line.replace(secret.getValue(), "$" + secret.getKey());
            }
        }
        synchronized (COMMANDS) {
            COMMANDS.add(line);
        }
    }

    static List<String> commands() {
        synchronized (COMMANDS) {
            return List.copyOf(COMMANDS);
        }
    }

    /** Stops a process politely (SIGTERM), then forcibly after {@code graceSeconds}. */
    static void stop(Process process, int graceSeconds) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Everything still running that this JVM started (a benchmark interrupted by Ctrl-C). */
    static void stopAll() {
        List<Process> all;
        synchronized (STARTED) {
            all = new ArrayList<>(STARTED);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            stop(all.get(i), 20);
        }
    }

    /** {@code VmRSS} of a process in KiB, or -1 when it is gone. */
    static long rssKib(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** {@code VmHWM}: the highest resident set size the process ever had, in KiB. */
    static long peakRssKib(long pid) {
        return statusField(pid, "VmHWM:");
    }

    private static long statusField(long pid, String field) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid), "status"))) {
            return lines.filter(l -> l.startsWith(field)).findFirst()
                    .map(l -> Long.parseLong(l.substring(field.length()).trim().split("\\s+")[0])).orElse(-1L);
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /**
     * CPU time in milliseconds used by a process and every live descendant, plus the children they
     * already reaped (utime + stime + cutime + cstime): PostgreSQL's postmaster and its backends.
     */
    static long cpuMillisWithDescendants(long pid) {
        long ticks = cpuTicks(pid);
        for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
            ticks += Math.max(0, cpuTicks(child.pid()));
        }
        return ticks * 1000 / CLOCK_TICKS;
    }

    /** CPU time in milliseconds of one process (all its threads). */
    static long cpuMillis(long pid) {
        return cpuTicks(pid) * 1000 / CLOCK_TICKS;
    }

    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // The command name (field 2) may contain spaces: fields are counted after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state); utime, stime, cutime, cstime are fields 14..17.
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** 1-, 5- and 15-minute load averages, as {@code /proc/loadavg} gives them. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** Runs a short command and returns its output (stdout and stderr), trimmed; "" when it cannot run. */
    static String output(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Refuses to start when a port the benchmark needs is taken (another run.sh, another benchmark). */
    static void requireFree(String what, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " (" + what + ") is in use: stop what listens there "
                    + "or pick other ports with --port-base");
        }
    }

    private static long clockTicks() {
        try {
            return Long.parseLong(output("getconf", "CLK_TCK"));
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    private static String quote(String arg) {
        return arg.matches("[A-Za-z0-9_./:=,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}
