-- Venue locations whose holidays are served. Deactivation keeps the row (and its history).
CREATE TABLE location (
    location_id      uuid         PRIMARY KEY,
    tenant           varchar(64)  NOT NULL,
    country_code     char(2)      NOT NULL,
    subdivision_code varchar(6),
    active           boolean      NOT NULL DEFAULT true,
    created_at       timestamptz  NOT NULL DEFAULT now(),
    deactivated_at   timestamptz
);
