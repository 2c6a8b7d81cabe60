package io.storefrontsync.worker.facebook;

import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.worker.job.PermanentJobFailure;

/**
 * Graph refused the Page token (code 190: expired, revoked, password changed, app removed). Retrying
 * cannot help; only the merchant logging in with Facebook again gives the gateway a new token. The job
 * goes dead at once with this as its last error, and the page is flagged as needing login.
 */
public class PageTokenRejectedException extends PermanentJobFailure {

    private static final long serialVersionUID = 1L;

    PageTokenRejectedException(PageId page, GraphRequestException cause) {
        super("page token invalid (code " + cause.code() + (cause.subcode() == null ? "" : ", subcode " + cause.subcode())
                + ") for page " + page + ": the merchant must log in with Facebook again. " + cause.getMessage(), true);
    }
}
