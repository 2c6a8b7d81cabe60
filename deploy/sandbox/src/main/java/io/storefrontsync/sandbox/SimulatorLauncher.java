package io.storefrontsync.sandbox;

import io.storefrontsync.sandbox.facebook.FacebookSimulator;
import io.storefrontsync.sandbox.shopify.ShopifySimulator;
import io.vertx.core.Future;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts the Shopify and Facebook simulators of a world, configured from the world's settings. */
final class SimulatorLauncher {

    private static final long START_TIMEOUT_SECONDS = 120;

    private SimulatorLauncher() {
    }

    static void startSimulators(SandboxWorld world) throws Exception {
        Map<String, String> env = world.env();
        String host = world.options().host();
        if (world.options().components().contains("shopify")) {
            ShopifySimulator shopify = new ShopifySimulator(world.vertx(), ShopifySimulator.Config.fromEnv(env::get));
            int port = await(shopify.start(host, world.options().shopifyPort()));
            world.register(() -> await(shopify.stop()));
            env.put("SHOPIFY_ADMIN_URL_TEMPLATE", "http://" + host + ":" + port + "/{shop}");
            env.put("SHOPIFY_SIMULATOR_URL", "http://" + host + ":" + port);
        }
        if (world.options().components().contains("facebook")) {
            FacebookSimulator facebook = new FacebookSimulator(world.vertx(), FacebookSimulator.Config.fromEnv(env::get));
            int port = await(facebook.start(host, world.options().facebookPort()));
            world.register(() -> await(facebook.stop()));
            String url = "http://" + host + ":" + port;
            env.put("FACEBOOK_GRAPH_URL", url);
            env.put("FACEBOOK_DIALOG_URL", url);
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
