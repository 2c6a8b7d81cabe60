package io.storefrontsync.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.common.signature.MetaSignatureVerifier;
import io.storefrontsync.common.signature.SignatureVerificationException;
import io.storefrontsync.common.validation.InvalidInputException;
import io.storefrontsync.common.validation.PageId;
import jakarta.ws.rs.core.HttpHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Meta Page webhook delivery whose {@code X-Hub-Signature-256} was checked over the raw bytes, split into its
 * entries. Order: no body → 400; no SHA-256 signature (even with the legacy SHA-1 {@code X-Hub-Signature}) or a
 * wrong one → 401; then not JSON → 400, {@code object} other than {@code page} → 400. A delivery that fails the
 * signature is never parsed.
 */
public record FacebookWebhook(List<Entry> entries) {

    public static final String SIGNATURE_256 = "X-Hub-Signature-256";
    public static final String SIGNATURE_SHA1 = "X-Hub-Signature";
    private static final Pattern FIELD = Pattern.compile("[a-z0-9_]{1,48}");
    /** Meta's {@code time} is in seconds on Page changes and in milliseconds on messaging entries. */
    private static final long MILLIS_THRESHOLD = 100_000_000_000L;

    /**
     * One entry: one Page, one event.
     *
     * @param pageId null when the entry's id is not a Page id (logged and ignored)
     * @param digest SHA-256 hex of (entry id, time, canonical changes): the same change delivered twice has the
     *     same digest
     */
    public record Entry(PageId pageId, String rawId, String topic, Instant occurredAt, String digest) {

        public String dedupeKey() {
            return "facebook:" + digest;
        }

        public String eventId() {
            return "fb:" + digest;
        }
    }

    /**
     * @throws WebhookRejectedException 400 or 401 with a reason usable as a metric label
     */
    public static FacebookWebhook verify(byte[] body, HttpHeaders headers, String appSecret) {
        if (body == null || body.length == 0) {
            throw new WebhookRejectedException(400, "missing_body", "No body was received with the webhook");
        }
        String signature = header(headers, SIGNATURE_256);
        if (signature == null) {
            if (header(headers, SIGNATURE_SHA1) != null) {
                throw new WebhookRejectedException(401, "sha1_only", SIGNATURE_256
                        + " header is missing; the SHA-1 " + SIGNATURE_SHA1 + " alone is not accepted");
            }
            throw new WebhookRejectedException(401, "missing_signature", SIGNATURE_256 + " header is missing");
        }
        try {
            MetaSignatureVerifier.verify(body, signature, appSecret);
        } catch (SignatureVerificationException e) {
            throw new WebhookRejectedException(401, "invalid_signature", "Could not validate the webhook signature: "
                    + e.getMessage());
        }
        JsonNode root;
        try {
            root = CanonicalJson.parse(body);
        } catch (IllegalArgumentException e) {
            throw new WebhookRejectedException(400, "malformed_json", "The webhook body is not valid JSON");
        }
        if (!root.isObject() || !"page".equals(root.path("object").asText(null))) {
            throw new WebhookRejectedException(400, "unsupported_object",
                    "Only Page webhooks (\"object\": \"page\") are accepted");
        }
        JsonNode entries = root.path("entry");
        if (!entries.isArray()) {
            throw new WebhookRejectedException(400, "malformed_payload", "\"entry\" must be an array");
        }
        List<Entry> parsed = new ArrayList<>();
        entries.forEach(entry -> parsed.add(entry(entry)));
        return new FacebookWebhook(parsed);
    }

    private static Entry entry(JsonNode entry) {
        String rawId = entry.path("id").isValueNode() ? entry.path("id").asText() : "";
        long time = entry.path("time").asLong(0);
        JsonNode changes = entry.path("changes");
        String field = changes.isArray() && !changes.isEmpty() ? changes.get(0).path("field").asText("") : "";
        String topic = FIELD.matcher(field).matches() ? "page/" + field : "page/update";
        // Entries without "changes" (Messenger's "messaging") are identified by their whole content.
        String content = CanonicalJson.canonicalString(changes.isMissingNode() ? entry : changes);
        String digest = CanonicalJson.sha256Hex((rawId + "\n" + time + "\n" + content).getBytes(StandardCharsets.UTF_8));
        return new Entry(pageIdOrNull(rawId), rawId, topic, occurredAt(time), digest);
    }

    private static PageId pageIdOrNull(String rawId) {
        try {
            return new PageId(rawId);
        } catch (InvalidInputException e) {
            return null;
        }
    }

    private static Instant occurredAt(long time) {
        if (time <= 0) {
            return null;
        }
        return time >= MILLIS_THRESHOLD ? Instant.ofEpochMilli(time) : Instant.ofEpochSecond(time);
    }

    private static String header(HttpHeaders headers, String name) {
        String value = headers.getHeaderString(name);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
