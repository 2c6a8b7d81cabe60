package io.storefrontsync.worker.job;

import io.storefrontsync.common.validation.InvalidInputException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a page of {@code GET /jobs} ended: the last job's {@code created_at} (microseconds, PostgreSQL's precision)
 * and id, as opaque base64url text. A keyset, not an offset: jobs created meanwhile neither repeat nor shift a page.
 */
public record JobCursor(OffsetDateTime createdAt, UUID id) {

    private static final Pattern TEXT = Pattern.compile("(-?\\d{1,19})\\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
    private static final int MAX_LENGTH = 100;

    static JobCursor after(SyncJob job) {
        return new JobCursor(job.createdAt(), job.id());
    }

    public String encode() {
        Instant at = createdAt.toInstant();
        long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((micros + "." + id).getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws InvalidInputException (field {@code cursor}) for anything {@link #encode} did not make */
    public static JobCursor decode(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            throw invalid(text);
        }
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw invalid(text);
        }
        Matcher matcher = TEXT.matcher(plain);
        if (!matcher.matches()) {
            throw invalid(text);
        }
        long micros;
        try {
            micros = Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
        Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
        return new JobCursor(at.atOffset(ZoneOffset.UTC), UUID.fromString(matcher.group(2)));
    }

    private static InvalidInputException invalid(String text) {
        return new InvalidInputException("cursor", "not a cursor this API gave: " + InvalidInputException.preview(text));
    }
}
