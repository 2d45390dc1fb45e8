-- Tenancy for the warehouse and app sessions: every row of the source (the stand-in for the community product's
-- production database), of every warehouse layer and of app sessions carries its tenant, which leads every key and
-- index, so natural ids (group, member, venue, event ids, a session's user) are ids within a tenant; row-level
-- security admits only the rows of the tenant set for the transaction (footfall.tenant, SET LOCAL by TenantSql), or
-- every row to the scheduled jobs' system scope. FORCE binds this schema's owner too: the service's role is the owner
-- and is not a superuser. wh_timezone is the one table without a tenant: the IANA zone names, the same for everyone.

-- Rows stored before tenancy belong to the default tenant (a constant default is a catalog change, not a rewrite).
-- Each table gets its policies, and statistics that know the tenant column: without them the planner guesses each
-- tenant's share of a table (a two hundredth), and plans a default tenant holding every row as if it held a few.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY[
            'source.groups', 'source.members', 'source.memberships', 'source.venues', 'source.events', 'source.rsvps',
            'source.deletions',
            'wh_bronze_groups', 'wh_bronze_members', 'wh_bronze_memberships', 'wh_bronze_venues', 'wh_bronze_events',
            'wh_bronze_rsvps', 'wh_watermark', 'wh_keymap_group', 'wh_keymap_member', 'wh_keymap_venue',
            'wh_keymap_event', 'wh_silver_group', 'wh_silver_member', 'wh_silver_membership', 'wh_silver_venue',
            'wh_silver_event', 'wh_silver_rsvp', 'wh_gold_event_signup', 'wh_gold_monthly_active',
            'wh_gold_group_growth', 'wh_gold_top_group', 'wh_run', 'wh_erased_member',
            'sess_event', 'sess_session', 'sess_dirty'] LOOP
        -- "C": keys compare bytewise (the tenant leads large indexes; no locale rules for an identifier)
        EXECUTE format('ALTER TABLE %s ADD COLUMN tenant varchar(64) COLLATE "C" NOT NULL DEFAULT ''default''', t);
        EXECUTE format('ALTER TABLE %s ALTER COLUMN tenant DROP DEFAULT', t);
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t);
        -- The settings are read once per statement (a scalar subquery is an InitPlan), not once per row: the
        -- warehouse scans millions of rows per statement, and a per-row current_setting() doubled a plain scan.
        EXECUTE format('CREATE POLICY tenant_rows ON %s '
                       'USING (tenant = (SELECT current_setting(''footfall.tenant'', true))) '
                       'WITH CHECK (tenant = (SELECT current_setting(''footfall.tenant'', true)))', t);
        EXECUTE format('CREATE POLICY system_jobs ON %s '
                       'USING ((SELECT current_setting(''footfall.scope'', true)) = ''system'')', t);
        EXECUTE format('ANALYZE %s', t);
    END LOOP;
END $$;

-- ---- The source: one world per tenant. ----
ALTER TABLE source.groups DROP CONSTRAINT groups_pkey, ADD PRIMARY KEY (tenant, id);
ALTER TABLE source.members DROP CONSTRAINT members_pkey, ADD PRIMARY KEY (tenant, id);
ALTER TABLE source.memberships DROP CONSTRAINT memberships_pkey, ADD PRIMARY KEY (tenant, group_id, member_id);
ALTER TABLE source.venues DROP CONSTRAINT venues_pkey, ADD PRIMARY KEY (tenant, id);
ALTER TABLE source.events DROP CONSTRAINT events_pkey, ADD PRIMARY KEY (tenant, id);
ALTER TABLE source.rsvps DROP CONSTRAINT rsvps_pkey, ADD PRIMARY KEY (tenant, event_id, member_id);
ALTER TABLE source.deletions DROP CONSTRAINT deletions_pkey, ADD PRIMARY KEY (tenant, id);
DROP INDEX source.groups_updated_at_idx;
CREATE INDEX groups_updated_at_idx ON source.groups (tenant, updated_at);
DROP INDEX source.members_updated_at_idx;
CREATE INDEX members_updated_at_idx ON source.members (tenant, updated_at);
DROP INDEX source.memberships_updated_at_idx;
CREATE INDEX memberships_updated_at_idx ON source.memberships (tenant, updated_at);
DROP INDEX source.venues_updated_at_idx;
CREATE INDEX venues_updated_at_idx ON source.venues (tenant, updated_at);
DROP INDEX source.events_updated_at_idx;
CREATE INDEX events_updated_at_idx ON source.events (tenant, updated_at);
DROP INDEX source.events_group_id_idx;
CREATE INDEX events_group_id_idx ON source.events (tenant, group_id);
DROP INDEX source.rsvps_responded_at_idx;
CREATE INDEX rsvps_responded_at_idx ON source.rsvps (tenant, responded_at);
DROP INDEX source.deletions_deleted_at_idx;
CREATE INDEX deletions_deleted_at_idx ON source.deletions (tenant, deleted_at);

