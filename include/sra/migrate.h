/*
 * libsra: the migration engine (migrations.md).
 *
 * A chain is the set of revision files, validated as a whole when loaded:
 * duplicate ids, missing parents and cycles are refused before anything runs.
 * Revisions are borrowed from their chain and valid until sra_chain_free().
 *
 * Every function that changes a database runs each revision and its change
 * of the version table in one transaction (all of them in one with
 * `atomic`), takes the migrator lock inside that transaction, and re-reads
 * the version table under the lock, so two migrators never apply the same
 * revision twice, even behind a transaction-pooling proxy.
 */
#ifndef SRA_MIGRATE_H
#define SRA_MIGRATE_H

#include "common.h"
#include "db.h"

typedef struct sra_chain sra_chain;
typedef struct sra_revision sra_revision;

/** A list of heap strings owned by the list (libgit2's git_strarray). */
typedef struct sra_strarray {
	char **strings;
	size_t count;
} sra_strarray;

/** Free the strings and the array; the struct itself is the caller's. */
SRA_EXTERN(void) sra_strarray_dispose(sra_strarray *array);

/**
 * Load and validate a chain.
 *
 * @param out  the chain; the caller frees it with sra_chain_free()
 * @param dir  a directory of *.sql revision files, or NULL for the chain
 *             compiled into libsra
 * @return 0, SRA_EINVALID (a malformed file: the message names file and line),
 *         SRA_ECONFLICT (duplicate id, missing down_revision, cycle), SRA_ERROR
 */
SRA_EXTERN(int) sra_chain_load(sra_chain **out, const char *dir);
SRA_EXTERN(void) sra_chain_free(sra_chain *chain);

/** Revisions in dependency order, base first (borrowed). */
SRA_EXTERN(size_t) sra_chain_count(const sra_chain *chain);
SRA_EXTERN(const sra_revision *) sra_chain_at(const sra_chain *chain, size_t i);

/**
 * Find a revision by id or unique id prefix.
 * @return 0, SRA_ENOTFOUND, or SRA_ECONFLICT for an ambiguous prefix
 */
SRA_EXTERN(int) sra_chain_lookup(const sra_revision **out, const sra_chain *chain, const char *id);

/** The heads: revisions no other revision names as its down_revision. */
SRA_EXTERN(int) sra_chain_heads(sra_strarray *out, const sra_chain *chain);

SRA_EXTERN(const char *) sra_revision_id(const sra_revision *rev);
SRA_EXTERN(size_t) sra_revision_parent_count(const sra_revision *rev);
SRA_EXTERN(const char *) sra_revision_parent(const sra_revision *rev, size_t i);
SRA_EXTERN(const char *) sra_revision_message(const sra_revision *rev);
SRA_EXTERN(const char *) sra_revision_created(const sra_revision *rev);
/** the file name, e.g. "0002_9cd2f7e24c87_benchmark_tables.sql" */
SRA_EXTERN(const char *) sra_revision_path(const sra_revision *rev);
/** 0 when the file asks to run outside a transaction (`-- transactional: false`) */
SRA_EXTERN(int) sra_revision_transactional(const sra_revision *rev);
/**
 * The SQL a direction runs on a dialect ("postgresql" or "sqlite"), as in the
 * file: the portable section, then that dialect's own block.  Caller frees.
 */
SRA_EXTERN(char *) sra_revision_sql(const sra_revision *rev, int upgrade, const char *dialect);

/** What the engine reports as it goes (sra_migrate_options.progress). */
typedef struct sra_migrate_event {
	const char *from;	/* the revision before the step, "" for base */
	const char *to;		/* the revision after the step, "" for base */
	const char *revision;	/* the revision that runs */
	const char *message;	/* its message */
	int upgrade;		/* 1 upgrade, 0 downgrade */
	double duration_ms;	/* 0 before the step; its duration after it */
	int done;		/* 0: starting; 1: committed */
} sra_migrate_event;

