package io.storefrontsync.sandbox.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The images in {@code deploy/docker}, checked without Docker: each Dockerfile is parsed and held to
 * {@link DockerfileRules} (builder pinned, one service per image, heap capped, non-root), and each rule is fed a
 * deliberately wrong copy that it must refuse. The entrypoints are run for real with {@code /bin/sh} against a
 * stub executable, so the heap cap is seen arriving on the command line.
 */
class DockerfileTest {

    private static final Path ROOT = Path.of("../..");
    private static final Path NATIVE = ROOT.resolve("deploy/docker/Dockerfile.native");
    private static final Path JVM = ROOT.resolve("deploy/docker/Dockerfile.jvm");

    @Test
    void buildersShouldBePinnedToOneRelease() throws IOException {
        assertThat(DockerfileRules.pinnedBuilders(read(NATIVE))).isEmpty();
        assertThat(DockerfileRules.pinnedBuilders(read(JVM))).isEmpty();

        String floating = text(NATIVE).replace("mandrel-builder-image:23.1.8.0-Final-java21", "mandrel-builder-image:jdk-21");
        assertThat(DockerfileRules.pinnedBuilders(new Dockerfile(floating))).containsExactly("stage build: builder image"
                + " quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-21 is not pinned to one release (tag jdk-21 moves)");
        String untagged = text(JVM).replace("ubi9/openjdk-17:1.21-2", "ubi9/openjdk-17");
        assertThat(DockerfileRules.pinnedBuilders(new Dockerfile(untagged))).singleElement().asString()
                .contains("(tag latest moves)");
    }

    @Test
    void eachImageShouldBuildOnlyItsOwnService() throws Exception {
        MavenReactor reactor = MavenReactor.read(ROOT);

        assertThat(DockerfileRules.oneServicePerImage(read(NATIVE), reactor, true)).isEmpty();
        assertThat(DockerfileRules.oneServicePerImage(read(JVM), reactor, false)).isEmpty();
        // What -am really builds for the worker: never the gateway.
        assertThat(reactor.selection(List.of("sync-worker"), true)).containsExactlyInAnyOrder("sync-worker", "common",
                "deploy/sandbox");
    }

    @Test
    void oneServicePerImageShouldRefuseWrongCopies() throws Exception {
        MavenReactor reactor = MavenReactor.read(ROOT);

        // A test-scope dependency of the worker on the gateway (as the end-to-end tests once had) drags it in.
        assertThat(DockerfileRules.oneServicePerImage(read(NATIVE), reactor.withDependency("sync-worker", "oauth-gateway"), true))
                .singleElement().asString().startsWith("SERVICE=sync-worker builds the applications [oauth-gateway, sync-worker]");
        String everything = text(NATIVE).replace("-pl \"${SERVICE}\" -am ", "");
        assertThat(DockerfileRules.oneServicePerImage(new Dockerfile(everything), reactor, true))
                .filteredOn(f -> f.contains("builds the applications [oauth-gateway, sync-worker]")).hasSize(2);
        String noSystemTests = text(JVM).replace("COPY system-tests/pom.xml /code/system-tests/pom.xml", "");
        assertThat(DockerfileRules.oneServicePerImage(new Dockerfile(noSystemTests), reactor, false)).containsExactly(
                "module system-tests of the root pom is not copied: Maven stops before building anything (child module does not exist)");
        String jvmBuild = text(NATIVE).replace(" -Dnative ", " ");
        assertThat(DockerfileRules.oneServicePerImage(new Dockerfile(jvmBuild), reactor, true)).containsExactly(
                "the Maven build has no -Dnative: the image would hold no native executable");
    }

    @Test
    void launchesShouldCapTheHeapAndRunAsNonRoot() throws IOException {
        for (Path file : List.of(NATIVE, JVM)) {
            assertThat(DockerfileRules.heapCapped(read(file))).as(file.toString()).isEmpty();
            assertThat(DockerfileRules.nonRoot(read(file))).as(file.toString()).isEmpty();
        }

        String uncapped = text(NATIVE).replace("-Xmx\\\"${MAX_HEAP_SIZE}\\\" ", "");
        assertThat(DockerfileRules.heapCapped(new Dockerfile(uncapped))).singleElement().asString()
                .endsWith("sets no heap cap (-Xmx or -XX:MaxRAMPercentage)");
        String badDefault = text(JVM).replace("ENV MAX_HEAP_SIZE=512m", "ENV MAX_HEAP_SIZE=half");
        assertThat(DockerfileRules.heapCapped(new Dockerfile(badDefault))).containsExactly(
                "the launch reads MAX_HEAP_SIZE, whose default (ENV) is \"half\", not a size");
        assertThat(DockerfileRules.nonRoot(new Dockerfile(text(NATIVE).replace("USER 1001", "USER root"))))
                .containsExactly("the image runs as root (USER root)");
        assertThat(DockerfileRules.nonRoot(new Dockerfile(text(JVM).replace("USER 185", ""))))
                .containsExactly("the image runs as root (USER not set)");
    }

    @Test
    void nativeEntrypointShouldPassTheHeapCapToTheExecutable(@TempDir Path dir) throws Exception {
        Dockerfile file = read(NATIVE);
        stub(dir.resolve("application"), "printf '%s\\n' \"$@\"");

        String defaults = runEntrypoint(file, dir, Map.of("MAX_HEAP_SIZE", file.last().env("MAX_HEAP_SIZE").orElseThrow()));
        assertThat(defaults.lines()).containsExactly("-Xmx512m", "-Dquarkus.http.host=0.0.0.0");
        String sized = runEntrypoint(file, dir, Map.of("MAX_HEAP_SIZE", "1200m"));
        assertThat(sized.lines()).first().isEqualTo("-Xmx1200m");
    }

    @Test
    void jvmEntrypointShouldPutTheHeapCapInRunJavasOptions(@TempDir Path dir) throws Exception {
        Dockerfile file = read(JVM);
        Path runJava = dir.resolve("run-java.sh");
        stub(runJava, "printf '%s\\n' \"$JAVA_OPTS_APPEND\"");
        Map<String, String> env = Map.of("MAX_HEAP_SIZE", "384m",
                "JAVA_OPTS_APPEND", file.last().env("JAVA_OPTS_APPEND").orElseThrow());

        String options = runEntrypoint(file, dir, env, "/opt/jboss/container/java/run/run-java.sh", runJava.toString());
        assertThat(options.strip()).startsWith("-Xmx384m ").endsWith("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
    }

    /** Runs the last stage's exec-form ENTRYPOINT in {@code dir}, optionally with one path swapped for a stub. */
    private static String runEntrypoint(Dockerfile file, Path dir, Map<String, String> env, String... swap) throws Exception {
        List<String> command = new ArrayList<>();
        for (String word : new ObjectMapper().readValue(file.last().last("ENTRYPOINT").orElseThrow(), String[].class)) {
            command.add(swap.length == 2 ? word.replace(swap[0], swap[1]) : word);
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }

    private static void stub(Path path, String body) throws IOException {
        Files.writeString(path, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Dockerfile read(Path file) throws IOException {
        return new Dockerfile(text(file));
    }

    private static String text(Path file) throws IOException {
        return Files.readString(file);
    }
}