-- The deletion log carries the tenant of the deleted rows (the trigger runs as the deleting transaction, under its
-- policies). The generator replacing a tenant's whole world logs nothing (footfall.source_replacing): the warehouse
-- built from that world is reset with it, and logging a million deletions only to delete them cost seconds.
CREATE OR REPLACE FUNCTION source.log_deletes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('footfall.source_replacing', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'memberships' THEN
        INSERT INTO source.deletions (tenant, table_name, key1, key2)
        SELECT tenant, TG_TABLE_NAME, group_id, member_id FROM gone;
    ELSIF TG_TABLE_NAME = 'rsvps' THEN
        INSERT INTO source.deletions (tenant, table_name, key1, key2)
        SELECT tenant, TG_TABLE_NAME, event_id, member_id FROM gone;
    ELSE
        INSERT INTO source.deletions (tenant, table_name, key1) SELECT tenant, TG_TABLE_NAME, id FROM gone;
    END IF;
    RETURN NULL;
END $$;

-- ---- Bronze, watermarks, key maps ----
ALTER TABLE wh_bronze_groups DROP CONSTRAINT wh_bronze_groups_pkey, ADD PRIMARY KEY (tenant, id);
ALTER TABLE wh_bronze_members DROP CONSTRAINT wh_bronze_members_pkey, ADD PRIMARY KEY (tenant, id);
ALTER TABLE wh_bronze_memberships DROP CONSTRAINT wh_bronze_memberships_pkey,
    ADD PRIMARY KEY (tenant, group_id, member_id);
ALTER TABLE wh_bronze_venues DROP CONSTRAINT wh_bronze_venues_pkey, ADD PRIMARY KEY (tenant, id);
ALTER TABLE wh_bronze_events DROP CONSTRAINT wh_bronze_events_pkey, ADD PRIMARY KEY (tenant, id);
ALTER TABLE wh_bronze_rsvps DROP CONSTRAINT wh_bronze_rsvps_pkey, ADD PRIMARY KEY (tenant, event_id, member_id);
DROP INDEX wh_bronze_memberships_member_id_idx;
CREATE INDEX wh_bronze_memberships_member_id_idx ON wh_bronze_memberships (tenant, member_id);
DROP INDEX wh_bronze_rsvps_member_id_idx;
CREATE INDEX wh_bronze_rsvps_member_id_idx ON wh_bronze_rsvps (tenant, member_id);

-- A tenant's watermark rows are written by its first run (the default tenant keeps the six it has).
ALTER TABLE wh_watermark DROP CONSTRAINT wh_watermark_pkey, ADD PRIMARY KEY (tenant, table_name);

-- Surrogate keys stay numbered by one sequence per map, so a surrogate key is unique across tenants too; the tenant
-- leads the keys all the same, as every join names it.
ALTER TABLE wh_keymap_group DROP CONSTRAINT wh_keymap_group_pkey, DROP CONSTRAINT wh_keymap_group_group_sk_key,
    ADD PRIMARY KEY (tenant, group_id), ADD UNIQUE (tenant, group_sk);
ALTER TABLE wh_keymap_member DROP CONSTRAINT wh_keymap_member_pkey, DROP CONSTRAINT wh_keymap_member_member_sk_key,
    ADD PRIMARY KEY (tenant, member_id), ADD UNIQUE (tenant, member_sk);
ALTER TABLE wh_keymap_venue DROP CONSTRAINT wh_keymap_venue_pkey, DROP CONSTRAINT wh_keymap_venue_venue_sk_key,
    ADD PRIMARY KEY (tenant, venue_id), ADD UNIQUE (tenant, venue_sk);
ALTER TABLE wh_keymap_event DROP CONSTRAINT wh_keymap_event_pkey, DROP CONSTRAINT wh_keymap_event_event_sk_key,
    ADD PRIMARY KEY (tenant, event_id), ADD UNIQUE (tenant, event_sk);

-- ---- Silver ----
ALTER TABLE wh_silver_group DROP CONSTRAINT wh_silver_group_pkey, ADD PRIMARY KEY (tenant, group_sk);
ALTER TABLE wh_silver_member DROP CONSTRAINT wh_silver_member_pkey, ADD PRIMARY KEY (tenant, member_sk);
ALTER TABLE wh_silver_membership DROP CONSTRAINT wh_silver_membership_pkey,
    ADD PRIMARY KEY (tenant, group_sk, member_sk);
DROP INDEX wh_silver_membership_member_sk_idx;
CREATE INDEX wh_silver_membership_member_sk_idx ON wh_silver_membership (tenant, member_sk);
ALTER TABLE wh_silver_venue DROP CONSTRAINT wh_silver_venue_pkey, ADD PRIMARY KEY (tenant, venue_sk);
ALTER TABLE wh_silver_event DROP CONSTRAINT wh_silver_event_pkey, ADD PRIMARY KEY (tenant, event_sk);
DROP INDEX wh_silver_event_group_sk_idx;
CREATE INDEX wh_silver_event_group_sk_idx ON wh_silver_event (tenant, group_sk);
ALTER TABLE wh_silver_rsvp DROP CONSTRAINT wh_silver_rsvp_pkey, ADD PRIMARY KEY (tenant, rsvp_version_sk);
DROP INDEX wh_silver_rsvp_current;
CREATE UNIQUE INDEX wh_silver_rsvp_current ON wh_silver_rsvp (tenant, event_sk, member_sk) WHERE is_current;
DROP INDEX wh_silver_rsvp_member_sk_idx;
CREATE INDEX wh_silver_rsvp_member_sk_idx ON wh_silver_rsvp (tenant, member_sk);
DROP INDEX wh_silver_rsvp_valid_from_idx;
CREATE INDEX wh_silver_rsvp_valid_from_idx ON wh_silver_rsvp (tenant, valid_from);

-- ---- Gold, runs, erasures ----
ALTER TABLE wh_gold_event_signup DROP CONSTRAINT wh_gold_event_signup_pkey, ADD PRIMARY KEY (tenant, event_sk);
DROP INDEX wh_gold_event_signup_group_sk_idx;
CREATE INDEX wh_gold_event_signup_group_sk_idx ON wh_gold_event_signup (tenant, group_sk);
DROP INDEX wh_gold_event_signup_starts_at_idx;
CREATE INDEX wh_gold_event_signup_starts_at_idx ON wh_gold_event_signup (tenant, starts_at);
ALTER TABLE wh_gold_monthly_active DROP CONSTRAINT wh_gold_monthly_active_pkey,
    ADD PRIMARY KEY (tenant, month, country_code);
ALTER TABLE wh_gold_group_growth DROP CONSTRAINT wh_gold_group_growth_pkey, ADD PRIMARY KEY (tenant, group_sk, month);
ALTER TABLE wh_gold_top_group DROP CONSTRAINT wh_gold_top_group_pkey, ADD PRIMARY KEY (tenant, country_code, rank);
-- Run ids stay one sequence (as count-service's replay ids); another tenant's id is answered like a missing one.
ALTER TABLE wh_run DROP CONSTRAINT wh_run_pkey, ADD PRIMARY KEY (tenant, id);
ALTER TABLE wh_erased_member DROP CONSTRAINT wh_erased_member_pkey, ADD PRIMARY KEY (tenant, member_hash);

-- ---- App sessions: two tenants may upload the same row, and each has its own users. ----
ALTER TABLE sess_event DROP CONSTRAINT sess_event_pkey, ADD PRIMARY KEY (tenant, id),
    DROP CONSTRAINT sess_event_content_hash, ADD CONSTRAINT sess_event_content_hash UNIQUE (tenant, content_hash);
DROP INDEX sess_event_user_time;
CREATE INDEX sess_event_user_time ON sess_event (tenant, anonymous_key, device_key, created_at);
ALTER TABLE sess_session DROP CONSTRAINT sess_session_pkey,
    ADD CONSTRAINT sess_session_pkey PRIMARY KEY (tenant, anonymous_key, device_key, started_at);
DROP INDEX sess_session_started;
CREATE INDEX sess_session_started ON sess_session (tenant, started_at);
DROP INDEX sess_dirty_user;
CREATE INDEX sess_dirty_user ON sess_dirty (tenant, anonymous_key, device_key);

-- ---- Work tables become temporary tables of the transaction that uses them ----
-- A run's change list and dirty sets, and a session rebuild's windows, were unlogged tables emptied by each use under
-- the one global lock. Runs of different tenants now run side by side: each transaction creates its own (ON COMMIT
-- DROP), which no other session can see, so they need no tenant, no policy and no emptying, and their statistics
-- describe that run's rows only.
DROP TABLE wh_changed, wh_dirty_event, wh_dirty_group, wh_dirty_month, wh_rsvp_change, sess_rebuild_window;

-- Whether a tenant other than `me` holds a row in any of `tables` (each led by the tenant in its primary key): the
-- one question a tenant's transaction asks about the others, answered yes or no, never with a row. A tenant alone in
-- a shared table may restructure it for a bulk load (drop and rebuild its indexes, TRUNCATE what is its own);
-- beside others it may not. The system scope holds only while the function runs (set and restored here: PostgreSQL
-- 15 lets no ordinary role name a custom setting in a function's SET clause); should a probe fail, the transaction
-- fails with it. Two range probes of the tenant-leading key per table, never a scan of the caller's own rows.
CREATE FUNCTION other_tenants_hold_rows(me text, tables regclass[]) RETURNS boolean
    LANGUAGE plpgsql VOLATILE SET search_path = analytics, pg_temp AS $$
DECLARE
    scope text := current_setting('footfall.scope', true);
    t regclass;
    found boolean := false;
BEGIN
    PERFORM set_config('footfall.scope', 'system', true);
    FOREACH t IN ARRAY tables LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE tenant < $1) OR EXISTS (SELECT 1 FROM %s WHERE tenant > $1)',
                       t, t) INTO found USING me;
        EXIT WHEN found;
    END LOOP;
    PERFORM set_config('footfall.scope', coalesce(scope, ''), true);
    RETURN found;
END $$;
REVOKE EXECUTE ON FUNCTION other_tenants_hold_rows(text, regclass[]) FROM PUBLIC;

