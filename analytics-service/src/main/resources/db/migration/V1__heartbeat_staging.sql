-- Staging tables for the device-monitoring product, loaded as they come (upsert by id).
CREATE TABLE stg_cohort (
    id         bigint      PRIMARY KEY,
    project_id bigint      NOT NULL,
    name       text        NOT NULL,
    loaded_at  timestamptz NOT NULL DEFAULT now()
);
