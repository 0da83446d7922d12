/*
 * Reading a database's schema from its catalogs into one normalised model
 * (sra_catalog), and comparing, printing and serialising that model.
 *
 * PostgreSQL: a handful of queries over pg_catalog for the whole schema
 * (never one per table), with types from format_type(), expressions from
 * pg_get_expr()/pg_get_constraintdef()/pg_get_indexdef(), and any
 * qualification by the schema's own name removed, so that a scratch schema
 * and the live one compare equal.
 *
 * SQLite: sqlite_master and the table-valued pragmas (table_info,
 * foreign_key_list, index_list) joined to it; what the pragmas do not say
 * (the names of CHECK and UNIQUE constraints, index expressions, trigger
 * timing) is scanned out of the stored CREATE text with a small tokenizer
 * that knows quotes, comments and balanced parentheses.
 */
#include "common.h"
#include "db_int.h"
#include "catalog_int.h"
#include "sql_split.h"

#include <ctype.h>
#include <strings.h>

/* ---- the model ------------------------------------------------------------ */

/* a zeroed new slot at the end of arr[0..*n), growing *cap */
static void *push(void *arrp, size_t *n, size_t *cap, size_t size)
{
	void **arr = arrp;
	char *slot;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*arr = sra__realloc(*arr, *cap * size);
	}
	slot = (char *)*arr + (*n)++ * size;
	memset(slot, 0, size);
	return slot;
}

#define PUSH(arr, n, cap) push(&(arr), &(n), &(cap), sizeof(*(arr)))

static void constraint_dispose(cat_constraint *k)
{
	free(k->name);
	sra_strv_dispose(&k->cols);
	free(k->ref_table);
	sra_strv_dispose(&k->ref_cols);
	free(k->on_delete);
	free(k->on_update);
	free(k->expr);
}

static void table_dispose(cat_table *t)
{
	size_t i;

	for (i = 0; i < t->ncols; i++) {
		free(t->cols[i].name);
		free(t->cols[i].type);
		free(t->cols[i].dflt);
	}
	for (i = 0; i < t->ncons; i++)
		constraint_dispose(&t->cons[i]);
	for (i = 0; i < t->nidx; i++) {
		free(t->idx[i].name);
		free(t->idx[i].method);
		sra_strv_dispose(&t->idx[i].keys);
		free(t->idx[i].predicate);
	}
	for (i = 0; i < t->ntrg; i++) {
		free(t->trg[i].name);
		free(t->trg[i].timing);
		free(t->trg[i].events);
		free(t->trg[i].def);
	}
	free(t->name);
	free(t->cols);
	free(t->cons);
	free(t->idx);
	free(t->trg);
}

void sra_catalog_free(sra_catalog *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->ntables; i++)
		table_dispose(&c->tables[i]);
	for (i = 0; i < c->nenums; i++) {
		free(c->enums[i].name);
		sra_strv_dispose(&c->enums[i].labels);
	}
	free(c->tables);
	free(c->enums);
	free(c);
}

const char *sra_catalog_dialect(const sra_catalog *c)
{
	return c ? c->dialect : NULL;
}

size_t sra_catalog_table_count(const sra_catalog *c)
{
	return c ? c->ntables : 0;
}

const char *sra_catalog_table_name(const sra_catalog *c, size_t i)
{
	return c && i < c->ntables ? c->tables[i].name : NULL;
}

cat_table *sra_catalog__find_table(const sra_catalog *c, const char *name)
{
	size_t i;

	for (i = 0; name && i < c->ntables; i++)
		if (strcmp(c->tables[i].name, name) == 0)
			return &c->tables[i];
	return NULL;
}

/* the table named `name`, appended when new (rows arrive sorted by table) */
static cat_table *table_for(sra_catalog *c, const char *name)
{
	cat_table *t;

	if (c->ntables && strcmp(c->tables[c->ntables - 1].name, name) == 0)
		return &c->tables[c->ntables - 1];
	if ((t = sra_catalog__find_table(c, name)))
		return t;
	t = PUSH(c->tables, c->ntables, c->ctables);
	t->name = sra__strdup(name);
	return t;
}

static char *dup_or_null(const char *s)
{
	return s ? sra__strdup(s) : NULL;
}

