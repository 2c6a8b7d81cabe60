package io.storefrontsync.sandbox.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for child processes that bind them later. Not {@code new ServerSocket(0)}: that port comes from Linux's
 * ephemeral range (32768–60999), from which every outgoing connection (chromium, chromedriver, the JDBC pools) also
 * takes its local port, so between our pick and the child's bind one of them could take it ("Port … seems to be in
 * use", a CI run of {@code MerchantPagesIT}). These come from below that range, are checked to bind now, and are never
 * handed out twice by this JVM.
 */
public final class FreePorts {

    private static final int LOW = 20_000;
    private static final int HIGH = 32_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int next() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + LOW + ".." + HIGH);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
