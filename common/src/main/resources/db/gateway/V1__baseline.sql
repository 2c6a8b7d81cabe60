-- The gateway's own schema: users, their connections with encrypted tokens, OAuth states,
-- the webhook receipt log used for de-duplication, and the outbox towards the sync worker.

CREATE TABLE users (
    id          uuid        PRIMARY KEY,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE shopify_connections (
    shop                      text        PRIMARY KEY,
    user_id                   uuid        NOT NULL REFERENCES users (id),
    access_token_enc          text,
    access_token_expires_at   timestamptz,
    refresh_token_enc         text,
    refresh_token_expires_at  timestamptz,
    scopes                    text        NOT NULL DEFAULT '',
    status                    text        NOT NULL DEFAULT 'active'
                                          CHECK (status IN ('active', 'uninstalled', 'needs_reinstall')),
    installed_at              timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shopify_connections_user_idx ON shopify_connections (user_id);

CREATE TABLE facebook_pages (
    page_id          text        PRIMARY KEY,
    user_id          uuid        NOT NULL REFERENCES users (id),
    facebook_user_id text        NOT NULL,
    name             text,
    category         text,
    page_token_enc   text,
    status           text        NOT NULL DEFAULT 'active'
                                 CHECK (status IN ('active', 'needs_login', 'deleted')),
    connected_at     timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX facebook_pages_user_idx ON facebook_pages (user_id);
CREATE INDEX facebook_pages_fb_user_idx ON facebook_pages (facebook_user_id);

-- Single-use OAuth state nonces (Shopify install, Facebook login).
CREATE TABLE oauth_states (
    nonce       text        PRIMARY KEY,
    flow        text        NOT NULL CHECK (flow IN ('shopify', 'facebook')),
    shop        text,
    user_id     uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX oauth_states_expiry_idx ON oauth_states (expires_at);

-- One row per accepted webhook delivery key, kept at least 24 h: a redelivery hits the primary key.
CREATE TABLE webhook_receipts (
    dedupe_key   text        PRIMARY KEY,
    source       text        NOT NULL CHECK (source IN ('shopify', 'facebook')),
    topic        text        NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_receipts_received_idx ON webhook_receipts (received_at);

-- Transactional outbox: written in the same transaction as the receipt, delivered to the worker
-- with retries until acknowledged.
CREATE TABLE outbox (
    id               bigserial   PRIMARY KEY,
    event_id         text        NOT NULL,
    payload          jsonb       NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    last_error       text
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
