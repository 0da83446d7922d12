/*
 * Reading a PostgreSQL schema into the catalog model: a handful of queries
 * over pg_catalog for the whole schema (never one per table), with types
 * from format_type(), expressions from pg_get_expr()/pg_get_constraintdef()/
 * pg_get_indexdef(), and any qualification by the schema's own name
 * removed, so that a scratch schema and the live one compare equal.
 */
#include "common.h"
#include "db_int.h"
#include "catalog_int.h"

#include <ctype.h>
#include <strings.h>

static const char *action_name(char c)
{
	switch (c) {
	case 'r': return "RESTRICT";
	case 'c': return "CASCADE";
	case 'n': return "SET NULL";
	case 'd': return "SET DEFAULT";
	default: return "NO ACTION";
	}
}

/* every query takes $1 = the schema's name, $2 = "<quoted name>." to strip */
#define PG_IN_SCHEMA(rel) \
	" JOIN pg_catalog.pg_namespace n ON n.oid = " rel ".relnamespace WHERE n.nspname = $1 "
#define PG_USER_TABLE(rel) \
	" AND " rel ".relkind IN ('r', 'p') AND " rel ".relname NOT IN ('alembic_version', 'sra_migration_log') "
#define STRIP(expr) "replace(" expr ", $2, '')"

static const char pg_columns_sql[] =
	"SELECT c.relname, a.attname, " STRIP("pg_catalog.format_type(a.atttypid, a.atttypmod)") ", "
	"NOT a.attnotnull, " STRIP("pg_catalog.pg_get_expr(d.adbin, d.adrelid)") " "
	"FROM pg_catalog.pg_class c "
	"JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
	"LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
	PG_IN_SCHEMA("c") PG_USER_TABLE("c")
	"ORDER BY c.relname, a.attnum";

#define PG_ATTNAMES(keys, rel) \
	"array_to_string(ARRAY(SELECT a.attname FROM unnest(" keys ") WITH ORDINALITY u(num, ord) " \
	"JOIN pg_catalog.pg_attribute a ON a.attrelid = " rel " AND a.attnum = u.num ORDER BY u.ord), chr(31))"

static const char pg_constraints_sql[] =
	"SELECT c.relname, k.conname, k.contype, " PG_ATTNAMES("k.conkey", "k.conrelid") ", "
	"f.relname, " PG_ATTNAMES("k.confkey", "k.confrelid") ", k.confdeltype, k.confupdtype, "
	STRIP("pg_catalog.pg_get_constraintdef(k.oid, true)") " "
	"FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid "
	"LEFT JOIN pg_catalog.pg_class f ON f.oid = k.confrelid "
	PG_IN_SCHEMA("c") PG_USER_TABLE("c") "AND k.contype IN ('p', 'u', 'f', 'c') "
	"ORDER BY c.relname, k.conname";

/* indexes that back a PRIMARY KEY or UNIQUE constraint are the constraint's */
static const char pg_indexes_sql[] =
	"SELECT t.relname, ic.relname, am.amname, i.indisunique, "
	STRIP("pg_catalog.pg_get_indexdef(i.indexrelid)") ", "
	STRIP("pg_catalog.pg_get_expr(i.indpred, i.indrelid, true)") " "
	"FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
	"JOIN pg_catalog.pg_class t ON t.oid = i.indrelid JOIN pg_catalog.pg_am am ON am.oid = ic.relam "
	PG_IN_SCHEMA("t") PG_USER_TABLE("t")
	"AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid "
	"AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')) "
	"ORDER BY t.relname, ic.relname";

static const char pg_triggers_sql[] =
	"SELECT c.relname, g.tgname, g.tgtype, "
	"regexp_replace(" STRIP("pg_catalog.pg_get_triggerdef(g.oid, true)") ", "
	"'^CREATE (CONSTRAINT )?TRIGGER (\"([^\"]|\"\")*\"|\\S+) ', '') "
	"FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid "
	PG_IN_SCHEMA("c") PG_USER_TABLE("c") "AND NOT g.tgisinternal "
	"ORDER BY c.relname, g.tgname";

