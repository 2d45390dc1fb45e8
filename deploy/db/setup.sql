-- Footfall's database roles and one database, idempotent: run as an admin (a superuser, or a role with CREATEROLE
-- and CREATEDB) connected to any database of the server, e.g. `postgres`. Every caller runs this file: ./footfall
-- (up, test, db setup), the smoke test and the bench harness through it, the TimescaleDB container's init script
-- (deploy/db/initdb.sh) and, by hand, whoever prepares an external PostgreSQL (deploy/db/README.md).
--
-- psql variables (-v name=value, or \set before this file):
--   dbname                  the database to create and prepare [footfall]
--   ingest_role, count_role, holiday_role, analytics_role
--                           the services' login roles [footfall_ingest, footfall_count, footfall_holiday,
--                           footfall_analytics]
--   ingest_password, count_password, holiday_password, analytics_password
--                           each role's password, plain or a SCRAM-SHA-256 verifier ('SCRAM-SHA-256$4096:...');
--                           empty or unset leaves the role's password as it is [empty]
--
-- What it does: each role exists with LOGIN and nothing more (NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION
-- NOBYPASSRLS) but membership in pg_read_all_settings (the migrations read shared_preload_libraries to tell whether
-- TimescaleDB is loaded; INHERIT, so that membership counts); the database exists, PUBLIC may not connect to it and
-- the four roles may (CONNECT, TEMPORARY; analytics also CREATE: its migrations make the schema `source`); each
-- service's schema exists and is owned by its role, and so is everything in it: a database made when the services
-- connected as one admin upgrades in place. What a service may read of another's schema is granted by
-- the owner's migrations, never here. Where TimescaleDB is preloaded, the extension is created here once (four
-- services creating it at once raced).
--
-- psql variables do not expand inside DO blocks, so conditional DDL is a SELECT of statements run by \gexec.

\set ON_ERROR_STOP on
\if :{?dbname} \else \set dbname footfall \endif
\if :{?ingest_role} \else \set ingest_role footfall_ingest \endif
\if :{?count_role} \else \set count_role footfall_count \endif
\if :{?holiday_role} \else \set holiday_role footfall_holiday \endif
\if :{?analytics_role} \else \set analytics_role footfall_analytics \endif
\if :{?ingest_password} \else \set ingest_password '' \endif
\if :{?count_password} \else \set count_password '' \endif
\if :{?holiday_password} \else \set holiday_password '' \endif
\if :{?analytics_password} \else \set analytics_password '' \endif

-- The one place that pairs each service's schema with its role: (schema, role, password), as `:services AS s(...)`.
\set services '(VALUES (''ingest'', ' :'ingest_role' ', ' :'ingest_password' '), (''count'', ' :'count_role' ', ' :'count_password' '), (''holiday'', ' :'holiday_role' ', ' :'holiday_password' '), (''analytics'', ' :'analytics_role' ', ' :'analytics_password' '))'
-- Every schema a service's migrations made, with its owner: analytics-service's also made `source` (the warehouse's
-- simulated source system), created by its migrations, only handed over here when an earlier Footfall left it.
\set owners '(SELECT schema, role FROM ' :services ' AS s(schema, role, password) UNION ALL VALUES (''source'', ' :'analytics_role' '))'

-- ---- Roles (cluster-wide) ----

SELECT format('CREATE ROLE %I WITH LOGIN', s.role)
FROM :services AS s(schema, role, password)
WHERE NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = s.role)
\gexec

-- Only when an attribute is off: a non-superuser admin may not even name SUPERUSER, REPLICATION or BYPASSRLS.
SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT',
              r.rolname)
FROM :services AS s(schema, role, password)
JOIN pg_roles r ON r.rolname = s.role
WHERE NOT r.rolcanlogin OR r.rolsuper OR r.rolcreatedb OR r.rolcreaterole OR r.rolreplication OR r.rolbypassrls
   OR NOT r.rolinherit
\gexec

SELECT format('GRANT pg_read_all_settings TO %I', s.role)
FROM :services AS s(schema, role, password)
WHERE NOT pg_has_role(s.role, 'pg_read_all_settings', 'USAGE')
\gexec

SELECT format('ALTER ROLE %I PASSWORD %L', s.role, s.password)
FROM :services AS s(schema, role, password)
WHERE s.password <> ''
\gexec

