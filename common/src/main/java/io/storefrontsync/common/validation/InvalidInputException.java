package io.storefrontsync.common.validation;

/**
 * Client input that fails validation. The message ({@code "<field>: <reason>"}) is safe to return
 * to the client: a reason quotes the bad input only through {@link #preview(String)}.
 */
public class InvalidInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final int PREVIEW_LENGTH = 40;

    private final String field;
    private final String reason;

    public InvalidInputException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }

    /**
     * A quoted, truncated copy of untrusted input in which anything but ASCII letters, digits and
     * {@code . - _ : / @ %} is replaced by {@code ?}, so it cannot inject markup, control characters
     * or look-alike letters into a response or a log line.
     */
    public static String preview(String input) {
        if (input == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("'");
        int limit = Math.min(input.length(), PREVIEW_LENGTH);
        for (int i = 0; i < limit; i++) {
            char c = input.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || ".-_:/@%".indexOf(c) >= 0;
            sb.append(safe ? c : '?');
        }
        if (input.length() > PREVIEW_LENGTH) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }
}
