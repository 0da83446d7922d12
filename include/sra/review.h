/*
 * libsra: review protocols (benchmark.md, "Getting data in", Reviews).
 *
 * A review is one row of systematic_reviews.  Records, AI decisions and
 * benchmark runs all hang off a review id.
 *
 * Who frees what: the id strings returned through `char **out` are heap
 * strings the caller releases with free(); a review from sra_review_get()
 * with sra_review_free(), a list with sra_review_list_free().
 * The fields struct is the caller's and is only read.
 */
#ifndef SRA_REVIEW_H
#define SRA_REVIEW_H

#include "common.h"
#include "db.h"

#include <stdint.h>

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
 * A review as read (libgit2's git_status_list / git_status_byindex): an
 * opaque value whose fields are read through the getters below.  Strings
 * are borrowed from the review and live as long as it; NULL means SQL NULL.
 */
typedef struct sra_review sra_review;

/** Every review, oldest first. */
typedef struct sra_review_list sra_review_list;

/**
 * All reviews, oldest first.  The reviews of a list carry the id, the
 * question, the framework, the created time and the number of records;
 * their other fields are NULL or 0 (sra_review_get reads them all).
 * @param out  the caller frees it with sra_review_list_free()
 */
SRA_EXTERN(int) sra_review_list_new(sra_review_list **out, sra_db *db);
SRA_EXTERN(size_t) sra_review_list_count(const sra_review_list *list);
/** The i-th review of the list (borrowed from it), or NULL past the end. */
SRA_EXTERN(const sra_review *) sra_review_byindex(const sra_review_list *list, size_t i);
SRA_EXTERN(void) sra_review_list_free(sra_review_list *list);

/**
 * The list as `sra review list` prints it: a table of id, records, framework
 * and question (cut to fit 80 columns), or a line saying there are none.
 * @param out  the text; the caller frees it with free()
 */
SRA_EXTERN(int) sra_review_list_format(char **out, const sra_review_list *list);

/**
 * One review with all its fields and the counts of its records.
 * @param out  the caller frees it with sra_review_free()
 * @return 0, SRA_EINVALID (not a UUID), SRA_ENOTFOUND or SRA_EBACKEND
 */
SRA_EXTERN(int) sra_review_get(sra_review **out, sra_db *db, const char *id);
SRA_EXTERN(void) sra_review_free(sra_review *review);

/* the columns of systematic_reviews (JSON columns as JSON text) */
SRA_EXTERN(const char *) sra_review_id(const sra_review *review);
SRA_EXTERN(const char *) sra_review_question(const sra_review *review);
SRA_EXTERN(const char *) sra_review_exclusion(const sra_review *review);
SRA_EXTERN(const char *) sra_review_inclusion(const sra_review *review);
SRA_EXTERN(const char *) sra_review_background(const sra_review *review);
SRA_EXTERN(const char *) sra_review_framework(const sra_review *review);
SRA_EXTERN(const char *) sra_review_framework_answers(const sra_review *review);
SRA_EXTERN(const char *) sra_review_metadata(const sra_review *review);
SRA_EXTERN(const char *) sra_review_created_at(const sra_review *review);
SRA_EXTERN(const char *) sra_review_updated_at(const sra_review *review);

/** Counts of the review's records. */
typedef enum {
	SRA_REVIEW_RECORDS = 0,		/* search_results of the review */
	SRA_REVIEW_SCREENED,		/* with an AI final decision */
	SRA_REVIEW_HUMAN_INCLUDE,	/* the human decision is include */
	SRA_REVIEW_HUMAN_EXCLUDE,
	SRA_REVIEW_HUMAN_UNKNOWN	/* no human decision */
} sra_review_count_kind;

SRA_EXTERN(int64_t) sra_review_count(const sra_review *review, sra_review_count_kind what);

/**
 * Check that `id` is a UUID and write it lowercase into `out` (37 bytes).
 * @return 0 or SRA_EINVALID
 */
SRA_EXTERN(int) sra_review_normalize_id(char out[37], const char *id);

/**
 * Recompute search_results.final_decision of every record of the review that
 * has an AI decision, by the rule of benchmark.md ("Final decision and
 * classification") with this confidence threshold (0.7 by default
 * elsewhere), in one transaction.  A record with no AI decision keeps NULL.
 * @param changed  may be NULL; how many records' final decision changed
 * @return 0, SRA_EINVALID (not a UUID, threshold outside 0..1), SRA_ENOTFOUND
 *         or SRA_EBACKEND
 */
SRA_EXTERN(int) sra_review_recompute(int64_t *changed, sra_db *db, const char *review_id, double threshold);

#endif
