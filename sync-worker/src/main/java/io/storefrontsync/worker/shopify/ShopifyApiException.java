package io.storefrontsync.worker.shopify;

import java.util.Locale;

/**
 * A Shopify Admin API call that did not give data. Messages name the shop and what went wrong,
 * never a token: they end up in the job's {@code last_error}.
 */
public class ShopifyApiException extends RuntimeException {

    public ShopifyApiException(String message) {
        super(message);
    }

    public ShopifyApiException(String message, Throwable cause) {
        super(message, cause);
    }

    /** 401: the access token expired or was revoked. Not retried here; the gateway refreshes tokens and the job retry picks up the new one. */
    public static final class Unauthorized extends ShopifyApiException {
        public Unauthorized(String message) {
            super(message);
        }
    }

    /** 5xx, a dropped connection, a timeout, or rate limits that would not end: worth trying again later. */
    public static final class Transient extends ShopifyApiException {
        public Transient(String message) {
            super(message);
        }

        public Transient(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** THROTTLED or 429: wait this long, then send the same query again. */
    static final class RateLimited extends ShopifyApiException {
        final long waitMillis;

        RateLimited(String message, long waitMillis) {
            super(message);
            this.waitMillis = waitMillis;
        }

        /** The metrics label: {@code throttled} or {@code 429}. */
        String reason() {
            return getMessage().toLowerCase(Locale.ROOT);
        }
    }
}
