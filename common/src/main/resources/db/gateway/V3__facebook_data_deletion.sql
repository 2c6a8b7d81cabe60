-- Meta data deletion callbacks: one row per request, looked up by its confirmation code on the public status
-- URL. Only counts are kept about what was deleted, never the deleted data itself.
CREATE TABLE facebook_deletion_requests (
    confirmation_code  text        PRIMARY KEY,
    facebook_user_id   text        NOT NULL,
    status             text        NOT NULL CHECK (status IN ('completed')),
    pages_deleted      integer     NOT NULL,
    tokens_deleted     integer     NOT NULL,
    events_queued      integer     NOT NULL,
    requested_at       timestamptz NOT NULL DEFAULT now(),
    completed_at       timestamptz
);
CREATE INDEX facebook_deletion_requests_fb_user_idx ON facebook_deletion_requests (facebook_user_id);
