-- Spaces: the rooms, floors and buildings whose occupancy is counted.
CREATE TABLE space (
    space_id    varchar(64)  PRIMARY KEY,
    tenant      varchar(64)  NOT NULL,
    name        text         NOT NULL,
    parent_id   varchar(64)  REFERENCES space (space_id),
    timezone    text         NOT NULL DEFAULT 'UTC',
    daily_reset time,
    capacity    integer      CHECK (capacity IS NULL OR capacity >= 0),
    created_at  timestamptz  NOT NULL DEFAULT now(),
    updated_at  timestamptz  NOT NULL DEFAULT now()
);

CREATE INDEX space_parent_idx ON space (parent_id);
