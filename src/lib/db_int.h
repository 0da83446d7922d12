/*
 * What the library knows about an open database and URLs, beyond db.h.
 */
#ifndef SRA_LIB_DB_INT_H
#define SRA_LIB_DB_INT_H

#include "common.h"
#include "sra/db.h"
#include "sra/sys/backend.h"

/*
 * The db layer owns the backend: engine and feature files call the
 * sra_db__… wrappers below, never db->be->ops.  `ops` is the backend's
 * table as checked when it was registered (sra_db_open_backend), with the
 * library's defaults in the optional slots, so no caller asks whether an
 * op exists.
 */
struct sra_db {
	sra_backend *be;	/* owned: closed by sra_db_free */
	sra_backend_ops ops;	/* be->ops, checked, defaults filled in */
	char *url_masked;	/* owned */
	/* a bulk load on a backend without copy ops: one prepared INSERT */
	struct {
		sra_stmt *ins;		/* owned while a load is open */
		sra_value *params;	/* owned: ncols */
		size_t ncols;
	} copy;
};

/* A URL taken apart (sra_db__parse_url); release with sra_url__dispose. */
typedef struct sra_url {
	const sra_backend_ops *ops;	/* the backend its scheme names */
	char *target;			/* what ops->open takes: conninfo or file path */
	char *dbname;			/* PostgreSQL database name or SQLite path; may be NULL */
} sra_url;

/* the built-in backend of a dialect ("postgresql", "sqlite"), or NULL */
const sra_backend_ops *sra_db__backend_ops(const char *dialect);

int sra_db__parse_url(sra_url *out, const char *url);
void sra_url__dispose(sra_url *u);

/* where the passwords of a URL or keyword string are (sra_db_mask_url masks them) */
size_t sra_db__password_spans(size_t (*spans)[2], size_t max, const char *url);

/*
 * The database libpq would connect to for target (PQconninfoParse: the last
 * dbname= wins, a URI's path and ?dbname= as libpq reads them; else
 * PGDATABASE, else the user name); caller frees *out.  A target whose
 * database a service file chooses (service=, PGSERVICE) is refused as
 * ambiguous.  SRA_ERROR_CONFIG on a target libpq cannot parse.
 */
int sra_pg__final_dbname(char **out, const char *target);
/* replace in msg every password (or piece of one) of target with "****" */
void sra_pg__scrub(sra_buf *msg, const char *target);

/* ---- the wrappers: one line each, the contract is sys/backend.h's ---- */

static inline const sra_backend_ops *sra_db__ops(const sra_db *db)
{
	return &db->ops;
}

static inline unsigned int sra_db__caps(const sra_db *db)
{
	return db->ops.caps;
}

/*
 * The one "is this PostgreSQL" question: whether a backend runs
 * PostgreSQL's SQL as written (else it gets the SQLite variant).
 */
static inline int sra_ops__is_pg(const sra_backend_ops *ops)
{
	return (ops->caps & SRA_CAP_PG_DIALECT) != 0;
}

static inline int sra_db__is_pg(const sra_db *db)
{
	return sra_ops__is_pg(&db->ops);
}

/* SQLSTATE of the last failure, or "" */
static inline const char *sra_db__sqlstate(const sra_db *db)
{
	return db->be->sqlstate;
}

static inline int sra_db__exec(sra_db *db, const char *sql)
{
	return db->ops.exec(db->be, sql);
}

static inline int sra_db__query(sra_rows **out, sra_db *db, const char *sql,
				const sra_value *params, size_t nparams)
{
	return db->ops.query(out, db->be, sql, params, nparams);
}

static inline int sra_db__query_each(sra_db *db, const char *sql, const sra_value *params, size_t nparams,
				     int (*cb)(void *payload, size_t ncols, const char *const *cells),
				     void *payload)
{
	return db->ops.query_each(db->be, sql, params, nparams, cb, payload);
}

static inline int sra_db__begin(sra_db *db)
{
	return db->ops.begin(db->be);
}

static inline int sra_db__commit(sra_db *db)
{
	return db->ops.commit(db->be);
}

static inline int sra_db__rollback(sra_db *db)
{
	return db->ops.rollback(db->be);
}

static inline int sra_db__xact_lock(sra_db *db, int64_t key, int timeout_ms)
{
	return db->ops.xact_lock(db->be, key, timeout_ms);
}

static inline int sra_db__set_ddl_lock_timeout(sra_db *db, int timeout_ms)
{
	return db->ops.set_ddl_lock_timeout(db->be, timeout_ms);
}

/* *out is released with sra_db__finalize, also after an error */
static inline int sra_db__prepare(sra_stmt **out, sra_db *db, const char *sql)
{
	return db->ops.prepare(out, db->be, sql);
}

static inline int sra_db__execute(sra_db *db, sra_stmt *stmt, const sra_value *params, size_t nparams)
{
	return db->ops.execute(stmt, params, nparams);
}

/* NULL-safe */
static inline void sra_db__finalize(sra_db *db, sra_stmt *stmt)
{
	if (stmt)
		db->ops.finalize(stmt);
}

/* a bulk read or write follows (on = 1) or has ended (on = 0) */
static inline int sra_db__bulk_hint(sra_db *db, int on)
{
	return db->ops.bulk_hint(db->be, on);
}

/* an SQL expression that makes a new random uuid in the dialect */
static inline const char *sra_db__uuid_sql(const sra_db *db)
{
	return db->ops.uuid_sql;
}

/*
 * Bulk load (sys/backend.h's copy ops), or on a backend without them one
 * prepared INSERT per row.  copy_end(ok = 0) aborts; it is safe to call
 * when no load is open.
 */
int sra_db__copy_begin(sra_db *db, const char *table, const char *const *columns, size_t ncols);
int sra_db__copy_row(sra_db *db, const char *const *cells, size_t ncols);
int sra_db__copy_end(sra_db *db, int ok);

#endif
