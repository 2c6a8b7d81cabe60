package io.storefrontsync.worker.job;

/** What a job syncs; the database spelling is {@link #dbValue()}. */
public enum TargetKind {
    SHOPIFY_SHOP("shopify_shop"),
    FACEBOOK_PAGE("facebook_page");

    private final String dbValue;

    TargetKind(String dbValue) {
        this.dbValue = dbValue;
    }

    public String dbValue() {
        return dbValue;
    }

    public static TargetKind fromDb(String value) {
        for (TargetKind kind : values()) {
            if (kind.dbValue.equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown target kind " + value);
    }
}
