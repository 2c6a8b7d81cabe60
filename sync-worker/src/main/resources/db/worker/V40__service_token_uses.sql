-- Issue 11: a service JWT is good for one request. The jti of every token the intake accepted is kept until
-- the token has expired (expires_at: its exp plus the verifier's clock skew), so a replay is refused on any
-- worker instance; ServiceTokenUses purges the expired rows.
CREATE TABLE service_token_uses (
    jti        text PRIMARY KEY,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_token_uses_expires_idx ON service_token_uses (expires_at);
