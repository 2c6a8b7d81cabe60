package io.storefrontsync.worker.config;

/** Where the startup checks of this package run among the worker's {@code StartupEvent} observers. */
final class StartupOrder {

    /** The scheduler starts its timers at priority 0: refuse bad settings before any of them fires. */
    static final int BEFORE_THE_SCHEDULER = -1;

    private StartupOrder() {
    }
}