-- A non-superuser admin (a managed PostgreSQL's) must be a member of a role to make it an owner.
SELECT format('GRANT %I TO CURRENT_USER', s.role)
FROM :services AS s(schema, role, password)
WHERE NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
  AND NOT pg_has_role(current_user, s.role, 'MEMBER')
\gexec

-- ---- The database ----

SELECT format('CREATE DATABASE %I', :'dbname')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'dbname')
\gexec

REVOKE ALL ON DATABASE :"dbname" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"dbname" TO :"ingest_role", :"count_role", :"holiday_role", :"analytics_role";
-- analytics-service's migrations create the schema `source` (the warehouse's stand-in for a source database), and
-- CREATE SCHEMA IF NOT EXISTS needs this even when the schema exists.
GRANT CREATE ON DATABASE :"dbname" TO :"analytics_role";

\connect :dbname

-- Before any service migrates: TimescaleDB's own objects are the admin's, and the services only use them.
SELECT 'CREATE EXTENSION IF NOT EXISTS timescaledb SCHEMA public'
WHERE coalesce(current_setting('shared_preload_libraries', true), '') LIKE '%timescaledb%'
  AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
  AND NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
\gexec

-- ---- Each service's schema, and everything in it, owned by its role ----

SELECT format('CREATE SCHEMA %I AUTHORIZATION %I', s.schema, s.role)
FROM :services AS s(schema, role, password)
WHERE NOT EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = s.schema)
\gexec

-- Objects another owner left in a service's schema (the services used to connect as the admin). Indexes, identity and
-- serial sequences, row types, triggers and TimescaleDB chunks follow their table; members of extensions stay.
CREATE TEMPORARY TABLE footfall_handover AS
WITH s AS (
    SELECT s.schema, s.role, n.oid AS nsp, n.nspowner, r.oid AS owner
    FROM :owners AS s(schema, role)
    JOIN pg_roles r ON r.rolname = s.role
    JOIN pg_namespace n ON n.nspname = s.schema
)
SELECT step, stmt, old_owner
FROM (
    SELECT 1 AS step, format('ALTER SCHEMA %I OWNER TO %I', s.schema, s.role) AS stmt,
           s.nspowner AS old_owner
    FROM s
    WHERE s.nspowner <> s.owner
    UNION ALL
    SELECT 2, format('ALTER %s %I.%I OWNER TO %I',
                     CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                                    WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'c' THEN 'TYPE' ELSE 'TABLE' END,
                     s.schema, c.relname, s.role), c.relowner
    FROM s
    JOIN pg_class c ON c.relnamespace = s.nsp
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
      AND c.relowner <> s.owner
      AND NOT EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                        AND (d.deptype = 'e' OR (c.relkind = 'S' AND d.deptype IN ('a', 'i'))))
    UNION ALL
    SELECT 3, format('ALTER %s %I.%I(%s) OWNER TO %I',
                     CASE p.prokind WHEN 'a' THEN 'AGGREGATE' WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
                     s.schema, p.proname, pg_get_function_identity_arguments(p.oid), s.role), p.proowner
    FROM s
    JOIN pg_proc p ON p.pronamespace = s.nsp
    WHERE p.proowner <> s.owner
      AND NOT EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
    UNION ALL
    SELECT 4, format('ALTER %s %I.%I OWNER TO %I', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
                     s.schema, t.typname, s.role), t.typowner
    FROM s
    JOIN pg_type t ON t.typnamespace = s.nsp
    WHERE t.typtype IN ('e', 'd', 'r', 'm')
      AND t.typowner <> s.owner
      AND NOT EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
    UNION ALL
    SELECT 5, format('ALTER STATISTICS %I.%I OWNER TO %I', s.schema, x.stxname, s.role), x.stxowner
    FROM s
    JOIN pg_statistic_ext x ON x.stxnamespace = s.nsp
    WHERE x.stxowner <> s.owner
) AS transfer;

SELECT count(*) > 0 AS handover,
       format('    handing %s objects over to the services'' roles (they were %s''s)', count(*),
              string_agg(DISTINCT pg_get_userbyid(old_owner), ', ')) AS handover_message
FROM footfall_handover
\gset
\if :handover
\echo :handover_message
\endif
SELECT stmt FROM footfall_handover ORDER BY step, stmt
\gexec
DROP TABLE footfall_handover;
