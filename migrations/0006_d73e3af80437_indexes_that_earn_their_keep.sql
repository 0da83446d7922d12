-- revision: d73e3af80437
-- down_revision: 19db02264d93
-- message: indexes that earn their keep - drop the ones no query uses, composites where queries filter on two columns
-- created: 2026-12-05T09:40:00Z
--
-- Every index left either enforces a constraint (primary keys, the two
-- unique constraints) or serves a query that sra or the Python application
-- runs (shared/spec/original-sra.md, "The queries the Python application
-- runs"), including the lookups PostgreSQL and SQLite make for a foreign
-- key's ON DELETE action.  docs/schema-indexes.md lists every index before
-- and after with the query it serves and the EXPLAIN plans.
--
-- * A unique index serves equality on its leading column: uq_review_source_id
--   serves search_results.review_id = ?, uq_benchmark_result_items_run_record
--   serves benchmark_result_items.benchmark_run_id = ?.
-- * Nothing filters on the decision columns, the LangSmith run and trace ids,
--   log timestamps, the keywords array (b-tree) or, by content, on raw_data,
--   source_metadata, keywords, config_details, the review's jsonb or the
--   resolver's response_metadata.  The GIN index on
--   screen_abstract_results.exclusion_reason_categories stays (containment).
-- * review_id = ? AND screening_strategy = ? and review_id = ? AND level = ?
--   get composites that also serve review_id = ? alone.
-- * The three nullable links of search_results are only looked up by the
--   ON DELETE SET NULL of their foreign keys (col = ?); partial indexes
--   WHERE col IS NOT NULL serve that and cost nothing while a record has no
--   decision yet.
--
-- The downgrade restores every dropped index exactly (name, method, columns);
-- GIN indexes do not exist on SQLite (the translator skips them).
-- +upgrade
DROP INDEX ix_search_results_review_id;
DROP INDEX ix_search_results_source_db;
DROP INDEX ix_search_results_keywords;
DROP INDEX ix_search_results_final_decision;
DROP INDEX ix_search_results_on_keywords_gin;
DROP INDEX ix_search_results_on_raw_data_gin;
DROP INDEX ix_search_results_on_source_metadata_gin;
DROP INDEX ix_search_results_conservative_result_id;
DROP INDEX ix_search_results_comprehensive_result_id;
DROP INDEX ix_search_results_resolution_id;
CREATE INDEX ix_search_results_conservative_result_id ON search_results (conservative_result_id) WHERE conservative_result_id IS NOT NULL;
CREATE INDEX ix_search_results_comprehensive_result_id ON search_results (comprehensive_result_id) WHERE comprehensive_result_id IS NOT NULL;
CREATE INDEX ix_search_results_resolution_id ON search_results (resolution_id) WHERE resolution_id IS NOT NULL;

DROP INDEX ix_screen_abstract_results_review_id;
DROP INDEX ix_screen_abstract_results_decision;
DROP INDEX ix_screen_abstract_results_screening_strategy;
DROP INDEX ix_screen_abstract_results_trace_id;
CREATE INDEX ix_screen_abstract_results_review_id_screening_strategy ON screen_abstract_results (review_id, screening_strategy);

DROP INDEX ix_screening_resolutions_resolver_decision;
DROP INDEX ix_screening_resolutions_trace_id;
DROP INDEX ix_screening_resolutions_on_response_metadata_gin;

DROP INDEX ix_systematic_reviews_on_criteria_framework_answers_gin;
DROP INDEX ix_systematic_reviews_on_review_metadata_gin;

DROP INDEX ix_benchmark_runs_on_config_details_gin;

DROP INDEX ix_benchmark_result_items_benchmark_run_id;
DROP INDEX ix_benchmark_result_items_conservative_decision;
DROP INDEX ix_benchmark_result_items_comprehensive_decision;
DROP INDEX ix_benchmark_result_items_resolver_decision;
DROP INDEX ix_benchmark_result_items_final_decision;
DROP INDEX ix_benchmark_result_items_conservative_run_id;
DROP INDEX ix_benchmark_result_items_conservative_trace_id;
DROP INDEX ix_benchmark_result_items_comprehensive_run_id;
DROP INDEX ix_benchmark_result_items_comprehensive_trace_id;

DROP INDEX ix_log_records_timestamp;
DROP INDEX ix_log_records_review_id;
DROP INDEX ix_log_records_on_extra_gin;
DROP INDEX ix_log_records_on_exception_gin;
CREATE INDEX ix_log_records_review_id_level ON log_records (review_id, level);
-- +downgrade
DROP INDEX ix_log_records_review_id_level;
CREATE INDEX ix_log_records_timestamp ON log_records ("timestamp");
CREATE INDEX ix_log_records_review_id ON log_records (review_id);
CREATE INDEX ix_log_records_on_extra_gin ON log_records USING gin (extra);
CREATE INDEX ix_log_records_on_exception_gin ON log_records USING gin (exception);

CREATE INDEX ix_benchmark_result_items_benchmark_run_id ON benchmark_result_items (benchmark_run_id);
CREATE INDEX ix_benchmark_result_items_conservative_decision ON benchmark_result_items (conservative_decision);
CREATE INDEX ix_benchmark_result_items_comprehensive_decision ON benchmark_result_items (comprehensive_decision);
CREATE INDEX ix_benchmark_result_items_resolver_decision ON benchmark_result_items (resolver_decision);
CREATE INDEX ix_benchmark_result_items_final_decision ON benchmark_result_items (final_decision);
CREATE INDEX ix_benchmark_result_items_comprehensive_run_id ON benchmark_result_items (comprehensive_run_id);
CREATE INDEX ix_benchmark_result_items_comprehensive_trace_id ON benchmark_result_items (comprehensive_trace_id);
CREATE INDEX ix_benchmark_result_items_conservative_run_id ON benchmark_result_items (conservative_run_id);
CREATE INDEX ix_benchmark_result_items_conservative_trace_id ON benchmark_result_items (conservative_trace_id);

CREATE INDEX ix_benchmark_runs_on_config_details_gin ON benchmark_runs USING gin (config_details);

CREATE INDEX ix_systematic_reviews_on_criteria_framework_answers_gin ON systematic_reviews USING gin (criteria_framework_answers);
CREATE INDEX ix_systematic_reviews_on_review_metadata_gin ON systematic_reviews USING gin (review_metadata);

CREATE INDEX ix_screening_resolutions_resolver_decision ON screening_resolutions (resolver_decision);
CREATE INDEX ix_screening_resolutions_trace_id ON screening_resolutions (trace_id);
CREATE INDEX ix_screening_resolutions_on_response_metadata_gin ON screening_resolutions USING gin (response_metadata);

DROP INDEX ix_screen_abstract_results_review_id_screening_strategy;
CREATE INDEX ix_screen_abstract_results_review_id ON screen_abstract_results (review_id);
CREATE INDEX ix_screen_abstract_results_decision ON screen_abstract_results (decision);
CREATE INDEX ix_screen_abstract_results_screening_strategy ON screen_abstract_results (screening_strategy);
CREATE INDEX ix_screen_abstract_results_trace_id ON screen_abstract_results (trace_id);

DROP INDEX ix_search_results_resolution_id;
DROP INDEX ix_search_results_comprehensive_result_id;
DROP INDEX ix_search_results_conservative_result_id;
CREATE INDEX ix_search_results_review_id ON search_results (review_id);
CREATE INDEX ix_search_results_source_db ON search_results (source_db);
CREATE INDEX ix_search_results_keywords ON search_results (keywords);
CREATE INDEX ix_search_results_conservative_result_id ON search_results (conservative_result_id);
CREATE INDEX ix_search_results_comprehensive_result_id ON search_results (comprehensive_result_id);
CREATE INDEX ix_search_results_resolution_id ON search_results (resolution_id);
CREATE INDEX ix_search_results_final_decision ON search_results (final_decision);
CREATE INDEX ix_search_results_on_keywords_gin ON search_results USING gin (keywords);
CREATE INDEX ix_search_results_on_raw_data_gin ON search_results USING gin (raw_data);
CREATE INDEX ix_search_results_on_source_metadata_gin ON search_results USING gin (source_metadata);
