-- Doorways and their links to spaces, with validity periods: changing a doorway's links at T closes the old ones at T.
CREATE TABLE doorway (
    doorway_id  varchar(64)  PRIMARY KEY,
    tenant      varchar(64)  NOT NULL,
    name        text         NOT NULL,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    updated_at  timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE doorway_link (
    doorway_id  varchar(64)  NOT NULL REFERENCES doorway (doorway_id),
    space_id    varchar(64)  NOT NULL REFERENCES space (space_id),
    direction   smallint     NOT NULL CHECK (direction IN (-1, 1)),
    valid_from  timestamptz  NOT NULL,
    valid_to    timestamptz,
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX doorway_link_doorway_idx ON doorway_link (doorway_id, valid_from);

-- Sensor placements: one doorway at a time (doorway_id NULL: uninstalled); moving at T ends the previous one at T.
CREATE TABLE placement (
    dpu_id       varchar(64)  NOT NULL,
    doorway_id   varchar(64)  REFERENCES doorway (doorway_id),
    installed_at timestamptz  NOT NULL,
    removed_at   timestamptz,
    PRIMARY KEY (dpu_id, installed_at),
    CHECK (removed_at IS NULL OR removed_at > installed_at)
);
CREATE INDEX placement_doorway_idx ON placement (doorway_id);

-- The count history: one row per event contributing to a space, with the space's count right after it.
-- The count as of T is the row with the greatest (ts, seq) <= T: one index lookup (see CountRepository).
CREATE TABLE space_event (
    space_id    varchar(64)  NOT NULL REFERENCES space (space_id),
    ts          timestamptz  NOT NULL,
    seq         bigint       NOT NULL,
    dpu_id      varchar(64)  NOT NULL,
    delta       smallint     NOT NULL,
    count_after integer,
    PRIMARY KEY (space_id, seq)
);
CREATE UNIQUE INDEX space_event_asof_idx ON space_event (space_id, ts, seq) INCLUDE (count_after, delta);
CREATE INDEX space_event_dpu_idx ON space_event (dpu_id, ts);

-- Spaces whose history must be refolded from a given instant (topology or reset changes, replays).
CREATE TABLE refold (
    space_id  varchar(64)  PRIMARY KEY REFERENCES space (space_id),
    from_ts   timestamptz  NOT NULL
);

-- Replays: a window of history recomputed from the raw event log, with progress.
CREATE TABLE replay (
    replay_id    bigserial    PRIMARY KEY,
    space_id     varchar(64)  NOT NULL REFERENCES space (space_id),
    from_ts      timestamptz  NOT NULL,
    to_ts        timestamptz  NOT NULL,
    status       varchar(16)  NOT NULL DEFAULT 'queued',
    events_total bigint,
    events_done  bigint       NOT NULL DEFAULT 0,
    error        text,
    created_at   timestamptz  NOT NULL DEFAULT now(),
    finished_at  timestamptz
);
