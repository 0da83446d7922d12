-- revision: 19db02264d93
-- message: benchmark run lifecycle - status, timing, uncertain policy, counts, metrics detail
-- created: 2026-11-29T21:50:18Z
--
-- Runs that exist already finished under the Python application: they become
-- 'completed' through the column default.
-- +upgrade
CREATE TYPE benchmarkrunstatus AS ENUM ('running', 'completed', 'failed');
ALTER TABLE benchmark_runs ADD COLUMN status benchmarkrunstatus NOT NULL DEFAULT 'completed';
ALTER TABLE benchmark_runs ADD COLUMN started_at timestamptz NULL;
ALTER TABLE benchmark_runs ADD COLUMN finished_at timestamptz NULL;
ALTER TABLE benchmark_runs ADD COLUMN uncertain_policy text NULL
    CONSTRAINT ck_benchmark_runs_uncertain_policy CHECK (uncertain_policy IN ('include', 'exclude', 'error'));
ALTER TABLE benchmark_runs ADD COLUMN n_items integer NULL;
ALTER TABLE benchmark_runs ADD COLUMN n_unknown integer NULL;
ALTER TABLE benchmark_runs ADD COLUMN n_uncertain integer NULL;
ALTER TABLE benchmark_runs ADD COLUMN metrics_detail jsonb NULL;
-- +downgrade
ALTER TABLE benchmark_runs DROP COLUMN metrics_detail;
ALTER TABLE benchmark_runs DROP COLUMN n_uncertain;
ALTER TABLE benchmark_runs DROP COLUMN n_unknown;
ALTER TABLE benchmark_runs DROP COLUMN n_items;
ALTER TABLE benchmark_runs DROP COLUMN uncertain_policy;
ALTER TABLE benchmark_runs DROP COLUMN finished_at;
ALTER TABLE benchmark_runs DROP COLUMN started_at;
ALTER TABLE benchmark_runs DROP COLUMN status;
DROP TYPE benchmarkrunstatus;
