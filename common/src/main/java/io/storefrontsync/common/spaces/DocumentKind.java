package io.storefrontsync.common.spaces;

/** The documents kept per connection in Spaces, with their file names. */
public enum DocumentKind {
    SHOP_METADATA("shop_metadata.json"),
    SHOP_PRODUCTS("shop_products.json"),
    PAGE_DATA("page_data.json");

    private final String fileName;

    DocumentKind(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }
}
