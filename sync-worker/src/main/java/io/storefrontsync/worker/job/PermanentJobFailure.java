package io.storefrontsync.worker.job;

/**
 * A failure that retrying cannot fix (e.g. Facebook refused the stored Page token: only the
 * merchant logging in again helps). The queue marks the job dead at once instead of retrying it.
 */
public class PermanentJobFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PermanentJobFailure(String message) {
        super(message, null, false, false);
    }
}
