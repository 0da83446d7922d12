/*
 * libsra: importing records with human decisions and AI decisions
 * (benchmark.md, "Getting data in").
 *
 * Both imports run in one transaction: by default a single invalid row
 * rolls everything back and nothing changes; with `skip_invalid` the valid
 * rows are imported and the others listed in the summary.  Files are read
 * as streams (CSV and TSV through libcsv, XLSX through libzip and expat), so
 * memory stays bounded by the longest row, the workbook's shared strings
 * and the set of source ids seen (on SQLite, with the review's ids before
 * the import).
 *
 * Who frees what: the summary is the caller's (usually on the stack); it is
 * filled only on success and released with sra_import_summary_dispose().
 * Option strings are borrowed for the call.
 */
#ifndef SRA_IMPORT_H
#define SRA_IMPORT_H

#include "common.h"
#include "db.h"

/** File formats; AUTO finds the format from the content. */
typedef enum {
	SRA_IMPORT_AUTO = 0,
	SRA_IMPORT_CSV,
	SRA_IMPORT_TSV,
	SRA_IMPORT_XLSX,
	SRA_IMPORT_JSONL,
	SRA_IMPORT_RIS,		/* RIS (TY … ER) */
	SRA_IMPORT_MEDLINE	/* PubMed's MEDLINE format (.nbib) */
} sra_import_format;

/** How far an import has got, for a progress display. */
typedef struct sra_import_progress {
	uint64_t rows;		/* data rows read so far */
	uint64_t bytes_done;	/* bytes of the file (XLSX: of the sheet, uncompressed) read */
	uint64_t bytes_total;	/* the total of the same, or 0 when unknown */
	double elapsed_s;	/* since the import started */
} sra_import_progress;

typedef void (*sra_import_progress_cb)(const sra_import_progress *progress, void *payload);

/**
 * Options of both imports; initialise with SRA_IMPORT_OPTIONS_INIT.
 *
 * Versioned as libgit2's option structs are: `version` says which fields the
 * caller's struct has.  A field is only ever added at the end, with a new
 * SRA_IMPORT_OPTIONS_VERSION; the library reads the fields of the caller's
 * version and takes the defaults for the rest, and refuses a version it does
 * not know (SRA_EINVALID).
 */
typedef struct sra_import_options {
	unsigned int version;		/* SRA_IMPORT_OPTIONS_VERSION */
	sra_import_format format;	/* AUTO: from the content */
	const char *const *map;		/* "field=column" overrides, NULL-terminated; NULL: none */
	const char *human_column;	/* the human decision's column (records) */
	const char *source_db;		/* PubMed, Scopus, Embase, Other, benchmark_csv (any case) */
	const char *sheet;		/* XLSX: the sheet's name; NULL: the first worksheet */
	int skip_invalid;		/* import the valid rows, list the others */
	sra_import_progress_cb progress;	/* called now and then; may be NULL */
	void *payload;			/* passed to progress */
	/* version 2 */
	const char *decision;		/* records: "include" or "exclude" for every record of the file; NULL: from the file */
	/* version 3 */
	double threshold;		/* decisions: a confidence below it needs the resolver (0.7) */
} sra_import_options;

#define SRA_IMPORT_OPTIONS_VERSION 3
#define SRA_IMPORT_OPTIONS_INIT { SRA_IMPORT_OPTIONS_VERSION, SRA_IMPORT_AUTO, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0.7 }

/** A row that was left out under skip_invalid. */
typedef struct sra_import_problem {
	size_t line;		/* the line (CSV, JSON Lines) or row (XLSX) of the file */
	char *message;		/* "file:line: …", one line */
} sra_import_problem;

/** What an import did.  Zero it (or use SRA_IMPORT_SUMMARY_INIT) before the call. */
typedef struct sra_import_summary {
	sra_import_format format;	/* the format read */
	uint64_t inserted;		/* new rows */
	uint64_t updated;		/* existing rows whose content changed */
	uint64_t unchanged;		/* existing rows left as they were (not rewritten) */
	uint64_t invalid;		/* rows left out (skip_invalid) */
	uint64_t ignored;		/* records: non-empty rows after the end of the data */
	size_t end_line;		/* records: the line whose empty source id ended the data; 0 if none */
	char *human_column;		/* records: the column the human decision came from; NULL if none */
	char *source_id_column;		/* records: the column the source id came from */
	sra_import_problem *problems;	/* `invalid` entries */
	uint64_t untitled;		/* records: records imported without a title (title '') */
	uint64_t generated_ids;		/* records: RIS/MEDLINE records without an id that got a content id */
} sra_import_summary;

#define SRA_IMPORT_SUMMARY_INIT { SRA_IMPORT_AUTO, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, 0, 0 }

/** Release what a summary holds and zero it; NULL is fine. */
SRA_EXTERN(void) sra_import_summary_dispose(sra_import_summary *summary);

/** "csv", "tsv", "xlsx", "jsonl" or "auto" (static). */
SRA_EXTERN(const char *) sra_import_format_name(sra_import_format format);

/**
 * The format of a file from its first bytes: XLSX for a zip (PK\3\4), RIS when
 * the first line is `TY  - ` (or a TY and an ER line follow a banner), MEDLINE
 * when it is `PMID- `, TSV when
 * the header line has tabs and no comma outside quotes, else CSV
 * (JSON Lines when `allow_jsonl` and the first non-blank byte is '{').
 * @return 0, SRA_EINVALID (empty, or a legacy .xls / other binary) or SRA_ERROR (unreadable)
 */
SRA_EXTERN(int) sra_import_detect_format(sra_import_format *out, const char *path, int allow_jsonl);

/**
 * Import records with human decisions from a CSV, TSV, XLSX, RIS or MEDLINE
 * file into search_results of the review: an upsert on (review, source_db,
 * source_id).
 * Errors name the file, the line, the column and the value.
 *
 * @param out        filled on success; the caller disposes of it
 * @param review_id  an existing review
 * @return 0, SRA_ENOTFOUND (no such review), SRA_EINVALID (bad file, bad row;
 *         nothing changed), SRA_ERROR (unreadable file) or SRA_EBACKEND
 */
SRA_EXTERN(int) sra_import_records(sra_import_summary *out, sra_db *db, const char *review_id,
				   const char *path, const sra_import_options *opts);

/**
 * Import AI decisions (JSON Lines, or CSV/TSV with the same column names) into
 * screen_abstract_results / screening_resolutions, link them from their
 * records and recompute each record's final_decision.  A line equal to the
 * result already linked counts as unchanged and writes nothing.
 *
 * @param out        filled on success; the caller disposes of it
 * @return as sra_import_records()
 */
SRA_EXTERN(int) sra_import_decisions(sra_import_summary *out, sra_db *db, const char *review_id,
				     const char *path, const sra_import_options *opts);

#endif
