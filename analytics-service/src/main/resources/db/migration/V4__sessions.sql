-- App sessions (scooter-sharing app): the imported event log, de-duplicated by a content hash, the sessions built from
-- it, and the (user, time span) pairs that newly loaded rows touched and whose sessions must be rebuilt.
-- Every table of this part of the service starts with sess_.

-- One row per distinct CSV row. The user key is the lower-cased (anonymous_id, context_device_id) pair; the original
-- spellings are kept for display.
CREATE TABLE sess_event (
    id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    content_hash        uuid        NOT NULL, -- the first 128 bits of a SHA-256 of the row's content
    anonymous_key       text        NOT NULL COLLATE "C",
    device_key          text        NOT NULL COLLATE "C",
    anonymous_id        text        NOT NULL,
    context_device_id   text        NOT NULL,
    business_zone       text,
    app_version         text,
    os_name             text,
    event_name          text        NOT NULL,
    received_at         timestamptz,
    created_at          timestamptz NOT NULL,
    loaded_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sess_event_content_hash UNIQUE (content_hash)
);
CREATE INDEX sess_event_user_time ON sess_event (anonymous_key, device_key, created_at);

-- Sessions: a user's events ordered by created_at, split where the gap to the previous event is at least the
-- configured inactivity gap. City and app version are those of the session's first event that has one.
CREATE TABLE sess_session (
    anonymous_key       text        NOT NULL COLLATE "C",
    device_key          text        NOT NULL COLLATE "C",
    started_at          timestamptz NOT NULL,
    ended_at            timestamptz NOT NULL,
    events              integer     NOT NULL,
    has_intent          boolean     NOT NULL,
    booked              boolean     NOT NULL,
    city                text,
    app_version         text,
    PRIMARY KEY (anonymous_key, device_key, started_at)
);
CREATE INDEX sess_session_started ON sess_session (started_at);

-- Clusters of newly stored rows (a user's new rows less than a gap apart), written in the same statement as the rows,
-- so a rebuild that sees a cluster also sees its rows. Overlapping clusters are merged when the rebuild runs.
CREATE TABLE sess_dirty (
    anonymous_key       text        NOT NULL COLLATE "C",
    device_key          text        NOT NULL COLLATE "C",
    min_created_at      timestamptz NOT NULL,
    max_created_at      timestamptz NOT NULL
);
CREATE INDEX sess_dirty_user ON sess_dirty (anonymous_key, device_key);

-- Work table of the incremental rebuild (filled and emptied inside one transaction under an advisory lock).
CREATE UNLOGGED TABLE sess_rebuild_window (
    anonymous_key       text        NOT NULL COLLATE "C",
    device_key          text        NOT NULL COLLATE "C",
    lo                  timestamptz NOT NULL,
    hi                  timestamptz NOT NULL,
    PRIMARY KEY (anonymous_key, device_key, lo)
);
