package io.storefrontsync.sandbox;

public final class SandboxMain {
    public static void main(String[] args) {
    }
}
