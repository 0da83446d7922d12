-- A PostgreSQL database as the Python application's Alembic chain left it at
-- its head ad42aea13565, with a few rows in every table.  Run it with psql (or
-- any libpq client) in an empty database; it has no psql meta-commands and no
-- transaction control of its own (psql -1 makes it atomic).
--
-- Reproduced from the original migrations (original-sra.md):
--   * searchdatabasesource_enum as 3c121a82c373 and 1e530067ad44 built it:
--     PUBMED, SCOPUS, Other, Embase, benchmark_csv (inserting 'PubMed' fails);
--   * uuid primary keys <table>_pkey without default; created_at/updated_at
--     timestamptz NULL DEFAULT TIMEZONE('UTC', CURRENT_TIMESTAMP);
--   * foreign keys <table>_<col>_fkey without ON DELETE; jsonb without defaults;
--     no CHECK constraints; no unique (benchmark_run_id, search_result_id);
--   * uq_review_source_id on search_results (created by 3c121a82c373, kept by
--     9c8ba76fedd3);
--   * physical column order as the migrations added the columns (on
--     benchmark_result_items: id ... classification, then the four LangSmith ids);
--   * index names ix_<table>_<col> and ix_<table>_on_<col>_gin;
--   * alembic_version in Alembic's layout holding ad42aea13565.
-- Rows: some have NULL created_at/updated_at (written by hand or by tools that
-- bypassed the server default); the benchmark run has NULL metrics (the
-- application never committed them).

CREATE TYPE screeningdecisiontype AS ENUM ('include', 'exclude', 'uncertain');
CREATE TYPE screeningstrategytype AS ENUM ('conservative', 'comprehensive');
CREATE TYPE loglevel_enum AS ENUM ('TRACE', 'DEBUG', 'INFO', 'SUCCESS', 'WARNING', 'ERROR', 'CRITICAL');
CREATE TYPE criteriaframework_enum AS ENUM ('ECLIPSE', 'PEO', 'PICO', 'PICOS', 'PICOT', 'PICOS/T', 'SPIDER', 'SPICE');
-- 3c121a82c373 created ('PUBMED', 'SCOPUS'); 1e530067ad44 appended the other
-- three with ADD VALUE.  One CREATE TYPE gives the same labels in the same
-- order and, unlike ADD VALUE, lets the rows below use them in the same transaction.
CREATE TYPE searchdatabasesource_enum AS ENUM ('PUBMED', 'SCOPUS', 'Other', 'Embase', 'benchmark_csv');

