-- Targets whose stored credentials the worker saw refused for good (Facebook code 190: expired, revoked,
-- password changed, app removed). The gateway's tables stay read-only to the worker, so the mark lives here.
-- Written in the transaction that marks the failing job dead; the daily poll and POST /resync skip a flagged
-- target; the gateway's page/connected event (the merchant logged in again, a fresh token is stored) clears it.
CREATE TABLE connection_health (
    target_kind  text        NOT NULL CHECK (target_kind IN ('shopify_shop', 'facebook_page')),
    target_id    text        NOT NULL,
    user_id      uuid        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('needs_login')),
    -- the dead job's last error (never a token)
    reason       text        NOT NULL,
    job_id       uuid,
    since        timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (target_kind, target_id)
);