static const char pg_enums_sql[] =
	"SELECT t.typname, e.enumlabel FROM pg_catalog.pg_type t "
	"JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid "
	"JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 "
	"ORDER BY t.typname, e.enumsortorder";

/* "USING gin (a, b) WHERE …" of an index definition: the key list */
static void pg_index_keys(sra_strv *out, const char *def)
{
	const char *u = def ? strstr(def, " USING ") : NULL, *open, *close;

	if (!u || !(open = strchr(u + 7, '(')) || !(close = sra_catalog__match_paren(open)))
		return;
	sra_catalog__split_list(out, open + 1, (size_t)(close - open - 1));
}

/* "CHECK ((a > 0))" → "a > 0" */
static char *pg_check_expr(const char *def)
{
	const char *open = def ? strchr(def, '(') : NULL, *close;
	char *inner;
	size_t n;

	if (!open || !(close = sra_catalog__match_paren(open)))
		return sra__strdup(def ? def : "");
	inner = sra__strndup(open + 1, (size_t)(close - open - 1));
	/* pg_get_constraintdef wraps the expression in a second pair */
	n = strlen(inner);
	if (n >= 2 && inner[0] == '(' && sra_catalog__match_paren(inner) == inner + n - 1) {
		char *s = sra__strndup(inner + 1, n - 2);
		free(inner);
		inner = s;
	}
	return inner;
}

static void pg_trigger_type(cat_trigger *tr, int tgtype)
{
	sra_buf ev = SRA_BUF_INIT;

	tr->timing = sra__strdup((tgtype & 64) ? "INSTEAD OF" : (tgtype & 2) ? "BEFORE" : "AFTER");
	if (tgtype & 4)
		sra_buf_puts(&ev, "INSERT");
	if (tgtype & 8)
		sra_buf_printf(&ev, "%sDELETE", ev.size ? " OR " : "");
	if (tgtype & 16)
		sra_buf_printf(&ev, "%sUPDATE", ev.size ? " OR " : "");
	if (tgtype & 32)
		sra_buf_printf(&ev, "%sTRUNCATE", ev.size ? " OR " : "");
	sra_buf_puts(&ev, "");
	tr->events = sra_buf_detach(&ev);
}

