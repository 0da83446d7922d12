-- revision: 2f462b379e03
-- down_revision: ad42aea13565
-- message: integrity - ON DELETE actions, unique and CHECK constraints, defaults, NOT NULL timestamps, updated_at triggers, source labels
-- created: 2026-11-29T21:50:18Z
--
-- Sections run in file order for a dialect: the portable section everywhere
-- (translated on SQLite), then the postgresql or sqlite block.  On downgrade
-- the dialect blocks come first, so the triggers are gone before any ALTER.
-- +upgrade
-- searchdatabasesource_enum gets the labels and order of schema.md (PubMed,
-- Scopus, Embase, Other, benchmark_csv).  A new type and a cast work whether a
-- database has the migration-built labels (PUBMED, SCOPUS) or, built by the
-- Python application's create_all, already the model's: no condition needed.
CREATE TYPE searchdatabasesource_enum_new AS ENUM ('PubMed', 'Scopus', 'Embase', 'Other', 'benchmark_csv');
ALTER TABLE search_results
    ALTER COLUMN source_db TYPE searchdatabasesource_enum_new
    USING (CASE source_db::text WHEN 'PUBMED' THEN 'PubMed' WHEN 'SCOPUS' THEN 'Scopus' ELSE source_db::text END)::searchdatabasesource_enum_new;
DROP TYPE searchdatabasesource_enum;
ALTER TYPE searchdatabasesource_enum_new RENAME TO searchdatabasesource_enum;

-- Timestamps: rows written without one get the migration's time (updated_at
-- falls back to created_at) before the columns become NOT NULL.
UPDATE systematic_reviews SET created_at = now() WHERE created_at IS NULL;
UPDATE systematic_reviews SET updated_at = created_at WHERE updated_at IS NULL;
UPDATE search_results SET created_at = now() WHERE created_at IS NULL;
UPDATE search_results SET updated_at = created_at WHERE updated_at IS NULL;
UPDATE screen_abstract_results SET created_at = now() WHERE created_at IS NULL;
UPDATE screen_abstract_results SET updated_at = created_at WHERE updated_at IS NULL;
UPDATE screening_resolutions SET created_at = now() WHERE created_at IS NULL;
UPDATE screening_resolutions SET updated_at = created_at WHERE updated_at IS NULL;
UPDATE benchmark_runs SET created_at = now() WHERE created_at IS NULL;
UPDATE benchmark_runs SET updated_at = created_at WHERE updated_at IS NULL;
UPDATE benchmark_result_items SET created_at = now() WHERE created_at IS NULL;
UPDATE benchmark_result_items SET updated_at = created_at WHERE updated_at IS NULL;

-- Per table: foreign keys again with their ON DELETE action (same names),
-- unique and CHECK constraints, jsonb defaults, NOT NULL DEFAULT now() timestamps.
-- A duplicate (benchmark_run_id, search_result_id) or an out-of-range value
-- makes the revision fail here and roll back, naming the offending key.
ALTER TABLE systematic_reviews
    ALTER COLUMN criteria_framework_answers SET DEFAULT '{}',
    ALTER COLUMN review_metadata SET DEFAULT '{}',
    ALTER COLUMN created_at SET DEFAULT now(),
    ALTER COLUMN created_at SET NOT NULL,
    ALTER COLUMN updated_at SET DEFAULT now(),
    ALTER COLUMN updated_at SET NOT NULL;
ALTER TABLE search_results
    DROP CONSTRAINT search_results_review_id_fkey,
    DROP CONSTRAINT search_results_conservative_result_id_fkey,
    DROP CONSTRAINT search_results_comprehensive_result_id_fkey,
    DROP CONSTRAINT search_results_resolution_id_fkey,
    ADD CONSTRAINT search_results_review_id_fkey FOREIGN KEY (review_id) REFERENCES systematic_reviews (id) ON DELETE CASCADE,
    ADD CONSTRAINT search_results_conservative_result_id_fkey FOREIGN KEY (conservative_result_id) REFERENCES screen_abstract_results (id) ON DELETE SET NULL,
    ADD CONSTRAINT search_results_comprehensive_result_id_fkey FOREIGN KEY (comprehensive_result_id) REFERENCES screen_abstract_results (id) ON DELETE SET NULL,
    ADD CONSTRAINT search_results_resolution_id_fkey FOREIGN KEY (resolution_id) REFERENCES screening_resolutions (id) ON DELETE SET NULL,
    ALTER COLUMN raw_data SET DEFAULT '{}',
    ALTER COLUMN source_metadata SET DEFAULT '{}',
    ALTER COLUMN created_at SET DEFAULT now(),
    ALTER COLUMN created_at SET NOT NULL,
    ALTER COLUMN updated_at SET DEFAULT now(),
    ALTER COLUMN updated_at SET NOT NULL;
