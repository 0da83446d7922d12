/*
 * The SQLite text of the translator's model (see sqlite_translate_int.h):
 * a column's declared type and generated CHECK, a column definition, a
 * constraint clause, a whole CREATE TABLE, an index.  Expressions kept in
 * the model go through sqlite_translate_expr.c, so this file sits above
 * both the model and the expressions (the order of the includes:
 * model <- expr <- sql <- translate).
 */
#include "common.h"
#include "sqlite_translate_int.h"

#include <stdio.h>

const char *sra_xlate__sqlite_type(xl_kind k)
{
	switch (k) {
	case XK_INTEGER:
	case XK_BOOL:
		return "INTEGER";
	case XK_REAL:
		return "REAL";
	case XK_NUMERIC:
		return "NUMERIC";
	case XK_BLOB:
		return "BLOB";
	default:
		return "TEXT";
	}
}

/* 8-4-4-4-12 lowercase hex digits; a GLOB without '*' also fixes the length */
static void put_uuid_glob(sra_buf *out)
{
	static const int groups[] = { 8, 4, 4, 4, 12 };
	size_t g;
	int i;

	sra_buf_putc(out, '\'');
	for (g = 0; g < SRA_ARRAY_SIZE(groups); g++) {
		if (g > 0)
			sra_buf_putc(out, '-');
		for (i = 0; i < groups[g]; i++)
			sra_buf_puts(out, "[0-9a-f]");
	}
	sra_buf_putc(out, '\'');
}

/*
 * The generated CHECK of a column's type, or nothing (returns false).  The
 * JSON checks let NULL through explicitly because SQLite 3.40's
 * json_valid(NULL) is 0, not NULL; the others pass NULL by themselves.
 */
static bool type_check_sql(sra_buf *out, const xl_model *m, const xl_column *c)
{
	const xl_enum *e;
	size_t i;

	switch (c->eKind) {
	case XK_UUID:
		sra_xlate__ident(out, c->zName);
		sra_buf_puts(out, " GLOB ");
		put_uuid_glob(out);
		return true;
	case XK_BOOL:
		sra_xlate__ident(out, c->zName);
		sra_buf_puts(out, " IN (0, 1)");
		return true;
	case XK_ENUM:
		e = sra_xlate__find_enum(m, c->zEnum);
		if (!e)
			return false;
		sra_xlate__ident(out, c->zName);
		sra_buf_puts(out, " IN (");
		for (i = 0; i < e->labels.n; i++) {
			if (i > 0)
				sra_buf_puts(out, ", ");
			sra_buf_put_sql_literal(out, e->labels.v[i]);
		}
		sra_buf_putc(out, ')');
		return true;
	case XK_JSON:
	case XK_ARRAY:
		if (!c->notNull) {
			sra_xlate__ident(out, c->zName);
			sra_buf_puts(out, " IS NULL OR ");
			if (c->eKind == XK_ARRAY)
				sra_buf_putc(out, '(');
		}
		sra_buf_puts(out, "json_valid(");
		sra_xlate__ident(out, c->zName);
		sra_buf_putc(out, ')');
		if (c->eKind == XK_ARRAY) {
			sra_buf_puts(out, " AND json_type(");
			sra_xlate__ident(out, c->zName);
			sra_buf_puts(out, ") = 'array'");
			if (!c->notNull)
				sra_buf_putc(out, ')');
		}
		return true;
	default:
		return false;
	}
}

int sra_xlate__column_sql(sra_buf *out, const xl_model *m, const xl_table *t,
			  const xl_column *c)
{
	xl_ectx cx = { m, t, NULL };
	sra_buf chk = SRA_BUF_INIT;
	int error;

	sra_xlate__ident(out, c->zName);
	sra_buf_putc(out, ' ');
	sra_buf_puts(out, sra_xlate__sqlite_type(c->eKind));
	if (c->notNull)
		sra_buf_puts(out, " NOT NULL");
	if (c->pDefault) {
		sra_buf def = SRA_BUF_INIT;

		if ((error = sra_xlate__value(&def, &cx, c, c->pDefault)) < 0) {
			sra_buf_dispose(&def);
			return error;
		}
		/* SQLite takes a literal as is and anything else in parentheses */
		if (strcmp(sra_buf_cstr(&def), "NULL") != 0) {
			if (sra_xlate__is_literal(sra_buf_cstr(&def)))
				sra_buf_printf(out, " DEFAULT %s", sra_buf_cstr(&def));
			else
				sra_buf_printf(out, " DEFAULT (%s)", sra_buf_cstr(&def));
		}
		sra_buf_dispose(&def);
	}
	if (type_check_sql(&chk, m, c)) {
		sra_buf_puts(out, " CONSTRAINT ");
		sra_xlate__ident(out, c->zCheckName);
		sra_buf_printf(out, " CHECK (%s)", sra_buf_cstr(&chk));
	}
	sra_buf_dispose(&chk);
	return 0;
}

