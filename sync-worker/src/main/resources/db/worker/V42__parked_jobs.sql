-- Issue #13: a job waiting for Shopify to run its bulk operation is parked: status 'waiting', no lease, no
-- worker slot, due again (run_after) when its next status check is, or at once when the bulk_operations/finish
-- webhook wakes it. What it waits for is in `parked` (operation id, when it started, polls so far, the
-- location ids its query was built with). Resuming it does not count as an attempt.
ALTER TABLE jobs DROP CONSTRAINT jobs_status_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_status_check
    CHECK (status IN ('pending', 'running', 'waiting', 'succeeded', 'failed', 'dead', 'cancelled'));
ALTER TABLE jobs ADD COLUMN parked jsonb;

-- A parked job still holds its target: no other job of the target runs (or parks) beside it.
DROP INDEX jobs_one_running_per_target;
CREATE UNIQUE INDEX jobs_one_active_per_target ON jobs (target_kind, target_id) WHERE status IN ('running', 'waiting');
CREATE INDEX jobs_waiting_idx ON jobs (run_after) WHERE status = 'waiting';
