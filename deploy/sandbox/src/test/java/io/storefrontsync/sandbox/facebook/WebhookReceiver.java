package io.storefrontsync.sandbox.facebook;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** A stand-in for the gateway's /facebook/webhook: answers the verification GET and records signed POSTs. */
final class WebhookReceiver implements AutoCloseable {

    record Received(Map<String, String> headers, byte[] body) {
    }

    final Queue<Received> posts = new ConcurrentLinkedQueue<>();
    final Queue<Integer> postStatuses = new ConcurrentLinkedQueue<>();
    final AtomicBoolean echoWrongChallenge = new AtomicBoolean();
    volatile String expectedVerifyToken;
    private final HttpServer server;

    WebhookReceiver(Vertx vertx, String expectedVerifyToken) throws Exception {
        this.expectedVerifyToken = expectedVerifyToken;
        this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/facebook/webhook";
    }

    private void handle(HttpServerRequest request) {
        if (request.method().name().equals("GET")) {
            boolean ok = "subscribe".equals(request.getParam("hub.mode"))
                    && expectedVerifyToken.equals(request.getParam("hub.verify_token"));
            if (!ok) {
                request.response().setStatusCode(403).end();
                return;
            }
            String challenge = request.getParam("hub.challenge");
            request.response().putHeader("content-type", "text/plain")
                    .end(echoWrongChallenge.get() ? challenge + "0" : challenge);
            return;
        }
        request.body().onSuccess((Buffer body) -> {
            Map<String, String> headers = new java.util.HashMap<>();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
            posts.add(new Received(headers, body.getBytes()));
            Integer status = postStatuses.poll();
            request.response().setStatusCode(status == null ? 200 : status).end();
        });
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
