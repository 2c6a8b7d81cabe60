package io.storefrontsync.system;

import io.storefrontsync.sandbox.testing.EndToEndSystem;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP request of the hostile-input corpus, immutable so a table row can derive variants
 * ({@code valid.with(header, forged)}). The path is sent exactly as written: percent-encoded
 * characters ({@code %2F}, {@code %2e%2e}) reach the server still encoded, as an attacker would send them.
 */
final class Probe {

    enum Service { GATEWAY, WORKER }

    private static final int LARGE = 1024 * 1024;

    private final Service service;
    private final String method;
    private final String path;
    private final Map<String, String> headers;
    private final byte[] body;

    private Probe(Service service, String method, String path, Map<String, String> headers, byte[] body) {
        this.service = service;
        this.method = method;
        this.path = path;
        this.headers = headers;
        this.body = body;
    }

    static Probe gateway(String method, String path) {
        return new Probe(Service.GATEWAY, method, path, Map.of(), null);
    }

    static Probe worker(String method, String path) {
        return new Probe(Service.WORKER, method, path, Map.of(), null);
    }

    Probe with(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Probe(service, method, path, copy, body);
    }

    Probe without(String name) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.remove(name);
        return new Probe(service, method, path, copy, body);
    }

    Probe body(byte[] bytes) {
        return new Probe(service, method, path, headers, bytes);
    }

    Probe body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    Probe json(String text) {
        return with("Content-Type", "application/json").body(text);
    }

    Probe form(String text) {
        return with("Content-Type", "application/x-www-form-urlencoded").body(text);
    }

    Probe bearer(String token) {
        return with("Authorization", "Bearer " + token);
    }

    Probe cookie(String cookie) {
        return with("Cookie", cookie);
    }

    HttpRequest toRequest(EndToEndSystem system) {
        String base = service == Service.GATEWAY ? system.gateway().url() : system.worker().url();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        if (body != null && body.length > LARGE) {
            // The server answers 413 on the headers alone; without 100-continue that answer races the upload
            // and the client may only see the connection closed under it.
            request.expectContinue(true);
        }
        return request.build();
    }

    @Override
    public String toString() {
        return method + " " + service.name().toLowerCase() + path;
    }
}
