/*
 * The version table and the migration log.  `alembic_version` has exactly
 * Alembic's layout so that either tool reads the other's databases;
 * `sra_migration_log` records every step with the SHA-256 of what ran.
 */
#include "common.h"
#include "version_table.h"

#define VERSION_TABLE_DDL \
	"CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, " \
	"CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"

static const char log_ddl_pg[] =
	"CREATE TABLE sra_migration_log ("
	"id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
	"revision varchar(255) NOT NULL, "
	"direction text NOT NULL CHECK (direction IN ('upgrade', 'downgrade', 'stamp', 'repair')), "
	"checksum text, "
	"applied_at timestamptz NOT NULL DEFAULT now(), "
	"applied_by text NOT NULL, "
	"duration_ms double precision, "
	"sra_version text NOT NULL)";

static const char log_ddl_sqlite[] =
	"CREATE TABLE sra_migration_log ("
	"id INTEGER PRIMARY KEY AUTOINCREMENT, "
	"revision TEXT NOT NULL, "
	"direction TEXT NOT NULL CHECK (direction IN ('upgrade', 'downgrade', 'stamp', 'repair')), "
	"checksum TEXT, "
	"applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), "
	"applied_by TEXT NOT NULL, "
	"duration_ms REAL, "
	"sra_version TEXT NOT NULL)";

static const char *log_ddl(const sra_backend_ops *ops)
{
	return sra_ops__is_pg(ops) ? log_ddl_pg : log_ddl_sqlite;
}

int sra_version__table_exists(int *exists, sra_db *db, const char *table)
{
	sra_value p[1] = { SRA_VAL_TEXT(table) };
	sra_rows *rows = NULL;
	int error;

	/* the catalogs differ; the question does not */
	if (sra_db__caps(db) & SRA_CAP_SCHEMAS)
		/*
		 * A catalog scan, not to_regclass(): that reads the relation
		 * cache, which may not yet know a table another migrator
		 * committed while we waited for the lock.
		 */
		error = sra_db__query(&rows, db,
			"SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c "
			"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
			"WHERE c.relname = $1 AND n.nspname = current_schema())", p, 1);
	else
		error = sra_db__query(&rows, db,
			"SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1)", p, 1);
	if (error < 0)
		return error;
	{
		const char *v = sra_rows_get(rows, 0, 0);
		*exists = v && (strcmp(v, "t") == 0 || strcmp(v, "1") == 0);
	}
	sra_rows_free(rows);
	return 0;
}

int sra_version__probe(int *have_version, int *have_log, sra_db *db)
{
	sra_rows *rows = NULL;
	const char *v, *l;
	int error;

	/* one round trip for both; a catalog scan for the reason given above */
	if (sra_db__caps(db) & SRA_CAP_SCHEMAS)
		error = sra_db__query(&rows, db,
			"SELECT coalesce(bool_or(c.relname = 'alembic_version'), false), "
			"coalesce(bool_or(c.relname = 'sra_migration_log'), false) "
			"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
			"WHERE c.relname IN ('alembic_version', 'sra_migration_log') AND c.relkind = 'r' "
			"AND n.nspname = current_schema()", NULL, 0);
	else
		error = sra_db__query(&rows, db,
			"SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'), "
			"EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sra_migration_log')",
			NULL, 0);
	if (error < 0)
		return error;
	v = sra_rows_get(rows, 0, 0);
	l = sra_rows_get(rows, 0, 1);
	*have_version = v && (*v == 't' || *v == '1');
	*have_log = l && (*l == 't' || *l == '1');
	sra_rows_free(rows);
	return 0;
}

int sra_version__read(sra_strv *out, sra_db *db, int known_to_exist)
{
	sra_rows *rows = NULL;
	size_t i;
	int exists = 1, error;

	if (!known_to_exist && (error = sra_version__table_exists(&exists, db, "alembic_version")) < 0)
		return error;
	if (!exists)
		return 0;
	if ((error = sra_db__query(&rows, db, "SELECT version_num FROM alembic_version ORDER BY version_num",
				   NULL, 0)) < 0)
		return error;
	for (i = 0; i < rows->nrows; i++)
		sra_strv_push(out, sra_rows_get(rows, i, 0));
	sra_rows_free(rows);
	return 0;
}

void sra_version__create_ddl(sra_strv *out, const sra_backend_ops *ops)
{
	sra_strv_push(out, VERSION_TABLE_DDL);
	sra_strv_push(out, log_ddl(ops));
}

int sra_version__missing_ddl(sra_strv *out, sra_db *db)
{
	int have_version, have_log, error;

	if ((error = sra_version__probe(&have_version, &have_log, db)) < 0)
		return error;
	if (!have_version)
		sra_strv_push(out, VERSION_TABLE_DDL);
	if (!have_log)
		sra_strv_push(out, log_ddl(sra_db__ops(db)));
	return 0;
}

int sra_version__checksums(sra_rows **out, sra_db *db)
{
	int exists, error;

	*out = NULL;
	if ((error = sra_version__table_exists(&exists, db, "sra_migration_log")) < 0)
		return error;
	if (!exists)
		return 0;
	return sra_db__query(out, db,
		"SELECT revision, checksum FROM sra_migration_log "
		"WHERE direction IN ('upgrade', 'repair') AND checksum IS NOT NULL ORDER BY id", NULL, 0);
}
