package io.storefrontsync.sandbox.shopify;

import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What goes wrong with bulk operations, armed through {@code POST /_sim/bulk/faults}: failures with
 * each {@code BulkOperationErrorCode} (and the partial data Shopify keeps), URLs that expire, a
 * download cut mid-line, a finish webhook that never comes, the {@code LIMIT_REACHED} user error.
 */
class BulkOperationFaultTest {

    private static final String QUERY = "{ products { edges { node { id title variants { edges { node { id sku } } } } } } }";
    private static final int PRODUCTS = 20;
    private static final int OBJECTS = PRODUCTS * 4;
    private static SimulatorFixture sim;
    private static HttpServer receiver;
    private static final List<JsonObject> webhooks = new CopyOnWriteArrayList<>();
    private static BulkClient bulk;

    @BeforeAll
    static void start() throws Exception {
        sim = new SimulatorFixture(SimulatorFixture.smallStore(PRODUCTS));
        receiver = sim.vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            webhooks.add(new JsonObject(body.toString(StandardCharsets.UTF_8)));
            request.response().setStatusCode(200).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        bulk = new BulkClient(sim, sim.install().getString("access_token"));
        sim.graphql(bulk.token, "mutation($uri: String!) { webhookSubscriptionCreate(topic: BULK_OPERATIONS_FINISH, "
                        + "webhookSubscription: {uri: $uri}) { userErrors { message } } }",
                new JsonObject().put("uri", "http://127.0.0.1:" + receiver.actualPort() + "/webhooks"));
    }

    @AfterAll
    static void stop() throws Exception {
        receiver.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        sim.close();
    }

    @BeforeEach
    void freshToken() throws Exception {
        bulk.token = sim.install().getString("access_token"); // tests move the clock past token lifetimes
        webhooks.clear();
    }