static bool truthy(const char *v)
{
	return v && (strcmp(v, "t") == 0 || strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

/* split s at the separator into `out` (nothing for NULL or "") */
static void split_sep(sra_strv *out, const char *s, char sep)
{
	const char *p = s, *e;

	if (!s || !*s)
		return;
	for (;;) {
		e = strchr(p, sep);
		sra_strv_push_owned(out, e ? sra__strndup(p, (size_t)(e - p)) : sra__strdup(p));
		if (!e)
			break;
		p = e + 1;
	}
}

/* ---- SQL text helpers --------------------------------------------------------- */

/*
 * The end of the quoted token starting at s (a '…' string or a "…", `…` or
 * […] identifier), doubled quotes included; end of text when unterminated.
 */
static const char *skip_quoted(const char *s)
{
	char close = *s == '[' ? ']' : *s;
	const char *p = s + 1;

	while (*p) {
		if (*p == close) {
			if (close != ']' && p[1] == close) {
				p += 2;
				continue;
			}
			return p + 1;
		}
		p++;
	}
	return p;
}

static bool is_quote(char c)
{
	return c == '\'' || c == '"' || c == '`' || c == '[';
}

/*
 * s[0..n) with whitespace runs outside quotes collapsed to one space, none
 * after '(' or before ')' or ',', and none at either end: two spellings of
 * the same SQLite text compare equal.  Caller frees.
 */
static char *norm_ws(const char *s, size_t n)
{
	sra_buf b = SRA_BUF_INIT;
	const char *p = s, *end = s + n;
	bool space = false;

	sra_buf_puts(&b, "");
	while (p < end) {
		if (isspace((unsigned char)*p)) {
			space = true;
			p++;
			continue;
		}
		if (p[0] == '-' && p + 1 < end && p[1] == '-') {
			while (p < end && *p != '\n')
				p++;
			space = true;
			continue;
		}
		if (space && b.size && b.ptr[b.size - 1] != '(' && *p != ')' && *p != ',')
			sra_buf_putc(&b, ' ');
		space = false;
		if (is_quote(*p)) {
			const char *q = skip_quoted(p);
			if (q > end)
				q = end;
			sra_buf_put(&b, p, (size_t)(q - p));
			p = q;
		} else {
			sra_buf_putc(&b, *p++);
		}
	}
	return sra_buf_detach(&b);
}

/* the position of the ')' matching the '(' at s, or NULL */
static const char *match_paren(const char *s)
{
	const char *p = s;
	int depth = 0;

	while (*p) {
		if (is_quote(*p)) {
			p = skip_quoted(p);
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p;
		p++;
	}
	return NULL;
}

/* split s[0..n) at top-level commas, each part normalised */
static void split_list(sra_strv *out, const char *s, size_t n)
{
	const char *p = s, *start = s, *end = s + n;
	int depth = 0;

	while (p < end) {
		if (is_quote(*p)) {
			p = skip_quoted(p);
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (*p == ',' && depth == 0) {
			sra_strv_push_owned(out, norm_ws(start, (size_t)(p - start)));
			start = p + 1;
		}
		p++;
	}
	if (p > end)
		p = end;
	if (p > start)
		sra_strv_push_owned(out, norm_ws(start, (size_t)(p - start)));
}

/* the tokens of SQLite DDL text: sql_split.h's one tokenizer */
typedef sra_token token;

static bool next_token(token *t, const char **pp)
{
	*pp = sra_sql__next_token(t, *pp);
	return t->type != SRA_TK_END;
}

#define tok_is sra_sql__token_is

/* an identifier token without its quotes; caller frees */
static char *tok_name(const token *t)
{
	sra_buf b = SRA_BUF_INIT;

	sra_buf_puts(&b, "");
	sra_sql__token_name(&b, t);
	return sra_buf_detach(&b);
}

/* ---- PostgreSQL ------------------------------------------------------------- */

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

	if (!u || !(open = strchr(u + 7, '(')) || !(close = match_paren(open)))
		return;
	split_list(out, open + 1, (size_t)(close - open - 1));
}

/* "CHECK ((a > 0))" → "a > 0" */
static char *pg_check_expr(const char *def)
{
	const char *open = def ? strchr(def, '(') : NULL, *close;
	char *inner;
	size_t n;

	if (!open || !(close = match_paren(open)))
		return sra__strdup(def ? def : "");
	inner = sra__strndup(open + 1, (size_t)(close - open - 1));
	/* pg_get_constraintdef wraps the expression in a second pair */
	n = strlen(inner);
	if (n >= 2 && inner[0] == '(' && match_paren(inner) == inner + n - 1) {
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

static int read_pg(sra_catalog *c, sra_db *db, const char *schema)
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
			table_for(c, sra_rows_get(rows, i, 0));
		sra_rows_free(rows);

		if ((error = sra_db__query(&rows, db, pg_columns_sql, p, 2)) < 0)
			goto done;
		for (i = 0; i < rows->nrows; i++) {
			cat_table *t = table_for(c, sra_rows_get(rows, i, 0));
			cat_column *col = PUSH(t->cols, t->ncols, t->ccols);
			col->name = sra__strdup(sra_rows_get(rows, i, 1));
			col->type = sra__strdup(sra_rows_get(rows, i, 2));
			col->nullable = truthy(sra_rows_get(rows, i, 3));
			col->dflt = dup_or_null(sra_rows_get(rows, i, 4));
		}
		sra_rows_free(rows);

		if ((error = sra_db__query(&rows, db, pg_constraints_sql, p, 2)) < 0)
			goto done;
		for (i = 0; i < rows->nrows; i++) {
			cat_table *t = table_for(c, sra_rows_get(rows, i, 0));
			cat_constraint *k = PUSH(t->cons, t->ncons, t->ccons);
			const char *type = sra_rows_get(rows, i, 2);
			k->kind = type[0];
			k->name = sra__strdup(sra_rows_get(rows, i, 1));
			split_sep(&k->cols, sra_rows_get(rows, i, 3), '\037');
			if (k->kind == 'f') {
				k->ref_table = sra__strdup(sra_rows_get(rows, i, 4));
				split_sep(&k->ref_cols, sra_rows_get(rows, i, 5), '\037');
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
			cat_table *t = table_for(c, sra_rows_get(rows, i, 0));
			cat_index *ix = PUSH(t->idx, t->nidx, t->cidx);
			ix->name = sra__strdup(sra_rows_get(rows, i, 1));
			ix->method = sra__strdup(sra_rows_get(rows, i, 2));
			ix->unique = truthy(sra_rows_get(rows, i, 3));
			pg_index_keys(&ix->keys, sra_rows_get(rows, i, 4));
			ix->predicate = dup_or_null(sra_rows_get(rows, i, 5));
		}
		sra_rows_free(rows);

		if ((error = sra_db__query(&rows, db, pg_triggers_sql, p, 2)) < 0)
			goto done;
		for (i = 0; i < rows->nrows; i++) {
			cat_table *t = table_for(c, sra_rows_get(rows, i, 0));
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

/* ---- SQLite ----------------------------------------------------------------- */

#define SQLITE_USER_TABLE(m) \
	m ".type = 'table' AND " m ".name NOT LIKE 'sqlite\\_%' ESCAPE '\\' " \
	"AND " m ".name NOT IN ('alembic_version', 'sra_migration_log')"

static const char sqlite_master_sql[] =
	"SELECT type, name, tbl_name, sql FROM sqlite_master "
	"WHERE type IN ('table', 'index', 'trigger') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
	"AND tbl_name NOT IN ('alembic_version', 'sra_migration_log') ORDER BY name";

static const char sqlite_columns_sql[] =
	"SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk "
	"FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE " SQLITE_USER_TABLE("m") " "
	"ORDER BY m.name, p.cid";

static const char sqlite_fks_sql[] =
	"SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete "
	"FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE " SQLITE_USER_TABLE("m") " "
	"ORDER BY m.name, f.id, f.seq";

/* UNIQUE constraints (and the primary key's name is scanned from the text) */
static const char sqlite_uniques_sql[] =
	"SELECT m.name, l.name, (SELECT group_concat(x.name, char(31)) FROM "
	"(SELECT name FROM pragma_index_info(l.name) ORDER BY seqno) x) "
	"FROM sqlite_master m JOIN pragma_index_list(m.name) l "
	"WHERE " SQLITE_USER_TABLE("m") " AND l.origin = 'u' ORDER BY m.name, l.seq DESC";

/* what the text of a CREATE TABLE says that the pragmas do not */
typedef struct scanned {
	sra_strv check_names, check_exprs;	/* CHECK constraints: name ("" if none), expression */
	sra_strv unique_names, unique_cols;	/* named UNIQUE (cols): name, cols joined by \037 */
	char *pk_name;				/* CONSTRAINT x PRIMARY KEY, or NULL */
} scanned;

static void scanned_dispose(scanned *s)
{
	sra_strv_dispose(&s->check_names);
	sra_strv_dispose(&s->check_exprs);
	sra_strv_dispose(&s->unique_names);
	sra_strv_dispose(&s->unique_cols);
	free(s->pk_name);
}

/* the parenthesised text at *pp (after an optional token), normalised; or NULL */
static char *take_parens(const char **pp)
{
	const char *p = *pp, *close;
	token t;

	if (!next_token(&t, &p) || t.n != 1 || t.z[0] != '(' || !(close = match_paren(t.z)))
		return NULL;
	*pp = close + 1;
	return norm_ws(t.z + 1, (size_t)(close - t.z - 1));
}

/*
 * Scan a CREATE TABLE for `[CONSTRAINT name] CHECK (…)`, named UNIQUE and
 * PRIMARY KEY constraints.  Column-level and table-level forms alike.
 */
static void scan_create_table(scanned *out, const char *sql)
{
	const char *p = sql;
	char *name = NULL;	/* the name after CONSTRAINT, for the next token only */
	token t;

	if (!sql)
		return;
	while (next_token(&t, &p)) {
		if (tok_is(&t, "CONSTRAINT")) {
			token nt;
			if (!next_token(&nt, &p))
				break;
			free(name);
			name = tok_name(&nt);
			continue;
		}
		if (tok_is(&t, "CHECK")) {
			char *expr = take_parens(&p);
			if (expr) {
				sra_strv_push(&out->check_names, name ? name : "");
				sra_strv_push_owned(&out->check_exprs, expr);
			}
		} else if (tok_is(&t, "UNIQUE") && name) {
			const char *save = p;
			char *cols = take_parens(&p);

			if (!cols) {
				p = save;	/* column-level: its columns come from the pragma */
			} else {
				sra_strv names = SRA_STRV_INIT;
				sra_buf joined = SRA_BUF_INIT;
				size_t i;

				split_list(&names, cols, strlen(cols));
				for (i = 0; i < names.n; i++) {
					token nt;
					const char *q = names.v[i];
					char *n = next_token(&nt, &q) ? tok_name(&nt) : sra__strdup(names.v[i]);
					sra_buf_printf(&joined, "%s%s", i ? "\037" : "", n);
					free(n);
				}
				sra_buf_puts(&joined, "");
				sra_strv_push(&out->unique_names, name);
				sra_strv_push_owned(&out->unique_cols, sra_buf_detach(&joined));
				sra_strv_dispose(&names);
				free(cols);
			}
		} else if (tok_is(&t, "PRIMARY") && name && !out->pk_name) {
			out->pk_name = sra__strdup(name);
		}
		free(name);
		name = NULL;
	}
	free(name);
}

/* CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (keys) [WHERE pred] */
static void scan_create_index(cat_index *ix, const char *sql)
{
	const char *p = sql;
	token t;

	ix->method = sra__strdup("btree");
	if (!sql)
		return;
	while (next_token(&t, &p)) {
		if (tok_is(&t, "UNIQUE"))
			ix->unique = true;
		if (t.n == 1 && t.z[0] == '(') {
			const char *close = match_paren(t.z);
			if (!close)
				return;
			split_list(&ix->keys, t.z + 1, (size_t)(close - t.z - 1));
			p = close + 1;
			if (next_token(&t, &p) && tok_is(&t, "WHERE"))
				ix->predicate = norm_ws(p, strlen(p));
			return;
		}
	}
}

/* CREATE [TEMP] TRIGGER [IF NOT EXISTS] name [BEFORE|AFTER|INSTEAD OF] event ON … */
static void scan_create_trigger(cat_trigger *tr, const char *sql)
{
	const char *p = sql, *after_name = NULL;
	sra_buf ev = SRA_BUF_INIT;
	token t;
	int words = 0;

	while (sql && next_token(&t, &p)) {
		if (!after_name) {
			if (tok_is(&t, "TRIGGER")) {
				token nt;
				const char *q = p;
				/* IF NOT EXISTS */
				if (next_token(&nt, &q) && tok_is(&nt, "IF")) {
					next_token(&nt, &q);
					next_token(&nt, &q);
					p = q;
				}
				next_token(&nt, &p);	/* the name */
				after_name = p;
			}
			continue;
		}
		if (tok_is(&t, "ON"))
			break;
		if (words == 0 && (tok_is(&t, "BEFORE") || tok_is(&t, "AFTER"))) {
			tr->timing = sra__strndup(t.z, t.n);
		} else if (words == 0 && tok_is(&t, "INSTEAD")) {
			tr->timing = sra__strdup("INSTEAD OF");
			next_token(&t, &p);
		} else {
			if (ev.size)
				sra_buf_putc(&ev, ' ');
			sra_buf_put(&ev, t.z, t.n);
		}
		words++;
	}
	sra_buf_puts(&ev, "");
	if (!tr->timing)
		tr->timing = sra__strdup("BEFORE");
	for (char *q = ev.ptr; *q; q++)
		*q = (char)toupper((unsigned char)*q);
	tr->events = sra_buf_detach(&ev);
	tr->def = after_name ? norm_ws(after_name, strlen(after_name)) : sra__strdup(sql ? sql : "");
}

static int read_sqlite(sra_catalog *c, sra_db *db)
{
	sra_rows *rows = NULL;
	sra_strv table_sql = SRA_STRV_INIT, table_names = SRA_STRV_INIT;
	size_t i, k;
	int error;

	if ((error = sra_db__query(&rows, db, sqlite_master_sql, NULL, 0)) < 0)
		return error;
	/* tables first: indexes and triggers are filed under them */
	for (i = 0; i < rows->nrows; i++)
		if (strcmp(sra_rows_get(rows, i, 0), "table") == 0) {
			const char *sql = sra_rows_get(rows, i, 3);
			table_for(c, sra_rows_get(rows, i, 1));
			sra_strv_push(&table_names, sra_rows_get(rows, i, 1));
			sra_strv_push(&table_sql, sql ? sql : "");
		}
	for (i = 0; i < rows->nrows; i++) {
		const char *type = sra_rows_get(rows, i, 0), *sql = sra_rows_get(rows, i, 3);
		cat_table *t = sra_catalog__find_table(c, sra_rows_get(rows, i, 2));

		if (!t)
			continue;
		if (strcmp(type, "index") == 0 && sql) {
			cat_index *ix = PUSH(t->idx, t->nidx, t->cidx);
			ix->name = sra__strdup(sra_rows_get(rows, i, 1));
			scan_create_index(ix, sql);
		} else if (strcmp(type, "trigger") == 0) {
			cat_trigger *tr = PUSH(t->trg, t->ntrg, t->ctrg);
			tr->name = sra__strdup(sra_rows_get(rows, i, 1));
			scan_create_trigger(tr, sql);
		}
	}
	sra_rows_free(rows);
	rows = NULL;

	/* columns and the primary key */
	if ((error = sra_db__query(&rows, db, sqlite_columns_sql, NULL, 0)) < 0)
		goto done;
	for (i = 0; i < rows->nrows; i++) {
		cat_table *t = table_for(c, sra_rows_get(rows, i, 0));
		cat_column *col = PUSH(t->cols, t->ncols, t->ccols);
		const char *def = sra_rows_get(rows, i, 4), *type = sra_rows_get(rows, i, 2);
		col->name = sra__strdup(sra_rows_get(rows, i, 1));
		col->type = sra__strdup(type ? type : "");
		col->nullable = !truthy(sra_rows_get(rows, i, 3));
		col->dflt = def ? norm_ws(def, strlen(def)) : NULL;
	}
	for (k = 0; k < c->ntables; k++) {
		cat_table *t = &c->tables[k];
		cat_constraint *pk = NULL;
		long pos;
		for (pos = 1;; pos++) {
			bool found = false;
			for (i = 0; i < rows->nrows; i++) {
				const char *n = sra_rows_get(rows, i, 5);
				if (strcmp(sra_rows_get(rows, i, 0), t->name) == 0 && n && atol(n) == pos) {
					if (!pk) {
						pk = PUSH(t->cons, t->ncons, t->ccons);
						pk->kind = 'p';
					}
					sra_strv_push(&pk->cols, sra_rows_get(rows, i, 1));
					found = true;
				}
			}
			if (!found)
				break;
		}
	}
	sra_rows_free(rows);
	rows = NULL;

	/* CHECK constraints, constraint names: from the CREATE TABLE text */
	for (k = 0; k < table_names.n; k++) {
		cat_table *t = sra_catalog__find_table(c, table_names.v[k]);
		scanned s;

		memset(&s, 0, sizeof(s));
		scan_create_table(&s, table_sql.v[k]);
		for (i = 0; i < s.check_names.n; i++) {
			cat_constraint *ck = PUSH(t->cons, t->ncons, t->ccons);
			ck->kind = 'c';
			ck->name = sra__strdup(s.check_names.v[i]);
			ck->expr = sra__strdup(s.check_exprs.v[i]);
		}
		for (i = 0; i < t->ncons; i++)
			if (t->cons[i].kind == 'p')
				t->cons[i].name = sra__strdup(s.pk_name ? s.pk_name : "");
		/* keep the scanned named UNIQUEs in the table for the next step */
		for (i = 0; i < s.unique_names.n; i++) {
			cat_constraint *u = PUSH(t->cons, t->ncons, t->ccons);
			u->kind = 'U';	/* provisional: matched with the pragma below */
			u->name = sra__strdup(s.unique_names.v[i]);
			split_sep(&u->cols, s.unique_cols.v[i], '\037');
		}
		scanned_dispose(&s);
	}

	/* UNIQUE constraints: columns from the pragma, names from the text */
	if ((error = sra_db__query(&rows, db, sqlite_uniques_sql, NULL, 0)) < 0)
		goto done;
	for (i = 0; i < rows->nrows; i++) {
		cat_table *t = table_for(c, sra_rows_get(rows, i, 0));
		cat_constraint *u;
		sra_strv cols = SRA_STRV_INIT;
		size_t j, m;

		split_sep(&cols, sra_rows_get(rows, i, 2), '\037');
		for (j = 0; j < t->ncons; j++) {
			cat_constraint *s = &t->cons[j];
			bool same = s->kind == 'U' && s->cols.n == cols.n;
			for (m = 0; same && m < cols.n; m++)
				same = strcmp(s->cols.v[m], cols.v[m]) == 0;
			if (same) {
				s->kind = 'u';
				break;
			}
		}
		if (j == t->ncons) {
			u = PUSH(t->cons, t->ncons, t->ccons);
			u->kind = 'u';
			u->name = sra__strdup("");
			u->cols = cols;
			memset(&cols, 0, sizeof(cols));
		}
		sra_strv_dispose(&cols);
	}
	for (k = 0; k < c->ntables; k++) {	/* scanned but not in the pragma: drop */
		cat_table *t = &c->tables[k];
		for (i = 0; i < t->ncons;) {
			if (t->cons[i].kind == 'U') {
				constraint_dispose(&t->cons[i]);
				memmove(&t->cons[i], &t->cons[i + 1], (t->ncons - i - 1) * sizeof(*t->cons));
				t->ncons--;
			} else {
				i++;
			}
		}
	}
	sra_rows_free(rows);
	rows = NULL;

	/* foreign keys: SQLite keeps no names */
	if ((error = sra_db__query(&rows, db, sqlite_fks_sql, NULL, 0)) < 0)
		goto done;
	{
		cat_constraint *fk = NULL;
		const char *last_table = NULL, *last_id = NULL;

		for (i = 0; i < rows->nrows; i++) {
			const char *tn = sra_rows_get(rows, i, 0), *id = sra_rows_get(rows, i, 1);
			const char *to = sra_rows_get(rows, i, 4);
			cat_table *t = table_for(c, tn);

			if (!fk || strcmp(last_table, tn) != 0 || strcmp(last_id, id) != 0) {
				fk = PUSH(t->cons, t->ncons, t->ccons);
				fk->kind = 'f';
				fk->name = sra__strdup("");
				fk->ref_table = sra__strdup(sra_rows_get(rows, i, 2));
				fk->on_update = sra__strdup(sra_rows_get(rows, i, 5));
				fk->on_delete = sra__strdup(sra_rows_get(rows, i, 6));
				last_table = tn;
				last_id = id;
			}
			sra_strv_push(&fk->cols, sra_rows_get(rows, i, 3));
			sra_strv_push(&fk->ref_cols, to ? to : "");
		}
	}
done:
	sra_rows_free(rows);
	sra_strv_dispose(&table_sql);
	sra_strv_dispose(&table_names);
	return error;
}

/* ---- sorting ------------------------------------------------------------------ */

static int cmp_table(const void *a, const void *b)
{
	return strcmp(((const cat_table *)a)->name, ((const cat_table *)b)->name);
}

static int cmp_enum(const void *a, const void *b)
{
	return strcmp(((const cat_enum *)a)->name, ((const cat_enum *)b)->name);
}

static int cmp_index(const void *a, const void *b)
{
	return strcmp(((const cat_index *)a)->name, ((const cat_index *)b)->name);
}

static int cmp_trigger(const void *a, const void *b)
{
	return strcmp(((const cat_trigger *)a)->name, ((const cat_trigger *)b)->name);
}

void sra_catalog__join(sra_buf *b, const sra_strv *v, const char *sep)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		sra_buf_printf(b, "%s%s", i ? sep : "", v->v[i]);
	sra_buf_puts(b, "");
}

/*
 * What identifies a constraint between two databases: its kind and name,
 * except where SQLite has no name (foreign keys, unnamed UNIQUE or CHECK):
 * then its columns and referenced table, or its expression.
 */
static char *constraint_key(const cat_constraint *k)
{
	sra_buf b = SRA_BUF_INIT;

	sra_buf_putc(&b, k->kind);
	sra_buf_putc(&b, ' ');
	if (k->kind == 'p') {
		/* one per table */
	} else if (k->kind == 'f') {
		sra_catalog__join(&b, &k->cols, ", ");
		sra_buf_printf(&b, " -> %s", k->ref_table);
	} else if (k->kind == 'u') {
		sra_catalog__join(&b, &k->cols, ", ");
	} else if (*k->name) {
		sra_buf_puts(&b, k->name);
	} else {
		sra_buf_printf(&b, "(%s)", k->expr ? k->expr : "");
	}
	return sra_buf_detach(&b);
}

static int kind_rank(char kind)
{
	switch (kind) {
	case 'p': return 0;
	case 'f': return 1;
	case 'u': return 2;
	default: return 3;
	}
}

static int cmp_constraint(const void *a, const void *b)
{
	const cat_constraint *x = a, *y = b;
	char *kx, *ky;
	int r = kind_rank(x->kind) - kind_rank(y->kind);

	if (r)
		return r;
	kx = constraint_key(x);
	ky = constraint_key(y);
	r = strcmp(kx, ky);
	free(kx);
	free(ky);
	return r;
}

static void sort_catalog(sra_catalog *c)
{
	size_t i;

	/* qsort wants a non-NULL base even for zero elements */
	if (c->ntables)
		qsort(c->tables, c->ntables, sizeof(*c->tables), cmp_table);
	if (c->nenums)
		qsort(c->enums, c->nenums, sizeof(*c->enums), cmp_enum);
	for (i = 0; i < c->ntables; i++) {
		cat_table *t = &c->tables[i];
		if (t->ncons)
			qsort(t->cons, t->ncons, sizeof(*t->cons), cmp_constraint);
		if (t->nidx)
			qsort(t->idx, t->nidx, sizeof(*t->idx), cmp_index);
		if (t->ntrg)
			qsort(t->trg, t->ntrg, sizeof(*t->trg), cmp_trigger);
	}
}

int sra_catalog_read(sra_catalog **out, sra_db *db, const char *schema)
{
	sra_catalog *c;
	int error;

	SRA_ASSERT_ARG(out && db);
	c = sra__calloc(1, sizeof(*c));
	c->dialect = sra_db_dialect(db);
	if (sra_db__caps(db) & SRA_CAP_SCHEMAS)
		error = read_pg(c, db, schema);
	else
		error = read_sqlite(c, db);
	if (error < 0) {
		sra_error_prefix("reading the schema of %s", sra_db_url(db));
		sra_catalog_free(c);
		return error;
	}
	sort_catalog(c);
	*out = c;
	return 0;
}

/* ---- diff ------------------------------------------------------------------------ */

static bool same_str(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool same_strv(const sra_strv *a, const sra_strv *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const cat_column *find_column(const cat_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			return &t->cols[i];
	return NULL;
}

/* "benchmark_runs.review_id" or "t.(a, b)" */
static void put_fk_label(sra_buf *b, const char *table, const cat_constraint *k)
{
	sra_buf_printf(b, "%s.", table);
	if (k->cols.n != 1)
		sra_buf_putc(b, '(');
	sra_catalog__join(b, &k->cols, ", ");
	if (k->cols.n != 1)
		sra_buf_putc(b, ')');
	sra_buf_printf(b, " -> %s", k->ref_table);
}

static char *constraint_label(const char *table, const cat_constraint *k)
{
	sra_buf b = SRA_BUF_INIT;

	switch (k->kind) {
	case 'p':
		sra_buf_printf(&b, "primary key of %s (", table);
		sra_catalog__join(&b, &k->cols, ", ");
		sra_buf_putc(&b, ')');
		break;
	case 'f':
		sra_buf_puts(&b, "foreign key ");
		put_fk_label(&b, table, k);
		break;
	case 'u':
		sra_buf_printf(&b, "unique constraint %s%son %s (", k->name, *k->name ? " " : "", table);
		sra_catalog__join(&b, &k->cols, ", ");
		sra_buf_putc(&b, ')');
		break;
	default:
		if (*k->name)
			sra_buf_printf(&b, "check %s on %s", k->name, table);
		else
			sra_buf_printf(&b, "check (%s) on %s", k->expr, table);
	}
	return sra_buf_detach(&b);
}

static void diff_columns(sra_strv *out, const cat_table *e, const cat_table *l)
{
	sra_strv names = SRA_STRV_INIT;
	size_t i;

	/* every name of either side, sorted */
	for (i = 0; i < e->ncols; i++)
		sra_strv_push(&names, e->cols[i].name);
	for (i = 0; i < l->ncols; i++)
		if (sra_strv_find(&names, l->cols[i].name) < 0)
			sra_strv_push(&names, l->cols[i].name);
	if (names.n)
		qsort(names.v, names.n, sizeof(char *), cmp_str);
	for (i = 0; i < names.n; i++) {
		const cat_column *ce = find_column(e, names.v[i]), *cl = find_column(l, names.v[i]);
		if (!cl) {
			sra_strv_pushf(out, "missing column %s.%s (%s)", e->name, ce->name, ce->type);
			continue;
		}
		if (!ce) {
			sra_strv_pushf(out, "extra column %s.%s (%s)", l->name, cl->name, cl->type);
			continue;
		}
		if (!same_str(ce->type, cl->type))
			sra_strv_pushf(out, "column %s.%s: type %s, expected %s", l->name, cl->name, cl->type, ce->type);
		if (ce->nullable != cl->nullable)
			sra_strv_pushf(out, "column %s.%s: %s, expected %s", l->name, cl->name,
				       cl->nullable ? "nullable" : "NOT NULL", ce->nullable ? "nullable" : "NOT NULL");
		if (!same_str(ce->dflt, cl->dflt)) {
			if (!cl->dflt)
				sra_strv_pushf(out, "column %s.%s: no default, expected %s", l->name, cl->name, ce->dflt);
			else if (!ce->dflt)
				sra_strv_pushf(out, "column %s.%s: default %s, expected none", l->name, cl->name, cl->dflt);
			else
				sra_strv_pushf(out, "column %s.%s: default %s, expected %s", l->name, cl->name,
					       cl->dflt, ce->dflt);
		}
	}
	sra_strv_dispose(&names);
}

static void diff_constraint(sra_strv *out, const char *table, const cat_constraint *e, const cat_constraint *l)
{
	char *label = constraint_label(table, l);

	switch (e->kind) {
	case 'p':
		if (!same_strv(&e->cols, &l->cols)) {
			sra_buf want = SRA_BUF_INIT;
			sra_catalog__join(&want, &e->cols, ", ");
			sra_strv_pushf(out, "%s, expected (%s)", label, sra_buf_cstr(&want));
			sra_buf_dispose(&want);
		}
		break;
	case 'f':
		if (!same_strv(&e->ref_cols, &l->ref_cols)) {
			sra_buf got = SRA_BUF_INIT, want = SRA_BUF_INIT;
			sra_catalog__join(&got, &l->ref_cols, ", ");
			sra_catalog__join(&want, &e->ref_cols, ", ");
			sra_strv_pushf(out, "%s: references (%s), expected (%s)", label, sra_buf_cstr(&got),
				       sra_buf_cstr(&want));
			sra_buf_dispose(&got);
			sra_buf_dispose(&want);
		}
		if (!same_str(e->on_delete, l->on_delete))
			sra_strv_pushf(out, "%s: ON DELETE %s, expected %s", label, l->on_delete, e->on_delete);
		if (!same_str(e->on_update, l->on_update))
			sra_strv_pushf(out, "%s: ON UPDATE %s, expected %s", label, l->on_update, e->on_update);
		break;
	case 'c':
		if (!same_str(e->expr, l->expr))
			sra_strv_pushf(out, "%s differs: CHECK (%s), expected CHECK (%s)", label, l->expr, e->expr);
		break;
	default:
		break;
	}
	/* a constraint found by its columns may still have another name */
	if (e->kind != 'c' && *e->name && *l->name && strcmp(e->name, l->name) != 0)
		sra_strv_pushf(out, "%s: named %s, expected %s", label, l->name, e->name);
	free(label);
}

static void diff_constraints(sra_strv *out, const cat_table *e, const cat_table *l)
{
	size_t i = 0, j = 0;

	/* both sorted by cmp_constraint: merge */
	while (i < e->ncons || j < l->ncons) {
		int r = i == e->ncons ? 1 : j == l->ncons ? -1 : cmp_constraint(&e->cons[i], &l->cons[j]);
		char *label;
		if (r < 0) {
			label = constraint_label(e->name, &e->cons[i++]);
			sra_strv_pushf(out, "missing %s", label);
		} else if (r > 0) {
			label = constraint_label(l->name, &l->cons[j++]);
			sra_strv_pushf(out, "extra %s", label);
		} else {
			diff_constraint(out, l->name, &e->cons[i++], &l->cons[j++]);
			continue;
		}
		free(label);
	}
}

static char *index_def(const cat_index *ix)
{
	sra_buf b = SRA_BUF_INIT;

	sra_buf_printf(&b, "%s%s (", ix->unique ? "UNIQUE " : "", ix->method);
	sra_catalog__join(&b, &ix->keys, ", ");
	sra_buf_putc(&b, ')');
	if (ix->predicate)
		sra_buf_printf(&b, " WHERE %s", ix->predicate);
	return sra_buf_detach(&b);
}

static void diff_indexes(sra_strv *out, const cat_table *e, const cat_table *l)
{
	size_t i = 0, j = 0;

	while (i < e->nidx || j < l->nidx) {
		int r = i == e->nidx ? 1 : j == l->nidx ? -1 : strcmp(e->idx[i].name, l->idx[j].name);
		if (r < 0) {
			sra_strv_pushf(out, "missing index %s on %s", e->idx[i++].name, e->name);
		} else if (r > 0) {
			sra_strv_pushf(out, "extra index %s on %s", l->idx[j++].name, l->name);
		} else {
			char *de = index_def(&e->idx[i]), *dl = index_def(&l->idx[j]);
			if (strcmp(de, dl) != 0)
				sra_strv_pushf(out, "index %s on %s differs: %s, expected %s", l->idx[j].name,
					       l->name, dl, de);
			free(de);
			free(dl);
			i++;
			j++;
		}
	}
}

static void diff_triggers(sra_strv *out, const cat_table *e, const cat_table *l)
{
	size_t i = 0, j = 0;

	while (i < e->ntrg || j < l->ntrg) {
		int r = i == e->ntrg ? 1 : j == l->ntrg ? -1 : strcmp(e->trg[i].name, l->trg[j].name);
		if (r < 0) {
			sra_strv_pushf(out, "missing trigger %s on %s (%s %s)", e->trg[i].name, e->name,
				       e->trg[i].timing, e->trg[i].events);
			i++;
		} else if (r > 0) {
			sra_strv_pushf(out, "extra trigger %s on %s (%s %s)", l->trg[j].name, l->name,
				       l->trg[j].timing, l->trg[j].events);
			j++;
		} else {
			if (!same_str(e->trg[i].def, l->trg[j].def))
				sra_strv_pushf(out, "trigger %s on %s differs: %s, expected %s", l->trg[j].name,
					       l->name, l->trg[j].def, e->trg[i].def);
			i++;
			j++;
		}
	}
}

static void diff_enum(sra_strv *out, const cat_enum *e, const cat_enum *l)
{
	size_t i;
	bool same_set = e->labels.n == l->labels.n;

	for (i = 0; i < e->labels.n; i++)
		if (sra_strv_find(&l->labels, e->labels.v[i]) < 0) {
			sra_strv_pushf(out, "enum %s: missing label '%s'", e->name, e->labels.v[i]);
			same_set = false;
		}
	for (i = 0; i < l->labels.n; i++)
		if (sra_strv_find(&e->labels, l->labels.v[i]) < 0) {
			sra_strv_pushf(out, "enum %s: extra label '%s'", l->name, l->labels.v[i]);
			same_set = false;
		}
	if (same_set && !same_strv(&e->labels, &l->labels)) {
		sra_buf got = SRA_BUF_INIT, want = SRA_BUF_INIT;
		sra_catalog__join(&got, &l->labels, ", ");
		sra_catalog__join(&want, &e->labels, ", ");
		sra_strv_pushf(out, "enum %s: labels in the order %s, expected %s", l->name, sra_buf_cstr(&got),
			       sra_buf_cstr(&want));
		sra_buf_dispose(&got);
		sra_buf_dispose(&want);
	}
}

int sra_catalog_diff(sra_strarray *out, const sra_catalog *expected, const sra_catalog *live)
{
	sra_strv lines = SRA_STRV_INIT;
	size_t i = 0, j = 0;

	SRA_ASSERT_ARG(out && expected && live);
	while (i < expected->ntables || j < live->ntables) {
		const cat_table *e = i < expected->ntables ? &expected->tables[i] : NULL;
		const cat_table *l = j < live->ntables ? &live->tables[j] : NULL;
		int r = !e ? 1 : !l ? -1 : strcmp(e->name, l->name);
		if (r < 0) {
			sra_strv_pushf(&lines, "missing table %s", e->name);
			i++;
		} else if (r > 0) {
			sra_strv_pushf(&lines, "extra table %s", l->name);
			j++;
		} else {
			diff_columns(&lines, e, l);
			diff_constraints(&lines, e, l);
			diff_indexes(&lines, e, l);
			diff_triggers(&lines, e, l);
			i++;
			j++;
		}
	}
	for (i = 0, j = 0; i < expected->nenums || j < live->nenums;) {
		const cat_enum *e = i < expected->nenums ? &expected->enums[i] : NULL;
		const cat_enum *l = j < live->nenums ? &live->enums[j] : NULL;
		int r = !e ? 1 : !l ? -1 : strcmp(e->name, l->name);
		if (r < 0) {
			sra_strv_pushf(&lines, "missing enum type %s", e->name);
			i++;
		} else if (r > 0) {
			sra_strv_pushf(&lines, "extra enum type %s", l->name);
			j++;
		} else {
			diff_enum(&lines, e, l);
			i++;
			j++;
		}
	}
	out->strings = lines.v;
	out->count = lines.n;
	return 0;
}

