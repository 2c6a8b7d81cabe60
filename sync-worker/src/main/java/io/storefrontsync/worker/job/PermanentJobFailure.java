package io.storefrontsync.worker.job;

/**
 * A failure that retrying cannot fix (e.g. Facebook refused the stored Page token: only the
 * merchant logging in again helps). The queue marks the job dead at once instead of retrying it,
 * and when {@link #needsLogin()} also flags the target in {@link ConnectionHealth} so that nothing
 * enqueues it again until the merchant logs in.
 */
public class PermanentJobFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean needsLogin;

    public PermanentJobFailure(String message) {
        this(message, false);
    }

    protected PermanentJobFailure(String message, boolean needsLogin) {
        super(message, null, false, false);
        this.needsLogin = needsLogin;
    }

    /** The target's stored credentials were refused: only a new login (a fresh connection event) helps. */
    public boolean needsLogin() {
        return needsLogin;
    }
}
