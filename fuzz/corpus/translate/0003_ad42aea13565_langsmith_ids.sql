-- revision: ad42aea13565
-- down_revision: 9cd2f7e24c87
-- message: add LangSmith run and trace ids to benchmark result items
-- created: 2025-05-29T20:24:28Z
-- +upgrade
ALTER TABLE benchmark_result_items ADD COLUMN conservative_run_id uuid NULL;
ALTER TABLE benchmark_result_items ADD COLUMN conservative_trace_id uuid NULL;
ALTER TABLE benchmark_result_items ADD COLUMN comprehensive_run_id uuid NULL;
ALTER TABLE benchmark_result_items ADD COLUMN comprehensive_trace_id uuid NULL;
CREATE INDEX ix_benchmark_result_items_comprehensive_run_id ON benchmark_result_items (comprehensive_run_id);
CREATE INDEX ix_benchmark_result_items_comprehensive_trace_id ON benchmark_result_items (comprehensive_trace_id);
CREATE INDEX ix_benchmark_result_items_conservative_run_id ON benchmark_result_items (conservative_run_id);
CREATE INDEX ix_benchmark_result_items_conservative_trace_id ON benchmark_result_items (conservative_trace_id);
-- +downgrade
DROP INDEX ix_benchmark_result_items_conservative_trace_id;
DROP INDEX ix_benchmark_result_items_conservative_run_id;
DROP INDEX ix_benchmark_result_items_comprehensive_trace_id;
DROP INDEX ix_benchmark_result_items_comprehensive_run_id;
ALTER TABLE benchmark_result_items DROP COLUMN comprehensive_trace_id;
ALTER TABLE benchmark_result_items DROP COLUMN comprehensive_run_id;
ALTER TABLE benchmark_result_items DROP COLUMN conservative_trace_id;
ALTER TABLE benchmark_result_items DROP COLUMN conservative_run_id;
