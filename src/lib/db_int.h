/*
 * What the library knows about an open database and URLs, beyond db.h.
 */
#ifndef SRA_LIB_DB_INT_H
#define SRA_LIB_DB_INT_H

#include "common.h"
#include "sra/db.h"
#include "sra/sys/backend.h"

struct sra_db {
	sra_backend *be;	/* owned: closed by sra_db_free */
	char *url_masked;	/* owned */
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

/* shorthand for the one-line dispatch */
static inline int sra_db__exec(sra_db *db, const char *sql)
{
	return db->be->ops->exec(db->be, sql);
}

static inline int sra_db__query(sra_rows **out, sra_db *db, const char *sql,
				const sra_value *params, size_t nparams)
{
	return db->be->ops->query(out, db->be, sql, params, nparams);
}

static inline unsigned int sra_db__caps(const sra_db *db)
{
	return db->be->ops->caps;
}

#endif
