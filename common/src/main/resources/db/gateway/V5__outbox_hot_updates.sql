-- Issue #17: the outbox's updates become HOT (heap-only: no new index entries, less WAL) where they can.
-- outbox_pending_idx indexed next_attempt_at, which every claim and every failure changes, under a predicate on
-- delivered_at, which the delivered mark changes: no update of the table was HOT. The claim takes due rows in id
-- order, so the undelivered rows are indexed by id alone; the claim (attempts, next_attempt_at) and a failure
-- (last_error, next_attempt_at) then touch no indexed column. The delivered mark still changes the predicate's
-- column: taking the row out of the index is what keeps the claim's scan to the undelivered rows.
-- Pages are left 25 % free so that a row's new version fits on its page (a HOT update needs the room).
CREATE INDEX outbox_undelivered_idx ON outbox (id) WHERE delivered_at IS NULL;
DROP INDEX outbox_pending_idx;
ALTER TABLE outbox SET (fillfactor = 75);