ALTER TABLE screen_abstract_results
    DROP CONSTRAINT screen_abstract_results_review_id_fkey,
    ADD CONSTRAINT screen_abstract_results_review_id_fkey FOREIGN KEY (review_id) REFERENCES systematic_reviews (id) ON DELETE CASCADE,
    ADD CONSTRAINT ck_screen_abstract_results_confidence_score CHECK (confidence_score >= 0 AND confidence_score <= 1),
    ALTER COLUMN exclusion_reason_categories SET DEFAULT '{}',
    ALTER COLUMN response_metadata SET DEFAULT '{}',
    ALTER COLUMN created_at SET DEFAULT now(),
    ALTER COLUMN created_at SET NOT NULL,
    ALTER COLUMN updated_at SET DEFAULT now(),
    ALTER COLUMN updated_at SET NOT NULL;
ALTER TABLE screening_resolutions
    DROP CONSTRAINT screening_resolutions_search_result_id_fkey,
    DROP CONSTRAINT screening_resolutions_review_id_fkey,
    ADD CONSTRAINT screening_resolutions_search_result_id_fkey FOREIGN KEY (search_result_id) REFERENCES search_results (id) ON DELETE CASCADE,
    ADD CONSTRAINT screening_resolutions_review_id_fkey FOREIGN KEY (review_id) REFERENCES systematic_reviews (id) ON DELETE CASCADE,
    ADD CONSTRAINT ck_screening_resolutions_resolver_confidence_score CHECK (resolver_confidence_score >= 0 AND resolver_confidence_score <= 1),
    ALTER COLUMN response_metadata SET DEFAULT '{}',
    ALTER COLUMN created_at SET DEFAULT now(),
    ALTER COLUMN created_at SET NOT NULL,
    ALTER COLUMN updated_at SET DEFAULT now(),
    ALTER COLUMN updated_at SET NOT NULL;
ALTER TABLE log_records
    DROP CONSTRAINT log_records_review_id_fkey,
    ADD CONSTRAINT log_records_review_id_fkey FOREIGN KEY (review_id) REFERENCES systematic_reviews (id) ON DELETE SET NULL,
    ALTER COLUMN extra SET DEFAULT '{}',
    ALTER COLUMN record SET DEFAULT '{}';
ALTER TABLE benchmark_runs
    DROP CONSTRAINT benchmark_runs_review_id_fkey,
    ADD CONSTRAINT benchmark_runs_review_id_fkey FOREIGN KEY (review_id) REFERENCES systematic_reviews (id) ON DELETE CASCADE,
    ALTER COLUMN created_at SET DEFAULT now(),
    ALTER COLUMN created_at SET NOT NULL,
    ALTER COLUMN updated_at SET DEFAULT now(),
    ALTER COLUMN updated_at SET NOT NULL;
ALTER TABLE benchmark_result_items
    DROP CONSTRAINT benchmark_result_items_benchmark_run_id_fkey,
    DROP CONSTRAINT benchmark_result_items_search_result_id_fkey,
    ADD CONSTRAINT benchmark_result_items_benchmark_run_id_fkey FOREIGN KEY (benchmark_run_id) REFERENCES benchmark_runs (id) ON DELETE CASCADE,
    ADD CONSTRAINT benchmark_result_items_search_result_id_fkey FOREIGN KEY (search_result_id) REFERENCES search_results (id) ON DELETE CASCADE,
    ADD CONSTRAINT uq_benchmark_result_items_run_record UNIQUE (benchmark_run_id, search_result_id),
    ADD CONSTRAINT ck_benchmark_result_items_conservative_confidence CHECK (conservative_confidence IS NULL OR (conservative_confidence >= 0 AND conservative_confidence <= 1)),
    ADD CONSTRAINT ck_benchmark_result_items_comprehensive_confidence CHECK (comprehensive_confidence IS NULL OR (comprehensive_confidence >= 0 AND comprehensive_confidence <= 1)),
    ADD CONSTRAINT ck_benchmark_result_items_resolver_confidence CHECK (resolver_confidence IS NULL OR (resolver_confidence >= 0 AND resolver_confidence <= 1)),
    ADD CONSTRAINT ck_benchmark_result_items_classification CHECK (classification IN ('TP', 'FP', 'FN', 'TN', 'UNKNOWN')),
    ALTER COLUMN created_at SET DEFAULT now(),
    ALTER COLUMN created_at SET NOT NULL,
    ALTER COLUMN updated_at SET DEFAULT now(),
    ALTER COLUMN updated_at SET NOT NULL;
