-- revision: 1e530067ad44
-- down_revision: none
-- message: screening schema as the Python application's migrations left it before benchmarking
-- created: 2025-05-20T05:37:52Z
--
-- The base of sra's chain carries the id of the Python application's Alembic
-- revision 1e530067ad44, and a database built here has that database's tables,
-- columns (in the same physical order), types, nullability, foreign keys,
-- unique constraint and index names.  Deliberately kept as the original had
-- them, and repaired by revision 4: foreign keys without ON DELETE, jsonb
-- without defaults, nullable timestamps, no CHECKs, and the
-- searchdatabasesource_enum labels PUBMED, SCOPUS, Other, Embase,
-- benchmark_csv in that order.  One difference: the timestamp default is now()
-- instead of the original's naive TIMEZONE('UTC', CURRENT_TIMESTAMP).
-- +upgrade
CREATE TYPE screeningdecisiontype AS ENUM ('include', 'exclude', 'uncertain');
CREATE TYPE screeningstrategytype AS ENUM ('conservative', 'comprehensive');
CREATE TYPE criteriaframework_enum AS ENUM ('ECLIPSE', 'PEO', 'PICO', 'PICOS', 'PICOT', 'PICOS/T', 'SPIDER', 'SPICE');
CREATE TYPE searchdatabasesource_enum AS ENUM ('PUBMED', 'SCOPUS', 'Other', 'Embase', 'benchmark_csv');
CREATE TYPE loglevel_enum AS ENUM ('TRACE', 'DEBUG', 'INFO', 'SUCCESS', 'WARNING', 'ERROR', 'CRITICAL');

CREATE TABLE systematic_reviews (
    id uuid NOT NULL,
    created_at timestamptz NULL DEFAULT now(),
    updated_at timestamptz NULL DEFAULT now(),
    background text NULL,
    research_question text NOT NULL,
    inclusion_criteria text NULL,
    exclusion_criteria text NOT NULL,
    criteria_framework criteriaframework_enum NULL,
    criteria_framework_answers jsonb NOT NULL,
    review_metadata jsonb NOT NULL,
    CONSTRAINT systematic_reviews_pkey PRIMARY KEY (id)
);
CREATE INDEX ix_systematic_reviews_on_criteria_framework_answers_gin ON systematic_reviews USING gin (criteria_framework_answers);
CREATE INDEX ix_systematic_reviews_on_review_metadata_gin ON systematic_reviews USING gin (review_metadata);

CREATE TABLE screen_abstract_results (
    id uuid NOT NULL,
    created_at timestamptz NULL DEFAULT now(),
    updated_at timestamptz NULL DEFAULT now(),
    decision screeningdecisiontype NOT NULL,
    confidence_score double precision NOT NULL,
    rationale text NOT NULL,
    extracted_quotes text[] NULL,
    exclusion_reason_categories jsonb NOT NULL,
    start_time timestamptz NULL,
    end_time timestamptz NULL,
    screening_strategy screeningstrategytype NOT NULL,
    model_name varchar NOT NULL,
    response_metadata jsonb NOT NULL,
    review_id uuid NOT NULL,
    trace_id uuid NULL,
    CONSTRAINT screen_abstract_results_pkey PRIMARY KEY (id),
    CONSTRAINT screen_abstract_results_review_id_fkey FOREIGN KEY (review_id) REFERENCES systematic_reviews (id)
);
CREATE INDEX ix_screen_abstract_results_review_id ON screen_abstract_results (review_id);
CREATE INDEX ix_screen_abstract_results_decision ON screen_abstract_results (decision);
CREATE INDEX ix_screen_abstract_results_screening_strategy ON screen_abstract_results (screening_strategy);
CREATE INDEX ix_screen_abstract_results_trace_id ON screen_abstract_results (trace_id);
CREATE INDEX ix_screen_abstract_results_on_exclusion_reason_categories_gin ON screen_abstract_results USING gin (exclusion_reason_categories);

