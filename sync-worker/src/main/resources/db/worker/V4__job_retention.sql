-- Finished jobs are kept for storefront.jobs.retention (GET /jobs/{id} answers for that long), then purged
-- in batches by JobRetention; this index finds them without scanning the live queue.
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE status IN ('succeeded', 'failed', 'dead', 'cancelled');
