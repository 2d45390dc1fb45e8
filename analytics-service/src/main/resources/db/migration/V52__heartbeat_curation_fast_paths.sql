-- Heartbeat curation without needless comparisons.
--
-- 1. A staged heartbeat first staged after the previous run's snapshot cannot have a curated copy yet (every run reads
--    only rows staged up to its snapshot), so curation inserts it without ON CONFLICT; only the other candidates are
--    upserted and compared. first_loaded_at is when the row was first staged (the staging upsert leaves it alone);
--    rows staged before this migration have none and take the upsert path. The default is set after the column is
--    added, so existing rows are not rewritten.
ALTER TABLE hb_stg_event ADD COLUMN first_loaded_at timestamptz;
ALTER TABLE hb_stg_event ALTER COLUMN first_loaded_at SET DEFAULT now();

ALTER TABLE hb_curation_state ADD COLUMN snapshot_watermark timestamptz;
UPDATE hb_curation_state SET snapshot_watermark = updated_at WHERE created_watermark IS NOT NULL;

-- 2. The staging-time watermarks are now exact (the start of the oldest transaction still open when a run started,
--    see CurationRepository) instead of the run's snapshot less a fixed overlap; the watermarks saved before this
--    migration are moved back by the former default overlap once, so that the next run looks at what it would have.
UPDATE hb_curation_state
SET loaded_watermark = loaded_watermark - interval '1 minute',
    dimension_watermark = dimension_watermark - interval '1 minute';

-- 3. The day rebuild no longer analyzes the day's partition first: its plan (hash aggregates) does not depend on the
--    statistics, and ANALYZE cost about 0.4 s per day rebuilt. Autovacuum analyzes the partitions for the readers.
DROP FUNCTION hb_analyze_day(date);
