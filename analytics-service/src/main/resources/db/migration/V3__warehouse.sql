-- Community-events warehouse.
--
-- `source` stands in for the production database of the meetup-style product (groups, members, memberships, venues,
-- events, RSVPs). It has no foreign keys and no checks, as production data has dirty rows; deletes are logged by a
-- statement-level trigger into source.deletions (the change feed a production source would give by logical decoding).
-- The warehouse layers live in this service's schema `analytics` with prefixes: wh_bronze_* (source copies),
-- wh_keymap_* (natural key -> surrogate key, kept apart), wh_silver_* (cleaned, surrogate keys, RSVP history as SCD
-- type 2), wh_gold_* (aggregates), plus the run log, watermarks and the erasure list.

CREATE SCHEMA IF NOT EXISTS source;

CREATE TABLE source.groups (
    id           bigint PRIMARY KEY,
    name         text,
    city         text,
    country_code text,
    created_at   timestamptz,
    topics       text[],
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE source.members (
    id           bigint PRIMARY KEY,
    name         text,
    email        text,
    city         text,
    country_code text,
    birth_date   date,
    joined_at    timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE source.memberships (
    group_id     bigint NOT NULL,
    member_id    bigint NOT NULL,
    role         text,
    joined_at    timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (group_id, member_id)
);
CREATE TABLE source.venues (
    id           bigint PRIMARY KEY,
    name         text,
    city         text,
    country_code text,
    lat          double precision,
    lon          double precision,
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- starts_at is local time in the event's timezone (as the product stores it).
CREATE TABLE source.events (
    id           bigint PRIMARY KEY,
    group_id     bigint,
    venue_id     bigint,
    name         text,
    starts_at    timestamp,
    timezone     text,
    duration     interval,
    rsvp_limit   integer,
    status       text,
    created_at   timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE source.rsvps (
    event_id     bigint NOT NULL,
    member_id    bigint NOT NULL,
    response     text,
    guests       integer,
    responded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (event_id, member_id)
);
CREATE INDEX ON source.groups (updated_at);
CREATE INDEX ON source.members (updated_at);
CREATE INDEX ON source.memberships (updated_at);
CREATE INDEX ON source.venues (updated_at);
CREATE INDEX ON source.events (updated_at);
CREATE INDEX ON source.rsvps (responded_at);

CREATE TABLE source.deletions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name  text        NOT NULL,
    key1        bigint      NOT NULL,
    key2        bigint,
    deleted_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX ON source.deletions (deleted_at);

CREATE FUNCTION source.log_deletes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME IN ('memberships') THEN
        INSERT INTO source.deletions (table_name, key1, key2) SELECT TG_TABLE_NAME, group_id, member_id FROM gone;
    ELSIF TG_TABLE_NAME = 'rsvps' THEN
        INSERT INTO source.deletions (table_name, key1, key2) SELECT TG_TABLE_NAME, event_id, member_id FROM gone;
    ELSE
        INSERT INTO source.deletions (table_name, key1) SELECT TG_TABLE_NAME, id FROM gone;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER groups_deletes AFTER DELETE ON source.groups REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION source.log_deletes();
CREATE TRIGGER members_deletes AFTER DELETE ON source.members REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION source.log_deletes();
CREATE TRIGGER memberships_deletes AFTER DELETE ON source.memberships REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION source.log_deletes();
CREATE TRIGGER venues_deletes AFTER DELETE ON source.venues REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION source.log_deletes();
CREATE TRIGGER events_deletes AFTER DELETE ON source.events REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION source.log_deletes();
CREATE TRIGGER rsvps_deletes AFTER DELETE ON source.rsvps REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION source.log_deletes();

-- Deterministic pseudo-random number in [0, 1) for (seed, key, salt): the generator draws every value from it, so
-- its output does not depend on row order or plan.
CREATE FUNCTION source.rnd(seed bigint, k bigint, salt integer) RETURNS double precision
    IMMUTABLE PARALLEL SAFE LANGUAGE sql AS
$$ SELECT (hashint8extended(k, seed * 1000 + salt) & 9007199254740991)::double precision / 9007199254740992 $$;

-- ---- Bronze: the source as it is, plus load metadata. ----

CREATE TABLE wh_bronze_groups      (LIKE source.groups,      _run_id bigint NOT NULL, _loaded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (id));
CREATE TABLE wh_bronze_members     (LIKE source.members,     _run_id bigint NOT NULL, _loaded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (id));
CREATE TABLE wh_bronze_memberships (LIKE source.memberships, _run_id bigint NOT NULL, _loaded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (group_id, member_id));
CREATE TABLE wh_bronze_venues      (LIKE source.venues,      _run_id bigint NOT NULL, _loaded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (id));
CREATE TABLE wh_bronze_events      (LIKE source.events,      _run_id bigint NOT NULL, _loaded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (id));
CREATE TABLE wh_bronze_rsvps       (LIKE source.rsvps,       _run_id bigint NOT NULL, _loaded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (event_id, member_id));
CREATE INDEX ON wh_bronze_memberships (member_id);
CREATE INDEX ON wh_bronze_rsvps (member_id);

-- Keys changed (op 'U') or deleted (op 'D') in bronze by the running run; silver and gold read it. Emptied by every run.
CREATE UNLOGGED TABLE wh_changed (
    table_name text   NOT NULL,
    op         char   NOT NULL,
    key1       bigint NOT NULL,
    key2       bigint,
    at         timestamptz
);
CREATE INDEX ON wh_changed (table_name, op);

CREATE TABLE wh_watermark (
    table_name   text PRIMARY KEY,
    changed_upto timestamptz,
    deleted_upto timestamptz
);
INSERT INTO wh_watermark (table_name)
VALUES ('groups'), ('members'), ('memberships'), ('venues'), ('events'), ('rsvps');

-- ---- Surrogate keys, kept apart from silver (erasure deletes the member's row here). ----

CREATE TABLE wh_keymap_group  (group_id  bigint PRIMARY KEY, group_sk  bigint GENERATED ALWAYS AS IDENTITY UNIQUE);
CREATE TABLE wh_keymap_member (member_id bigint PRIMARY KEY, member_sk bigint GENERATED ALWAYS AS IDENTITY UNIQUE);
CREATE TABLE wh_keymap_venue  (venue_id  bigint PRIMARY KEY, venue_sk  bigint GENERATED ALWAYS AS IDENTITY UNIQUE);
CREATE TABLE wh_keymap_event  (event_id  bigint PRIMARY KEY, event_sk  bigint GENERATED ALWAYS AS IDENTITY UNIQUE);

-- Valid IANA names, read once (pg_timezone_names reads the zone files on every call).
CREATE TABLE wh_timezone (name text PRIMARY KEY);
INSERT INTO wh_timezone SELECT DISTINCT name FROM pg_timezone_names;

-- ---- Silver: consistent names, UTC timestamps truncated to the minute, birth year only, surrogate keys. ----

CREATE TABLE wh_silver_group (
    group_sk     bigint PRIMARY KEY,
    group_name   text,
    city         text,
    country_code text,
    created_at   timestamptz,
    topics       text[]
);
CREATE TABLE wh_silver_member (
    member_sk    bigint PRIMARY KEY,
    member_name  text,
    email        text,
    city         text,
    country_code text,
    birth_year   integer,
    joined_at    timestamptz
);
CREATE TABLE wh_silver_membership (
    group_sk     bigint NOT NULL,
    member_sk    bigint NOT NULL,
    role         text,
    joined_at    timestamptz,
    PRIMARY KEY (group_sk, member_sk)
);
CREATE INDEX ON wh_silver_membership (member_sk);
CREATE TABLE wh_silver_venue (
    venue_sk     bigint PRIMARY KEY,
    venue_name   text,
    city         text,
    country_code text,
    lat          double precision,
    lon          double precision
);
CREATE TABLE wh_silver_event (
    event_sk         bigint PRIMARY KEY,
    group_sk         bigint,
    venue_sk         bigint,
    event_name       text,
    starts_at        timestamptz,
    local_timezone   text,
    timezone_valid   boolean NOT NULL,
    duration_minutes integer,
    rsvp_limit       integer,
    status           text,
    created_at       timestamptz,
    updated_at       timestamptz
);
CREATE INDEX ON wh_silver_event (group_sk);
-- RSVP history, SCD type 2: one row per response version; valid_to is the next version's valid_from (or the deletion).
CREATE TABLE wh_silver_rsvp (
    rsvp_version_sk bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_sk        bigint      NOT NULL,
    member_sk       bigint      NOT NULL,
    response        text,
    guests          integer,
    responded_at    timestamptz,
    valid_from      timestamptz NOT NULL,
    valid_to        timestamptz,
    is_current      boolean     NOT NULL
);
CREATE UNIQUE INDEX wh_silver_rsvp_current ON wh_silver_rsvp (event_sk, member_sk) WHERE is_current;
CREATE INDEX ON wh_silver_rsvp (member_sk);
CREATE INDEX ON wh_silver_rsvp (valid_from);

-- ---- Gold ----

CREATE TABLE wh_gold_event_signup (
    event_sk       bigint PRIMARY KEY,
    group_sk       bigint,
    country_code   text,
    event_name     text,
    starts_at      timestamptz,
    status         text,
    rsvp_limit     integer,
    yes_count      integer NOT NULL,
    no_count       integer NOT NULL,
    waitlist_count integer NOT NULL,
    guests         integer NOT NULL,
    signups        integer NOT NULL,
    signup_rate    double precision
);
CREATE INDEX ON wh_gold_event_signup (group_sk);
CREATE INDEX ON wh_gold_event_signup (starts_at);
CREATE TABLE wh_gold_monthly_active (
    month          date NOT NULL,
    country_code   text NOT NULL,
    active_members integer NOT NULL,
    PRIMARY KEY (month, country_code)
);
CREATE TABLE wh_gold_group_growth (
    group_sk       bigint NOT NULL,
    month          date   NOT NULL,
    new_members    integer NOT NULL,
    total_members  integer NOT NULL,
    PRIMARY KEY (group_sk, month)
);
CREATE TABLE wh_gold_top_group (
    country_code   text    NOT NULL,
    rank           integer NOT NULL,
    group_sk       bigint  NOT NULL,
    group_name     text,
    events         integer NOT NULL,
    attendance     bigint  NOT NULL,
    PRIMARY KEY (country_code, rank)
);

-- ---- Runs and erasure ----

CREATE TABLE wh_run (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trigger     text        NOT NULL,
    status      text        NOT NULL,
    phase       text        NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    layers      jsonb       NOT NULL DEFAULT '{}',
    error       text
);

-- Members erased from the warehouse, by a SHA-256 of their id only: later runs skip their source rows until the
-- source itself has erased them.
CREATE TABLE wh_erased_member (
    member_hash bytea PRIMARY KEY,
    erased_at   timestamptz NOT NULL DEFAULT now()
);

-- Work tables of the running run (under the run's advisory lock): what gold must recompute.
CREATE UNLOGGED TABLE wh_dirty_event (event_sk bigint PRIMARY KEY);
CREATE UNLOGGED TABLE wh_dirty_group (group_sk bigint PRIMARY KEY);
CREATE UNLOGGED TABLE wh_dirty_month (month date PRIMARY KEY);
CREATE INDEX ON source.events (group_id);
