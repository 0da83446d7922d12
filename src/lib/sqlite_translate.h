/*
 * Translation of migration SQL (PostgreSQL's dialect) into SQLite, from the
 * parse tree of the real PostgreSQL parser (libpg_query).
 *
 * A translator carries a model of the schema built so far (enum types and
 * their labels; tables with their columns, constraints, indexes and
 * triggers), because SQLite lacks most ALTERs and they become table rebuilds
 * that must re-create the whole table.  The migration engine feeds it every
 * statement of the chain in order, from base, including statements that it
 * only replays to build the model (e.g. revisions already applied).
 */
#ifndef SRA_LIB_SQLITE_TRANSLATE_H
#define SRA_LIB_SQLITE_TRANSLATE_H

#include "common.h"

typedef struct sra_xlate sra_xlate;

/* A new translator with an empty schema model; free with sra_xlate_free. */
int sra_xlate_new(sra_xlate **out);
void sra_xlate_free(sra_xlate *x);

/*
 * Translate one PostgreSQL statement (no trailing ';' needed) and update the
 * model.  The SQLite statements it becomes (zero or more, e.g. none for a GIN
 * index; several for a table rebuild) are appended to `out` without trailing
 * ';'.  On failure returns SRA_EINVALID with a one-line message naming the
 * construct that cannot be translated (the caller adds file and line); the
 * model is then unchanged and nothing is appended.
 */
int sra_xlate_statement(sra_strv *out, sra_xlate *x, const char *pg_sql);

/*
 * Tell the model about a statement that runs on SQLite as written (from a
 * `-- +upgrade sqlite` block): CREATE TRIGGER, DROP TRIGGER, CREATE TABLE …
 * Statements it does not understand are ignored (returns 0).
 */
int sra_xlate_observe_sqlite(sra_xlate *x, const char *sqlite_sql);

#endif
