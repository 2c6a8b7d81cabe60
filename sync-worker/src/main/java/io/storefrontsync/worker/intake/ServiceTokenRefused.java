package io.storefrontsync.worker.intake;

/** A signed service token used for another body, without a jti, or a second time: answered 401. */
public class ServiceTokenRefused extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ServiceTokenRefused(String message) {
        super(message, null, false, false);
    }
}
