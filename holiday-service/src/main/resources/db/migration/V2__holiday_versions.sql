-- Versioned holiday calendars. A location gets a new version only when the holidays of some year change (content
-- hash); unchanged years stay with the version that wrote them, so every answer ever given can be reproduced.

CREATE TABLE holiday_version (
    location_id   uuid        NOT NULL REFERENCES location (location_id),
    version       integer     NOT NULL,
    valid_from    timestamptz NOT NULL,
    valid_to      timestamptz,
    content_hash  char(64)    NOT NULL,
    provider      varchar(32) NOT NULL,
    changed_years integer[]   NOT NULL,
    PRIMARY KEY (location_id, version),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
-- At most one current version per location.
CREATE UNIQUE INDEX holiday_version_current ON holiday_version (location_id) WHERE valid_to IS NULL;

-- The holidays of one year as one version wrote them (a year first loaded later joins the then-current version).
CREATE TABLE holiday_year (
    location_id  uuid        NOT NULL,
    year         integer     NOT NULL,
    version      integer     NOT NULL,
    content_hash char(64)    NOT NULL,
    provider     varchar(32) NOT NULL,
    loaded_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (location_id, year, version),
    FOREIGN KEY (location_id, version) REFERENCES holiday_version (location_id, version)
);

CREATE TABLE holiday (
    location_id uuid         NOT NULL,
    year        integer      NOT NULL,
    version     integer      NOT NULL,
    date        date         NOT NULL,
    name        text         NOT NULL,
    local_name  text         NOT NULL,
    type        varchar(16)  NOT NULL,
    substitute  boolean      NOT NULL,
    FOREIGN KEY (location_id, year, version) REFERENCES holiday_year (location_id, year, version)
);
CREATE INDEX holiday_by_snapshot ON holiday (location_id, year, version, date);
