package io.storefrontsync.gateway.error;

/**
 * A request the gateway refuses on purpose, with the status to answer. The message is sent to the
 * client, so it must not contain secrets or echo unfiltered input.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;

    public ApiException(int status, String error, String message) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
