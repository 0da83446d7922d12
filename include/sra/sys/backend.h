/*
 * libsra: the database backend vtable, for backend authors and tests
 * (libgit2's git2/sys, curl's vtls_int.h).
 *
 * A backend embeds `sra_backend` as its first member, recovers itself with
 * SRA_CONTAINER_OF, and publishes a `const sra_backend_ops` built with
 * designated initialisers.  Dialect differences are `caps` bits and ops,
 * never comparisons of `name`.
 *
 * Error contract for every op that returns int: 0 on success; on failure a
 * negative sra_error_code with the message set through sra_error_set()
 * (the driver's own message copied in at the boundary, password-free), and
 * the backend's `sqlstate` field holding the five-character SQLSTATE when
 * the server gave one ("" otherwise).
 */
#ifndef SRA_SYS_BACKEND_H
#define SRA_SYS_BACKEND_H

#include "../common.h"
#include <stddef.h>
#include <stdint.h>

#define SRA_CONTAINER_OF(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* capability bits */
#define SRA_CAP_PG_DIALECT   (1u << 0)	/* runs PostgreSQL SQL as written (else: translate) */
#define SRA_CAP_NATIVE_ENUM  (1u << 1)	/* CREATE TYPE … AS ENUM exists */
#define SRA_CAP_TXN_DDL      (1u << 2)	/* DDL is transactional */
#define SRA_CAP_ADVISORY     (1u << 3)	/* advisory locks: lock() must be called inside each migration txn */
#define SRA_CAP_SCHEMAS      (1u << 4)	/* CREATE SCHEMA / search_path exist */
/*
 * Foreign keys are a connection setting that cannot change inside a
 * transaction, and a table rebuild under them cascades or fails: schema
 * changes run with `PRAGMA foreign_keys = OFF` and end with
 * `PRAGMA foreign_key_check` (SQLite's documented ALTER procedure).
 */
#define SRA_CAP_FK_PRAGMA    (1u << 5)
/*
 * Every call is a round trip to a server: the engine sends a revision's
 * statements to exec() in one message (several statements separated by
 * ';', run all-or-nothing) rather than one call each.
 */
#define SRA_CAP_BATCH        (1u << 6)

/** A parameter value.  Strings are borrowed for the duration of the call. */
typedef enum {
	SRA_VALUE_NULL = 0,
	SRA_VALUE_TEXT,
	SRA_VALUE_INT,
	SRA_VALUE_REAL,
	SRA_VALUE_BOOL
} sra_value_type;

typedef struct sra_value {
	sra_value_type type;
	union {
		const char *text;
		int64_t i;
		double r;
		int b;
	} u;
} sra_value;

/* value constructors: SRA_VAL_TEXT(NULL) is SQL NULL */
static inline sra_value sra_value__text(const char *s)
{
	sra_value v;
	v.type = s ? SRA_VALUE_TEXT : SRA_VALUE_NULL;
	v.u.text = s;
	return v;
}

#define SRA_VAL_NULL       ((sra_value){ .type = SRA_VALUE_NULL })
#define SRA_VAL_TEXT(s)    sra_value__text(s)
#define SRA_VAL_INT(n)     ((sra_value){ .type = SRA_VALUE_INT, .u.i = (n) })
#define SRA_VAL_REAL(x)    ((sra_value){ .type = SRA_VALUE_REAL, .u.r = (x) })
#define SRA_VAL_BOOL(x)    ((sra_value){ .type = SRA_VALUE_BOOL, .u.b = !!(x) })

/**
 * A fully fetched result, all cells as text (PostgreSQL's text format;
 * SQLite's sqlite3_column_text).  Booleans arrive as "t"/"f" from PostgreSQL
 * and "1"/"0" from SQLite.  Owned by the caller: sra_rows_free().
 */
typedef struct sra_rows {
	size_t nrows;
	size_t ncols;
	char **names;	/* ncols column names */
	char **cells;	/* nrows * ncols cells, row-major; NULL for SQL NULL */
} sra_rows;

SRA_EXTERN(const char *) sra_rows_get(const sra_rows *rows, size_t row, size_t col);
SRA_EXTERN(void) sra_rows_free(sra_rows *rows);
/* build helpers, for backends */
SRA_EXTERN(sra_rows *) sra_rows__new(size_t ncols);
/* appends one row of ncols cells (copied; NULL stays NULL) */
SRA_EXTERN(void) sra_rows__append(sra_rows *rows, const char *const *cells, const size_t *lens);

typedef struct sra_backend sra_backend;
struct sra_open_options;

#define SRA_BACKEND_OPS_VERSION 3

typedef struct sra_stmt sra_stmt;	/* a prepared statement of a backend */

