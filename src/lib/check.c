/*
 * `sra db check`: is the live schema the one the chain produces at the
 * database's revision?
 *
 * The expected schema is never a hand-kept copy: the chain's upgrade
 * statements for the database's revisions -- the very statements the engine
 * runs, through sra_migrate__replay() -- are replayed into a scratch place
 * and its catalog is read back, then both catalogs are compared.
 *
 * PostgreSQL: one transaction on the same connection (so it also works
 * through a transaction-pooling proxy): CREATE SCHEMA sra_check_<random>,
 * SET LOCAL search_path to it, replay, read its catalog, ROLLBACK.  Nothing
 * is left behind, on success or failure.  SQLite: a second, in-memory
 * database.
 */
#include "common.h"
#include "db_int.h"
#include "migrate_int.h"
#include "version_table.h"
#include "sra/catalog.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* 16 hex digits from /dev/urandom (the clock and pid when it cannot be read) */
static void random_hex(char out[17])
{
	unsigned char rnd[8];
	FILE *f = fopen("/dev/urandom", "rb");
	size_t i;

	if (!f || fread(rnd, 1, sizeof(rnd), f) != sizeof(rnd)) {
		uint64_t x = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)out;
		memcpy(rnd, &x, sizeof(rnd));
	}
	if (f)
		fclose(f);
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(out + 2 * i, 3, "%02x", rnd[i]);
}

/* the expected catalog on PostgreSQL: a scratch schema, rolled back */
static int expected_pg(sra_catalog **out, sra_db *db, const sra_chain *chain, const sra_strv *ids)
{
	char hex[17], *schema = NULL, *sql = NULL;
	int error;

	random_hex(hex);
	schema = sra__sprintf("sra_check_%s", hex);
	if ((error = sra_db__begin(db)) < 0)
		goto done;
	sql = sra__sprintf("CREATE SCHEMA %s", schema);
	if ((error = sra_db__exec(db, sql)) < 0) {
		sra_error_prefix("cannot create the scratch schema that check replays the chain into "
				 "(it needs the CREATE privilege on the database)");
		goto rollback;
	}
	free(sql);
	sql = sra__sprintf("SET LOCAL search_path TO %s, pg_catalog", schema);
	if ((error = sra_db__exec(db, sql)) < 0)
		goto rollback;
	if ((error = sra_migrate__replay(db, chain, ids)) < 0)
		goto rollback;
	error = sra_catalog_read(out, db, schema);
rollback:
	/* also after success: the scratch schema must never be committed */
	sra_db__rollback(db);
done:
	free(schema);
	free(sql);
	return error;
}

/* the expected catalog on SQLite: an in-memory database */
static int expected_sqlite(sra_catalog **out, const sra_chain *chain, const sra_strv *ids)
{
	sra_open_options oo = SRA_OPEN_OPTIONS_INIT;
	sra_db *scratch = NULL;
	int error;

	if ((error = sra_db_open(&scratch, "sqlite://:memory:", &oo)) < 0)
		return error;
	/* as a real run does: table rebuilds must leave references to them alone */
	if ((error = sra_db__exec(scratch, "PRAGMA foreign_keys = OFF")) < 0)
		goto done;
	if ((error = sra_db__begin(scratch)) < 0)
		goto done;
	if ((error = sra_migrate__replay(scratch, chain, ids)) < 0) {
		sra_db__rollback(scratch);
		goto done;
	}
	if ((error = sra_db__commit(scratch)) < 0)
		goto done;
	error = sra_catalog_read(out, scratch, NULL);
done:
	sra_db_free(scratch);
	return error;
}

int sra_migrate_check(sra_strarray *out, sra_db *db, const sra_chain *chain)
{
	sra_strarray cur = { NULL, 0 }, diff = { NULL, 0 }, edited = { NULL, 0 };
	sra_strv ids = SRA_STRV_INIT, lines = SRA_STRV_INIT;
	sra_catalog *live = NULL, *expected = NULL;
	size_t i;
	int error;

	SRA_ASSERT_ARG(out && db && chain);
	if ((error = sra_migrate_current(&cur, db)) < 0)
		goto done;
	if ((error = sra_catalog_read(&live, db, NULL)) < 0)
		goto done;

	if (cur.count == 0) {
		size_t n = sra_catalog_table_count(live);
		int exists = 0;

		/* at base: clean when there is nothing; else it was built by other means */
		if (n > 0) {
			if ((error = sra_version__table_exists(&exists, db, "alembic_version")) < 0)
				goto done;
			sra_strv_pushf(&lines,
				"the database has %zu table%s but %s: if its schema is that of a revision of the chain, "
				"record it with `sra db stamp REV` and check again", n, n == 1 ? "" : "s",
				exists ? "its version table alembic_version is empty" : "no version table (alembic_version)");
		}
		goto handover;
	}

	for (i = 0; i < cur.count; i++)
		sra_strv_push(&ids, cur.strings[i]);
	if (sra_db__caps(db) & SRA_CAP_SCHEMAS)
		error = expected_pg(&expected, db, chain, &ids);
	else
		error = expected_sqlite(&expected, chain, &ids);
	if (error < 0)
		goto done;
	if ((error = sra_catalog_diff(&diff, expected, live)) < 0)
		goto done;
	for (i = 0; i < diff.count; i++)
		sra_strv_push(&lines, diff.strings[i]);

	if ((error = sra_migrate_edited(&edited, db, chain)) < 0)
		goto done;
	for (i = 0; i < edited.count; i++) {
		const char *sp = strchr(edited.strings[i], ' ');
		if (sp)
			sra_strv_pushf(&lines, "applied revision %.*s (%s) was edited since it ran: its checksum differs "
				       "(`sra db repair` accepts the edit)", (int)(sp - edited.strings[i]),
				       edited.strings[i], sp + 1);
		else
			sra_strv_pushf(&lines, "applied revision %s was edited since it ran: its checksum differs "
				       "(`sra db repair` accepts the edit)", edited.strings[i]);
	}

handover:
	out->strings = lines.v;
	out->count = lines.n;
	memset(&lines, 0, sizeof(lines));
done:
	sra_strv_dispose(&lines);
	sra_strv_dispose(&ids);
	sra_strarray_dispose(&cur);
	sra_strarray_dispose(&diff);
	sra_strarray_dispose(&edited);
	sra_catalog_free(live);
	sra_catalog_free(expected);
	return error;
}
