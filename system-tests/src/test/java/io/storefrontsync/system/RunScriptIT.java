package io.storefrontsync.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefrontsync.sandbox.DemoShop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's run command as a newcomer uses it: {@code deploy/sandbox/run.sh} is started as a
 * process, and the commands of the walkthrough it prints are run exactly as printed (only the
 * {@code <placeholders>} filled in): install, Facebook, watch the JSON land, fire webhooks, mint an
 * admin token, resync, read the job. Then Ctrl-C (SIGINT) must stop everything it started, and a
 * second run must find the data of the first.
 * <p>
 * The script runs in its own sandbox directory with every port shifted ({@code SANDBOX_DIR},
 * {@code SANDBOX_PORT_OFFSET}) so it never touches a developer's {@code .sandbox}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunScriptIT {

    /** The store run.sh's walkthrough installs. */
    private static final String SHOP = DemoShop.DOMAIN;
    private static Path root;
    private static Path sandbox;
    private static int offset;
    private static String userId;

    @BeforeAll
    static void prepare() throws IOException {
        root = RunScript.root();
        sandbox = RunScript.freshSandbox("run-sh-sandbox");
        offset = RunScript.freeOffset(300);
    }

    @AfterAll
    static void cleanUp() {
        RunScript.stopAll();
    }

    @Test
    @Order(1)
    void theWalkthroughShouldWorkAsPrinted() throws Exception {
        try (RunScript run = RunScript.start(root, sandbox, offset)) {
            Walkthrough walkthrough = Walkthrough.parse(run.output());

            // 1. install: the answer names the user and says the first sync succeeded.
            JsonNode install = SystemClient.JSON.readTree(run.shell(walkthrough.command(1, 0)));
            assertThat(install.path("sync_result").path("status").asText()).as(install.toString()).isEqualTo("success");
            assertThat(install.path("webhook_result").path("status").asText()).isEqualTo("success");
            userId = install.path("user_uuid").asText();
            assertThat(userId).matches("[0-9a-f-]{36}");

            // Every URL and port printed, and every one of the world's settings, is shifted by the offset.
            assertThat(RunScript.unshifted(run.output(), offset)).as(run.output()).isEmpty();
            String env = run.envFile();
            assertThat(RunScript.unshifted(env, offset)).as(env).isEmpty();
            for (int port : new int[] {8080, 8081, 8090, 8091, 9000, 55432}) {
                assertThat(env).as("the env file names port " + (port + offset)).contains("127.0.0.1:" + (port + offset));
            }
            assertThat(run.output()).contains("http://127.0.0.1:" + (8080 + offset) + "/shopify/demo-shop/login")
                    .contains("http://127.0.0.1:" + (8081 + offset) + "/resync");

            // The printed management URLs answer; /q/* on the public ports does not.
            assertThat(run.output()).contains("http://127.0.0.1:" + (9080 + offset) + "/q/metrics")
                    .contains("http://127.0.0.1:" + (9081 + offset) + "/q/metrics");
            for (int port : new int[] {8080, 8081}) {
                assertThat(run.shell("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:" + (port + offset) + "/q/metrics"))
                        .as("public port %d", port).isEqualTo("404");
                assertThat(run.shell("curl -fsS http://127.0.0.1:" + (port + 1000 + offset) + "/q/metrics"))
                        .contains("jvm_memory_used_bytes");
            }

            // 3. the JSON lands where the walkthrough says: every product of the simulated store.
            String find = walkthrough.command(3, 0);
            Path products = root.resolve(awaitListed(run, find, "/shopify/" + SHOP + "/shop_products.json"));
            assertThat(products.toString()).contains("/users/" + userId + "/");
            int storeSize = simulatorProducts(run).size();
            assertThat(storeSize).isGreaterThanOrEqualTo(600);
            SystemClient.await("all " + storeSize + " products in " + products, Duration.ofMinutes(2),
                    () -> productCount(products) == storeSize);

            // 2. Facebook: both Pages of the simulated user land under the same uuid.
            JsonNode connect = SystemClient.JSON.readTree(run.shell(walkthrough.command(2, 0)));
            assertThat(connect.toString()).doesNotContain("access_token");
            SystemClient.await("two page_data.json", Duration.ofMinutes(1),
                    () -> listed(run, find, "/page_data.json").size() == 2);
            List<String> pages = listed(run, find, "/page_data.json");
            assertThat(pages).allMatch(p -> p.contains("/users/" + userId + "/facebook/"));

            // 4. webhooks: the store's change reaches the object; then a Page's.
            byte[] before = Files.readAllBytes(products);
            run.shell(walkthrough.command(4, 0));
            SystemClient.await("the changed store in " + products, Duration.ofMinutes(1), () -> {
                try {
                    return StoreComparison.differences(simulatorProducts(run), Optional.of(Files.readAllBytes(products)))
                            .isEmpty();
                } catch (IOException e) {
                    return false;
                }
            });
            assertThat(Files.readAllBytes(products)).isNotEqualTo(before);

            Path page = root.resolve(pages.get(0));
            String pageId = page.getParent().getFileName().toString();
            byte[] pageBefore = Files.readAllBytes(page);
            run.shell(walkthrough.command(4, 1).replace("<page_id>", pageId));
            SystemClient.await("the changed Page in " + page, Duration.ofMinutes(1),
                    () -> !java.util.Arrays.equals(read(page), pageBefore));

            // 5. operator: admin token, resync of the user, the job's status.
            List<String> operator = walkthrough.commands(5);
            String resync = run.shell(String.join("\n", operator.subList(0, 3)).replace("<user_uuid from step 1>", userId));
            JsonNode accepted = SystemClient.JSON.readTree(resync);
            List<String> jobIds = new ArrayList<>();
            accepted.path("jobs").forEach(job -> jobIds.add(job.path("id").asText()));
            assertThat(jobIds).as(resync).hasSize(3).allMatch(id -> id.matches("[0-9a-f-]{36}"));
            String jobScript = String.join("\n", operator.get(0), operator.get(1), operator.get(3))
                    .replace("<job id>", jobIds.get(0));
            SystemClient.await("job " + jobIds.get(0) + " succeeded", Duration.ofMinutes(2),
                    () -> run.shellQuietly(jobScript).contains("\"succeeded\""));
            assertThat(run.shell(jobScript)).doesNotContain("access_token").doesNotContain("shpat_");

            // Ctrl-C stops every process the script started.
            List<ProcessHandle> started = run.descendants();
            assertThat(started).hasSizeGreaterThanOrEqualTo(3);
            int exit = run.interrupt();
            assertThat(exit).isEqualTo(130);
            SystemClient.await("every started process gone", Duration.ofSeconds(30),
                    () -> started.stream().noneMatch(ProcessHandle::isAlive));
            for (int port : RunScript.BASE_PORTS) {
                assertThat(listening(port + offset)).as("port " + (port + offset) + " released").isFalse();
            }
        }
    }

    @Test
    @Order(2)
    void aSecondRunShouldReuseTheData() throws Exception {
        assertThat(userId).as("the first run installed the store").isNotNull();
        try (RunScript run = RunScript.start(root, sandbox, offset)) {
            Walkthrough walkthrough = Walkthrough.parse(run.output());
            // The objects of the first run are still there before anything happens.
            assertThat(listed(run, walkthrough.command(3, 0), "/shop_products.json")).singleElement()
                    .asString().contains("/users/" + userId + "/");
            // Installing again (the simulator forgot its tokens) keeps the merchant's uuid.
            JsonNode install = SystemClient.JSON.readTree(run.shell(walkthrough.command(1, 0)));
            assertThat(install.path("user_uuid").asText()).isEqualTo(userId);
            assertThat(run.interrupt()).isEqualTo(130);
        }
    }

    private static String awaitListed(RunScript run, String find, String suffix) throws InterruptedException {
        SystemClient.await(suffix + " listed by the walkthrough's find", Duration.ofMinutes(2),
                () -> !listed(run, find, suffix).isEmpty());
        return listed(run, find, suffix).get(0);
    }

    private static List<String> listed(RunScript run, String find, String suffix) {
        return run.shellQuietly(find).lines().filter(l -> l.endsWith(suffix)).toList();
    }

    private static JsonNode simulatorProducts(RunScript run) throws IOException {
        String url = "http://127.0.0.1:" + (8090 + offset) + "/_sim/shops/" + SHOP + "/products";
        return SystemClient.JSON.readTree(run.shell("curl -fsS " + url)).path("products");
    }

    private static int productCount(Path products) {
        try {
            return SystemClient.JSON.readTree(products.toFile()).path("products").size();
        } catch (IOException e) {
            return -1;
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** The copy-paste commands of the printed walkthrough, by step: lines indented by six spaces, with their continuations. */
    record Walkthrough(List<List<String>> steps) {

        private static final Pattern STEP = Pattern.compile("^ (\\d)\\. ");

        static Walkthrough parse(String output) {
            List<List<String>> steps = new ArrayList<>();
            boolean inside = false;
            boolean continuation = false;
            for (String line : output.lines().toList()) {
                if (line.startsWith("Walkthrough")) {
                    inside = true;
                    continue;
                }
                if (!inside) {
                    continue;
                }
                Matcher step = STEP.matcher(line);
                if (step.find()) {
                    steps.add(new ArrayList<>());
                    continuation = false;
                } else if (continuation) {
                    List<String> commands = steps.get(steps.size() - 1);
                    commands.set(commands.size() - 1, commands.get(commands.size() - 1) + "\n" + line);
                    continuation = line.endsWith("\\");
                } else if (!steps.isEmpty() && line.startsWith("      ") && !line.startsWith("       ")) {
                    steps.get(steps.size() - 1).add(line.strip());
                    continuation = line.endsWith("\\");
                }
            }
            assertThat(steps).as("walkthrough steps in:\n" + output).hasSizeGreaterThanOrEqualTo(5);
            return new Walkthrough(steps);
        }

        List<String> commands(int step) {
            return steps.get(step - 1);
        }

        String command(int step, int index) {
            List<String> commands = commands(step);
            assertThat(commands).as("commands of step " + step).hasSizeGreaterThan(index);
            return commands.get(index);
        }
    }
}