-- +upgrade postgresql
-- The database keeps updated_at current on every UPDATE, whoever writes the
-- row; a writer that sets updated_at itself keeps its value (as on SQLite).
CREATE FUNCTION sra_set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER trg_systematic_reviews_updated_at BEFORE UPDATE ON systematic_reviews
    FOR EACH ROW EXECUTE FUNCTION sra_set_updated_at();
CREATE TRIGGER trg_search_results_updated_at BEFORE UPDATE ON search_results
    FOR EACH ROW EXECUTE FUNCTION sra_set_updated_at();
CREATE TRIGGER trg_screen_abstract_results_updated_at BEFORE UPDATE ON screen_abstract_results
    FOR EACH ROW EXECUTE FUNCTION sra_set_updated_at();
CREATE TRIGGER trg_screening_resolutions_updated_at BEFORE UPDATE ON screening_resolutions
    FOR EACH ROW EXECUTE FUNCTION sra_set_updated_at();
CREATE TRIGGER trg_benchmark_runs_updated_at BEFORE UPDATE ON benchmark_runs
    FOR EACH ROW EXECUTE FUNCTION sra_set_updated_at();
CREATE TRIGGER trg_benchmark_result_items_updated_at BEFORE UPDATE ON benchmark_result_items
    FOR EACH ROW EXECUTE FUNCTION sra_set_updated_at();
-- +upgrade sqlite
-- SQLite: the same rule with AFTER UPDATE triggers (recursive_triggers is off).
CREATE TRIGGER trg_systematic_reviews_updated_at AFTER UPDATE ON systematic_reviews
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE systematic_reviews SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER trg_search_results_updated_at AFTER UPDATE ON search_results
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE search_results SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER trg_screen_abstract_results_updated_at AFTER UPDATE ON screen_abstract_results
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE screen_abstract_results SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER trg_screening_resolutions_updated_at AFTER UPDATE ON screening_resolutions
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE screening_resolutions SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER trg_benchmark_runs_updated_at AFTER UPDATE ON benchmark_runs
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE benchmark_runs SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER trg_benchmark_result_items_updated_at AFTER UPDATE ON benchmark_result_items
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE benchmark_result_items SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;
-- +downgrade postgresql
DROP TRIGGER trg_benchmark_result_items_updated_at ON benchmark_result_items;
DROP TRIGGER trg_benchmark_runs_updated_at ON benchmark_runs;
DROP TRIGGER trg_screening_resolutions_updated_at ON screening_resolutions;
DROP TRIGGER trg_screen_abstract_results_updated_at ON screen_abstract_results;
DROP TRIGGER trg_search_results_updated_at ON search_results;
DROP TRIGGER trg_systematic_reviews_updated_at ON systematic_reviews;
DROP FUNCTION sra_set_updated_at();
-- +downgrade sqlite
DROP TRIGGER trg_benchmark_result_items_updated_at;
DROP TRIGGER trg_benchmark_runs_updated_at;
DROP TRIGGER trg_screening_resolutions_updated_at;
DROP TRIGGER trg_screen_abstract_results_updated_at;
DROP TRIGGER trg_search_results_updated_at;
DROP TRIGGER trg_systematic_reviews_updated_at;
-- +downgrade
-- Everything back as revision 3 had it.  Backfilled timestamps stay filled;
-- the timestamp defaults stay now(), as revisions 1-3 create them.
ALTER TABLE benchmark_result_items
    DROP CONSTRAINT ck_benchmark_result_items_classification,
    DROP CONSTRAINT ck_benchmark_result_items_resolver_confidence,
    DROP CONSTRAINT ck_benchmark_result_items_comprehensive_confidence,
    DROP CONSTRAINT ck_benchmark_result_items_conservative_confidence,
    DROP CONSTRAINT uq_benchmark_result_items_run_record,
    DROP CONSTRAINT benchmark_result_items_benchmark_run_id_fkey,
    DROP CONSTRAINT benchmark_result_items_search_result_id_fkey,
    ADD CONSTRAINT benchmark_result_items_benchmark_run_id_fkey FOREIGN KEY (benchmark_run_id) REFERENCES benchmark_runs (id),
    ADD CONSTRAINT benchmark_result_items_search_result_id_fkey FOREIGN KEY (search_result_id) REFERENCES search_results (id),
    ALTER COLUMN created_at DROP NOT NULL,
    ALTER COLUMN updated_at DROP NOT NULL;
