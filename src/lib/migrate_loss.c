/*
 * What a downgrade (or a stamp below the current revision) would lose: the
 * tables its downgrade sections drop that hold rows now, so the command
 * can ask before it runs (issue 8: no unasked data loss).
 */
#include "common.h"
#include "db_int.h"
#include "version_table.h"
#include "sra/migrate.h"

#include <ctype.h>
#include <strings.h>

/* the names of every DROP TABLE [IF EXISTS] name[, name…] in sql, pushed to out */
static void scan_drops(sra_strv *out, const char *sql)
{
	const char *p = sql;

	for (; *p; p++) {
		const char *q = p + 4;

		if (strncasecmp(p, "DROP", 4) != 0)
			continue;
		if (p != sql && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		while (isspace((unsigned char)*q))
			q++;
		if (strncasecmp(q, "TABLE", 5) != 0 || !isspace((unsigned char)q[5])) {
			p = q - 1;
			continue;
		}
		q += 5;
		while (isspace((unsigned char)*q))
			q++;
		if (strncasecmp(q, "IF", 2) == 0 && isspace((unsigned char)q[2])) {
			q += 2;
			while (isspace((unsigned char)*q))
				q++;
			if (strncasecmp(q, "EXISTS", 6) == 0)
				q += 6;
		}
		for (;;) {
			sra_buf name = SRA_BUF_INIT;

			while (isspace((unsigned char)*q))
				q++;
			/* [schema.]name, each part bare or "quoted"; the last part is kept */
			for (;;) {
				sra_buf_clear(&name);
				if (*q == '"') {
					for (q++; *q && !(*q == '"' && q[1] != '"'); q++) {
						if (*q == '"')
							q++;
						sra_buf_putc(&name, *q);
					}
					if (*q)
						q++;
				} else {
					while (isalnum((unsigned char)*q) || *q == '_' || *q == '$')
						sra_buf_putc(&name, (char)tolower((unsigned char)*q++));
				}
				if (*q != '.')
					break;
				q++;
			}
			if (name.size)
				sra_strv_push_owned(out, sra_buf_detach(&name));
			sra_buf_dispose(&name);
			while (isspace((unsigned char)*q))
				q++;
			if (*q != ',')
				break;
			q++;
		}
		p = q - 1;
	}
}

int sra_migrate_loss(sra_strarray *out, sra_db *db, const sra_chain *chain, const char *target)
{
	sra_strv current = SRA_STRV_INIT, drops = SRA_STRV_INIT, lost = SRA_STRV_INIT;
	sra_buf from = SRA_BUF_INIT, sql = SRA_BUF_INIT;
	char *script = NULL;
	size_t i, j;
	int error;

	SRA_ASSERT_ARG(out && db && chain && target);
	out->strings = NULL;
	out->count = 0;
	if ((error = sra_version__read(&current, db, 0)) < 0)
		goto done;
	if (!current.n)
		goto done;	/* at base: nothing to lose */
	for (i = 0; i < current.n; i++)
		sra_buf_printf(&from, "%s%s", i ? "," : "", current.v[i]);
	/* the statements the downgrade would run, as --sql prints them */
	if (sra_migrate_script(&script, chain, sra_db_dialect(db), 0, sra_buf_cstr(&from), target, NULL) < 0) {
		sra_error_clear();	/* not a downgrade (a stamp upwards): nothing dropped */
		goto done;
	}
	scan_drops(&drops, script);
	for (i = 0; i < drops.n; i++) {
		sra_rows *rows = NULL;
		const char *n;

		for (j = 0; j < i && strcmp(drops.v[j], drops.v[i]) != 0; j++)
			;
		if (j < i)
			continue;	/* counted already */
		/* the name comes from the migration files; quoted as an identifier */
		sra_buf_clear(&sql);
		sra_buf_puts(&sql, "SELECT count(*) FROM \"");
		for (n = drops.v[i]; *n; n++) {
			if (*n == '"')
				sra_buf_putc(&sql, '"');
			sra_buf_putc(&sql, *n);
		}
		sra_buf_puts(&sql, "\"");
		if (sra_db__query(&rows, db, sra_buf_cstr(&sql), NULL, 0) < 0) {
			sra_error_clear();	/* not there (any more): nothing to lose */
			continue;
		}
		if (sra_rows_get(rows, 0, 0) && strcmp(sra_rows_get(rows, 0, 0), "0") != 0)
			sra_strv_pushf(&lost, "%s (%s rows)", drops.v[i], sra_rows_get(rows, 0, 0));
		sra_rows_free(rows);
	}
	out->strings = lost.v;
	out->count = lost.n;
	memset(&lost, 0, sizeof(lost));
done:
	free(script);
	sra_buf_dispose(&from);
	sra_buf_dispose(&sql);
	sra_strv_dispose(&current);
	sra_strv_dispose(&drops);
	sra_strv_dispose(&lost);
	return error;
}