-- search_results.resolution_id references screening_resolutions, which
-- references search_results: the resolution_id foreign key is added below,
-- once both tables exist.
CREATE TABLE search_results (
    id uuid NOT NULL,
    created_at timestamptz NULL DEFAULT now(),
    updated_at timestamptz NULL DEFAULT now(),
    review_id uuid NOT NULL,
    source_db searchdatabasesource_enum NOT NULL,
    source_id text NOT NULL,
    doi varchar NULL,
    title varchar NOT NULL,
    abstract text NULL,
    journal varchar NULL,
    year varchar NULL,
    authors text[] NULL,
    keywords text[] NULL,
    raw_data jsonb NOT NULL,
    source_metadata jsonb NOT NULL,
    conservative_result_id uuid NULL,
    comprehensive_result_id uuid NULL,
    resolution_id uuid NULL,
    final_decision screeningdecisiontype NULL,
    CONSTRAINT search_results_pkey PRIMARY KEY (id),
    CONSTRAINT uq_review_source_id UNIQUE (review_id, source_db, source_id),
    CONSTRAINT search_results_review_id_fkey FOREIGN KEY (review_id) REFERENCES systematic_reviews (id),
    CONSTRAINT search_results_conservative_result_id_fkey FOREIGN KEY (conservative_result_id) REFERENCES screen_abstract_results (id),
    CONSTRAINT search_results_comprehensive_result_id_fkey FOREIGN KEY (comprehensive_result_id) REFERENCES screen_abstract_results (id)
);
CREATE INDEX ix_search_results_review_id ON search_results (review_id);
CREATE INDEX ix_search_results_source_db ON search_results (source_db);
CREATE INDEX ix_search_results_source_id ON search_results (source_id);
CREATE INDEX ix_search_results_doi ON search_results (doi);
CREATE INDEX ix_search_results_year ON search_results (year);
CREATE INDEX ix_search_results_keywords ON search_results (keywords);
CREATE INDEX ix_search_results_conservative_result_id ON search_results (conservative_result_id);
CREATE INDEX ix_search_results_comprehensive_result_id ON search_results (comprehensive_result_id);
CREATE INDEX ix_search_results_resolution_id ON search_results (resolution_id);
CREATE INDEX ix_search_results_final_decision ON search_results (final_decision);
CREATE INDEX ix_search_results_on_keywords_gin ON search_results USING gin (keywords);
CREATE INDEX ix_search_results_on_raw_data_gin ON search_results USING gin (raw_data);
CREATE INDEX ix_search_results_on_source_metadata_gin ON search_results USING gin (source_metadata);

CREATE TABLE screening_resolutions (
    id uuid NOT NULL,
    created_at timestamptz NULL DEFAULT now(),
    updated_at timestamptz NULL DEFAULT now(),
    search_result_id uuid NOT NULL,
    review_id uuid NOT NULL,
    resolver_decision screeningdecisiontype NOT NULL,
    resolver_reasoning text NOT NULL,
    resolver_confidence_score double precision NOT NULL,
    resolver_model_name varchar NULL,
    response_metadata jsonb NOT NULL,
    start_time timestamptz NULL,
    end_time timestamptz NULL,
    trace_id uuid NULL,
    CONSTRAINT screening_resolutions_pkey PRIMARY KEY (id),
    CONSTRAINT screening_resolutions_search_result_id_fkey FOREIGN KEY (search_result_id) REFERENCES search_results (id),
    CONSTRAINT screening_resolutions_review_id_fkey FOREIGN KEY (review_id) REFERENCES systematic_reviews (id)
);
CREATE INDEX ix_screening_resolutions_search_result_id ON screening_resolutions (search_result_id);
CREATE INDEX ix_screening_resolutions_review_id ON screening_resolutions (review_id);
CREATE INDEX ix_screening_resolutions_resolver_decision ON screening_resolutions (resolver_decision);
CREATE INDEX ix_screening_resolutions_trace_id ON screening_resolutions (trace_id);
CREATE INDEX ix_screening_resolutions_on_response_metadata_gin ON screening_resolutions USING gin (response_metadata);

ALTER TABLE search_results
    ADD CONSTRAINT search_results_resolution_id_fkey FOREIGN KEY (resolution_id) REFERENCES screening_resolutions (id);

CREATE TABLE log_records (
    id uuid NOT NULL,
    "timestamp" timestamptz NOT NULL,
    level loglevel_enum NOT NULL,
    message text NOT NULL,
    module varchar(100) NULL,
    name varchar(100) NULL,
    function varchar(200) NULL,
    line integer NULL,
    thread varchar NULL,
    process varchar NULL,
    extra jsonb NOT NULL,
    exception jsonb NULL,
    record jsonb NOT NULL,
    review_id uuid NULL,
    CONSTRAINT log_records_pkey PRIMARY KEY (id),
    CONSTRAINT log_records_review_id_fkey FOREIGN KEY (review_id) REFERENCES systematic_reviews (id)
);
CREATE INDEX ix_log_records_timestamp ON log_records ("timestamp");
CREATE INDEX ix_log_records_level ON log_records (level);
CREATE INDEX ix_log_records_review_id ON log_records (review_id);
CREATE INDEX ix_log_records_on_extra_gin ON log_records USING gin (extra);
CREATE INDEX ix_log_records_on_exception_gin ON log_records USING gin (exception);
-- +downgrade
-- Indexes go with their tables.  The foreign-key cycle is cut first.
ALTER TABLE search_results DROP CONSTRAINT search_results_resolution_id_fkey;
DROP TABLE log_records;
DROP TABLE screening_resolutions;
DROP TABLE search_results;
DROP TABLE screen_abstract_results;
DROP TABLE systematic_reviews;
DROP TYPE loglevel_enum;
DROP TYPE searchdatabasesource_enum;
DROP TYPE criteriaframework_enum;
DROP TYPE screeningstrategytype;
DROP TYPE screeningdecisiontype;
