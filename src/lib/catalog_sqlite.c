/*
 * Reading a SQLite schema into the catalog model: sqlite_master and the
 * table-valued pragmas (table_info, foreign_key_list, index_list) joined to
 * it; what the pragmas do not say (the names of CHECK and UNIQUE
 * constraints, index expressions, trigger timing) is scanned out of the
 * stored CREATE text with sql_split.h's tokenizer.
 */
#include "common.h"
#include "db_int.h"
#include "catalog_int.h"
#include "sql_split.h"

#include <ctype.h>
#include <strings.h>

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

	if (!next_token(&t, &p) || t.n != 1 || t.z[0] != '(' || !(close = sra_catalog__match_paren(t.z)))
		return NULL;
	*pp = close + 1;
	return sra_catalog__norm_ws(t.z + 1, (size_t)(close - t.z - 1));
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

				sra_catalog__split_list(&names, cols, strlen(cols));
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
			const char *close = sra_catalog__match_paren(t.z);
			if (!close)
				return;
			sra_catalog__split_list(&ix->keys, t.z + 1, (size_t)(close - t.z - 1));
			p = close + 1;
			if (next_token(&t, &p) && tok_is(&t, "WHERE"))
				ix->predicate = sra_catalog__norm_ws(p, strlen(p));
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
	tr->def = after_name ? sra_catalog__norm_ws(after_name, strlen(after_name)) : sra__strdup(sql ? sql : "");
}

int sra_catalog__read_sqlite(sra_catalog *c, sra_db *db)
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
			sra_catalog__table_for(c, sra_rows_get(rows, i, 1));
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
		cat_table *t = sra_catalog__table_for(c, sra_rows_get(rows, i, 0));
		cat_column *col = PUSH(t->cols, t->ncols, t->ccols);
		const char *def = sra_rows_get(rows, i, 4), *type = sra_rows_get(rows, i, 2);
		col->name = sra__strdup(sra_rows_get(rows, i, 1));
		col->type = sra__strdup(type ? type : "");
		col->nullable = !sra_catalog__truthy(sra_rows_get(rows, i, 3));
		col->dflt = def ? sra_catalog__norm_ws(def, strlen(def)) : NULL;
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
			sra_catalog__split_sep(&u->cols, s.unique_cols.v[i], '\037');
		}
		scanned_dispose(&s);
	}

	/* UNIQUE constraints: columns from the pragma, names from the text */
	if ((error = sra_db__query(&rows, db, sqlite_uniques_sql, NULL, 0)) < 0)
		goto done;
	for (i = 0; i < rows->nrows; i++) {
		cat_table *t = sra_catalog__table_for(c, sra_rows_get(rows, i, 0));
		cat_constraint *u;
		sra_strv cols = SRA_STRV_INIT;
		size_t j, m;

		sra_catalog__split_sep(&cols, sra_rows_get(rows, i, 2), '\037');
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
				sra_catalog__constraint_dispose(&t->cons[i]);
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
			cat_table *t = sra_catalog__table_for(c, tn);

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
