package io.storefrontsync.worker.shopify.bulk;

import io.storefrontsync.worker.job.PermanentJobFailure;

/**
 * Shopify ended the bulk operation {@code FAILED} with {@code ACCESS_DENIED}: the app's token lacks a scope the
 * catalog query reads. Retrying cannot help; the merchant must approve the scopes again (a reinstall, which sends
 * {@code app/installed} and clears the flag). The job goes dead at once and the shop is flagged in
 * {@code worker.connection_health}, so the daily poll and {@code POST /resync} leave it alone until then.
 */
public class ShopifyPermissionDenied extends PermanentJobFailure {

    private static final long serialVersionUID = 1L;

    ShopifyPermissionDenied(String message) {
        super(message, true);
    }
}