CREATE TABLE systematic_reviews (
    id UUID NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT TIMEZONE('UTC', CURRENT_TIMESTAMP),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT TIMEZONE('UTC', CURRENT_TIMESTAMP),
    background TEXT,
    research_question TEXT NOT NULL,
    inclusion_criteria TEXT,
    exclusion_criteria TEXT NOT NULL,
    criteria_framework criteriaframework_enum,
    criteria_framework_answers JSONB NOT NULL,
    review_metadata JSONB NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX ix_systematic_reviews_on_criteria_framework_answers_gin ON systematic_reviews USING gin (criteria_framework_answers);
CREATE INDEX ix_systematic_reviews_on_review_metadata_gin ON systematic_reviews USING gin (review_metadata);

CREATE TABLE screen_abstract_results (
    id UUID NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT TIMEZONE('UTC', CURRENT_TIMESTAMP),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT TIMEZONE('UTC', CURRENT_TIMESTAMP),
    decision screeningdecisiontype NOT NULL,
    confidence_score FLOAT NOT NULL,
    rationale TEXT NOT NULL,
    extracted_quotes TEXT[],
    exclusion_reason_categories JSONB NOT NULL,
    start_time TIMESTAMP WITH TIME ZONE,
    end_time TIMESTAMP WITH TIME ZONE,
    screening_strategy screeningstrategytype NOT NULL,
    model_name VARCHAR NOT NULL,
    response_metadata JSONB NOT NULL,
    review_id UUID NOT NULL,
    trace_id UUID,
    PRIMARY KEY (id),
    FOREIGN KEY (review_id) REFERENCES systematic_reviews (id)
);
CREATE INDEX ix_screen_abstract_results_review_id ON screen_abstract_results (review_id);
CREATE INDEX ix_screen_abstract_results_decision ON screen_abstract_results (decision);
CREATE INDEX ix_screen_abstract_results_on_exclusion_reason_categories_gin ON screen_abstract_results USING gin (exclusion_reason_categories);
CREATE INDEX ix_screen_abstract_results_screening_strategy ON screen_abstract_results (screening_strategy);
CREATE INDEX ix_screen_abstract_results_trace_id ON screen_abstract_results (trace_id);

CREATE TABLE log_records (
    id UUID NOT NULL,
    "timestamp" TIMESTAMP WITH TIME ZONE NOT NULL,
    level loglevel_enum NOT NULL,
    message TEXT NOT NULL,
    module VARCHAR(100),
    name VARCHAR(100),
    function VARCHAR(200),
    line INTEGER,
    thread VARCHAR,
    process VARCHAR,
    extra JSONB NOT NULL,
    exception JSONB,
    record JSONB NOT NULL,
    review_id UUID,
    PRIMARY KEY (id),
    FOREIGN KEY (review_id) REFERENCES systematic_reviews (id)
);
CREATE INDEX ix_log_records_level ON log_records (level);
CREATE INDEX ix_log_records_on_exception_gin ON log_records USING gin (exception);
CREATE INDEX ix_log_records_on_extra_gin ON log_records USING gin (extra);
CREATE INDEX ix_log_records_review_id ON log_records (review_id);
CREATE INDEX ix_log_records_timestamp ON log_records ("timestamp");

CREATE TABLE search_results (
    id UUID NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT TIMEZONE('UTC', CURRENT_TIMESTAMP),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT TIMEZONE('UTC', CURRENT_TIMESTAMP),
    review_id UUID NOT NULL,
    source_db searchdatabasesource_enum NOT NULL,
    source_id TEXT NOT NULL,
    doi VARCHAR,
    title VARCHAR NOT NULL,
    abstract TEXT,
    journal VARCHAR,
    year VARCHAR,
    authors TEXT[],
    keywords TEXT[],
    raw_data JSONB NOT NULL,
    source_metadata JSONB NOT NULL,
    conservative_result_id UUID,
    comprehensive_result_id UUID,
    resolution_id UUID,
    final_decision screeningdecisiontype,
    PRIMARY KEY (id),
    FOREIGN KEY (review_id) REFERENCES systematic_reviews (id),
    CONSTRAINT uq_review_source_id UNIQUE (review_id, source_db, source_id),
    FOREIGN KEY (conservative_result_id) REFERENCES screen_abstract_results (id),
    FOREIGN KEY (comprehensive_result_id) REFERENCES screen_abstract_results (id)
);
CREATE INDEX ix_search_results_doi ON search_results (doi);
CREATE INDEX ix_search_results_on_keywords_gin ON search_results USING gin (keywords);
CREATE INDEX ix_search_results_on_raw_data_gin ON search_results USING gin (raw_data);
CREATE INDEX ix_search_results_on_source_metadata_gin ON search_results USING gin (source_metadata);
CREATE INDEX ix_search_results_review_id ON search_results (review_id);
CREATE INDEX ix_search_results_source_db ON search_results (source_db);
CREATE INDEX ix_search_results_source_id ON search_results (source_id);
CREATE INDEX ix_search_results_comprehensive_result_id ON search_results (comprehensive_result_id);
CREATE INDEX ix_search_results_conservative_result_id ON search_results (conservative_result_id);
CREATE INDEX ix_search_results_keywords ON search_results (keywords);
CREATE INDEX ix_search_results_year ON search_results (year);

CREATE TABLE screening_resolutions (
    id UUID NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT TIMEZONE('UTC', CURRENT_TIMESTAMP),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT TIMEZONE('UTC', CURRENT_TIMESTAMP),
    search_result_id UUID NOT NULL,
    review_id UUID NOT NULL,
    resolver_decision screeningdecisiontype NOT NULL,
    resolver_reasoning TEXT NOT NULL,
    resolver_confidence_score FLOAT NOT NULL,
    resolver_model_name VARCHAR,
    response_metadata JSONB NOT NULL,
    start_time TIMESTAMP WITH TIME ZONE,
    end_time TIMESTAMP WITH TIME ZONE,
    trace_id UUID,
    PRIMARY KEY (id),
    FOREIGN KEY (search_result_id) REFERENCES search_results (id),
    FOREIGN KEY (review_id) REFERENCES systematic_reviews (id)
);
CREATE INDEX ix_screening_resolutions_search_result_id ON screening_resolutions (search_result_id);
CREATE INDEX ix_screening_resolutions_review_id ON screening_resolutions (review_id);
CREATE INDEX ix_screening_resolutions_resolver_decision ON screening_resolutions (resolver_decision);
CREATE INDEX ix_screening_resolutions_trace_id ON screening_resolutions (trace_id);
CREATE INDEX ix_screening_resolutions_on_response_metadata_gin ON screening_resolutions USING gin (response_metadata);

-- search_results.resolution_id (868b4d1ee498) and final_decision (ec76fb98d0da).
CREATE INDEX ix_search_results_resolution_id ON search_results (resolution_id);
ALTER TABLE search_results ADD FOREIGN KEY (resolution_id) REFERENCES screening_resolutions (id);
CREATE INDEX ix_search_results_final_decision ON search_results (final_decision);

CREATE TABLE benchmark_runs (
    id UUID NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT TIMEZONE('UTC', CURRENT_TIMESTAMP),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT TIMEZONE('UTC', CURRENT_TIMESTAMP),
    review_id UUID NOT NULL,
    config_details JSONB,
    run_notes TEXT,
    tp INTEGER,
    fp INTEGER,
    fn INTEGER,
    tn INTEGER,
    sensitivity FLOAT,
    specificity FLOAT,
    accuracy FLOAT,
    ppv FLOAT,
    npv FLOAT,
    f1_score FLOAT,
    mcc FLOAT,
    cohen_kappa FLOAT,
    pabak FLOAT,
    lr_plus FLOAT,
    lr_minus FLOAT,
    PRIMARY KEY (id),
    FOREIGN KEY (review_id) REFERENCES systematic_reviews (id)
);
CREATE INDEX ix_benchmark_runs_on_config_details_gin ON benchmark_runs USING gin (config_details);
CREATE INDEX ix_benchmark_runs_review_id ON benchmark_runs (review_id);

CREATE TABLE benchmark_result_items (
    id UUID NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT TIMEZONE('UTC', CURRENT_TIMESTAMP),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT TIMEZONE('UTC', CURRENT_TIMESTAMP),
    benchmark_run_id UUID NOT NULL,
    search_result_id UUID NOT NULL,
    human_decision BOOLEAN,
    conservative_decision screeningdecisiontype,
    conservative_confidence FLOAT,
    conservative_rationale TEXT,
    comprehensive_decision screeningdecisiontype,
    comprehensive_confidence FLOAT,
    comprehensive_rationale TEXT,
    resolver_decision screeningdecisiontype,
    resolver_confidence FLOAT,
    resolver_reasoning TEXT,
    final_decision screeningdecisiontype NOT NULL,
    classification TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (benchmark_run_id) REFERENCES benchmark_runs (id),
    FOREIGN KEY (search_result_id) REFERENCES search_results (id)
);
CREATE INDEX ix_benchmark_result_items_benchmark_run_id ON benchmark_result_items (benchmark_run_id);
CREATE INDEX ix_benchmark_result_items_comprehensive_decision ON benchmark_result_items (comprehensive_decision);
CREATE INDEX ix_benchmark_result_items_conservative_decision ON benchmark_result_items (conservative_decision);
CREATE INDEX ix_benchmark_result_items_final_decision ON benchmark_result_items (final_decision);
CREATE INDEX ix_benchmark_result_items_resolver_decision ON benchmark_result_items (resolver_decision);
CREATE INDEX ix_benchmark_result_items_search_result_id ON benchmark_result_items (search_result_id);

ALTER TABLE benchmark_result_items ADD COLUMN conservative_run_id UUID;
ALTER TABLE benchmark_result_items ADD COLUMN conservative_trace_id UUID;
ALTER TABLE benchmark_result_items ADD COLUMN comprehensive_run_id UUID;
ALTER TABLE benchmark_result_items ADD COLUMN comprehensive_trace_id UUID;
CREATE INDEX ix_benchmark_result_items_comprehensive_run_id ON benchmark_result_items (comprehensive_run_id);
CREATE INDEX ix_benchmark_result_items_comprehensive_trace_id ON benchmark_result_items (comprehensive_trace_id);
CREATE INDEX ix_benchmark_result_items_conservative_run_id ON benchmark_result_items (conservative_run_id);
CREATE INDEX ix_benchmark_result_items_conservative_trace_id ON benchmark_result_items (conservative_trace_id);

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO alembic_version (version_num) VALUES ('ad42aea13565');

-- Rows -------------------------------------------------------------------

-- The benchmark review (as the seeding page upserts it) and an ordinary one
-- whose timestamps are NULL.
INSERT INTO systematic_reviews (id, background, research_question, inclusion_criteria, exclusion_criteria,
                                criteria_framework, criteria_framework_answers, review_metadata)
VALUES ('00000000-1111-2222-3333-444444444444',
        'Benchmark review for the screening workflow.',
        'What is the effect of cognitive behavioural therapy on anxiety in adults?',
        '<InclusionCriteria><Population>Adults</Population></InclusionCriteria>',
        '<ExclusionCriteria><Population>Children</Population></ExclusionCriteria>',
        'PICO', '{}', '{"source": "benchmark_human_ground_truth.xlsx"}');
INSERT INTO systematic_reviews (id, created_at, updated_at, background, research_question, inclusion_criteria,
                                exclusion_criteria, criteria_framework, criteria_framework_answers, review_metadata)
VALUES ('6f1c8d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f', NULL, NULL, NULL,
        'Does exercise reduce depressive symptoms in older adults?', NULL,
        'Non-randomised studies', NULL, '{"P": "older adults", "I": "exercise"}', '{}');

-- Records: PUBMED and Other (workbook keys), one SCOPUS in the second review.
INSERT INTO search_results (id, created_at, updated_at, review_id, source_db, source_id, doi, title, abstract,
                            journal, year, authors, keywords, raw_data, source_metadata)
VALUES
 ('a0000000-0000-4000-8000-000000000001', DEFAULT, DEFAULT, '00000000-1111-2222-3333-444444444444', 'PUBMED',
  '31415926', '10.1000/cbt.2019.1', 'Internet CBT for generalised anxiety: a randomised trial',
  'Adults with GAD were randomised to iCBT or waiting list.', 'J Anxiety Disord', '2019',
  ARRAY['Smith, J.', 'Jones, K.'], ARRAY['anxiety', 'cognitive behavioural therapy'],
  '{"key": "pmid_31415926", "title": "Internet CBT for generalised anxiety: a randomised trial", "year": 2019.0}',
  '{"benchmark_human_decision": true, "original_key": "pmid_31415926", "included_after_ta_screen": "Y"}'),
 ('a0000000-0000-4000-8000-000000000002', NULL, NULL, '00000000-1111-2222-3333-444444444444', 'Other',
  'rayyan-123456789', NULL, 'Mindfulness for test anxiety in school children', NULL, 'Educ Psychol', '2016',
  ARRAY['Brown, A. and Green, B.'], ARRAY['mindfulness'],
  '{"key": "rayyan-123456789", "year": 2016.0}',
  '{"benchmark_human_decision": false, "original_key": "rayyan-123456789", "included_after_ta_screen": "N"}'),
 ('a0000000-0000-4000-8000-000000000003', DEFAULT, NULL, '00000000-1111-2222-3333-444444444444', 'Other',
  'rayyan-987654321', '10.1000/cbt.2021.7', 'Group CBT versus medication for panic disorder',
  'Open-label comparison in primary care.', NULL, '2021', NULL, NULL,
  '{"key": "rayyan-987654321"}',
  '{"benchmark_human_decision": null, "original_key": "rayyan-987654321", "included_after_ta_screen": ""}'),
 ('a0000000-0000-4000-8000-000000000004', DEFAULT, DEFAULT, '00000000-1111-2222-3333-444444444444', 'PUBMED',
  '27182818', NULL, 'Self-help books for social anxiety', 'A pragmatic trial.', 'Behav Res Ther', '2018',
  ARRAY['White, C.'], ARRAY['social anxiety'],
  '{"key": "27182818"}',
  '{"benchmark_human_decision": true, "original_key": "27182818", "included_after_ta_screen": "Y"}'),
 ('a0000000-0000-4000-8000-000000000005', NULL, DEFAULT, '6f1c8d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f', 'SCOPUS',
  '2-s2.0-85000000000', NULL, 'Walking groups and late-life depression', NULL, NULL, NULL, NULL, NULL,
  '{}', '{}');

-- Reviewer results (the id is the LangSmith run id) for records 1 and 2.
INSERT INTO screen_abstract_results (id, created_at, updated_at, decision, confidence_score, rationale,
                                     extracted_quotes, exclusion_reason_categories, start_time, end_time,
                                     screening_strategy, model_name, response_metadata, review_id, trace_id)
VALUES
 ('b0000000-0000-4000-8000-000000000001', DEFAULT, DEFAULT, 'include', 0.92, 'Adults with GAD receiving CBT.',
  ARRAY['Adults with GAD were randomised'], '{}', '2025-05-21 10:00:00+00', '2025-05-21 10:00:04+00',
  'conservative', 'gpt-4o', '{"tokens": 812}', '00000000-1111-2222-3333-444444444444',
  'c0000000-0000-4000-8000-000000000001'),
 ('b0000000-0000-4000-8000-000000000002', DEFAULT, DEFAULT, 'include', 0.88, 'Randomised CBT trial in adults.',
  NULL, '{}', '2025-05-21 10:00:00+00', '2025-05-21 10:00:05+00',
  'comprehensive', 'gpt-4o', '{}', '00000000-1111-2222-3333-444444444444',
  'c0000000-0000-4000-8000-000000000001'),
 ('b0000000-0000-4000-8000-000000000003', NULL, NULL, 'exclude', 0.75, 'Population is children.',
  ARRAY['school children'], '{"population": ["children"]}', NULL, NULL,
  'conservative', 'gpt-4o', '{}', '00000000-1111-2222-3333-444444444444',
  'c0000000-0000-4000-8000-000000000002'),
 ('b0000000-0000-4000-8000-000000000004', DEFAULT, DEFAULT, 'uncertain', 0.55, 'Unclear whether adults are included.',
  NULL, '{}', NULL, NULL,
  'comprehensive', 'gpt-4o', '{}', '00000000-1111-2222-3333-444444444444',
  'c0000000-0000-4000-8000-000000000002');

-- A resolution for record 2 (the reviewers disagreed).
INSERT INTO screening_resolutions (id, created_at, updated_at, search_result_id, review_id, resolver_decision,
                                   resolver_reasoning, resolver_confidence_score, resolver_model_name,
                                   response_metadata, start_time, end_time, trace_id)
VALUES ('d0000000-0000-4000-8000-000000000001', NULL, NULL, 'a0000000-0000-4000-8000-000000000002',
        '00000000-1111-2222-3333-444444444444', 'exclude', 'The study population is school children.', 0.9,
        'gemini-2.5-pro-preview-05-06', '{}', NULL, NULL, 'c0000000-0000-4000-8000-000000000002');

UPDATE search_results SET conservative_result_id = 'b0000000-0000-4000-8000-000000000001',
                          comprehensive_result_id = 'b0000000-0000-4000-8000-000000000002',
                          final_decision = 'include'
 WHERE id = 'a0000000-0000-4000-8000-000000000001';
UPDATE search_results SET conservative_result_id = 'b0000000-0000-4000-8000-000000000003',
                          comprehensive_result_id = 'b0000000-0000-4000-8000-000000000004',
                          resolution_id = 'd0000000-0000-4000-8000-000000000001',
                          final_decision = 'exclude'
 WHERE id = 'a0000000-0000-4000-8000-000000000002';

-- A benchmark run (metrics never committed) and a second, older one with NULL timestamps.
INSERT INTO benchmark_runs (id, created_at, updated_at, review_id, config_details, run_notes)
VALUES ('e0000000-0000-4000-8000-000000000001', DEFAULT, DEFAULT, '00000000-1111-2222-3333-444444444444',
        '{"conservative_model": "gpt-4o", "comprehensive_model": "gpt-4o", "resolver_model": "gemini-2.5-pro-preview-05-06", "batch_size": 10, "timestamp": "2025-05-29T20:30:00Z"}',
        'Benchmark run from the Streamlit page');
INSERT INTO benchmark_runs (id, created_at, updated_at, review_id, config_details, run_notes,
                            tp, fp, fn, tn, sensitivity, specificity, accuracy, ppv, npv, f1_score, mcc,
                            cohen_kappa, pabak, lr_plus, lr_minus)
VALUES ('e0000000-0000-4000-8000-000000000002', NULL, NULL, '00000000-1111-2222-3333-444444444444', NULL, NULL,
        1, 0, 0, 1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, NULL, 0.0);

INSERT INTO benchmark_result_items (id, created_at, updated_at, benchmark_run_id, search_result_id, human_decision,
                                    conservative_decision, conservative_confidence, conservative_rationale,
                                    comprehensive_decision, comprehensive_confidence, comprehensive_rationale,
                                    resolver_decision, resolver_confidence, resolver_reasoning,
                                    final_decision, classification,
                                    conservative_run_id, conservative_trace_id, comprehensive_run_id, comprehensive_trace_id)
VALUES
 ('f0000000-0000-4000-8000-000000000001', DEFAULT, DEFAULT, 'e0000000-0000-4000-8000-000000000001',
  'a0000000-0000-4000-8000-000000000001', true,
  'include', 0.92, 'Adults with GAD receiving CBT.', 'include', 0.88, 'Randomised CBT trial in adults.',
  NULL, NULL, NULL, 'include', 'TP',
  'b0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000001',
  'b0000000-0000-4000-8000-000000000002', 'c0000000-0000-4000-8000-000000000001'),
 ('f0000000-0000-4000-8000-000000000002', NULL, NULL, 'e0000000-0000-4000-8000-000000000001',
  'a0000000-0000-4000-8000-000000000002', false,
  'exclude', 0.75, 'Population is children.', 'uncertain', 0.55, 'Unclear whether adults are included.',
  'exclude', 0.9, 'The study population is school children.', 'exclude', 'TN',
  'b0000000-0000-4000-8000-000000000003', 'c0000000-0000-4000-8000-000000000002',
  'b0000000-0000-4000-8000-000000000004', 'c0000000-0000-4000-8000-000000000002'),
 ('f0000000-0000-4000-8000-000000000003', DEFAULT, NULL, 'e0000000-0000-4000-8000-000000000001',
  'a0000000-0000-4000-8000-000000000003', NULL,
  'include', 0.6, 'Possibly adults.', 'include', 0.65, 'Adults likely.',
  'uncertain', 0.5, 'Not enough information.', 'uncertain', 'UNKNOWN',
  NULL, NULL, NULL, NULL),
 ('f0000000-0000-4000-8000-000000000004', DEFAULT, DEFAULT, 'e0000000-0000-4000-8000-000000000001',
  'a0000000-0000-4000-8000-000000000004', true,
  'exclude', 0.8, 'Not CBT.', 'exclude', 0.85, 'Self-help only.',
  NULL, NULL, NULL, 'exclude', 'FN',
  NULL, NULL, NULL, NULL),
 ('f0000000-0000-4000-8000-000000000005', NULL, DEFAULT, 'e0000000-0000-4000-8000-000000000002',
  'a0000000-0000-4000-8000-000000000001', true,
  'include', 0.95, NULL, 'include', 0.9, NULL,
  NULL, NULL, NULL, 'include', 'TP',
  NULL, NULL, NULL, NULL),
 ('f0000000-0000-4000-8000-000000000006', DEFAULT, DEFAULT, 'e0000000-0000-4000-8000-000000000002',
  'a0000000-0000-4000-8000-000000000002', false,
  'include', 0.7, NULL, 'exclude', 0.8, NULL,
  'include', 0.6, NULL, 'include', 'FP',
  NULL, NULL, NULL, NULL);

INSERT INTO log_records (id, "timestamp", level, message, module, name, function, line, thread, process,
                         extra, exception, record, review_id)
VALUES
 ('10000000-0000-4000-8000-000000000001', '2025-05-29 20:30:00+00', 'INFO', 'Benchmark run started',
  'benchmark_runner', 'sr_assistant.app.pages.benchmark_run_page', 'run_benchmark', 412, 'MainThread',
  'MainProcess', '{"benchmark_run_id": "e0000000-0000-4000-8000-000000000001"}', NULL,
  '{"elapsed": 1.25}', '00000000-1111-2222-3333-444444444444'),
 ('10000000-0000-4000-8000-000000000002', '2025-05-29 20:31:10+00', 'ERROR', 'Resolver call failed',
  'resolver', 'sr_assistant.app.agents.screening_agents', 'invoke_resolver_chain', 733, 'MainThread',
  'MainProcess', '{}', '{"type": "AttributeError", "value": "decision"}', '{}',
  '00000000-1111-2222-3333-444444444444'),
 ('10000000-0000-4000-8000-000000000003', '2025-05-29 20:32:00+00', 'SUCCESS', 'Application started', NULL,
  NULL, NULL, NULL, NULL, NULL, '{}', NULL, '{}', NULL);