static void put_ident_list(sra_buf *out, const sra_strv *names)
{
	size_t i;

	sra_buf_putc(out, '(');
	for (i = 0; i < names->n; i++) {
		if (i > 0)
			sra_buf_puts(out, ", ");
		sra_xlate__ident(out, names->v[i]);
	}
	sra_buf_putc(out, ')');
}

static const char *fk_action(char c)
{
	switch (c) {
	case 'r': return "RESTRICT";
	case 'c': return "CASCADE";
	case 'n': return "SET NULL";
	case 'd': return "SET DEFAULT";
	default: return NULL;	/* 'a': NO ACTION, SQLite's default too */
	}
}

int sra_xlate__constraint_sql(sra_buf *out, const xl_model *m, const xl_table *t,
			      const xl_constraint *con, bool column_level)
{
	xl_ectx cx = { m, t, NULL };
	const char *act;
	int error;

	sra_buf_puts(out, "CONSTRAINT ");
	sra_xlate__ident(out, con->zName);
	switch (con->eType) {
	case XC_PRIMARY:
		sra_buf_puts(out, " PRIMARY KEY");
		if (!column_level) {
			sra_buf_putc(out, ' ');
			put_ident_list(out, &con->cols);
		}
		break;
	case XC_UNIQUE:
		sra_buf_puts(out, " UNIQUE");
		if (!column_level) {
			sra_buf_putc(out, ' ');
			put_ident_list(out, &con->cols);
		}
		break;
	case XC_CHECK:
		sra_buf_puts(out, " CHECK (");
		if ((error = sra_xlate__expr(out, &cx, con->pExpr)) < 0)
			return error;
		sra_buf_putc(out, ')');
		break;
	case XC_FOREIGN:
		if (!column_level) {
			sra_buf_puts(out, " FOREIGN KEY ");
			put_ident_list(out, &con->cols);
		}
		sra_buf_puts(out, " REFERENCES ");
		sra_xlate__ident(out, con->zRefTable);
		sra_buf_putc(out, ' ');
		put_ident_list(out, &con->refCols);
		if ((act = fk_action(con->cOnDelete)) != NULL)
			sra_buf_printf(out, " ON DELETE %s", act);
		if ((act = fk_action(con->cOnUpdate)) != NULL)
			sra_buf_printf(out, " ON UPDATE %s", act);
		if (con->bDeferrable)
			sra_buf_puts(out, con->bInitDeferred ? " DEFERRABLE INITIALLY DEFERRED"
							     : " DEFERRABLE INITIALLY IMMEDIATE");
		break;
	}
	return 0;
}

int sra_xlate__create_table_sql(sra_buf *out, const xl_model *m, const xl_table *t,
				const char *as_name, bool if_not_exists)
{
	size_t i;
	int error;

	sra_buf_puts(out, if_not_exists ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ");
	sra_xlate__ident(out, as_name ? as_name : t->zName);
	sra_buf_puts(out, " (");
	for (i = 0; i < t->nCol; i++) {
		sra_buf_puts(out, i > 0 ? ",\n\t" : "\n\t");
		if ((error = sra_xlate__column_sql(out, m, t, t->aCol[i])) < 0)
			return error;
	}
	for (i = 0; i < t->nCon; i++) {
		sra_buf_puts(out, ",\n\t");
		if ((error = sra_xlate__constraint_sql(out, m, t, t->aCon[i], false)) < 0)
			return error;
	}
	sra_buf_puts(out, "\n)");
	return 0;
}

int sra_xlate__index_sql(sra_buf *out, const xl_model *m, const xl_index *ix, bool if_not_exists)
{
	xl_ectx cx = { m, sra_xlate__find_table(m, ix->zTable), NULL };
	size_t i;
	int error;

	if (ix->zSql) {
		sra_buf_puts(out, ix->zSql);
		return 0;
	}
	sra_buf_puts(out, ix->bUnique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	if (if_not_exists)
		sra_buf_puts(out, "IF NOT EXISTS ");
	sra_xlate__ident(out, ix->zName);
	sra_buf_puts(out, " ON ");
	sra_xlate__ident(out, ix->zTable);
	sra_buf_puts(out, " (");
	for (i = 0; i < ix->nKey; i++) {
		if (i > 0)
			sra_buf_puts(out, ", ");
		if (ix->aKey[i].zCol) {
			sra_xlate__ident(out, ix->aKey[i].zCol);
		} else {
			sra_buf_putc(out, '(');
			if ((error = sra_xlate__expr(out, &cx, ix->aKey[i].pExpr)) < 0)
				return error;
			sra_buf_putc(out, ')');
		}
		if (ix->aKey[i].bDesc)
			sra_buf_puts(out, " DESC");
	}
	sra_buf_putc(out, ')');
	if (ix->pWhere) {
		sra_buf_puts(out, " WHERE ");
		if ((error = sra_xlate__expr(out, &cx, ix->pWhere)) < 0)
			return error;
	}
	return 0;
}
