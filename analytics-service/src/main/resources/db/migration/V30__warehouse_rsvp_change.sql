-- Work table of the running warehouse run (under its advisory lock, emptied by every run): the RSVP versions bronze
-- changed, already keyed and cleaned. The SCD2 steps read it twice (close the current version, insert the new one);
-- joining wh_changed, bronze and both key maps once instead of twice halves that work, and the planner gets real row
-- counts for it (it is analysed after filling), where the two-column join of wh_changed and bronze is always
-- estimated at a handful of rows.
CREATE UNLOGGED TABLE wh_rsvp_change (
    event_sk     bigint      NOT NULL,
    member_sk    bigint      NOT NULL,
    response     text,
    guests       integer,
    responded_at timestamptz
);