typedef struct sra_backend_ops {
	unsigned int version;	/* SRA_BACKEND_OPS_VERSION */
	const char *name;	/* the dialect: "postgresql", "sqlite" */
	unsigned int caps;	/* SRA_CAP_* */

	/*
	 * Open `target` (a libpq conninfo string or URI for PostgreSQL; a file
	 * path or ":memory:" for SQLite), as sra_db__parse_url() produced it.
	 */
	int (*open)(sra_backend **out, const char *target, const struct sra_open_options *opts);
	void (*close)(sra_backend *be);

	/*
	 * Run one statement without parameters and discard any result; with
	 * SRA_CAP_BATCH, several statements separated by ';' in one call.
	 */
	int (*exec)(sra_backend *be, const char *sql);

	/*
	 * Run one statement; parameters are written $1, $2, … in both dialects.
	 * `out` may be NULL when no result is wanted.  Unnamed statements only
	 * (safe behind a transaction-pooling proxy).
	 */
	int (*query)(sra_rows **out, sra_backend *be, const char *sql,
		     const sra_value *params, size_t nparams);

	int (*begin)(sra_backend *be);		/* PostgreSQL BEGIN; SQLite BEGIN IMMEDIATE */
	int (*commit)(sra_backend *be);
	int (*rollback)(sra_backend *be);	/* safe to call after a failed statement */

	/*
	 * Take the migrator lock `key` for the current transaction, waiting at
	 * most timeout_ms; SRA_ELOCKED with a message naming the holder when it
	 * cannot.  Backends whose begin() already serialises writers (SQLite)
	 * use the default, which does nothing.
	 */
	int (*xact_lock)(sra_backend *be, int64_t key, int timeout_ms);

	/*
	 * Set how long DDL may wait for a table lock in this transaction
	 * (PostgreSQL lock_timeout); default does nothing.
	 */
	int (*set_ddl_lock_timeout)(sra_backend *be, int timeout_ms);
	/* version 1 ends here */

	/*
	 * Stream the rows of one statement to `cb` without holding them all in
	 * memory (PostgreSQL single-row mode; SQLite step by step).  `cells` are
	 * borrowed for the call (NULL for SQL NULL); a non-zero return from cb
	 * stops the query and is returned.
	 */
	int (*query_each)(sra_backend *be, const char *sql, const sra_value *params, size_t nparams,
			  int (*cb)(void *payload, size_t ncols, const char *const *cells), void *payload);

	/*
	 * Run one parameterised statement many times, fast: SQLite keeps one
	 * prepared statement; PostgreSQL (unnamed statements only) sends
	 * PQexecParams each time, or pipelines them.  prepare() returns a handle
	 * the caller releases with finalize(), also after an error.
	 */
	int (*prepare)(sra_stmt **out, sra_backend *be, const char *sql);
	int (*execute)(sra_stmt *stmt, const sra_value *params, size_t nparams);
	void (*finalize)(sra_stmt *stmt);

	/*
	 * Bulk load: COPY `table` (`columns`) FROM STDIN on PostgreSQL; on
	 * SQLite INSERTs of many rows each.  copy_begin starts it, copy_row
	 * sends one row of ncols text cells (NULL for SQL NULL; the cells are
	 * borrowed for the call only), copy_end(ok) finishes it (ok = 0 aborts).
	 * Rows are buffered: a bad row's error may come from a later copy_row or
	 * from copy_end, never naming the row.  Inside the caller's transaction;
	 * commit refuses while a bulk load is open, rollback ends it.
	 */
	int (*copy_begin)(sra_backend *be, const char *table, const char *const *columns, size_t ncols);
	int (*copy_row)(sra_backend *be, const char *const *cells, size_t ncols);
	int (*copy_end)(sra_backend *be, int ok);
	/* version 2 ends here */

	/*
	 * A bulk read or write of many rows follows (on = 1) or has ended
	 * (on = 0): SQLite grows its page cache for it and restores it after.
	 * Default does nothing.
	 */
	int (*bulk_hint)(sra_backend *be, int on);

	/*
	 * An SQL expression that makes a new random (version 4) uuid, as the
	 * dialect stores uuids: PostgreSQL's gen_random_uuid(), lower-case text
	 * on SQLite.  Default: chosen by SRA_CAP_PG_DIALECT.
	 */
	const char *uuid_sql;
	/* version 3 ends here */
} sra_backend_ops;

struct sra_backend {
	const sra_backend_ops *ops;
	char sqlstate[6];	/* SQLSTATE of the last failure, or "" */
};

struct sra_db;
/**
 * The backend behind an open database (borrowed).  Semi-private: for
 * backend authors and tests, not for programs that use libsra.
 */
SRA_EXTERN(sra_backend *) sra_db__backend(struct sra_db *db);

/**
 * Open the backend a database URL names, without an sra_db around it (for
 * wrappers and tests).  The caller owns *out and closes it with
 * (*out)->ops->close, or hands it to sra_db_open_backend.
 */
SRA_EXTERN(int) sra_backend_open_url(sra_backend **out, const char *url, const struct sra_open_options *opts);

/**
 * An sra_db around an open backend: where a backend is registered, its ops
 * table is checked once (version 1 to SRA_BACKEND_OPS_VERSION, every
 * required op present, optional ops all or none of a group) and its
 * optional ops get the library's defaults.  Takes ownership of `be` also
 * on failure; `url` is only shown (masked).
 */
SRA_EXTERN(int) sra_db_open_backend(struct sra_db **out, sra_backend *be, const char *url);

/* the built-in backends */
SRA_EXTERN(const sra_backend_ops) sra_backend_postgresql;
SRA_EXTERN(const sra_backend_ops) sra_backend_sqlite;

#endif
