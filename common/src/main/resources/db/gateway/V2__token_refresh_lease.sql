-- The token refresher leases a connection while it talks to Shopify, so two gateway instances never
-- spend the same rotating refresh token.
ALTER TABLE shopify_connections ADD COLUMN refresh_lease_until timestamptz;
CREATE INDEX shopify_connections_expiry_idx ON shopify_connections (access_token_expires_at) WHERE status = 'active';
