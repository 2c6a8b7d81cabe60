package io.storefrontsync.worker.testing;

import java.util.UUID;

/** Unique names per test, so tests sharing one database never see each other's targets. */
public final class Shops {

    private Shops() {
    }

    public static String uniqueShop() {
        return "t" + UUID.randomUUID().toString().substring(0, 12) + ".myshopify.com";
    }

    public static String uniquePage() {
        return String.valueOf(100_000_000_000L + (long) (Math.random() * 800_000_000_000L));
    }
}
