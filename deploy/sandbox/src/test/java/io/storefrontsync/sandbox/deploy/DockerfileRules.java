package io.storefrontsync.sandbox.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What our images must be, checked on a parsed {@link Dockerfile}: the builder pinned to one release, one
 * service built per image (its Maven reactor holds no other Quarkus application), the heap capped at launch,
 * a non-root user. Each rule returns its faults, so a test can feed it a broken copy and see the fault named.
 */
final class DockerfileRules {

    static final List<String> SERVICES = List.of("oauth-gateway", "sync-worker");
    /** A release: numbers and a build or release suffix ({@code 23.1.8.0-Final-java21}, {@code 1.21-2}); never {@code jdk-21}. */
    private static final Pattern RELEASE_TAG = Pattern.compile("\\d+(\\.\\d+)+-[A-Za-z0-9][A-Za-z0-9._-]*");

    private DockerfileRules() {
    }

    static List<String> pinnedBuilders(Dockerfile file) {
        List<String> faults = new ArrayList<>();
        for (Dockerfile.Stage stage : file.builders()) {
            String image = stage.image();
            if (image.contains("@sha256:")) {
                continue;
            }
            int slash = image.lastIndexOf('/');
            int colon = image.lastIndexOf(':');
            String tag = colon > slash ? image.substring(colon + 1) : "latest";
            if (!RELEASE_TAG.matcher(tag).matches()) {
                faults.add("stage " + stage.name() + ": builder image " + image + " is not pinned to one release (tag "
                        + tag + " moves)");
            }
        }
        return faults;
    }

    /** Every service's image builds that service and no other Quarkus application, from modules it copies. */
    static List<String> oneServicePerImage(Dockerfile file, MavenReactor reactor, boolean nativeBuild) {
        List<String> faults = new ArrayList<>();
        List<String> build = null;
        List<String> copied = new ArrayList<>();
        for (Dockerfile.Stage stage : file.builders()) {
            for (String copy : stage.all("COPY")) {
                List<String> words = new ArrayList<>(Arrays.stream(copy.split("\\s+")).filter(w -> !w.startsWith("--")).toList());
                words.remove(words.size() - 1);
                words.stream().map(w -> w.replaceAll("/$", "")).forEach(copied::add);
            }
            for (String run : stage.all("RUN")) {
                if (run.contains("mvnw ") || run.contains("mvn ")) {
                    build = Arrays.stream(run.split("\\s+")).map(w -> w.replace("\"", "").replace("'", "")).toList();
                }
            }
        }
        if (build == null) {
            return List.of("no stage runs Maven");
        }
        if (nativeBuild && !build.contains("-Dnative")) {
            faults.add("the Maven build has no -Dnative: the image would hold no native executable");
        }
        for (String module : reactor.moduleDirs()) {
            if (!copied.contains(module) && !copied.contains(module + "/pom.xml") && !copied.contains(".")) {
                faults.add("module " + module + " of the root pom is not copied: Maven stops before building anything"
                        + " (child module does not exist)");
            }
        }
        int pl = build.indexOf("-pl");
        boolean alsoMake = build.contains("-am") || build.contains("--also-make");
        for (String service : SERVICES) {
            List<String> selected = pl < 0 ? List.of()
                    : List.of(build.get(pl + 1).replace("${SERVICE}", service).replace("$SERVICE", service).split(","));
            Set<String> built = reactor.selection(selected, alsoMake);
            Set<String> apps = reactor.quarkusApps(built);
            if (!apps.equals(Set.of(service))) {
                faults.add("SERVICE=" + service + " builds the applications " + apps + " (modules " + built + ")");
            }
            for (String module : built) {
                if (!copied.contains(module) && !copied.contains(".")) {
                    faults.add("SERVICE=" + service + " builds " + module + ", whose sources are not copied");
                }
            }
        }
        return faults;
    }

    static List<String> heapCapped(Dockerfile file) {
        Dockerfile.Stage run = file.last();
        String launch = run.last("ENTRYPOINT").orElse("") + " " + run.last("CMD").orElse("");
        if (!launch.contains("-Xmx") && !launch.contains("MaxRAMPercentage")) {
            return List.of("the launch (" + launch.strip() + ") sets no heap cap (-Xmx or -XX:MaxRAMPercentage)");
        }
        if (launch.contains("MAX_HEAP_SIZE")) {
            String heap = run.env("MAX_HEAP_SIZE").orElse("");
            if (AppSpecRules.bytes(heap).isEmpty()) {
                return List.of("the launch reads MAX_HEAP_SIZE, whose default (ENV) is \"" + heap + "\", not a size");
            }
        }
        return List.of();
    }

    static List<String> nonRoot(Dockerfile file) {
        String user = file.last().last("USER").orElse("");
        String name = user.split(":")[0];
        if (name.isEmpty() || name.equals("root") || name.equals("0")) {
            return List.of("the image runs as root (USER " + (user.isEmpty() ? "not set" : user) + ")");
        }
        return List.of();
    }
}
