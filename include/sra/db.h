/*
 * libsra: choosing and opening a database.
 *
 * A database is named by a URL (migrations.md, "Choosing the database"):
 *   postgresql://…, postgres://…, postgresql+psycopg://… (driver ignored),
 *   a libpq keyword string ("host=… dbname=…"),
 *   sqlite:///relative.db, sqlite:////absolute.db, sqlite://:memory:
 */
#ifndef SRA_DB_H
#define SRA_DB_H

#include "common.h"

typedef struct sra_db sra_db;

/** Options for sra_db_resolve_url(); initialise with SRA_RESOLVE_OPTIONS_INIT. */
typedef struct sra_resolve_options {
	unsigned int version;
	const char *url;	/* an explicit --url, or NULL */
	const char *dotenv_dir;	/* where .env files are read; NULL = current directory */
} sra_resolve_options;

#define SRA_RESOLVE_OPTIONS_VERSION 1
#define SRA_RESOLVE_OPTIONS_INIT { SRA_RESOLVE_OPTIONS_VERSION, NULL, NULL }

/**
 * Decide which database to use: --url, then the variable that ENVIRONMENT
 * (or SRA_ENVIRONMENT) chooses, then SRA_DATABASE_URL, then the embedded
 * default "sqlite:///sra.db".  Unset variables are read from `.env` and
 * `.env.<ENVIRONMENT>` in the current directory.  With ENVIRONMENT=test the
 * URL must come from TEST_DATABASE_URL and name a database containing "test".
 *
 * @param out       the URL; the caller frees it with free()
 * @param env_out   the environment's name ("" when none is set); caller frees; may be NULL
 * @param opts      options, or NULL for the defaults
 * @return 0, or SRA_EINVALID (unknown ENVIRONMENT, missing or guarded URL)
 */
SRA_EXTERN(int) sra_db_resolve_url(char **out, char **env_out, const sra_resolve_options *opts);

/**
 * The URL with any password replaced by "****", safe to print.
 * @return a heap string the caller frees with free()
 */
SRA_EXTERN(char *) sra_db_mask_url(const char *url);

/**
 * The SQL dialect a URL names, without opening anything: "postgresql" or
 * "sqlite" (borrowed, static).
 * @return 0, or SRA_EINVALID for an unknown scheme
 */
SRA_EXTERN(int) sra_db_dialect_of_url(const char **out, const char *url);

/** Options for sra_db_open(); initialise with SRA_OPEN_OPTIONS_INIT. */
typedef struct sra_open_options {
	unsigned int version;
	int busy_timeout_ms;		/* SQLite: wait this long for a locked file */
	int connect_timeout_s;		/* PostgreSQL: connect_timeout when the URL has none */
	const char *application_name;	/* PostgreSQL: shown in pg_stat_activity */
	/* version 2 */
	int must_exist;			/* SQLite: refuse (SRA_ENOTFOUND) a file that does not exist, create nothing */
	int lock_timeout_ms;		/* PostgreSQL: the session's lock_timeout (0: as the server has it) */
	/* version 3 */
	/*
	 * Called at most once per handle, after a statement has waited one
	 * second for a lock another session holds, with who holds it (borrowed,
	 * for the call only): PostgreSQL's "pid 123 (application psql, user u,
	 * from local, idle in transaction, its transaction began 5 s ago)", or
	 * SQLite's "another writer (process 123, sqlite3) on 'x.db'".  NULL:
	 * not called.
	 */
	void (*lock_wait)(void *payload, const char *holder);
	void *lock_wait_payload;
} sra_open_options;

#define SRA_OPEN_OPTIONS_VERSION 3
#define SRA_OPEN_OPTIONS_INIT { SRA_OPEN_OPTIONS_VERSION, 60000, 10, "sra", 0, 0, NULL, NULL }

/**
 * Connect to (or open) the database at `url`.  Loads the PostgreSQL client
 * library only when a PostgreSQL URL is used.  A handle is used by one thread
 * at a time (SQLite connections are opened without their own mutex); open one
 * handle per thread.
 *
 * @param out   the handle; the caller frees it with sra_db_free()
 * @return 0, SRA_EINVALID (bad URL) or SRA_EBACKEND (unreachable, refused)
 */
SRA_EXTERN(int) sra_db_open(sra_db **out, const char *url, const sra_open_options *opts);

/** Close and free; NULL is fine. */
SRA_EXTERN(void) sra_db_free(sra_db *db);

/** "postgresql" or "sqlite" (borrowed, static). */
SRA_EXTERN(const char *) sra_db_dialect(const sra_db *db);

/** The URL the handle was opened with, password masked (borrowed). */
SRA_EXTERN(const char *) sra_db_url(const sra_db *db);

/** The version of the SQLite library in use, e.g. "3.40.1" (static). */
SRA_EXTERN(const char *) sra_db_sqlite_version(void);

/**
 * The version of libpq, which is loaded with dlopen() only when a PostgreSQL
 * URL is first opened: PQlibVersion() (e.g. 150010 for 15.10), or 0 when it
 * is not loaded.  With `load` non-zero it is loaded now if it can be; 0 then
 * means it cannot be loaded (libpq5 is not installed).
 */
SRA_EXTERN(int) sra_db_libpq_version(int load);

struct sra_rows;

#endif
