-- The daily poll spread over the UTC day (DailyPoll, PollSlots): 96 slots of 15 minutes, every active shop and
-- page polled in the slot a stable hash of its id gives it. The instance whose INSERT of (day, slot) succeeds
-- enqueues that slot's targets, in the same transaction. Supersedes poll_runs (one row per day, the whole fleet
-- at midnight), which is kept for its history and no longer written.
CREATE TABLE poll_slots (
    day           date        NOT NULL,
    slot          integer     NOT NULL CHECK (slot >= 0 AND slot < 96),
    instance      text        NOT NULL,
    claimed_at    timestamptz NOT NULL DEFAULT now(),
    jobs_enqueued integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (day, slot)
);