ALTER TABLE benchmark_runs
    DROP CONSTRAINT benchmark_runs_review_id_fkey,
    ADD CONSTRAINT benchmark_runs_review_id_fkey FOREIGN KEY (review_id) REFERENCES systematic_reviews (id),
    ALTER COLUMN created_at DROP NOT NULL,
    ALTER COLUMN updated_at DROP NOT NULL;
ALTER TABLE log_records
    DROP CONSTRAINT log_records_review_id_fkey,
    ADD CONSTRAINT log_records_review_id_fkey FOREIGN KEY (review_id) REFERENCES systematic_reviews (id),
    ALTER COLUMN extra DROP DEFAULT,
    ALTER COLUMN record DROP DEFAULT;
ALTER TABLE screening_resolutions
    DROP CONSTRAINT ck_screening_resolutions_resolver_confidence_score,
    DROP CONSTRAINT screening_resolutions_search_result_id_fkey,
    DROP CONSTRAINT screening_resolutions_review_id_fkey,
    ADD CONSTRAINT screening_resolutions_search_result_id_fkey FOREIGN KEY (search_result_id) REFERENCES search_results (id),
    ADD CONSTRAINT screening_resolutions_review_id_fkey FOREIGN KEY (review_id) REFERENCES systematic_reviews (id),
    ALTER COLUMN response_metadata DROP DEFAULT,
    ALTER COLUMN created_at DROP NOT NULL,
    ALTER COLUMN updated_at DROP NOT NULL;
ALTER TABLE screen_abstract_results
    DROP CONSTRAINT ck_screen_abstract_results_confidence_score,
    DROP CONSTRAINT screen_abstract_results_review_id_fkey,
    ADD CONSTRAINT screen_abstract_results_review_id_fkey FOREIGN KEY (review_id) REFERENCES systematic_reviews (id),
    ALTER COLUMN exclusion_reason_categories DROP DEFAULT,
    ALTER COLUMN response_metadata DROP DEFAULT,
    ALTER COLUMN created_at DROP NOT NULL,
    ALTER COLUMN updated_at DROP NOT NULL;
ALTER TABLE search_results
    DROP CONSTRAINT search_results_review_id_fkey,
    DROP CONSTRAINT search_results_conservative_result_id_fkey,
    DROP CONSTRAINT search_results_comprehensive_result_id_fkey,
    DROP CONSTRAINT search_results_resolution_id_fkey,
    ADD CONSTRAINT search_results_review_id_fkey FOREIGN KEY (review_id) REFERENCES systematic_reviews (id),
    ADD CONSTRAINT search_results_conservative_result_id_fkey FOREIGN KEY (conservative_result_id) REFERENCES screen_abstract_results (id),
    ADD CONSTRAINT search_results_comprehensive_result_id_fkey FOREIGN KEY (comprehensive_result_id) REFERENCES screen_abstract_results (id),
    ADD CONSTRAINT search_results_resolution_id_fkey FOREIGN KEY (resolution_id) REFERENCES screening_resolutions (id),
    ALTER COLUMN raw_data DROP DEFAULT,
    ALTER COLUMN source_metadata DROP DEFAULT,
    ALTER COLUMN created_at DROP NOT NULL,
    ALTER COLUMN updated_at DROP NOT NULL;
ALTER TABLE systematic_reviews
    ALTER COLUMN criteria_framework_answers DROP DEFAULT,
    ALTER COLUMN review_metadata DROP DEFAULT,
    ALTER COLUMN created_at DROP NOT NULL,
    ALTER COLUMN updated_at DROP NOT NULL;

-- The labels as revisions 1-3 create them (PUBMED, SCOPUS, Other, Embase, benchmark_csv).
CREATE TYPE searchdatabasesource_enum_old AS ENUM ('PUBMED', 'SCOPUS', 'Other', 'Embase', 'benchmark_csv');
ALTER TABLE search_results
    ALTER COLUMN source_db TYPE searchdatabasesource_enum_old
    USING (CASE source_db::text WHEN 'PubMed' THEN 'PUBMED' WHEN 'Scopus' THEN 'SCOPUS' ELSE source_db::text END)::searchdatabasesource_enum_old;
DROP TYPE searchdatabasesource_enum;
ALTER TYPE searchdatabasesource_enum_old RENAME TO searchdatabasesource_enum;
