package io.storefrontsync.sandbox.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every JVM {@code deploy/sandbox/run.sh} starts (the sandbox world, the gateway, the worker) has a heap cap,
 * as in production: an uncapped JVM takes a quarter of the machine, which on a developer's laptop hides what
 * an instance's cap would show. (The benchmarks in {@code bench/} launch at JVM defaults on purpose, with
 * {@code JAVA_OPTS} as their knob: they measure.)
 */
class RunScriptTest {

    private static final Path RUN_SH = Path.of("../../deploy/sandbox/run.sh");
    private static final Pattern JAVA_LAUNCH = Pattern.compile("(^|[\\s;&|])java\\s");

    @Test
    void everyJavaLaunchOfRunShShouldCapTheHeap() throws IOException {
        String script = Files.readString(RUN_SH);

        assertThat(launches(script)).hasSize(2);
        assertThat(uncapped(script)).isEmpty();
        String uncapped = script.replace("java -Xmx\"$5\" -jar", "java -jar");
        assertThat(uncapped(uncapped)).containsExactly("java -jar \"$2\" >\"$logs/$1.log\" 2>&1 &");
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
