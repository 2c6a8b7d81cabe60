package io.storefrontsync.common.event;

public enum Source {
    SHOPIFY,
    FACEBOOK
}
