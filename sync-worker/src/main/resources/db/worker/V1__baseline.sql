-- The worker's own schema: the durable job queue and what each document last looked like.

CREATE TABLE jobs (
    id               uuid        PRIMARY KEY,
    -- what to sync: 'shopify_shop' (metadata + products) or 'facebook_page'
    target_kind      text        NOT NULL CHECK (target_kind IN ('shopify_shop', 'facebook_page')),
    user_id          uuid        NOT NULL,
    target_id        text        NOT NULL,
    trigger          text        NOT NULL CHECK (trigger IN ('webhook', 'install', 'poll', 'resync')),
    status           text        NOT NULL DEFAULT 'pending'
                                 CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'dead')),
    attempts         integer     NOT NULL DEFAULT 0,
    max_attempts     integer     NOT NULL DEFAULT 8,
    coalesced_events integer     NOT NULL DEFAULT 1,
    run_after        timestamptz NOT NULL DEFAULT now(),
    lease_owner      text,
    lease_until      timestamptz,
    last_error       text,
    result           jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz
);
-- At most one pending job per target: new events merge into it instead of queueing more syncs.
CREATE UNIQUE INDEX jobs_one_pending_per_target ON jobs (target_kind, target_id) WHERE status = 'pending';
CREATE INDEX jobs_claimable_idx ON jobs (run_after) WHERE status = 'pending';
CREATE INDEX jobs_running_lease_idx ON jobs (lease_until) WHERE status = 'running';

-- Last written content per Spaces object: an unchanged sync compares hashes here and makes no request.
CREATE TABLE documents (
    object_key   text        PRIMARY KEY,
    user_id      uuid        NOT NULL,
    sha256       text        NOT NULL,
    size_bytes   bigint      NOT NULL,
    written_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_user_idx ON documents (user_id);