int sra_catalog__read_pg(sra_catalog *c, sra_db *db, const char *schema)
{
	sra_value p1[1] = { SRA_VAL_TEXT(schema) };
	sra_rows *rows = NULL;
	char *nsp = NULL, *strip = NULL;
	size_t i;
	int error;

	if ((error = sra_db__query(&rows, db,
			"SELECT n, quote_ident(n) || '.' FROM COALESCE($1::text, current_schema()) AS n", p1, 1)) < 0)
		return error;
	if (!sra_rows_get(rows, 0, 0)) {
		sra_rows_free(rows);
		return sra_error_set(SRA_ERROR_DB, SRA_EBACKEND,
				     "no current schema: the search_path names no existing schema");
	}
	nsp = sra__strdup(sra_rows_get(rows, 0, 0));
	strip = sra__strdup(sra_rows_get(rows, 0, 1));
	sra_rows_free(rows);
	rows = NULL;
	{
		sra_value p[2] = { SRA_VAL_TEXT(nsp), SRA_VAL_TEXT(strip) };

		/* columns: also every table, even one without columns */
		if ((error = sra_db__query(&rows, db,
				"SELECT c.relname FROM pg_catalog.pg_class c " PG_IN_SCHEMA("c") PG_USER_TABLE("c")
				"ORDER BY c.relname", p, 1)) < 0)
			goto done;
		for (i = 0; i < rows->nrows; i++)
			sra_catalog__table_for(c, sra_rows_get(rows, i, 0));
		sra_rows_free(rows);

		if ((error = sra_db__query(&rows, db, pg_columns_sql, p, 2)) < 0)
			goto done;
		for (i = 0; i < rows->nrows; i++) {
			cat_table *t = sra_catalog__table_for(c, sra_rows_get(rows, i, 0));
			cat_column *col = PUSH(t->cols, t->ncols, t->ccols);
			col->name = sra__strdup(sra_rows_get(rows, i, 1));
			col->type = sra__strdup(sra_rows_get(rows, i, 2));
			col->nullable = sra_catalog__truthy(sra_rows_get(rows, i, 3));
			col->dflt = sra_catalog__dup_or_null(sra_rows_get(rows, i, 4));
		}
		sra_rows_free(rows);

		if ((error = sra_db__query(&rows, db, pg_constraints_sql, p, 2)) < 0)
			goto done;
		for (i = 0; i < rows->nrows; i++) {
			cat_table *t = sra_catalog__table_for(c, sra_rows_get(rows, i, 0));
			cat_constraint *k = PUSH(t->cons, t->ncons, t->ccons);
			const char *type = sra_rows_get(rows, i, 2);
			k->kind = type[0];
			k->name = sra__strdup(sra_rows_get(rows, i, 1));
			sra_catalog__split_sep(&k->cols, sra_rows_get(rows, i, 3), '\037');
			if (k->kind == 'f') {
				k->ref_table = sra__strdup(sra_rows_get(rows, i, 4));
				sra_catalog__split_sep(&k->ref_cols, sra_rows_get(rows, i, 5), '\037');
				k->on_delete = sra__strdup(action_name(sra_rows_get(rows, i, 6)[0]));
				k->on_update = sra__strdup(action_name(sra_rows_get(rows, i, 7)[0]));
			} else if (k->kind == 'c') {
				k->expr = pg_check_expr(sra_rows_get(rows, i, 8));
			}
		}
		sra_rows_free(rows);

		if ((error = sra_db__query(&rows, db, pg_indexes_sql, p, 2)) < 0)
			goto done;
		for (i = 0; i < rows->nrows; i++) {
			cat_table *t = sra_catalog__table_for(c, sra_rows_get(rows, i, 0));
			cat_index *ix = PUSH(t->idx, t->nidx, t->cidx);
			ix->name = sra__strdup(sra_rows_get(rows, i, 1));
			ix->method = sra__strdup(sra_rows_get(rows, i, 2));
			ix->unique = sra_catalog__truthy(sra_rows_get(rows, i, 3));
			pg_index_keys(&ix->keys, sra_rows_get(rows, i, 4));
			ix->predicate = sra_catalog__dup_or_null(sra_rows_get(rows, i, 5));
		}
		sra_rows_free(rows);

		if ((error = sra_db__query(&rows, db, pg_triggers_sql, p, 2)) < 0)
			goto done;
		for (i = 0; i < rows->nrows; i++) {
			cat_table *t = sra_catalog__table_for(c, sra_rows_get(rows, i, 0));
			cat_trigger *tr = PUSH(t->trg, t->ntrg, t->ctrg);
			tr->name = sra__strdup(sra_rows_get(rows, i, 1));
			pg_trigger_type(tr, atoi(sra_rows_get(rows, i, 2)));
			tr->def = sra__strdup(sra_rows_get(rows, i, 3));
		}
		sra_rows_free(rows);

		if ((error = sra_db__query(&rows, db, pg_enums_sql, p, 1)) < 0)
			goto done;
		for (i = 0; i < rows->nrows; i++) {
			const char *name = sra_rows_get(rows, i, 0);
			cat_enum *e = c->nenums ? &c->enums[c->nenums - 1] : NULL;
			if (!e || strcmp(e->name, name) != 0) {
				e = PUSH(c->enums, c->nenums, c->cenums);
				e->name = sra__strdup(name);
			}
			sra_strv_push(&e->labels, sra_rows_get(rows, i, 1));
		}
	}
done:
	sra_rows_free(rows);
	free(nsp);
	free(strip);
	return error;
}
