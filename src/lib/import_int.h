/*
 * What the import files share: the table readers (CSV/TSV in import_csv.c,
 * XLSX in import_xlsx.c) that push rows to a callback, and the helpers of
 * import_util.c: a string set, statement and bulk-load wrappers over the
 * backend ops, JSON and array literals, UTF-8 checks.
 */
#ifndef SRA_LIB_IMPORT_INT_H
#define SRA_LIB_IMPORT_INT_H

#include "common.h"
#include "db_int.h"
#include "sra/import.h"

#include <stdio.h>

/*
 * One row of a table.  `line` is the file's line where the row starts
 * (CSV/TSV) or the sheet's row number (XLSX); the header is usually line 1.
 * Cells are NUL-terminated and borrowed for the call; a cell may also hold
 * `lens[i]` bytes with NULs inside (CSV), which the caller must check.
 * A non-zero return stops the reader and is returned by it.
 */
typedef int (*sra_import__row_fn)(void *payload, size_t line, size_t ncells,
				  const char *const *cells, const size_t *lens);

typedef struct sra_import__reader {
	const char *path;		/* for messages */
	const char *file;		/* what to open (sra_import__input); NULL: path */
	sra_import_format format;	/* CSV, TSV or XLSX */
	const char *sheet;		/* XLSX: NULL for the first worksheet */
	sra_import__row_fn row;
	void *payload;
	/* progress: bytes of the stream read and its size (0 unknown) */
	void (*bytes)(void *payload, uint64_t done, uint64_t total);
} sra_import__reader;

/*
 * An input that can be read only once -- "-" (stdin), a pipe, a FIFO,
 * /dev/stdin -- is first copied into an unlinked temporary file, so its
 * format can be sniffed and an XLSX opened as a zip; `file` is what to open
 * then (path itself for a regular file), path stays the name in messages.
 * A directory is refused as such.  Close with sra_import__input_close.
 */
/*
 * The caller's options as this library's version of the struct: the fields
 * of the caller's `version`, the defaults for the fields added after it
 * (NULL `opts`: all defaults).  SRA_EINVALID for a version it does not know.
 */
int sra_import__options(sra_import_options *out, const sra_import_options *opts);

typedef struct sra_import__input {
	int fd;			/* the temporary copy, -1 when none */
	char proc[40];		/* /proc/self/fd/N of it */
	const char *file;
} sra_import__input;
int sra_import__input_open(sra_import__input *in, const char *path);
void sra_import__input_close(sra_import__input *in);
/* sra_import_detect_format of `file`, its messages naming `name` */
int sra_import__detect(sra_import_format *out, const char *file, const char *name, int allow_jsonl);

/* read a CSV/TSV file (import_csv.c) */
int sra_import__read_csv(const sra_import__reader *r);
/* read a worksheet of an XLSX file (import_xlsx.c) */
int sra_import__read_xlsx(const sra_import__reader *r);
/* either, by r->format */
int sra_import__read_table(const sra_import__reader *r);

/* ---- import_tagged.c: RIS and MEDLINE, no database ------------------------ */

/* one tag of a record; borrowed for the record callback */
typedef struct sra_import__tag {
	char name[5];		/* "TY", "PMID", "FAU": the tag without its padding */
	size_t line;		/* the line of the tag */
	const char *value;	/* trimmed; continuation lines joined by one space; NUL-terminated */
	size_t len;
} sra_import__tag;

/*
 * One record: its first line, its position in the file (1-based) and its
 * tags in file order.  A non-zero return stops the reader and is returned.
 */
typedef int (*sra_import__record_fn)(void *payload, size_t line, size_t index, size_t ntags,
				     const sra_import__tag *tags);

