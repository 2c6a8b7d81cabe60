-- Issue #16, operators: what a running or parked job has done so far, and a user's jobs listed page by page.

-- The sync's progress, written at phase changes and, while products are read, at most about once a second:
-- {phase, productsRead, productsTotal, bulkStatus, bulkOperation, bulkObjects, cost, updatedAt}. Shown by
-- GET /jobs for a running or waiting job only; a finished job's result says the same and more.
ALTER TABLE jobs ADD COLUMN progress jsonb;

-- GET /jobs?userId=: newest first, keyset cursor (created_at, id).
CREATE INDEX jobs_user_created_idx ON jobs (user_id, created_at DESC, id DESC);
