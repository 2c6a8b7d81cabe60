package io.storefrontsync.gateway.support;

import io.vertx.mutiny.sqlclient.Pool;

/**
 * Where every outbox test starts: a shop of its own with an active connection (so its webhooks are stored), and the
 * worker receiver up and failing nothing, whatever the test before left it in (tests of one application share it).
 */
public record OutboxScene(GatewayDb db, String shop, WorkerReceiver worker) {

    public static OutboxScene start(Pool pool) {
        GatewayDb db = new GatewayDb(pool);
        String shop = GatewayDb.uniqueShop();
        db.activeConnection(shop);
        WorkerReceiver worker = WorkerReceiver.get();
        worker.up();
        worker.failNext(0);
        return new OutboxScene(db, shop, worker);
    }

    /** The same, the worker checking each delivery's service JWT against {@code publicKey} (JWT_PUBLIC_KEY). */
    public static OutboxScene start(Pool pool, String publicKey) {
        OutboxScene scene = start(pool);
        scene.worker().requireTokensSignedBy(publicKey);
        return scene;
    }
}
