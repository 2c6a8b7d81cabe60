package io.storefrontsync.sandbox;

/** Starts the Shopify and Facebook simulators of a world (filled in when the simulators land). */
final class SimulatorLauncher {

    private SimulatorLauncher() {
    }

    static void startSimulators(SandboxWorld world) {
    }
}
