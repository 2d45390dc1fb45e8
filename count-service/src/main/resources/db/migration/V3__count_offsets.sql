-- Count offsets: a late event that shifts every later count of a space by the same amount is recorded here once,
-- instead of rewriting each later row of space_event. The count after a contribution is its count_after plus the
-- count_offset of the last offset at or before it (same key order), 0 when there is none (see HistoryFolder).
CREATE TABLE space_offset (
    space_id     varchar(64)  NOT NULL REFERENCES space (space_id),
    ts           timestamptz  NOT NULL,
    seq          bigint       NOT NULL,
    count_offset integer      NOT NULL,
    PRIMARY KEY (space_id, ts, seq) INCLUDE (count_offset)
);