/* a push parser (the fields are private); init, feed any pieces, finish, dispose */
typedef struct sra_import__tagged {
	const char *path;		/* for messages */
	sra_import_format format;	/* SRA_IMPORT_RIS or SRA_IMPORT_MEDLINE */
	sra_import__record_fn record;
	void *payload;
	sra_buf pending;		/* a line split across pieces */
	sra_buf vals;			/* the record's values, each NUL-terminated */
	struct sra_import__tag_slot { char name[5]; size_t line, off, len; } *tags;
	size_t ntags, cap;
	sra_import__tag *out;
	size_t out_cap;
	size_t lineno, rec_line, nrec;
	int in_rec;
} sra_import__tagged;

void sra_import__tagged_init(sra_import__tagged *t, const char *path, sra_import_format format,
			     sra_import__record_fn fn, void *payload);
/* 0, or an error set with "path:line: …" (SRA_EINVALID) or the callback's return */
int sra_import__tagged_feed(sra_import__tagged *t, const char *buf, size_t len);
/* the end of the input: the last line and record; a RIS record without ER is an error */
int sra_import__tagged_finish(sra_import__tagged *t);
void sra_import__tagged_dispose(sra_import__tagged *t);
/* the whole of a buffer at once (the fuzz targets' entry) */
int sra_import__tagged_parse(const char *path, sra_import_format format, const char *buf, size_t len,
			     sra_import__record_fn fn, void *payload);
/* RIS or MEDLINE from the first bytes of a file (after a BOM and blank lines), else AUTO */
sra_import_format sra_import__tagged_detect(const char *s, size_t n);
/* a file, streamed (r->path, r->format, r->payload, r->bytes; r->row is not used) */
int sra_import__read_tagged(const sra_import__reader *r, sra_import__record_fn fn);

/* ---- import_records.c: where records go (the records import's sink) ------- */

typedef struct sra_import__sink sra_import__sink;

/* one record, ready for search_results; everything borrowed for the call */
typedef struct sra_import__record {
	const char *source_id;		/* not empty; need not be NUL-terminated */
	size_t source_id_len;
	const char *id_where;		/* put before "source id …" in messages ("column 'key': "), or NULL */
	const char *source_db;		/* a canonical label; NULL: --source-db, else inferred from the id */
	int human;			/* 1 include, 0 exclude, -1 unknown (--decision overrides) */
	const char *text[5];		/* doi, title, abstract, journal, year: NUL-terminated, NULL when empty */
	const char *authors;		/* array literals (sra_import__array_*), NULL when empty */
	const char *keywords;
	const char *raw;		/* raw_data: a JSON object */
} sra_import__record;

/* write one record (the upsert); `line` is for messages */
int sra_import__sink_put(sra_import__sink *s, size_t line, const sra_import__record *r);
/* a bad record: an error, or with --skip-invalid a listed one (0) */
int sra_import__sink_bad(sra_import__sink *s, size_t line, const char *fmt, ...) SRA_PRINTF(3, 4);
int sra_import__sink_pg(const sra_import__sink *s);
const sra_import_options *sra_import__sink_opts(const sra_import__sink *s);
sra_import_summary *sra_import__sink_summary(sra_import__sink *s);

/* ---- import_refman.c: RIS and MEDLINE records, Rayyan's and asreview's decisions ---- */

/* read a RIS or MEDLINE file (r->format) into the sink */
int sra_import__read_refman(sra_import__sink *s, const sra_import__reader *r);
/*
 * Rayyan's `RAYYAN-INCLUSION: {"Ann"=>"Included", "Bo"=>"Excluded"}` in s:
 * *out 1 when every reviewer included, 0 when every one excluded, else -1;
 * *found whether s holds it.  -1 when it is there but malformed.
 */
int sra_import__rayyan_decision(int *out, int *found, const char *s, size_t len);

/* ---- import_util.c ------------------------------------------------------ */

/* A set of strings with a number each (the line a key was first seen on). */
typedef struct sra_import__set {
	char **keys;
	size_t *vals;
	size_t cap, n;
} sra_import__set;

