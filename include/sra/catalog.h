/*
 * libsra: the live schema, read from a database's catalogs into a
 * normalised model (`sra db inspect`), and compared with the schema the
 * migration chain produces (`sra db check`).
 *
 * A catalog holds the user tables (not alembic_version, sra_migration_log or
 * SQLite's internal tables) with their columns (type, nullability, default),
 * primary key, foreign keys (with ON DELETE / ON UPDATE), UNIQUE and CHECK
 * constraints, indexes (method, columns or expressions, unique, partial
 * predicate; not those that only back a PRIMARY KEY or UNIQUE constraint),
 * triggers, and the enum types with their labels in order (PostgreSQL).
 * Nothing in it depends on OIDs or on the schema's name, so the catalogs of
 * two databases built by the same chain compare equal.
 *
 * Ownership: sra_catalog_read() hands the catalog to the caller, who frees it
 * with sra_catalog_free(); strings returned through `char **out` are the
 * caller's (free()); an sra_strarray filled here is disposed of by the caller
 * with sra_strarray_dispose().
 */
#ifndef SRA_CATALOG_H
#define SRA_CATALOG_H

#include "common.h"
#include "db.h"
#include "migrate.h"

typedef struct sra_catalog sra_catalog;

/**
 * Read the schema of `db`.
 *
 * @param out     the catalog; the caller frees it with sra_catalog_free()
 * @param schema  PostgreSQL: the schema to read, NULL for current_schema();
 *                ignored on SQLite
 * @return 0, or SRA_EBACKEND (a catalog query failed)
 */
SRA_EXTERN(int) sra_catalog_read(sra_catalog **out, sra_db *db, const char *schema);

/** Free a catalog; NULL is fine. */
SRA_EXTERN(void) sra_catalog_free(sra_catalog *catalog);

/** The dialect the catalog was read from: "postgresql" or "sqlite" (borrowed). */
SRA_EXTERN(const char *) sra_catalog_dialect(const sra_catalog *catalog);

/** The tables, sorted by name (borrowed; valid until sra_catalog_free()). */
SRA_EXTERN(size_t) sra_catalog_table_count(const sra_catalog *catalog);
SRA_EXTERN(const char *) sra_catalog_table_name(const sra_catalog *catalog, size_t i);

/**
 * The differences between the schema a database should have (`expected`)
 * and the one it has (`live`), one line for people each, e.g.
 *   missing index ix_benchmark_runs_review_id on benchmark_runs
 *   extra column benchmark_runs.foo (text)
 *   column benchmark_runs.status: default 'running'::benchmarkrunstatus, expected 'completed'::benchmarkrunstatus
 *   foreign key benchmark_runs.review_id -> systematic_reviews: ON DELETE NO ACTION, expected CASCADE
 *   enum searchdatabasesource_enum: extra label 'Foo'
 * in a deterministic order: by table, then kind (column, primary key, foreign
 * key, unique, check, index, trigger), then name; enum types last.
 *
 * @param out  the lines (empty when the schemas match); the caller disposes
 *             of them with sra_strarray_dispose()
 * @return 0
 */
SRA_EXTERN(int) sra_catalog_diff(sra_strarray *out, const sra_catalog *expected,
				 const sra_catalog *live);

/**
 * The catalog for people, like psql's \d: with `table`, that table's columns
 * (Type | Nullable | Default), then Indexes:, Check constraints:,
 * Foreign-key constraints: (with ON DELETE), Triggers:; with NULL, the list
 * of tables and the enum types with their labels.
 *
 * @param out  the text, ending in a newline; the caller frees it with free()
 * @return 0, or SRA_ENOTFOUND when `table` is not in the catalog
 */
SRA_EXTERN(int) sra_catalog_format(char **out, const sra_catalog *catalog, const char *table);

/**
 * The same content as JSON text (booleans as JSON booleans, a missing
 * default as null): with `table` one table object, else
 * {"dialect", "tables": [...], "enums": [{"name", "labels"}]}.
 *
 * @param out  the JSON text; the caller frees it with free()
 * @return 0, or SRA_ENOTFOUND when `table` is not in the catalog
 */
SRA_EXTERN(int) sra_catalog_to_json(char **out, const sra_catalog *catalog, const char *table);

/**
 * `sra db check`: compare the live schema with the schema the chain produces
 * at the database's current revision(s).  The expected schema is made by
 * replaying the chain's upgrade statements (exactly those the engine runs)
 * into a scratch place -- on PostgreSQL a schema created and rolled back
 * inside one transaction on the same connection, on SQLite an in-memory
 * database -- and reading its catalog; nothing is left behind, even on
 * failure.
 *
 * Also reported, one line each: an applied revision whose file changed since
 * it ran, and a database that has tables but no version (suggesting
 * `sra db stamp`).
 *
 * @param out  the difference lines, empty when the database is clean; the
 *             caller disposes of them with sra_strarray_dispose()
 * @return 0, SRA_ECONFLICT (the database is at a revision the chain does not
 *         know), SRA_EBACKEND (a statement failed: the message names the
 *         revision, file and line of a replayed statement)
 */
SRA_EXTERN(int) sra_migrate_check(sra_strarray *out, sra_db *db, const sra_chain *chain);

#endif
