/*
 * libsra: review protocols (benchmark.md, "Getting data in", Reviews).
 *
 * A review is one row of systematic_reviews.  Records, AI decisions and
 * benchmark runs all hang off a review id.
 *
 * Who frees what: the id strings returned through `char **out` are heap
 * strings the caller releases with free(); the rows returned through
 * `sra_rows **out` are released with sra_rows_free() (sra/sys/backend.h).
 * The fields struct is the caller's and is only read.
 */
#ifndef SRA_REVIEW_H
#define SRA_REVIEW_H

#include "common.h"
#include "db.h"

/**
 * The fields of a review; initialise with SRA_REVIEW_FIELDS_INIT.  Strings
 * are borrowed for the call.  NULL means "not given".
 */
typedef struct sra_review_fields {
	unsigned int version;
	const char *id;				/* a UUID; NULL: a new random one */
	const char *research_question;		/* required */
	const char *exclusion_criteria;		/* required */
	const char *inclusion_criteria;
	const char *background;
	const char *criteria_framework;		/* PICO, PICOS, …: a label of criteriaframework_enum (any case) */
	const char *criteria_framework_answers;	/* a JSON object as text; NULL: {} */
	const char *review_metadata;		/* a JSON object as text; NULL: {} */
} sra_review_fields;

#define SRA_REVIEW_FIELDS_VERSION 1
#define SRA_REVIEW_FIELDS_INIT { SRA_REVIEW_FIELDS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/**
 * Insert a new review.
 *
 * @param out   the review's id (lowercase); the caller frees it with free(); may be NULL
 * @return 0, SRA_EINVALID (a missing or malformed field), SRA_EEXISTS (the id
 *         is taken) or SRA_EBACKEND
 */
SRA_EXTERN(int) sra_review_create(char **out, sra_db *db, const sra_review_fields *fields);

/**
 * Insert the review, or update the one with the same id when a field
 * differs (an unchanged review is not rewritten).  Without an id it inserts.
 *
 * @param out      the review's id; the caller frees it with free(); may be NULL
 * @param changed  set to 0 (unchanged), 1 (inserted) or 2 (updated); may be NULL
 * @return 0, SRA_EINVALID or SRA_EBACKEND
 */
SRA_EXTERN(int) sra_review_upsert(char **out, int *changed, sra_db *db, const sra_review_fields *fields);

/**
 * Upsert the protocol in a JSON file: an object whose keys are the column
 * names (id, research_question, exclusion_criteria, inclusion_criteria,
 * background, criteria_framework, criteria_framework_answers,
 * review_metadata) or the `sra review create` option names (question,
 * exclusion, inclusion, framework, answers).  Idempotent by id.
 *
 * @param out      as sra_review_upsert()
 * @param changed  as sra_review_upsert()
 * @return 0, SRA_EINVALID (unreadable file, bad JSON, unknown key, bad field) or SRA_EBACKEND
 */
SRA_EXTERN(int) sra_review_import_file(char **out, int *changed, sra_db *db, const char *path);

/**
 * All reviews, oldest first: (id, research_question, criteria_framework,
 * records, created_at), `records` being the number of search_results.
 * @param out  the caller frees it with sra_rows_free()
 */
SRA_EXTERN(int) sra_review_list(struct sra_rows **out, sra_db *db);

/**
 * One review, one row: (id, research_question, exclusion_criteria,
 * inclusion_criteria, background, criteria_framework,
 * criteria_framework_answers, review_metadata, created_at, updated_at,
 * records, screened, human_include, human_exclude, human_unknown).
 * JSON columns arrive as JSON text.
 * @param out  the caller frees it with sra_rows_free()
 * @return 0, SRA_EINVALID (not a UUID), SRA_ENOTFOUND or SRA_EBACKEND
 */
SRA_EXTERN(int) sra_review_get(struct sra_rows **out, sra_db *db, const char *id);

/**
 * Check that `id` is a UUID and write it lowercase into `out` (37 bytes).
 * @return 0 or SRA_EINVALID
 */
SRA_EXTERN(int) sra_review_normalize_id(char out[37], const char *id);

#endif
