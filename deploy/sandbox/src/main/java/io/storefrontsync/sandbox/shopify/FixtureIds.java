package io.storefrontsync.sandbox.shopify;

/** Shopify global ids: {@code gid://shopify/<Type>/<number>[?query]}. */
final class FixtureIds {

    private FixtureIds() {
    }

    static String gid(String type, long id) {
        return "gid://shopify/" + type + "/" + id;
    }

    static long numeric(String gid) {
        int end = gid.indexOf('?');
        if (end < 0) {
            end = gid.length();
        }
        int start = gid.lastIndexOf('/', end - 1) + 1;
        try {
            return Long.parseLong(gid.substring(start, end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String type(String gid) {
        if (!gid.startsWith("gid://shopify/")) {
            return "";
        }
        int start = "gid://shopify/".length();
        int end = gid.indexOf('/', start);
        return end < 0 ? "" : gid.substring(start, end);
    }
}
