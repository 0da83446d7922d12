/*
 * The version table (Alembic's `alembic_version`, one row per head) and
 * sra's own `sra_migration_log`, on both dialects.
 */
#ifndef SRA_LIB_VERSION_TABLE_H
#define SRA_LIB_VERSION_TABLE_H

#include "common.h"
#include "db_int.h"

/*
 * The rows of alembic_version; empty when the table does not exist.  With
 * known_to_exist (the engine created or found it under the lock) the
 * existence check is skipped: one round trip less per revision.
 */
int sra_version__read(sra_strv *out, sra_db *db, int known_to_exist);

/* CREATE TABLE statements for both tables, in a dialect */
void sra_version__create_ddl(sra_strv *out, const sra_backend_ops *ops);

/* the CREATE TABLE statements for whichever of the two tables is missing */
int sra_version__missing_ddl(sra_strv *out, sra_db *db);

/* do alembic_version and sra_migration_log exist?  One round trip. */
int sra_version__probe(int *have_version, int *have_log, sra_db *db);

/* does `table` exist (in the search path on PostgreSQL)? */
int sra_version__table_exists(int *exists, sra_db *db, const char *table);

/*
 * (revision, checksum) of every upgrade and repair in sra_migration_log,
 * oldest first; *out is NULL when the log does not exist.
 */
int sra_version__checksums(sra_rows **out, sra_db *db);

#endif
