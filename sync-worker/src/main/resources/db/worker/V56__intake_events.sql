-- Issue #17: the intake takes each event id once. The gateway marks its outbox rows delivered without waiting for
-- the disk (a mark lost in a crash means the rows are delivered again), and a delivery the worker stored but the
-- gateway saw fail (a timeout) is sent again: the ids of the events taken recently are kept, so a redelivered event
-- is answered as ignored instead of recording its change and enqueueing a job a second time. TakenEvents purges
-- the rows older than storefront.intake.taken-events-retention (the redelivery window: lease and backoff).
CREATE TABLE intake_events (
    event_id  text        PRIMARY KEY,
    taken_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX intake_events_taken_idx ON intake_events (taken_at);