/* 0 when added; else the existing key's value is put in *prev and 1 returned */
int sra_import__set_add(sra_import__set *s, const char *key, size_t len, size_t val, size_t *prev);
/* whether key is in the set */
int sra_import__set_has(const sra_import__set *s, const char *key, size_t len);
void sra_import__set_dispose(sra_import__set *s);

/* 0, or "PATH: a UTF-16 file: …" when buf (a file's first bytes) is UTF-16 */
int sra_import__not_utf16(const char *path, const unsigned char *buf, size_t len);

/* a statement run many times (sra_db__prepare) */
typedef struct sra_import__stmt {
	sra_db *db;
	sra_stmt *stmt;
} sra_import__stmt;

int sra_import__prepare(sra_import__stmt *s, sra_db *db, const char *sql);
int sra_import__execute(sra_import__stmt *s, const sra_value *params, size_t nparams);
void sra_import__finalize(sra_import__stmt *s);

/* A bulk load into a table (sra_db__copy_*) that remembers whether it is open. */
typedef struct sra_import__copy {
	sra_db *db;
	int open;
	size_t ncols;
} sra_import__copy;

int sra_import__copy_begin(sra_import__copy *c, sra_db *db, const char *table,
			   const char *const *columns, size_t ncols);
int sra_import__copy_row(sra_import__copy *c, const char *const *cells);
/* ok = 0 aborts; always releases what copy_begin took */
int sra_import__copy_end(sra_import__copy *c, int ok);


/* append s (len bytes) as a JSON string */
void sra_import__json_string(sra_buf *b, const char *s, size_t len);
/* append s as an element of a PostgreSQL array literal ("…" with \ escapes) */
void sra_import__pg_array_elem(sra_buf *b, const char *s, size_t len);
/* whether s[0..len) is valid UTF-8 without NUL bytes */
int sra_import__utf8_ok(const char *s, size_t len);
/* the span of s without leading and trailing white space */
void sra_import__trim(const char **s, size_t *len);
/* case-insensitive equality of s[0..len) and the C string w */
int sra_import__eq(const char *s, size_t len, const char *w);
/*
 * If s is a whole number written with a decimal part of zeros ("2019.0",
 * "-3.000"), the length without it, else len.
 */
size_t sra_import__whole_len(const char *s, size_t len);
/*
 * An array literal of the dialect (PostgreSQL '{…}', SQLite JSON '[…]') in b:
 * begin, add elements (trimmed; empty ones left out), end.  With no element
 * b is left empty (the column is NULL).
 */
void sra_import__array_begin(sra_buf *b, int pg);
void sra_import__array_add(sra_buf *b, int pg, const char *s, size_t len);
void sra_import__array_end(sra_buf *b, int pg);
/* the canonical label of searchdatabasesource_enum for s (any case), or NULL */
const char *sra_import__source_db_label(const char *s, size_t len);
/* seconds since some fixed point, for rates */
double sra_import__now(void);

/* whether the review (a normalised id) exists, into *out; 0 or an error (import_records.c) */
int sra_import__review_found(int *out, sra_db *db, const char *review);
/* 0 when the review exists, else SRA_ENOTFOUND */
int sra_import__review_exists(sra_db *db, const char *review);

/* error helpers: SRA_ERROR_IMPORT with SRA_EINVALID */
#define sra_import__fail(...) sra_error_set(SRA_ERROR_IMPORT, SRA_EINVALID, __VA_ARGS__)

/*
 * A bad line of an input file.  With skip_invalid it is listed in `sum`
 * (which owns the message) and 0 is returned; otherwise the error
 * "<path>:<line>: <message>" is set and SRA_EINVALID returned.
 */
/*
 * Report progress through opts->progress, at most four times a second
 * unless `force`; *last is the time of the last report (sra_import__now()).
 */
void sra_import__report(const sra_import_options *opts, double t0, double *last, uint64_t rows,
			uint64_t bytes_done, uint64_t bytes_total, int force);

int sra_import__problem(sra_import_summary *sum, int skip_invalid, const char *path, size_t line,
			const char *fmt, va_list ap);

#endif
