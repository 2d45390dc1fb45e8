-- Tenancy: a location belongs to a tenant, and so do its holiday versions and year snapshots (they are the
-- location's history). Ids are unique per tenant (two tenants may each have a location with the same client-chosen
-- id), the tenant leads every key and index, and row-level security admits only the rows of the tenant set for the
-- transaction (footfall.tenant, SET LOCAL by TenantSql), or every row to the scheduled jobs' system scope. FORCE binds
-- this schema's owner too: the service's role is the owner and is not a superuser. The calendars the holidays are
-- computed from (the holiday library, the overlay, ISO 3166-2) are not in the database and stay shared.

-- Rows stored before tenancy belong to the default tenant (the token's claim was stored but never enforced).
UPDATE location SET tenant = 'default' WHERE tenant <> 'default';
ALTER TABLE holiday_version ADD COLUMN tenant varchar(64) NOT NULL DEFAULT 'default';
ALTER TABLE holiday_year ADD COLUMN tenant varchar(64) NOT NULL DEFAULT 'default';
ALTER TABLE holiday ADD COLUMN tenant varchar(64) NOT NULL DEFAULT 'default';
ALTER TABLE holiday_version ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE holiday_year ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE holiday ALTER COLUMN tenant DROP DEFAULT;

-- Keys: the references first, then the keys they point at.
ALTER TABLE holiday DROP CONSTRAINT holiday_location_id_year_version_fkey;
ALTER TABLE holiday_year DROP CONSTRAINT holiday_year_location_id_version_fkey;
ALTER TABLE holiday_version DROP CONSTRAINT holiday_version_location_id_fkey;

ALTER TABLE location DROP CONSTRAINT location_pkey, ADD PRIMARY KEY (tenant, location_id);
ALTER TABLE holiday_version DROP CONSTRAINT holiday_version_pkey, ADD PRIMARY KEY (tenant, location_id, version);
ALTER TABLE holiday_year DROP CONSTRAINT holiday_year_pkey, ADD PRIMARY KEY (tenant, location_id, year, version);

ALTER TABLE holiday_version ADD FOREIGN KEY (tenant, location_id) REFERENCES location (tenant, location_id);
ALTER TABLE holiday_year ADD FOREIGN KEY (tenant, location_id, version)
    REFERENCES holiday_version (tenant, location_id, version);
ALTER TABLE holiday ADD FOREIGN KEY (tenant, location_id, year, version)
    REFERENCES holiday_year (tenant, location_id, year, version);

-- At most one current version per location.
DROP INDEX holiday_version_current;
CREATE UNIQUE INDEX holiday_version_current ON holiday_version (tenant, location_id) WHERE valid_to IS NULL;
DROP INDEX holiday_by_snapshot;
CREATE INDEX holiday_by_snapshot ON holiday (tenant, location_id, year, version, date);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['location', 'holiday_version', 'holiday_year', 'holiday'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_rows ON %I USING (tenant = current_setting(''footfall.tenant'', true)) '
                       'WITH CHECK (tenant = current_setting(''footfall.tenant'', true))', t);
        EXECUTE format('CREATE POLICY system_jobs ON %I USING (current_setting(''footfall.scope'', true) = ''system'')',
                       t);
    END LOOP;
END $$;
