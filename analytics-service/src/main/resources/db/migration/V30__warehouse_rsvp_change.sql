-- Work table of the running warehouse run (under its advisory lock, emptied by every run): the RSVP versions bronze
-- changed, already keyed and cleaned. The SCD2 steps read it twice (close the current version, insert the new one);
-- joining wh_changed, bronze and both key maps once instead of twice halves that work, and the planner gets real row
-- counts for it (it is analysed after filling), where the two-column join of wh_changed and bronze is always
-- estimated at a handful of rows. current_sk is the RSVP's current silver version (looked up by the partial unique
-- index while filling), so closing it is a join on one column the planner estimates right, not a scan of every
-- version.
CREATE UNLOGGED TABLE wh_rsvp_change (
    event_sk     bigint      NOT NULL,
    member_sk    bigint      NOT NULL,
    current_sk   bigint,
    response     text,
    guests       integer,
    responded_at timestamptz
);
