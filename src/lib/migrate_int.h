/*
 * What other files of libsra need from the migration engine (migrate.c)
 * beyond migrate.h.
 */
#ifndef SRA_LIB_MIGRATE_INT_H
#define SRA_LIB_MIGRATE_INT_H

#include "common.h"
#include "db_int.h"
#include "sra/migrate.h"

/*
 * Run on `scratch` the upgrade statements of every revision of the state
 * whose heads are `version_ids` (the rows of a version table), base first:
 * exactly the statements the engine runs for that dialect (translated for
 * SQLite, dialect blocks included), without the version table, the log, the
 * lock or transactions of its own -- the caller brackets the replay.  On a
 * non-transactional revision, CONCURRENTLY is dropped (the replay is inside
 * the caller's transaction).
 *
 * @return 0, SRA_ECONFLICT (an id the chain does not know), SRA_EINVALID
 *         (a statement that cannot be translated), SRA_EBACKEND (a statement
 *         failed; the message names revision, file and line)
 */
int sra_migrate__replay(sra_db *scratch, const sra_chain *chain, const sra_strv *version_ids);

#endif