typedef struct sra_migrate_options {
	unsigned int version;
	int atomic;			/* the whole plan in one transaction */
	int lock_timeout_ms;		/* wait this long for another migrator (default 60 s) */
	int ddl_lock_timeout_ms;	/* PostgreSQL lock_timeout for the DDL (default 5 s; 0 = none) */
	const char *applied_by;		/* recorded in sra_migration_log; NULL = the OS user */
	/* called before and after each step; may be NULL */
	void (*progress)(const sra_migrate_event *ev, void *payload);
	/*
	 * called with every statement of the migration script as it runs, with
	 * parameters rendered as literals: exactly what --sql prints.  May be NULL.
	 */
	void (*trace)(const char *sql, void *payload);
	void *payload;
} sra_migrate_options;

#define SRA_MIGRATE_OPTIONS_VERSION 1
#define SRA_MIGRATE_OPTIONS_INIT { SRA_MIGRATE_OPTIONS_VERSION, 0, 60000, 5000, NULL, NULL, NULL, NULL }

/**
 * Upgrade to `target`: "head" (one head; SRA_ECONFLICT listing them when
 * there are several), "heads", a revision id or unique prefix, "+N", "REV+N".
 * @return 0, SRA_EINVALID (bad target or SQL), SRA_ECONFLICT (chain or
 *         database state), SRA_EBACKEND (a statement failed: that revision
 *         was rolled back and the message names revision, file, line and the
 *         server's message), SRA_ELOCKED
 */
SRA_EXTERN(int) sra_migrate_upgrade(sra_db *db, const sra_chain *chain, const char *target,
				    const sra_migrate_options *opts);

/** Downgrade to `target`: "-N", "REV-N", a revision, "base". Returns as upgrade. */
SRA_EXTERN(int) sra_migrate_downgrade(sra_db *db, const sra_chain *chain, const char *target,
				      const sra_migrate_options *opts);

/**
 * Offline mode: the statements that upgrade or downgrade would run, for
 * `dialect`, from the state `from` ("base", a revision, or several joined
 * by ","; NULL = base for upgrade) to `target`, without a database.
 * @param out  the SQL script; the caller frees it with free()
 */
SRA_EXTERN(int) sra_migrate_script(char **out, const sra_chain *chain, const char *dialect,
				   int upgrade, const char *from, const char *target,
				   const sra_migrate_options *opts);

/**
 * What downgrading to `target` would lose: the tables its downgrade sections
 * drop that hold rows now, each as "name (N rows)", in the order dropped.
 * Empty when nothing is lost or `target` is not below the current state.
 * Fills `out`; the caller disposes it.  For a command to ask before it runs.
 * @return 0, SRA_EBACKEND
 */
SRA_EXTERN(int) sra_migrate_loss(sra_strarray *out, sra_db *db, const sra_chain *chain, const char *target);

/** Set the version table to `target` without running anything. */
SRA_EXTERN(int) sra_migrate_stamp(sra_db *db, const sra_chain *chain, const char *target,
				  const sra_migrate_options *opts);

/**
 * The revisions in the version table (empty when the table is missing or
 * empty: the database is at base).  Fills `out`; the caller disposes it.
 * @return 0, SRA_EBACKEND
 */
SRA_EXTERN(int) sra_migrate_current(sra_strarray *out, sra_db *db);

/**
 * Applied revisions whose file changed since they ran: the SHA-256 recorded
 * in sra_migration_log differs from the file's.  One "<id> <file>" string
 * per revision.  @return 0, SRA_EBACKEND
 */
SRA_EXTERN(int) sra_migrate_edited(sra_strarray *out, sra_db *db, const sra_chain *chain);

/**
 * Accept the current files of edited applied revisions: records their new
 * checksums in sra_migration_log (direction "repair").
 */
SRA_EXTERN(int) sra_migrate_repair(sra_strarray *repaired, sra_db *db, const sra_chain *chain,
				   const sra_migrate_options *opts);

/**
 * Write a new revision file into `dir` with a fresh id whose down_revision
 * is the current head (or `parents` when given, for a merge).
 * @param out_path  the new file's path; the caller frees it
 */
SRA_EXTERN(int) sra_migrate_new_revision(char **out_path, const sra_chain *chain, const char *dir,
					 const char *message, const char *const *parents,
					 size_t nparents);

#endif