    private static JsonObject finishWebhook(String operationId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonObject webhook : webhooks) {
                if (webhook.getString("admin_graphql_api_id").equals(operationId)) {
                    return webhook;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no bulk_operations/finish for " + operationId);
    }

    private static void advanceClock(long seconds) throws Exception {
        assertThat(sim.postJson(sim.base() + "/_sim/clock", new JsonObject().put("advanceSeconds", seconds)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void shouldFailWithAccessDeniedAndServeTheLinesWrittenSoFarAsPartialData() throws Exception {
        bulk.arm(new JsonObject().put("kind", "access_denied").put("afterObjects", 7).put("shop", SimulatorFixture.SHOP));
        JsonObject failed = bulk.await(bulk.start(QUERY, false).getString("id"), "FAILED", "COMPLETED");
        assertThat(failed.getString("status")).isEqualTo("FAILED");
        assertThat(failed.getString("errorCode")).isEqualTo("ACCESS_DENIED");
        assertThat(failed.getString("objectCount")).isEqualTo("7");
        assertThat(failed.getValue("url")).isNull();
        assertThat(failed.getValue("fileSize")).isNull();
        assertThat(failed.getValue("completedAt")).isNull();
        var partial = bulk.download(failed.getString("partialDataUrl"));
        assertThat(partial.statusCode()).isEqualTo(200);
        assertThat(partial.body()).endsWith("\n");
        List<JsonObject> lines = BulkClient.lines(partial.body());
        assertThat(lines).hasSize(7);
        assertThat(lines.stream().filter(l -> !l.containsKey("__parentId")).count())
                .isEqualTo(Long.parseLong(failed.getString("rootObjectCount")));

        JsonObject webhook = finishWebhook(failed.getString("id"));
        assertThat(webhook.getString("status")).isEqualTo("failed");
        assertThat(webhook.getString("error_code")).isEqualTo("access_denied");
        assertThat(webhook.getValue("completed_at")).isNull();
    }

    @Test
    void shouldFailWithInternalServerErrorOrTimeoutWithoutPartialDataWhenNothingWasWritten() throws Exception {
        for (String kind : List.of("internal_server_error", "timeout")) {
            bulk.arm(new JsonObject().put("kind", kind).put("afterObjects", 0));
            JsonObject failed = bulk.await(bulk.start(QUERY, false).getString("id"), "FAILED", "COMPLETED");
            assertThat(failed.getString("status")).isEqualTo("FAILED");
            assertThat(failed.getString("errorCode")).isEqualTo(kind.toUpperCase());
            assertThat(failed.getString("objectCount")).isEqualTo("0");
            assertThat(failed.getValue("partialDataUrl")).isNull();
            assertThat(finishWebhook(failed.getString("id")).getString("error_code")).isEqualTo(kind);
        }
        // Faults are used up: the next operation completes.
        assertThat(bulk.await(bulk.start(QUERY, false).getString("id"), "COMPLETED", "FAILED").getString("status"))
                .isEqualTo("COMPLETED");
    }

    @Test
    void shouldStopServingTheFileOnceTheSignedUrlExpires() throws Exception {
        JsonObject done = bulk.await(bulk.start(QUERY, false).getString("id"), "COMPLETED");
        String url = done.getString("url");
        assertThat(bulk.download(url).statusCode()).isEqualTo(200);

        var forged = bulk.download(url.replaceAll("expires=(\\d+)", "expires=9$1"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("<Code>SignatureDoesNotMatch</Code>");
        var unsigned = bulk.download(url.substring(0, url.indexOf('?')));
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body()).contains("<Code>AccessDenied</Code>");
        var unknown = bulk.download(sim.base() + "/_sim/bulk/1.jsonl?expires=1&signature=00");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("<Code>NoSuchKey</Code>");

        long sevenDays = Duration.ofDays(7).toSeconds();
        advanceClock(sevenDays + 1);
        try {
            var expired = bulk.download(url);
            assertThat(expired.statusCode()).isEqualTo(403);
            assertThat(expired.headers().firstValue("Content-Type")).contains("application/xml");
            assertThat(expired.body()).contains("<Code>AccessDenied</Code>").contains("<Message>Request has expired</Message>");
            bulk.token = sim.install().getString("access_token");
            JsonObject later = bulk.operation(done.getString("id"));
            assertThat(later.getString("status")).isEqualTo("EXPIRED");
            assertThat(later.getValue("url")).isNull();
        } finally {
            advanceClock(-(sevenDays + 1));
        }
    }

    @Test
    void shouldExpireEarlyWhenArmed() throws Exception {
        bulk.arm(new JsonObject().put("kind", "expired").put("afterSeconds", 0));
        JsonObject expired = bulk.await(bulk.start(QUERY, false).getString("id"), "EXPIRED", "COMPLETED");
        assertThat(expired.getString("status")).isEqualTo("EXPIRED");
        assertThat(expired.getValue("url")).isNull();
        assertThat(finishWebhook(expired.getString("id")).getString("status")).isEqualTo("completed");

        bulk.arm(new JsonObject().put("kind", "expired").put("afterSeconds", 60));
        JsonObject done = bulk.await(bulk.start(QUERY, false).getString("id"), "COMPLETED", "EXPIRED");
        assertThat(done.getString("status")).isEqualTo("COMPLETED");
        advanceClock(61);
        try {
            assertThat(bulk.download(done.getString("url")).statusCode()).isEqualTo(403);
            assertThat(bulk.operation(done.getString("id")).getString("status")).isEqualTo("EXPIRED");
        } finally {
            advanceClock(-61);
        }
    }

    @Test
    void shouldCutOneDownloadMidLineAndServeTheRestByRange() throws Exception {
        JsonObject done = bulk.await(bulk.start(QUERY, false).getString("id"), "COMPLETED");
        String full = bulk.download(done.getString("url")).body();
        long size = Long.parseLong(done.getString("fileSize"));
        assertThat(full.getBytes(StandardCharsets.UTF_8)).hasSize((int) size);

        bulk.arm(new JsonObject().put("kind", "cut_download"));
        HttpResponse<InputStream> cut = sim.http.send(HttpRequest.newBuilder(URI.create(done.getString("url"))).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(cut.statusCode()).isEqualTo(200);
        assertThat(cut.headers().firstValueAsLong("Content-Length")).hasValue(size);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        boolean broke = false;
        try (InputStream in = cut.body()) {
            byte[] buffer = new byte[4096];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        } catch (IOException e) {
            broke = true;
        }
        byte[] got = received.toByteArray();
        assertThat(broke).as("the client sees the connection break").isTrue();
        assertThat((long) got.length).isBetween(size / 2 - 1, size / 2);
        assertThat(got[got.length - 1]).as("cut inside a line").isNotEqualTo((byte) '\n');
        String prefix = new String(got, StandardCharsets.UTF_8);
        assertThat(full).startsWith(prefix);

        HttpResponse<String> rest = sim.http.send(HttpRequest.newBuilder(URI.create(done.getString("url")))
                .header("Range", "bytes=" + got.length + "-").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(rest.statusCode()).isEqualTo(206);
        assertThat(rest.headers().firstValue("Content-Range")).hasValue("bytes " + got.length + "-" + (size - 1) + "/" + size);
        assertThat(prefix + rest.body()).isEqualTo(full);

        bulk.arm(new JsonObject().put("kind", "cut_download").put("bytes", 10));
        HttpResponse<InputStream> ten = sim.http.send(HttpRequest.newBuilder(URI.create(done.getString("url"))).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        ByteArrayOutputStream tenBytes = new ByteArrayOutputStream();
        try (InputStream in = ten.body()) {
            in.transferTo(tenBytes);
        } catch (IOException expected) {
            // the break
        }
        assertThat(tenBytes.size()).isEqualTo(10);
        assertThat(bulk.download(done.getString("url")).body()).as("one download cut, the next whole").isEqualTo(full);
    }

    @Test
    void shouldNeverSendTheFinishWebhookWhenArmed() throws Exception {
        bulk.arm(new JsonObject().put("kind", "no_webhook"));
        String silent = bulk.await(bulk.start(QUERY, false).getString("id"), "COMPLETED").getString("id");
        String heard = bulk.await(bulk.start(QUERY, false).getString("id"), "COMPLETED").getString("id");
        finishWebhook(heard);
        assertThat(webhooks).extracting(w -> w.getString("admin_graphql_api_id")).doesNotContain(silent);
        assertThat(BulkOperationLifecycleTest.webhookOutcome(bulk, silent)).isEqualTo("suppressed");
    }

    @Test
    void shouldAnswerLimitReachedWhenArmed() throws Exception {
        bulk.arm(new JsonObject().put("kind", "limit_reached"));
        JsonObject refused = bulk.run(QUERY, false);
        assertThat(refused.getValue("bulkOperation")).isNull();
        JsonObject error = refused.getJsonArray("userErrors").getJsonObject(0);
        assertThat(error.getString("code")).isEqualTo("LIMIT_REACHED");
        assertThat(error.getString("message")).isEqualTo("Bulk operations limit reached. Please try again later.");
        bulk.await(bulk.start(QUERY, false).getString("id"), "COMPLETED");
    }

    @Test
    void shouldRefuseMalformedFaultsAndPaces() throws Exception {
        assertThat(sim.postJson(sim.base() + "/_sim/bulk/faults", new JsonObject().put("kind", "meltdown")).statusCode())
                .isEqualTo(400);
        assertThat(sim.postJson(sim.base() + "/_sim/bulk/faults", new JsonObject().put("kind", "timeout")
                .put("shop", "nowhere")).statusCode()).isEqualTo(404);
        assertThat(sim.postJson(sim.base() + "/_sim/bulk/pace", new JsonObject().put("objectsPerSecond", -1)).statusCode())
                .isEqualTo(400);
        assertThat(sim.postJson(sim.base() + "/_sim/bulk/pace", new JsonObject().put("objectsPerSecond", "fast")).statusCode())
                .isEqualTo(400);
    }
}
