-- revision: 9cd2f7e24c87
-- message: create benchmark run and result item tables
-- created: 2025-05-20T13:20:38Z
--
-- One revision for what the Python application spread over 446c386d3d77,
-- 39a7520b10c2 and 9cd2f7e24c87: the same tables, columns, foreign keys
-- (without ON DELETE) and index names.  The decision columns reuse
-- screeningdecisiontype from revision 1; this revision never creates or drops it.
-- +upgrade
CREATE TABLE benchmark_runs (
    id uuid NOT NULL,
    created_at timestamptz NULL DEFAULT now(),
    updated_at timestamptz NULL DEFAULT now(),
    review_id uuid NOT NULL,
    config_details jsonb NULL,
    run_notes text NULL,
    tp integer NULL,
    fp integer NULL,
    fn integer NULL,
    tn integer NULL,
    sensitivity double precision NULL,
    specificity double precision NULL,
    accuracy double precision NULL,
    ppv double precision NULL,
    npv double precision NULL,
    f1_score double precision NULL,
    mcc double precision NULL,
    cohen_kappa double precision NULL,
    pabak double precision NULL,
    lr_plus double precision NULL,
    lr_minus double precision NULL,
    CONSTRAINT benchmark_runs_pkey PRIMARY KEY (id),
    CONSTRAINT benchmark_runs_review_id_fkey FOREIGN KEY (review_id) REFERENCES systematic_reviews (id)
);
CREATE INDEX ix_benchmark_runs_review_id ON benchmark_runs (review_id);
CREATE INDEX ix_benchmark_runs_on_config_details_gin ON benchmark_runs USING gin (config_details);

CREATE TABLE benchmark_result_items (
    id uuid NOT NULL,
    created_at timestamptz NULL DEFAULT now(),
    updated_at timestamptz NULL DEFAULT now(),
    benchmark_run_id uuid NOT NULL,
    search_result_id uuid NOT NULL,
    human_decision boolean NULL,
    conservative_decision screeningdecisiontype NULL,
    conservative_confidence double precision NULL,
    conservative_rationale text NULL,
    comprehensive_decision screeningdecisiontype NULL,
    comprehensive_confidence double precision NULL,
    comprehensive_rationale text NULL,
    resolver_decision screeningdecisiontype NULL,
    resolver_confidence double precision NULL,
    resolver_reasoning text NULL,
    final_decision screeningdecisiontype NOT NULL,
    classification text NOT NULL,
    CONSTRAINT benchmark_result_items_pkey PRIMARY KEY (id),
    CONSTRAINT benchmark_result_items_benchmark_run_id_fkey FOREIGN KEY (benchmark_run_id) REFERENCES benchmark_runs (id),
    CONSTRAINT benchmark_result_items_search_result_id_fkey FOREIGN KEY (search_result_id) REFERENCES search_results (id)
);
CREATE INDEX ix_benchmark_result_items_benchmark_run_id ON benchmark_result_items (benchmark_run_id);
CREATE INDEX ix_benchmark_result_items_search_result_id ON benchmark_result_items (search_result_id);
CREATE INDEX ix_benchmark_result_items_conservative_decision ON benchmark_result_items (conservative_decision);
CREATE INDEX ix_benchmark_result_items_comprehensive_decision ON benchmark_result_items (comprehensive_decision);
CREATE INDEX ix_benchmark_result_items_resolver_decision ON benchmark_result_items (resolver_decision);
CREATE INDEX ix_benchmark_result_items_final_decision ON benchmark_result_items (final_decision);
-- +downgrade
-- As the original: the item indexes, the items, the run index, the runs
-- (the GIN index goes with its table).  screeningdecisiontype stays.
DROP INDEX ix_benchmark_result_items_final_decision;
DROP INDEX ix_benchmark_result_items_resolver_decision;
DROP INDEX ix_benchmark_result_items_comprehensive_decision;
DROP INDEX ix_benchmark_result_items_conservative_decision;
DROP INDEX ix_benchmark_result_items_search_result_id;
DROP INDEX ix_benchmark_result_items_benchmark_run_id;
DROP TABLE benchmark_result_items;
DROP INDEX ix_benchmark_runs_review_id;
DROP TABLE benchmark_runs;
