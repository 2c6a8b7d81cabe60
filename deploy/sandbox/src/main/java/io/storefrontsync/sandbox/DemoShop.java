package io.storefrontsync.sandbox;

/**
 * The store the Shopify simulator serves unless {@code SIM_SHOPIFY_SHOPS} names others: the one
 * {@code run.sh}'s walkthrough installs and most tests of either service, and the system tests,
 * install. One name, so that a test and the world it runs against cannot disagree about it.
 * <p>
 * No dependencies on purpose: the services' tests import the sandbox jar without its dependencies.
 */
public final class DemoShop {

    /** The short name, as a merchant types it into {@code /shopify/{shop}/login}. */
    public static final String NAME = "demo-shop";

    /** The full {@code myshopify.com} domain: what the gateway stores and Spaces keys carry. */
    public static final String DOMAIN = NAME + ".myshopify.com";

    private DemoShop() {
    }
}
