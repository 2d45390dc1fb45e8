-- The outbox holds one row per append instead of one per event: the events an append stored, as parallel arrays
-- (kept out of line by TOAST). Per event the append used to write a heap row and an index entry here, and the
-- reconciler a delete; now it is one row per append (hundreds a second under one-event requests, a few under
-- batches), and the table stays small whether or not autovacuum runs. count-service takes whole rows, oldest first, up to about its batch size.
ALTER TABLE event_outbox RENAME TO event_outbox_v1;
ALTER INDEX event_outbox_pkey RENAME TO event_outbox_v1_pkey;

CREATE TABLE event_outbox (
    append_id  bigint        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    events     integer       NOT NULL CHECK (events > 0),
    seq        bigint[]      NOT NULL,
    dpu_id     varchar(64)[] NOT NULL,
    ts         timestamptz[] NOT NULL,
    direction  smallint[]    NOT NULL,
    queued_at  timestamptz   NOT NULL DEFAULT now(),
    CHECK (cardinality(seq) = events AND cardinality(dpu_id) = events AND cardinality(ts) = events
           AND cardinality(direction) = events)
);

-- Events still queued when this migration runs keep their place, 10,000 to a row, in sequence order.
INSERT INTO event_outbox (events, seq, dpu_id, ts, direction, queued_at)
SELECT count(*), array_agg(seq ORDER BY seq), array_agg(dpu_id ORDER BY seq), array_agg(ts ORDER BY seq),
       array_agg(direction ORDER BY seq), min(queued_at)
FROM event_outbox_v1 GROUP BY seq / 10000 ORDER BY seq / 10000;
DROP TABLE event_outbox_v1;

-- Nothing reads the log by sequence number (the reconciler takes new events from the outbox; replays and the events
-- endpoint read by sensor and time), and every append paid for this index: one entry per event.
DROP INDEX IF EXISTS event_seq_idx;
