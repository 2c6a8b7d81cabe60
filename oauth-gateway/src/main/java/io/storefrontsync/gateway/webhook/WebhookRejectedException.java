package io.storefrontsync.gateway.webhook;

import io.storefrontsync.gateway.error.ApiException;

/** A webhook delivery refused before anything was stored; {@link #error()} is the metric's reason label. */
public class WebhookRejectedException extends ApiException {

    private static final long serialVersionUID = 1L;

    public WebhookRejectedException(int status, String reason, String message) {
        super(status, reason, message);
    }
}
