-- Issue #15: an audit of every run of a job, so "never two instances working one target at once" can be checked
-- after the fact (worker.jobs keeps only a job's latest state: a reclaimed or handed-back run leaves no trace there).
-- A run starts when a job becomes running under a lease owner and ends when it stops running under that owner
-- (succeeded, failed, dead, parked, handed back, reclaimed after its lease). Written only by the trigger below, on
-- JobStore's own statements; deleted with its job (retention, redaction).
CREATE TABLE job_runs (
    id           bigserial   PRIMARY KEY,
    job_id       uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    target_kind  text        NOT NULL,
    target_id    text        NOT NULL,
    lease_owner  text        NOT NULL,
    attempt      integer     NOT NULL,
    started_at   timestamptz NOT NULL,
    ended_at     timestamptz,
    outcome      text
);
CREATE INDEX job_runs_target_idx ON job_runs (target_kind, target_id, started_at);
CREATE INDEX job_runs_job_idx ON job_runs (job_id);
CREATE INDEX job_runs_open_idx ON job_runs (job_id) WHERE ended_at IS NULL;

CREATE FUNCTION record_job_run() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'running' AND (NEW.status <> 'running' OR NEW.lease_owner IS DISTINCT FROM OLD.lease_owner) THEN
        UPDATE worker.job_runs SET ended_at = clock_timestamp(), outcome = NEW.status
         WHERE job_id = OLD.id AND ended_at IS NULL;
    END IF;
    IF NEW.status = 'running' AND NEW.lease_owner IS NOT NULL
       AND (OLD.status <> 'running' OR NEW.lease_owner IS DISTINCT FROM OLD.lease_owner) THEN
        INSERT INTO worker.job_runs (job_id, target_kind, target_id, lease_owner, attempt, started_at)
        VALUES (NEW.id, NEW.target_kind, NEW.target_id, NEW.lease_owner, NEW.attempts, clock_timestamp());
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER jobs_record_runs AFTER UPDATE OF status, lease_owner ON jobs
    FOR EACH ROW EXECUTE FUNCTION record_job_run();
