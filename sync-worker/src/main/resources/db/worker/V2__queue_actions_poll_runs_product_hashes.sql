-- What a job does to its target: a normal sync, or the shop/redact erasure (durable and retried like a sync).
ALTER TABLE jobs ADD COLUMN action text NOT NULL DEFAULT 'sync' CHECK (action IN ('sync', 'redact'));

-- 'cancelled': app/uninstalled withdrew a pending sync; it never ran.
ALTER TABLE jobs DROP CONSTRAINT jobs_status_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_status_check
    CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'dead', 'cancelled'));

-- Hard guarantee behind the claim query: never two running jobs for one target, even under a race.
CREATE UNIQUE INDEX jobs_one_running_per_target ON jobs (target_kind, target_id) WHERE status = 'running';
CREATE INDEX jobs_target_idx ON jobs (target_kind, target_id);

-- One row per UTC day: the instance whose INSERT succeeds is the one that enqueues the daily poll.
CREATE TABLE poll_runs (
    day          date        PRIMARY KEY,
    instance     text        NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    jobs_enqueued integer    NOT NULL DEFAULT 0
);

-- Canonical hash of every product of a shop as last written, so a later single-product webhook can
-- patch shop_products.json instead of refetching the catalog.
CREATE TABLE product_hashes (
    shop         text        NOT NULL,
    product_id   text        NOT NULL,
    user_id      uuid        NOT NULL,
    sha256       text        NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop, product_id)
);
