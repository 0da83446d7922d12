/*
 * Translation of migration SQL from PostgreSQL's dialect to SQLite (see
 * sqlite_translate.h): the public entry points and one handler per
 * statement kind; ALTER TABLE and table rebuilds are in
 * sqlite_translate_alter.c.
 *
 * Every statement is parsed by the real PostgreSQL parser (libpg_query, as
 * JSON), applied to a copy of the schema model and turned into SQLite
 * statements generated from the model, never by editing the input text.  On
 * success the copy replaces the model; on failure it is thrown away, so the
 * model and `out` are left as they were.  What SQLite's ALTER TABLE cannot do
 * becomes the rebuild of SQLite's lang_altertable.html §7: create the new
 * table under a temporary name, copy the rows, drop the old table, rename,
 * re-create indexes and triggers.
 *
 * Names follow PostgreSQL, so that a later statement finds what an earlier
 * one made: an unnamed constraint gets PostgreSQL's name ("<table>_pkey",
 * "<table>_<cols>_key", "<table>_<col>_check", "<table>_<cols>_fkey"), and the
 * CHECK generated for a column's type is "ck_<table>_<column>_type".
 */
#include "common.h"
#include "sqlite_translate_int.h"
#include "sql_split.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>

#include <pg_query.h>



void sra_xlate__emit(xl_stmt *st, sra_buf *b)
{
	sra_strv_push_owned(&st->out, sra_buf_detach(b));
}

void sra_xlate__emitf(xl_stmt *st, const char *fmt, ...) SRA_PRINTF(2, 3);
void sra_xlate__emitf(xl_stmt *st, const char *fmt, ...)
{
	sra_buf b = SRA_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sra_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	sra_xlate__emit(st, &b);
}

/* a relation's name; NULL (with the error set) for another schema */
const char *sra_xlate__relname(json_t *rv, int *error)
{
	const char *schema = STR(rv, "schemaname");

	*error = 0;
	if (schema && strcmp(schema, "public") != 0) {
		*error = sra_xlate__unsupported("the schema-qualified name %s.%s", schema,
						STR(rv, "relname"));
		return NULL;
	}
	return STR(rv, "relname");
}

static void names_of(sra_strv *out, json_t *list)
{
	size_t i;

	for (i = 0; i < json_array_size(list); i++) {
		const char *s = sra_xlate__sval(json_array_get(list, i));

		if (s)
			sra_strv_push(out, s);
	}
}

bool sra_xlate__same_name_set(const sra_strv *a, const sra_strv *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (sra_strv_find(b, a->v[i]) < 0)
			return false;
	return true;
}

/* ---------------------------------------------------------------------
 * Columns and constraints from the parse tree
 */

/* the PostgreSQL type as text, for the model: "varchar(100)", "text[]" */
static char *pg_type_text(json_t *tn)
{
	static const char *const pretty[][2] = {
		{ "int2", "smallint" }, { "int4", "integer" }, { "int8", "bigint" },
		{ "float4", "real" }, { "float8", "double precision" }, { "bool", "boolean" },
		{ "bpchar", "char" },
	};
	const char *name = sra_xlate__last_name(LIST(tn, "names"));
	json_t *mods = LIST(tn, "typmods");
	sra_buf b = SRA_BUF_INIT;
	size_t i;

	for (i = 0; name && i < SRA_ARRAY_SIZE(pretty); i++)
		if (strcmp(name, pretty[i][0]) == 0)
			name = pretty[i][1];
	sra_buf_puts(&b, name ? name : "?");
	if (json_array_size(mods) > 0) {
		sra_buf_putc(&b, '(');
		for (i = 0; i < json_array_size(mods); i++) {
			json_t *f, *v;

			NODE(json_array_get(mods, i), &f);
			v = GET(GET(f, "ival"), "ival");
			sra_buf_printf(&b, "%s%lld", i ? "," : "", (long long)json_integer_value(v));
		}
		sra_buf_putc(&b, ')');
	}
	for (i = 0; i < json_array_size(LIST(tn, "arrayBounds")); i++)
		sra_buf_puts(&b, "[]");
	return sra_buf_detach(&b);
}

static bool is_serial(json_t *tn)
{
	const char *name = sra_xlate__last_name(LIST(tn, "names"));

	return name && strstr(name, "serial") != NULL;
}

int sra_xlate__set_column_type(xl_column *c, const xl_model *m, json_t *tn)
{
	const char *en;
	xl_kind k, e;
	int error;

	if ((error = sra_xlate__type_kind(&k, &e, &en, m, tn)) < 0)
		return error;
	c->eKind = k;
	c->eElem = e;
	free(c->zEnum);
	c->zEnum = sra__strdup(en);
	free(c->zPgType);
	c->zPgType = pg_type_text(tn);
	c->bSerial = is_serial(tn);
	return 0;
}

static char action_letter(const char *s)
{
	return s && *s ? s[0] : 'a';
}

/*
 * A constraint from a Constraint node; `column`: for a column constraint,
 * the column it is attached to.  The name stays NULL when the statement gives
 * none (name_constraint chooses it).  *out is NULL for a node that is not a
 * constraint of the model (NULL, NOT NULL, DEFAULT …), handled by the caller.
 */
int sra_xlate__constraint_from_node(xl_constraint **out, json_t *f, const char *column)
{
	const char *ct = STR(f, "contype");
	xl_constraint *c;

	*out = NULL;
	if (STR(f, "indexname"))
		return sra_xlate__unsupported("a constraint USING INDEX");
	if (BOOL(f, "nulls_not_distinct"))
		return sra_xlate__unsupported("UNIQUE NULLS NOT DISTINCT");
	if (IS(ct, "CONSTR_EXCLUSION"))
		return sra_xlate__unsupported("an EXCLUDE constraint");
	if (IS(ct, "CONSTR_GENERATED"))
		return sra_xlate__unsupported("a generated column");
	if (!IS(ct, "CONSTR_PRIMARY") && !IS(ct, "CONSTR_UNIQUE") && !IS(ct, "CONSTR_CHECK") &&
	    !IS(ct, "CONSTR_FOREIGN"))
		return 0;
	c = sra__calloc(1, sizeof(*c));
	c->zName = sra__strdup(STR(f, "conname"));
	if (IS(ct, "CONSTR_PRIMARY") || IS(ct, "CONSTR_UNIQUE")) {
		c->eType = IS(ct, "CONSTR_PRIMARY") ? XC_PRIMARY : XC_UNIQUE;
		if (BOOL(f, "deferrable")) {
			sra_xlate__constraint_free(c);
			return sra_xlate__unsupported("a DEFERRABLE PRIMARY KEY or UNIQUE constraint");
		}
		if (column)
			sra_strv_push(&c->cols, column);
		else
			names_of(&c->cols, LIST(f, "keys"));
	} else if (IS(ct, "CONSTR_CHECK")) {
		c->eType = XC_CHECK;
		c->pExpr = json_incref(GET(f, "raw_expr"));
	} else {
		const char *match = STR(f, "fk_matchtype");

		if (match && strcmp(match, "s") != 0) {
			sra_xlate__constraint_free(c);
			return sra_xlate__unsupported("FOREIGN KEY … MATCH FULL");
		}
		if (json_array_size(LIST(f, "fk_del_set_cols")) > 0) {
			sra_xlate__constraint_free(c);
			return sra_xlate__unsupported("ON DELETE SET NULL/DEFAULT with a column list");
		}
		c->eType = XC_FOREIGN;
		if (column)
			sra_strv_push(&c->cols, column);
		else
			names_of(&c->cols, LIST(f, "fk_attrs"));
		c->zRefTable = sra__strdup(STR(GET(f, "pktable"), "relname"));
		names_of(&c->refCols, LIST(f, "pk_attrs"));
		c->cOnDelete = action_letter(STR(f, "fk_del_action"));
		c->cOnUpdate = action_letter(STR(f, "fk_upd_action"));
		c->bDeferrable = BOOL(f, "deferrable");
		c->bInitDeferred = BOOL(f, "initdeferred");
		if (STR(GET(f, "pktable"), "schemaname") &&
		    strcmp(STR(GET(f, "pktable"), "schemaname"), "public") != 0) {
			sra_xlate__constraint_free(c);
			return sra_xlate__unsupported("a reference to another schema");
		}
	}
	*out = c;
	return 0;
}

/* a constraint's name: the given one, checked, or PostgreSQL's */
static int name_constraint(xl_stmt *st, xl_table *t, xl_constraint *c)
{
	sra_strv refs = SRA_STRV_INIT;
	char *cols;

	if (c->zName) {
		if (sra_xlate__find_constraint(t, c->zName))
			return sra_xlate__invalid("constraint \"%s\" for relation \"%s\" already exists",
						  c->zName, t->zName);
		if ((c->eType == XC_PRIMARY || c->eType == XC_UNIQUE) && sra_xlate__relation_exists(st->m, c->zName))
			return sra_xlate__invalid("relation \"%s\" already exists", c->zName);
		return 0;
	}
	switch (c->eType) {
	case XC_PRIMARY:
		c->zName = sra_xlate__choose_name(st->m, t->zName, NULL, "pkey", true);
		break;
	case XC_UNIQUE:
		cols = sra_xlate__join_names(&c->cols);
		c->zName = sra_xlate__choose_name(st->m, t->zName, cols, "key", true);
		free(cols);
		break;
	case XC_CHECK:
		/* "<table>_<col>_check" when it uses one column, else "<table>_check" */
		sra_xlate__column_refs(&refs, c->pExpr);
		c->zName = sra_xlate__choose_name(st->m, t->zName, refs.n == 1 ? refs.v[0] : NULL,
						  "check", false);
		sra_strv_dispose(&refs);
		break;
	case XC_FOREIGN:
		cols = sra_xlate__join_names(&c->cols);
		c->zName = sra_xlate__choose_name(st->m, t->zName, cols, "fkey", false);
		free(cols);
		break;
	}
	return 0;
}

/* the columns of a constraint exist; a CHECK translates */
static int check_constraint(xl_stmt *st, xl_table *t, xl_constraint *c)
{
	xl_ectx cx = { st->m, t, NULL };
	sra_buf b = SRA_BUF_INIT;
	size_t i;
	int error;

	for (i = 0; i < c->cols.n; i++)
		if (!sra_xlate__find_column(t, c->cols.v[i]))
			return sra_xlate__invalid("column \"%s\" named in key does not exist", c->cols.v[i]);
	if (c->eType == XC_CHECK) {
		error = sra_xlate__expr(&b, &cx, c->pExpr);
		sra_buf_dispose(&b);
		return error;
	}
	return 0;
}

/* a unique key of t over exactly these columns (what a reference needs) */
static bool has_unique_key(const xl_model *m, const xl_table *t, const sra_strv *cols)
{
	size_t i, j;

	for (i = 0; i < t->nCon; i++)
		if ((t->aCon[i]->eType == XC_PRIMARY || t->aCon[i]->eType == XC_UNIQUE) &&
		    sra_xlate__same_name_set(&t->aCon[i]->cols, cols))
			return true;
	for (i = 0; i < m->nIdx; i++) {
		const xl_index *ix = m->aIdx[i];
		sra_strv keys = SRA_STRV_INIT;
		bool ok;

		if (!ix->bUnique || ix->bSkipped || ix->pWhere || strcmp(ix->zTable, t->zName) != 0)
			continue;
		for (j = 0; j < ix->nKey; j++)
			if (ix->aKey[j].zCol)
				sra_strv_push(&keys, ix->aKey[j].zCol);
		ok = keys.n == ix->nKey && sra_xlate__same_name_set(&keys, cols);
		sra_strv_dispose(&keys);
		if (ok)
			return true;
	}
	return false;
}

/* a FOREIGN KEY's referenced table and columns are there and unique */
static int resolve_foreign_key(xl_stmt *st, xl_constraint *c)
{
	const xl_table *ref = sra_xlate__find_table(st->m, c->zRefTable);
	const xl_constraint *pk;
	size_t i;

	if (!ref)
		return sra_xlate__invalid("relation \"%s\" does not exist", c->zRefTable);
	if (c->refCols.n == 0) {
		if ((pk = sra_xlate__primary_key(ref)) == NULL)
			return sra_xlate__invalid("there is no primary key for referenced table \"%s\"",
						  ref->zName);
		for (i = 0; i < pk->cols.n; i++)
			sra_strv_push(&c->refCols, pk->cols.v[i]);
	}
	if (c->refCols.n != c->cols.n)
		return sra_xlate__invalid("number of referencing and referenced columns for foreign "
					  "key disagree");
	for (i = 0; i < c->refCols.n; i++)
		if (!sra_xlate__find_column(ref, c->refCols.v[i]))
			return sra_xlate__invalid("column \"%s\" referenced in foreign key constraint "
						  "does not exist", c->refCols.v[i]);
	if (!has_unique_key(st->m, ref, &c->refCols))
		return sra_xlate__invalid("there is no unique constraint matching given keys for "
					  "referenced table \"%s\"", ref->zName);
	return 0;
}

/* order PostgreSQL names them in: index-backed first, then CHECK, then FOREIGN KEY */
static int con_rank(const xl_constraint *c)
{
	return c->eType == XC_PRIMARY || c->eType == XC_UNIQUE ? 0 : c->eType == XC_CHECK ? 1 : 2;
}

/*
 * Name pending constraints, add them to t, mark PRIMARY KEY columns NOT NULL
 * and check them.  Takes the pending array in every case.
 */
int sra_xlate__add_constraints(xl_stmt *st, xl_table *t, xl_constraint **pend, size_t npend)
{
	size_t i, first = t->nCon;
	int rank, error = 0;

	for (rank = 0; rank < 3; rank++) {
		for (i = 0; i < npend; i++) {
			xl_constraint *c = pend[i];

			if (!c || con_rank(c) != rank)
				continue;
			if (c->eType == XC_PRIMARY && sra_xlate__primary_key(t)) {
				error = sra_xlate__invalid("multiple primary keys for table \"%s\" are "
							   "not allowed", t->zName);
				goto done;
			}
			if ((error = name_constraint(st, t, c)) < 0 ||
			    (error = check_constraint(st, t, c)) < 0)
				goto done;
			XL_PUSH(t->aCon, t->nCon, c);
			pend[i] = NULL;
			if (c->eType == XC_PRIMARY) {
				size_t j;

				for (j = 0; j < c->cols.n; j++)
					sra_xlate__find_column(t, c->cols.v[j])->notNull = true;
			}
		}
	}
	/* references last: a table may reference its own new key */
	for (i = first; i < t->nCon; i++)
		if (t->aCon[i]->eType == XC_FOREIGN && (error = resolve_foreign_key(st, t->aCon[i])) < 0)
			goto done;
done:
	for (i = 0; i < npend; i++)
		sra_xlate__constraint_free(pend[i]);
	free(pend);
	return error;
}

/*
 * A column from a ColumnDef, with its column constraints appended to
 * (*pend)[0 .. *npend) (unnamed until add_constraints).  The column is not yet in t.
 */
int sra_xlate__column_from_def(xl_column **out, xl_stmt *st, xl_table *t, json_t *cd,
			   xl_constraint ***pend, size_t *npend)
{
	const char *name = STR(cd, "colname");
	json_t *cons = LIST(cd, "constraints");
	xl_constraint *last_fk = NULL;
	xl_column *c;
	size_t i;
	int error;

	*out = NULL;
	if (!name)
		return sra_xlate__unsupported("a column without a name");
	if (GET(cd, "collClause"))
		return sra_xlate__unsupported("COLLATE on column \"%s\"", name);
	c = sra__calloc(1, sizeof(*c));
	c->zName = sra__strdup(name);
	c->zCheckName = sra__sprintf("ck_%s_%s_type", t->zName, name);
	if ((error = sra_xlate__set_column_type(c, st->m, GET(cd, "typeName"))) < 0)
		goto fail;
	if (GET(cd, "raw_default"))
		c->pDefault = json_incref(GET(cd, "raw_default"));
	for (i = 0; i < json_array_size(cons); i++) {
		json_t *f;
		const char *ct;
		xl_constraint *con;

		NODE(json_array_get(cons, i), &f);
		ct = STR(f, "contype");
		if (IS(ct, "CONSTR_NULL")) {
			c->notNull = false;
		} else if (IS(ct, "CONSTR_NOTNULL")) {
			c->notNull = true;
		} else if (IS(ct, "CONSTR_DEFAULT")) {
			json_t *df, *e = GET(f, "raw_expr");

			json_decref(c->pDefault);
			c->pDefault = NULL;
			/* DEFAULT NULL is no default */
			if (!(IS(NODE(e, &df), "A_Const") && BOOL(df, "isnull")))
				c->pDefault = json_incref(e);
		} else if (IS(ct, "CONSTR_IDENTITY")) {
			c->bSerial = true;
		} else if (IS(ct, "CONSTR_ATTR_DEFERRABLE") || IS(ct, "CONSTR_ATTR_NOT_DEFERRABLE") ||
			   IS(ct, "CONSTR_ATTR_DEFERRED") || IS(ct, "CONSTR_ATTR_IMMEDIATE")) {
			if (!last_fk) {
				error = sra_xlate__unsupported("DEFERRABLE on a constraint other than a FOREIGN KEY");
				goto fail;
			}
			if (IS(ct, "CONSTR_ATTR_DEFERRABLE"))
				last_fk->bDeferrable = true;
			else if (IS(ct, "CONSTR_ATTR_NOT_DEFERRABLE"))
				last_fk->bDeferrable = false;
			else if (IS(ct, "CONSTR_ATTR_DEFERRED"))
				last_fk->bDeferrable = last_fk->bInitDeferred = true;
			else
				last_fk->bInitDeferred = false;
		} else {
			if ((error = sra_xlate__constraint_from_node(&con, f, name)) < 0)
				goto fail;
			if (!con) {
				error = sra_xlate__unsupported("the column constraint %s", ct ? ct : "?");
				goto fail;
			}
			if (con->eType == XC_PRIMARY)
				c->notNull = true;
			if (con->eType == XC_FOREIGN)
				last_fk = con;
			XL_PUSH(*pend, *npend, con);
		}
	}
	*out = c;
	return 0;
fail:
	sra_xlate__column_free(c);
	return error;
}

/* the DEFAULT of c translates (errors belong to the statement that sets it) */
int sra_xlate__check_default(xl_stmt *st, const xl_table *t, const xl_column *c)
{
	xl_ectx cx = { st->m, t, NULL };
	sra_buf b = SRA_BUF_INIT;
	int error = 0;

	if (c->pDefault)
		error = sra_xlate__value(&b, &cx, c, c->pDefault);
	sra_buf_dispose(&b);
	return error;
}

/* serial and identity columns exist in SQLite only as an INTEGER PRIMARY KEY */
int sra_xlate__check_serials(const xl_table *t)
{
	const xl_constraint *pk = sra_xlate__primary_key(t);
	size_t i;

	for (i = 0; i < t->nCol; i++) {
		const xl_column *c = t->aCol[i];

		if (c->bSerial && (c->eKind != XK_INTEGER || !pk || pk->cols.n != 1 ||
				   strcmp(pk->cols.v[0], c->zName) != 0))
			return sra_xlate__unsupported("the serial/identity column \"%s\" outside a "
						      "one-column PRIMARY KEY", c->zName);
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * CREATE TYPE … AS ENUM, ALTER TYPE, DROP TYPE
 */

static int create_enum(xl_stmt *st, json_t *f)
{
	const char *name = sra_xlate__last_name(LIST(f, "typeName"));
	json_t *vals = LIST(f, "vals");
	xl_enum *e;
	size_t i;

	if (!name)
		return sra_xlate__unsupported("this CREATE TYPE");
	if (sra_xlate__find_enum(st->m, name))
		return sra_xlate__invalid("type \"%s\" already exists", name);
	e = sra__calloc(1, sizeof(*e));
	e->zName = sra__strdup(name);
	for (i = 0; i < json_array_size(vals); i++) {
		const char *v = sra_xlate__sval(json_array_get(vals, i));

		if (sra_strv_find(&e->labels, v) >= 0) {
			sra_xlate__enum_free(e);
			return sra_xlate__invalid("enum label \"%s\" used more than once", v);
		}
		sra_strv_push(&e->labels, v);
	}
	XL_PUSH(st->m->aEnum, st->m->nEnum, e);
	return 0;	/* an enum is a CHECK on each column: nothing to create */
}

static bool uses_enum(const xl_column *c, const char *name)
{
	return c->zEnum && strcmp(c->zEnum, name) == 0;
}

/* a DEFAULT that is the string `from` (under casts) becomes `to` */
static void rename_default_label(xl_column *c, const char *from, const char *to)
{
	json_t *n = c->pDefault, *f;

	while (IS(NODE(n, &f), "TypeCast"))
		n = GET(f, "arg");
	if (!IS(NODE(n, &f), "A_Const") || !json_is_object(GET(f, "sval")) ||
	    !IS(STR(GET(f, "sval"), "sval"), from))
		return;
	json_decref(c->pDefault);
	c->pDefault = json_pack("{s:{s:{s:s},s:i}}", "A_Const", "sval", "sval", to, "location", -1);
}

static int alter_enum(xl_stmt *st, json_t *f)
{
	const char *name = sra_xlate__last_name(LIST(f, "typeName"));
	const char *oldv = STR(f, "oldVal"), *newv = STR(f, "newVal");
	const char *nb = STR(f, "newValNeighbor");
	sra_strv tables = SRA_STRV_INIT;
	xl_enum *e = name ? sra_xlate__find_enum(st->m, name) : NULL;
	size_t i, j;
	int error;

	if (!e)
		return sra_xlate__invalid("type \"%s\" does not exist", name ? name : "?");
	if (!newv)
		newv = "";
	if (oldv) {
		long at = sra_strv_find(&e->labels, oldv);

		if (at < 0)
			return sra_xlate__invalid("\"%s\" is not an existing enum label", oldv);
		if (sra_strv_find(&e->labels, newv) >= 0)
			return sra_xlate__invalid("enum label \"%s\" already exists", newv);
		free(e->labels.v[at]);
		e->labels.v[at] = sra__strdup(newv);
	} else {
		long at;

		if (sra_strv_find(&e->labels, newv) >= 0) {
			if (BOOL(f, "skipIfNewValExists"))
				return 0;
			return sra_xlate__invalid("enum label \"%s\" already exists", newv);
		}
		if (nb) {
			if ((at = sra_strv_find(&e->labels, nb)) < 0)
				return sra_xlate__invalid("\"%s\" is not an existing enum label", nb);
			if (BOOL(f, "newValIsAfter"))
				at++;
		} else {
			at = (long)e->labels.n;
		}
		{
			char *label;

			/* append, then move into place */
			sra_strv_push(&e->labels, newv);
			label = e->labels.v[e->labels.n - 1];
			memmove(e->labels.v + at + 1, e->labels.v + at,
				(e->labels.n - 1 - (size_t)at) * sizeof(char *));
			e->labels.v[at] = label;
		}
	}

	/* every table with a column of the type: a new CHECK (and a mapping) */
	for (i = 0; i < st->m->nTab; i++) {
		xl_table *t = st->m->aTab[i];

		for (j = 0; j < t->nCol; j++) {
			xl_column *c = t->aCol[j];
			sra_buf b = SRA_BUF_INIT;

			if (!uses_enum(c, e->zName))
				continue;
			if (!oldv) {
				if (c->eKind == XK_ENUM)
					sra_xlate__add_once(&tables, t->zName);
				continue;
			}
			sra_xlate__add_once(&tables, t->zName);
			rename_default_label(c, oldv, newv);
			/* the copy maps the old label to the new one */
			if (c->eKind == XK_ENUM) {
				sra_buf_puts(&b, "CASE ");
				sra_xlate__ident(&b, c->zName);
				sra_buf_puts(&b, " WHEN ");
				sra_buf_put_sql_literal(&b, oldv);
				sra_buf_puts(&b, " THEN ");
				sra_buf_put_sql_literal(&b, newv);
				sra_buf_puts(&b, " ELSE ");
				sra_xlate__ident(&b, c->zName);
				sra_buf_puts(&b, " END");
			} else {
				sra_buf_puts(&b, "CASE WHEN ");
				sra_xlate__ident(&b, c->zName);
				sra_buf_puts(&b, " IS NULL THEN NULL ELSE (SELECT json_group_array(CASE value WHEN ");
				sra_buf_put_sql_literal(&b, oldv);
				sra_buf_puts(&b, " THEN ");
				sra_buf_put_sql_literal(&b, newv);
				sra_buf_puts(&b, " ELSE value END) FROM (SELECT value FROM json_each(");
				sra_xlate__ident(&b, c->zName);
				sra_buf_puts(&b, ") ORDER BY key)) END");
			}
			c->eSrc = XS_EXPR;
			free(c->zSrc);
			c->zSrc = sra_buf_detach(&b);
		}
	}
	error = sra_xlate__emit_rebuilds(st, &tables);
	sra_strv_dispose(&tables);
	return error;
}

static int drop_types(xl_stmt *st, json_t *f)
{
	json_t *objs = LIST(f, "objects");
	size_t i, j, k;

	for (i = 0; i < json_array_size(objs); i++) {
		json_t *tf;
		const char *name;
		xl_enum *e;

		NODE(json_array_get(objs, i), &tf);
		name = sra_xlate__last_name(LIST(tf, "names"));
		e = name ? sra_xlate__find_enum(st->m, name) : NULL;
		if (!e) {
			if (BOOL(f, "missing_ok"))
				continue;
			return sra_xlate__invalid("type \"%s\" does not exist", name ? name : "?");
		}
		for (j = 0; j < st->m->nTab; j++)
			for (k = 0; k < st->m->aTab[j]->nCol; k++)
				if (uses_enum(st->m->aTab[j]->aCol[k], name)) {
					if (IS(STR(f, "behavior"), "DROP_CASCADE"))
						return sra_xlate__unsupported("DROP TYPE %s CASCADE with columns of the type", name);
					return sra_xlate__invalid("cannot drop type %s because column %s of "
								  "table %s depends on it", name,
								  st->m->aTab[j]->aCol[k]->zName,
								  st->m->aTab[j]->zName);
				}
		for (j = 0; j < st->m->nEnum; j++)
			if (st->m->aEnum[j] == e) {
				sra_xlate__enum_free(e);
				XL_REMOVE(st->m->aEnum, st->m->nEnum, j);
				break;
			}
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * CREATE TABLE
 */

static int create_table(xl_stmt *st, json_t *f)
{
	json_t *rel = GET(f, "relation"), *elts = LIST(f, "tableElts");
	xl_constraint **pend = NULL;
	size_t npend = 0, i;
	xl_table *t;
	const char *name;
	sra_buf b = SRA_BUF_INIT;
	int error;

	if ((name = sra_xlate__relname(rel, &error)) == NULL)
		return error ? error : sra_xlate__unsupported("CREATE TABLE without a name");
	if (IS(STR(rel, "relpersistence"), "t"))
		return sra_xlate__unsupported("CREATE TEMPORARY TABLE");
	if (json_array_size(LIST(f, "inhRelations")) > 0)
		return sra_xlate__unsupported("CREATE TABLE … INHERITS");
	if (GET(f, "partspec") || GET(f, "partbound"))
		return sra_xlate__unsupported("a partitioned table");
	if (GET(f, "ofTypename"))
		return sra_xlate__unsupported("CREATE TABLE … OF type");
	if (sra_xlate__find_table(st->m, name)) {
		if (BOOL(f, "if_not_exists"))
			return 0;	/* PostgreSQL: a notice, nothing done */
		return sra_xlate__invalid("relation \"%s\" already exists", name);
	}
	if (sra_xlate__relation_exists(st->m, name))
		return sra_xlate__invalid("relation \"%s\" already exists", name);

	t = sra__calloc(1, sizeof(*t));
	t->zName = sra__strdup(name);
	XL_PUSH(st->m->aTab, st->m->nTab, t);	/* now owned by the working model */
	for (i = 0; i < json_array_size(elts); i++) {
		json_t *ef;
		const char *et = NODE(json_array_get(elts, i), &ef);

		if (IS(et, "ColumnDef")) {
			xl_column *c;

			if (sra_xlate__find_column(t, STR(ef, "colname"))) {
				error = sra_xlate__invalid("column \"%s\" specified more than once",
							   STR(ef, "colname"));
				goto fail;
			}
			if ((error = sra_xlate__column_from_def(&c, st, t, ef, &pend, &npend)) < 0)
				goto fail;
			XL_PUSH(t->aCol, t->nCol, c);
		} else if (IS(et, "Constraint")) {
			xl_constraint *c;

			if ((error = sra_xlate__constraint_from_node(&c, ef, NULL)) < 0)
				goto fail;
			if (!c) {
				error = sra_xlate__unsupported("the table constraint %s", STR(ef, "contype"));
				goto fail;
			}
			XL_PUSH(pend, npend, c);
		} else {
			error = sra_xlate__unsupported("CREATE TABLE … (%s)", et ? et : "?");
			goto fail;
		}
	}
	if (t->nCol == 0) {
		error = sra_xlate__unsupported("a table without columns");
		goto fail;
	}
	error = sra_xlate__add_constraints(st, t, pend, npend);
	pend = NULL;
	npend = 0;
	if (error < 0)
		goto fail;
	for (i = 0; i < t->nCol; i++)
		if ((error = sra_xlate__check_default(st, t, t->aCol[i])) < 0)
			goto fail;
	if ((error = sra_xlate__check_serials(t)) < 0)
		goto fail;
	if ((error = sra_xlate__create_table_sql(&b, st->m, t, NULL, BOOL(f, "if_not_exists"))) < 0)
		goto fail;
	sra_xlate__emit(st, &b);
	return 0;
fail:
	for (i = 0; i < npend; i++)
		sra_xlate__constraint_free(pend[i]);
	free(pend);
	sra_buf_dispose(&b);
	return error;	/* t is freed with the working model */
}

/* ---------------------------------------------------------------------
 * CREATE INDEX
 */

/* PostgreSQL's FigureIndexColname: the column, the function, or "expr" */
static const char *index_colname(json_t *ef)
{
	json_t *xf;

	if (STR(ef, "name"))
		return STR(ef, "name");
	if (IS(NODE(GET(ef, "expr"), &xf), "FuncCall"))
		return sra_xlate__last_name(LIST(xf, "funcname"));
	return "expr";
}

static int create_index(xl_stmt *st, json_t *f)
{
	json_t *params = LIST(f, "indexParams");
	const char *tname, *method = STR(f, "accessMethod");
	const char *name = STR(f, "idxname");
	xl_table *t;
	xl_index *ix;
	xl_ectx cx;
	sra_buf b = SRA_BUF_INIT;
	size_t i;
	int error;

	if ((tname = sra_xlate__relname(GET(f, "relation"), &error)) == NULL)
		return error;
	if ((t = sra_xlate__find_table(st->m, tname)) == NULL)
		return sra_xlate__invalid("relation \"%s\" does not exist", tname);
	if (BOOL(f, "nulls_not_distinct"))
		return sra_xlate__unsupported("UNIQUE NULLS NOT DISTINCT");
	if (name && sra_xlate__relation_exists(st->m, name)) {
		if (BOOL(f, "if_not_exists"))
			return 0;
		return sra_xlate__invalid("relation \"%s\" already exists", name);
	}
	cx = (xl_ectx){ st->m, t, NULL };
	ix = sra__calloc(1, sizeof(*ix));
	ix->zTable = sra__strdup(tname);
	ix->zMethod = sra__strdup(method ? method : "btree");
	ix->bUnique = BOOL(f, "unique");
	ix->bSkipped = strcmp(ix->zMethod, "btree") != 0;
	ix->aKey = sra__calloc(json_array_size(params) ? json_array_size(params) : 1, sizeof(xl_idxkey));
	for (i = 0; i < json_array_size(params); i++) {
		json_t *ef;
		xl_idxkey *k = &ix->aKey[ix->nKey++];

		NODE(json_array_get(params, i), &ef);
		k->bDesc = IS(STR(ef, "ordering"), "SORTBY_DESC");
		if (STR(ef, "name")) {
			k->zCol = sra__strdup(STR(ef, "name"));
			if (!sra_xlate__find_column(t, k->zCol)) {
				error = sra_xlate__invalid("column \"%s\" does not exist", k->zCol);
				goto fail;
			}
		} else {
			k->pExpr = json_incref(GET(ef, "expr"));
			if (!ix->bSkipped && !st->bObserve && (error = sra_xlate__expr(&b, &cx, k->pExpr)) < 0)
				goto fail;
		}
	}
	if (GET(f, "whereClause")) {
		ix->pWhere = json_incref(GET(f, "whereClause"));
		if (!ix->bSkipped && !st->bObserve && (error = sra_xlate__expr(&b, &cx, ix->pWhere)) < 0)
			goto fail;
	}
	if (st->bObserve) {
		/* SQLite's own text: re-created as written after a rebuild */
		size_t len = strlen(st->zRaw);

		while (len > 0 && (isspace((unsigned char)st->zRaw[len - 1]) || st->zRaw[len - 1] == ';'))
			len--;
		ix->zSql = sra__strndup(st->zRaw, len);
		ix->bSkipped = false;
	}
	if (name) {
		ix->zName = sra__strdup(name);
	} else {
		sra_strv cols = SRA_STRV_INIT;
		char *joined;

		for (i = 0; i < json_array_size(params); i++) {
			json_t *ef;

			NODE(json_array_get(params, i), &ef);
			sra_strv_push(&cols, index_colname(ef));
		}
		joined = sra_xlate__join_names(&cols);
		ix->zName = sra_xlate__choose_name(st->m, tname, joined, "idx", true);
		free(joined);
		sra_strv_dispose(&cols);
	}
	sra_buf_dispose(&b);
	XL_PUSH(st->m->aIdx, st->m->nIdx, ix);
	if (ix->bSkipped)
		return 0;	/* GIN and friends: remembered, so DROP INDEX knows */
	return sra_xlate__emit_index(st, ix, BOOL(f, "if_not_exists"));
fail:
	sra_buf_dispose(&b);
	sra_xlate__index_free(ix);
	return error;
}

/* ---------------------------------------------------------------------
 * DROP TABLE, DROP INDEX, DROP TRIGGER
 */

/* remove the foreign keys of other tables that reference `table` (and `cols`, if given) */
int sra_xlate__drop_referencing(xl_stmt *st, const char *table, const sra_strv *cols, bool cascade,
			    const sra_strv *skip, sra_strv *rebuild, const char *what)
{
	size_t i, j;

	for (i = 0; i < st->m->nTab; i++) {
		xl_table *o = st->m->aTab[i];

		if (skip && sra_strv_find(skip, o->zName) >= 0)
			continue;
		for (j = 0; j < o->nCon; j++) {
			xl_constraint *c = o->aCon[j];
			bool hit;
			size_t k;

			if (c->eType != XC_FOREIGN || strcmp(c->zRefTable, table) != 0)
				continue;
			if (!cols && strcmp(o->zName, table) == 0)
				continue;	/* its own reference goes with it */
			hit = !cols;
			for (k = 0; cols && k < cols->n; k++)
				if (sra_strv_find(&c->refCols, cols->v[k]) >= 0)
					hit = true;
			if (!hit)
				continue;
			if (!cascade)
				return sra_xlate__invalid("cannot drop %s because constraint %s on table %s "
							  "depends on it", what, c->zName, o->zName);
			sra_xlate__constraint_free(c);
			XL_REMOVE(o->aCon, o->nCon, j);
			j--;
			sra_xlate__add_once(rebuild, o->zName);
		}
	}
	return 0;
}

static void forget_table(xl_stmt *st, const char *name)
{
	size_t i;

	for (i = 0; i < st->m->nIdx; i++)
		if (strcmp(st->m->aIdx[i]->zTable, name) == 0) {
			sra_xlate__index_free(st->m->aIdx[i]);
			XL_REMOVE(st->m->aIdx, st->m->nIdx, i);
			i--;
		}
	for (i = 0; i < st->m->nTrig; i++)
		if (strcmp(st->m->aTrig[i]->zTable, name) == 0) {
			sra_xlate__trigger_free(st->m->aTrig[i]);
			XL_REMOVE(st->m->aTrig, st->m->nTrig, i);
			i--;
		}
	for (i = 0; i < st->m->nTab; i++)
		if (strcmp(st->m->aTab[i]->zName, name) == 0) {
			sra_xlate__table_free(st->m->aTab[i]);
			XL_REMOVE(st->m->aTab, st->m->nTab, i);
			break;
		}
}

static int drop_tables(xl_stmt *st, json_t *f)
{
	json_t *objs = LIST(f, "objects");
	bool cascade = IS(STR(f, "behavior"), "DROP_CASCADE"), missing_ok = BOOL(f, "missing_ok");
	sra_strv drop = SRA_STRV_INIT, unknown = SRA_STRV_INIT, rebuild = SRA_STRV_INIT;
	size_t i, j;
	int error = 0;

	for (i = 0; i < json_array_size(objs); i++) {
		json_t *lf;
		const char *name;

		NODE(json_array_get(objs, i), &lf);
		if (json_array_size(LIST(lf, "items")) > 1 &&
		    !IS(sra_xlate__sval(json_array_get(LIST(lf, "items"), 0)), "public")) {
			error = sra_xlate__unsupported("a schema-qualified DROP TABLE");
			goto done;
		}
		name = sra_xlate__last_name(LIST(lf, "items"));
		if (sra_xlate__find_table(st->m, name))
			sra_xlate__add_once(&drop, name);
		else if (missing_ok || st->bObserve)
			sra_xlate__add_once(&unknown, name);
		else {
			error = sra_xlate__invalid("table \"%s\" does not exist", name);
			goto done;
		}
	}
	if (!st->bObserve) {
		for (i = 0; i < drop.n; i++) {
			char *what = sra__sprintf("table %s", drop.v[i]);

			error = sra_xlate__drop_referencing(st, drop.v[i], NULL, cascade, &drop, &rebuild, what);
			free(what);
			if (error < 0)
				goto done;
		}
		if ((error = sra_xlate__emit_rebuilds(st, &rebuild)) < 0)
			goto done;
	}
	/* children before their parents, so no DROP deletes referenced rows */
	while (drop.n > 0) {
		size_t pick = 0;

		for (i = 0; i < drop.n; i++) {
			bool referenced = false;

			for (j = 0; j < drop.n && !referenced; j++) {
				const xl_table *o = sra_xlate__find_table(st->m, drop.v[j]);
				size_t k;

				for (k = 0; i != j && k < o->nCon; k++)
					if (o->aCon[k]->eType == XC_FOREIGN &&
					    strcmp(o->aCon[k]->zRefTable, drop.v[i]) == 0)
						referenced = true;
			}
			if (!referenced) {
				pick = i;
				break;
			}
		}
		{
			sra_buf b = SRA_BUF_INIT;

			sra_buf_puts(&b, missing_ok ? "DROP TABLE IF EXISTS " : "DROP TABLE ");
			sra_xlate__ident(&b, drop.v[pick]);
			sra_xlate__emit(st, &b);
		}
		forget_table(st, drop.v[pick]);
		free(drop.v[pick]);
		memmove(drop.v + pick, drop.v + pick + 1, (drop.n - pick - 1) * sizeof(char *));
		drop.n--;
	}
	for (i = 0; i < unknown.n; i++) {
		sra_buf b = SRA_BUF_INIT;

		sra_buf_puts(&b, "DROP TABLE IF EXISTS ");
		sra_xlate__ident(&b, unknown.v[i]);
		sra_xlate__emit(st, &b);
	}
done:
	sra_strv_dispose(&drop);
	sra_strv_dispose(&unknown);
	sra_strv_dispose(&rebuild);
	return error;
}

static int drop_indexes(xl_stmt *st, json_t *f)
{
	json_t *objs = LIST(f, "objects");
	bool missing_ok = BOOL(f, "missing_ok");
	size_t i, j;

	for (i = 0; i < json_array_size(objs); i++) {
		json_t *lf;
		const char *name;
		xl_index *ix;
		sra_buf b = SRA_BUF_INIT;

		NODE(json_array_get(objs, i), &lf);
		name = sra_xlate__last_name(LIST(lf, "items"));
		ix = sra_xlate__find_index(st->m, name);
		if (!ix) {
			for (j = 0; j < st->m->nTab; j++) {
				const xl_constraint *c = sra_xlate__find_constraint(st->m->aTab[j], name);

				if (c && (c->eType == XC_PRIMARY || c->eType == XC_UNIQUE))
					return sra_xlate__invalid("cannot drop index %s because constraint "
								  "%s on table %s requires it", name, name,
								  st->m->aTab[j]->zName);
			}
			if (!missing_ok && !st->bObserve)
				return sra_xlate__invalid("index \"%s\" does not exist", name);
			sra_buf_puts(&b, "DROP INDEX IF EXISTS ");
			sra_xlate__ident(&b, name);
			sra_xlate__emit(st, &b);
			continue;
		}
		if (!ix->bSkipped) {
			sra_buf_puts(&b, missing_ok ? "DROP INDEX IF EXISTS " : "DROP INDEX ");
			sra_xlate__ident(&b, name);
			sra_xlate__emit(st, &b);
		}
		for (j = 0; j < st->m->nIdx; j++)
			if (st->m->aIdx[j] == ix) {
				sra_xlate__index_free(ix);
				XL_REMOVE(st->m->aIdx, st->m->nIdx, j);
				break;
			}
	}
	return 0;
}

/* DROP TRIGGER name ON table: the trigger a sqlite block made */
static int drop_triggers(xl_stmt *st, json_t *f)
{
	json_t *objs = LIST(f, "objects");
	bool missing_ok = BOOL(f, "missing_ok");
	size_t i;

	for (i = 0; i < json_array_size(objs); i++) {
		json_t *lf;
		const char *name;
		long at;
		sra_buf b = SRA_BUF_INIT;

		NODE(json_array_get(objs, i), &lf);
		name = sra_xlate__last_name(LIST(lf, "items"));
		at = sra_xlate__trigger_index(st->m, name);
		if (at < 0 && !missing_ok)
			return sra_xlate__invalid("trigger \"%s\" does not exist (a trigger exists on "
						  "SQLite only when a '-- +upgrade sqlite' block made it)",
						  name);
		sra_buf_puts(&b, missing_ok ? "DROP TRIGGER IF EXISTS " : "DROP TRIGGER ");
		sra_xlate__ident(&b, name);
		sra_xlate__emit(st, &b);
		if (at >= 0) {
			sra_xlate__trigger_free(st->m->aTrig[at]);
			XL_REMOVE(st->m->aTrig, st->m->nTrig, (size_t)at);
		}
	}
	return 0;
}

static int drop_stmt(xl_stmt *st, json_t *f)
{
	const char *type = STR(f, "removeType");

	if (IS(type, "OBJECT_TABLE"))
		return drop_tables(st, f);
	if (IS(type, "OBJECT_INDEX"))
		return drop_indexes(st, f);
	if (IS(type, "OBJECT_TYPE"))
		return drop_types(st, f);
	if (IS(type, "OBJECT_TRIGGER"))
		return drop_triggers(st, f);
	/* never created on SQLite (CREATE FUNCTION cannot be translated): nothing to drop */
	if (IS(type, "OBJECT_FUNCTION") || IS(type, "OBJECT_PROCEDURE") || IS(type, "OBJECT_EXTENSION"))
		return 0;
	return sra_xlate__unsupported("DROP %s", type ? type + 7 : "?");
}

/* ---------------------------------------------------------------------
 * Renames
 */

/* A token of SQLite text: enough to find names in CREATE TRIGGER. */
typedef enum { TK_END, TK_NAME, TK_STRING, TK_OTHER } tk_type;

typedef struct token {
	tk_type type;
	const char *z;		/* the token's text */
	size_t n;
	char val[128];		/* TK_NAME: the name unquoted, lower case; "" when longer */
} token;

/* sql_split.h's one tokenizer, with a name's unquoted, lower-case form */
static const char *next_token(const char *p, token *t)
{
	sra_token k;
	sra_buf name = SRA_BUF_INIT;
	size_t i;

	p = sra_sql__next_token(&k, p);
	t->z = k.z;
	t->n = k.n;
	t->val[0] = '\0';
	switch (k.type) {
	case SRA_TK_END:
		t->type = TK_END;
		break;
	case SRA_TK_WORD:
	case SRA_TK_QUOTED:
		t->type = TK_NAME;
		sra_sql__token_name(&name, &k);
		for (i = 0; i < name.size && i < sizeof(t->val) - 1; i++)
			t->val[i] = (char)tolower((unsigned char)name.ptr[i]);
		t->val[i] = '\0';
		sra_buf_dispose(&name);
		break;
	case SRA_TK_STRING:
		t->type = TK_STRING;
		break;
	default:
		t->type = TK_OTHER;
		break;
	}
	return p;
}

static bool tk_is(const token *t, const char *word)
{
	return t->type == TK_NAME && strcasecmp(t->val, word) == 0 && t->z[0] != '"';
}

static void lower_copy(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; src[i] && i < size - 1; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

/*
 * SQLite text with every name token equal to `from` (SQLite compares names
 * case-insensitively) replaced by `to`: what SQLite's own RENAME does to a
 * trigger on the renamed table or column.  Approximate for a column name
 * that other tables in the body also use.  Caller frees.
 */
static char *rename_in_sql(const char *sql, const char *from, const char *to)
{
	sra_buf b = SRA_BUF_INIT;
	const char *p = sql, *copied = sql;
	char want[128];
	token t;

	lower_copy(want, from, sizeof(want));
	for (;;) {
		p = next_token(p, &t);
		if (t.type == TK_END)
			break;
		if (t.type == TK_NAME && strcmp(t.val, want) == 0) {
			sra_buf_put(&b, copied, (size_t)(t.z - copied));
			sra_xlate__ident(&b, to);
			copied = t.z + t.n;
		}
	}
	sra_buf_puts(&b, copied);
	return sra_buf_detach(&b);
}

static int rename_table(xl_stmt *st, xl_table *t, const char *newname)
{
	const char *from = t->zName;
	sra_buf b = SRA_BUF_INIT;
	size_t i, j;
	char *old;

	if (sra_xlate__relation_exists(st->m, newname))
		return sra_xlate__invalid("relation \"%s\" already exists", newname);
	sra_buf_puts(&b, "ALTER TABLE ");
	sra_xlate__ident(&b, from);
	sra_buf_puts(&b, " RENAME TO ");
	sra_xlate__ident(&b, newname);
	sra_xlate__emit(st, &b);
	/* SQLite's RENAME follows the table into references, indexes and triggers */
	old = sra__strdup(from);
	for (i = 0; i < st->m->nTab; i++)
		for (j = 0; j < st->m->aTab[i]->nCon; j++) {
			xl_constraint *c = st->m->aTab[i]->aCon[j];

			if (c->eType == XC_FOREIGN && strcmp(c->zRefTable, old) == 0) {
				free(c->zRefTable);
				c->zRefTable = sra__strdup(newname);
			}
		}
	for (i = 0; i < st->m->nIdx; i++) {
		xl_index *ix = st->m->aIdx[i];

		if (strcmp(ix->zTable, old) != 0)
			continue;
		free(ix->zTable);
		ix->zTable = sra__strdup(newname);
		if (ix->zSql) {
			char *sql = rename_in_sql(ix->zSql, old, newname);

			free(ix->zSql);
			ix->zSql = sql;
		}
	}
	for (i = 0; i < st->m->nTrig; i++) {
		xl_trigger *tr = st->m->aTrig[i];

		if (strcmp(tr->zTable, old) == 0) {
			char *sql = rename_in_sql(tr->zSql, old, newname);

			free(tr->zSql);
			tr->zSql = sql;
			free(tr->zTable);
			tr->zTable = sra__strdup(newname);
		}
	}
	free(t->zName);
	t->zName = sra__strdup(newname);
	free(old);
	return 0;
}

static int rename_column(xl_stmt *st, xl_table *t, const char *from, const char *to)
{
	xl_column *c = sra_xlate__find_column(t, from);
	sra_buf b = SRA_BUF_INIT;
	size_t i, j, k;

	if (!c)
		return sra_xlate__invalid("column \"%s\" does not exist", from);
	if (sra_xlate__find_column(t, to))
		return sra_xlate__invalid("column \"%s\" of relation \"%s\" already exists", to, t->zName);
	sra_buf_puts(&b, "ALTER TABLE ");
	sra_xlate__ident(&b, t->zName);
	sra_buf_puts(&b, " RENAME COLUMN ");
	sra_xlate__ident(&b, from);
	sra_buf_puts(&b, " TO ");
	sra_xlate__ident(&b, to);
	sra_xlate__emit(st, &b);

	for (i = 0; i < t->nCon; i++) {
		xl_constraint *con = t->aCon[i];

		for (j = 0; j < con->cols.n; j++)
			if (strcmp(con->cols.v[j], from) == 0) {
				free(con->cols.v[j]);
				con->cols.v[j] = sra__strdup(to);
			}
		if (con->pExpr) {
			json_t *e = sra_xlate__rename_column_refs(con->pExpr, t->zName, from, to);

			json_decref(con->pExpr);
			con->pExpr = e;
		}
	}
	for (i = 0; i < st->m->nTab; i++)
		for (j = 0; j < st->m->aTab[i]->nCon; j++) {
			xl_constraint *con = st->m->aTab[i]->aCon[j];

			if (con->eType != XC_FOREIGN || strcmp(con->zRefTable, t->zName) != 0)
				continue;
			for (k = 0; k < con->refCols.n; k++)
				if (strcmp(con->refCols.v[k], from) == 0) {
					free(con->refCols.v[k]);
					con->refCols.v[k] = sra__strdup(to);
				}
		}
	for (i = 0; i < st->m->nIdx; i++) {
		xl_index *ix = st->m->aIdx[i];

		if (strcmp(ix->zTable, t->zName) != 0)
			continue;
		for (j = 0; j < ix->nKey; j++) {
			if (ix->aKey[j].zCol && strcmp(ix->aKey[j].zCol, from) == 0) {
				free(ix->aKey[j].zCol);
				ix->aKey[j].zCol = sra__strdup(to);
			}
			if (ix->aKey[j].pExpr) {
				json_t *e = sra_xlate__rename_column_refs(ix->aKey[j].pExpr, t->zName, from, to);

				json_decref(ix->aKey[j].pExpr);
				ix->aKey[j].pExpr = e;
			}
		}
		if (ix->pWhere) {
			json_t *e = sra_xlate__rename_column_refs(ix->pWhere, t->zName, from, to);

			json_decref(ix->pWhere);
			ix->pWhere = e;
		}
		if (ix->zSql) {
			char *sql = rename_in_sql(ix->zSql, from, to);

			free(ix->zSql);
			ix->zSql = sql;
		}
	}
	for (i = 0; i < st->m->nTrig; i++) {
		xl_trigger *tr = st->m->aTrig[i];

		if (strcmp(tr->zTable, t->zName) == 0) {
			char *sql = rename_in_sql(tr->zSql, from, to);

			free(tr->zSql);
			tr->zSql = sql;
		}
	}
	free(c->zName);
	c->zName = sra__strdup(to);
	return 0;
}

/* the table holding constraint `name`, or NULL */
static xl_table *constraint_table(const xl_model *m, const char *name, xl_constraint **con)
{
	size_t i;

	for (i = 0; i < m->nTab; i++)
		if ((*con = sra_xlate__find_constraint(m->aTab[i], name)) != NULL)
			return m->aTab[i];
	return NULL;
}

static int rename_stmt(xl_stmt *st, json_t *f)
{
	const char *type = STR(f, "renameType");
	const char *newname = STR(f, "newname");
	json_t *rel = GET(f, "relation");
	xl_table *t = NULL;
	int error;

	if (IS(type, "OBJECT_TYPE")) {
		json_t *of;
		const char *name;
		xl_enum *e;
		size_t i, j;

		NODE(GET(f, "object"), &of);
		name = sra_xlate__last_name(LIST(of, "items"));
		e = name ? sra_xlate__find_enum(st->m, name) : NULL;

		if (!e)
			return sra_xlate__invalid("type \"%s\" does not exist", name ? name : "?");
		if (sra_xlate__find_enum(st->m, newname))
			return sra_xlate__invalid("type \"%s\" already exists", newname);
		for (i = 0; i < st->m->nTab; i++)
			for (j = 0; j < st->m->aTab[i]->nCol; j++) {
				xl_column *c = st->m->aTab[i]->aCol[j];

				if (uses_enum(c, name)) {
					free(c->zEnum);
					c->zEnum = sra__strdup(newname);
				}
			}
		free(e->zName);
		e->zName = sra__strdup(newname);
		return 0;	/* the CHECKs name labels, not the type */
	}
	if (IS(type, "OBJECT_INDEX")) {
		const char *name = STR(rel, "relname");
		xl_index *ix = sra_xlate__find_index(st->m, name);
		xl_constraint *con;
		sra_buf b = SRA_BUF_INIT;

		if (!ix) {
			/* the index of a PRIMARY KEY or UNIQUE constraint: renames the constraint */
			if ((t = constraint_table(st->m, name, &con)) != NULL &&
			    (con->eType == XC_PRIMARY || con->eType == XC_UNIQUE)) {
				free(con->zName);
				con->zName = sra__strdup(newname);
				return sra_xlate__emit_rebuild(st, t);
			}
			if (BOOL(f, "missing_ok"))
				return 0;
			return sra_xlate__invalid("relation \"%s\" does not exist", name);
		}
		if (sra_xlate__relation_exists(st->m, newname))
			return sra_xlate__invalid("relation \"%s\" already exists", newname);
		if (!ix->bSkipped) {
			sra_buf_puts(&b, "DROP INDEX ");
			sra_xlate__ident(&b, name);
			sra_xlate__emit(st, &b);
		}
		if (ix->zSql) {
			char *sql = rename_in_sql(ix->zSql, name, newname);

			free(ix->zSql);
			ix->zSql = sql;
		}
		free(ix->zName);
		ix->zName = sra__strdup(newname);
		return ix->bSkipped ? 0 : sra_xlate__emit_index(st, ix, false);
	}
	if (!IS(type, "OBJECT_TABLE") && !IS(type, "OBJECT_COLUMN") && !IS(type, "OBJECT_TABCONSTRAINT"))
		return sra_xlate__unsupported("ALTER … RENAME of %s", type ? type + 7 : "?");
	{
		const char *name = sra_xlate__relname(rel, &error);

		if (!name)
			return error;
		if ((t = sra_xlate__find_table(st->m, name)) == NULL) {
			if (BOOL(f, "missing_ok"))
				return 0;
			return sra_xlate__invalid("relation \"%s\" does not exist", name);
		}
	}
	if (IS(type, "OBJECT_TABLE"))
		return rename_table(st, t, newname);
	if (IS(type, "OBJECT_COLUMN"))
		return rename_column(st, t, STR(f, "subname"), newname);
	{
		xl_constraint *con = sra_xlate__find_constraint(t, STR(f, "subname"));

		if (!con)
			return sra_xlate__invalid("constraint \"%s\" for table \"%s\" does not exist",
						  STR(f, "subname"), t->zName);
		if (sra_xlate__find_constraint(t, newname) ||
		    ((con->eType == XC_PRIMARY || con->eType == XC_UNIQUE) && sra_xlate__relation_exists(st->m, newname)))
			return sra_xlate__invalid("constraint or relation \"%s\" already exists", newname);
		free(con->zName);
		con->zName = sra__strdup(newname);
		/* the name is only in the CREATE TABLE text: rebuild to change it */
		return sra_xlate__emit_rebuild(st, t);
	}
}

/* ---------------------------------------------------------------------
 * Statements
 */

static const char *function_language(json_t *f)
{
	json_t *opts = LIST(f, "options");
	size_t i;

	for (i = 0; i < json_array_size(opts); i++) {
		json_t *df;

		NODE(json_array_get(opts, i), &df);
		if (IS(STR(df, "defname"), "language"))
			return sra_xlate__sval(GET(df, "arg"));
	}
	return "sql";
}

static int dispatch(xl_stmt *st, const char *type, json_t *f)
{
	xl_ectx cx = { st->m, NULL, NULL };
	sra_buf b = SRA_BUF_INIT;
	int error;

	if (IS(type, "CreateEnumStmt"))
		return create_enum(st, f);
	if (IS(type, "AlterEnumStmt"))
		return alter_enum(st, f);
	if (IS(type, "CreateStmt"))
		return create_table(st, f);
	if (IS(type, "IndexStmt"))
		return create_index(st, f);
	if (IS(type, "DropStmt"))
		return drop_stmt(st, f);
	if (IS(type, "AlterTableStmt"))
		return sra_xlate__alter_table(st, f);
	if (IS(type, "RenameStmt"))
		return rename_stmt(st, f);
	if (IS(type, "CommentStmt") || IS(type, "CreateExtensionStmt"))
		return 0;	/* nothing SQLite keeps */
	if (IS(type, "CreateFunctionStmt")) {
		return sra_xlate__unsupported("CREATE FUNCTION %s … LANGUAGE %s",
					      sra_xlate__last_name(LIST(f, "funcname")),
					      function_language(f));
	}
	if (IS(type, "CreateTrigStmt")) {
		return sra_xlate__unsupported("CREATE TRIGGER %s … EXECUTE FUNCTION %s()",
					      STR(f, "trigname"),
					      sra_xlate__last_name(LIST(f, "funcname")));
	}
	if (IS(type, "DoStmt"))
		return sra_xlate__unsupported("a DO block");
	if (IS(type, "InsertStmt") || IS(type, "UpdateStmt") || IS(type, "DeleteStmt") ||
	    IS(type, "SelectStmt")) {
		if ((error = sra_xlate__dml(&b, &cx, type, f)) < 0) {
			sra_buf_dispose(&b);
			return error;
		}
		sra_xlate__emit(st, &b);
		return 0;
	}
	return sra_xlate__unsupported("%s", type ? type : "this statement");
}

/*
 * libpg_query 15-4.0.0 prints the Integer node only when positive, so 0 and
 * negative constants arrive as "ival": {} (libpg_query issue #243, fixed in
 * later releases).  The source text is the truth: read the number at the
 * node's location.
 */
static void repair_ints(json_t *node, const char *sql, size_t len)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_array(node)) {
		json_array_foreach(node, i, v)
			repair_ints(v, sql, len);
		return;
	}
	if (!json_is_object(node))
		return;
	json_object_foreach(node, key, v) {
		json_t *ival;

		if (strcmp(key, "A_Const") == 0 && json_is_object(v) &&
		    json_is_object(ival = json_object_get(v, "ival")) && json_object_size(ival) == 0) {
			json_int_t loc = json_integer_value(json_object_get(v, "location"));
			const char *p;
			long long n = 0;
			bool neg = false;

			if (!json_object_get(v, "location") || loc < 0 || (size_t)loc >= len)
				continue;
			for (p = sql + loc; *p == '-' || *p == '(' || isspace((unsigned char)*p); p++)
				if (*p == '-')
					neg = !neg;
			while (isdigit((unsigned char)*p))
				n = n * 10 + (*p++ - '0');
			if (n != 0)
				json_object_set_new(ival, "ival", json_integer(neg ? -n : n));
			continue;
		}
		repair_ints(v, sql, len);
	}
}

/* line and column (1-based) of the pos-th character (1-based) of sql */
static void position_of(const char *sql, int pos, int *line, int *col)
{
	const unsigned char *p = (const unsigned char *)sql;
	int ch = 1;

	*line = 1;
	*col = 1;
	for (; *p && ch < pos; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;	/* a UTF-8 continuation byte */
		ch++;
		if (*p == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* parse one statement: its node, or NULL for an empty one; *tree to json_decref */
static int parse(json_t **tree, json_t **node, const char *sql)
{
	PgQueryParseResult r = pg_query_parse(sql);
	json_error_t jerr;
	json_t *stmts;
	int error = 0;

	*tree = *node = NULL;
	if (r.error) {
		int line, col;

		position_of(sql, r.error->cursorpos, &line, &col);
		if (r.error->cursorpos > 0)
			error = sra_xlate__invalid("cannot parse the statement: %s at position %d "
						   "(line %d, column %d of the statement)",
						   r.error->message, r.error->cursorpos, line, col);
		else
			error = sra_xlate__invalid("cannot parse the statement: %s", r.error->message);
		goto done;
	}
	if ((*tree = json_loads(r.parse_tree, 0, &jerr)) == NULL) {
		error = sra_error_set(SRA_ERROR_SQL, SRA_ERROR, "libpg_query's parse tree: %s", jerr.text);
		goto done;
	}
	stmts = LIST(*tree, "stmts");
	if (json_array_size(stmts) > 1) {
		error = sra_xlate__invalid("expected one statement, found %zu", json_array_size(stmts));
		goto done;
	}
	if (json_array_size(stmts) == 1) {
		*node = GET(json_array_get(stmts, 0), "stmt");
		repair_ints(*node, sql, strlen(sql));
	}
done:
	pg_query_free_parse_result(r);
	return error;
}

static void reset_sources(xl_model *m)
{
	size_t i, j;

	for (i = 0; i < m->nTab; i++)
		for (j = 0; j < m->aTab[i]->nCol; j++) {
			xl_column *c = m->aTab[i]->aCol[j];

			c->eSrc = XS_SAME;
			free(c->zSrc);
			c->zSrc = NULL;
		}
}

/* run one parsed statement against a copy of x's model; commit on success */
static int apply(sra_strv *out, sra_xlate *x, json_t *node, const char *observed)
{
	xl_stmt st = { NULL, &x->m, SRA_STRV_INIT, false, observed != NULL, observed };
	xl_model *work = sra__calloc(1, sizeof(*work));
	json_t *f;
	const char *type = NODE(node, &f);
	size_t i;
	int error;

	sra_xlate__model_copy(work, &x->m);
	st.m = work;
	error = dispatch(&st, type, f);
	if (error < 0) {
		sra_xlate__model_dispose(work);
	} else {
		reset_sources(work);
		sra_xlate__model_dispose(&x->m);
		x->m = *work;
		for (i = 0; out && i < st.out.n; i++) {
			sra_strv_push_owned(out, st.out.v[i]);
			st.out.v[i] = NULL;
		}
	}
	free(work);
	sra_strv_dispose(&st.out);
	return error;
}

/* ---------------------------------------------------------------------
 * Public API
 */

int sra_xlate_new(sra_xlate **out)
{
	SRA_ASSERT_ARG(out);
	*out = sra__calloc(1, sizeof(**out));
	return 0;
}

void sra_xlate_free(sra_xlate *x)
{
	if (!x)
		return;
	sra_xlate__model_dispose(&x->m);
	free(x);
}

int sra_xlate_statement(sra_strv *out, sra_xlate *x, const char *pg_sql)
{
	json_t *tree, *node;
	int error;

	SRA_ASSERT_ARG(out && x && pg_sql);
	if ((error = parse(&tree, &node, pg_sql)) < 0 || !node)
		goto done;
	error = apply(out, x, node, NULL);
done:
	json_decref(tree);
	return error;
}

/* CREATE [TEMP] TRIGGER [IF NOT EXISTS] name … ON table …, DROP TRIGGER [IF EXISTS] name */
static bool observe_trigger(sra_xlate *x, const char *sql)
{
	token t;
	const char *p = next_token(sql, &t);
	char name[128], table[128];
	bool create, if_clause = false;
	long at;

	if (tk_is(&t, "create"))
		create = true;
	else if (tk_is(&t, "drop"))
		create = false;
	else
		return false;
	p = next_token(p, &t);
	if (create && (tk_is(&t, "temp") || tk_is(&t, "temporary")))
		return true;	/* gone with the connection: nothing to re-create */
	if (!tk_is(&t, "trigger"))
		return false;
	p = next_token(p, &t);
	if (tk_is(&t, "if")) {
		if_clause = true;
		p = next_token(p, &t);			/* NOT or EXISTS */
		if (create)
			p = next_token(p, &t);		/* EXISTS */
		p = next_token(p, &t);
	}
	if (t.type != TK_NAME)
		return true;
	{
		token dot;
		const char *q = next_token(p, &dot);

		if (dot.type == TK_OTHER && dot.z[0] == '.') {	/* schema.name */
			p = next_token(q, &t);
			if (t.type != TK_NAME)
				return true;
		}
	}
	snprintf(name, sizeof(name), "%.*s", (int)sizeof(name) - 1, t.val);
	/* SQLite names are case-insensitive; the model keeps the unquoted, folded form */
	at = -1;
	{
		size_t i;

		for (i = 0; i < x->m.nTrig; i++)
			if (strcasecmp(x->m.aTrig[i]->zName, name) == 0)
				at = (long)i;
	}
	if (!create) {
		if (at >= 0) {
			sra_xlate__trigger_free(x->m.aTrig[at]);
			XL_REMOVE(x->m.aTrig, x->m.nTrig, (size_t)at);
		}
		return true;
	}
	if (at >= 0 && if_clause)
		return true;
	/* the table: the name after the first ON (before BEGIN) */
	table[0] = '\0';
	for (;;) {
		p = next_token(p, &t);
		if (t.type == TK_END || tk_is(&t, "begin"))
			return true;
		if (tk_is(&t, "on")) {
			token dot;
			const char *q;

			p = next_token(p, &t);
			q = next_token(p, &dot);
			if (dot.type == TK_OTHER && dot.z[0] == '.')
				p = next_token(q, &t);
			if (t.type == TK_NAME)
				snprintf(table, sizeof(table), "%.*s", (int)sizeof(table) - 1, t.val);
			break;
		}
	}
	if (!table[0])
		return true;
	{
		xl_trigger *tr = sra__calloc(1, sizeof(*tr));
		size_t i, len = strlen(sql);

		tr->zName = sra__strdup(name);
		/* the table under its model spelling when the model knows it */
		tr->zTable = sra__strdup(table);
		for (i = 0; i < x->m.nTab; i++)
			if (strcasecmp(x->m.aTab[i]->zName, table) == 0) {
				free(tr->zTable);
				tr->zTable = sra__strdup(x->m.aTab[i]->zName);
			}
		while (len > 0 && (isspace((unsigned char)sql[len - 1]) || sql[len - 1] == ';'))
			len--;
		tr->zSql = sra__strndup(sql, len);
		if (at >= 0) {
			sra_xlate__trigger_free(x->m.aTrig[at]);
			x->m.aTrig[at] = tr;
		} else {
			XL_PUSH(x->m.aTrig, x->m.nTrig, tr);
		}
	}
	return true;
}

int sra_xlate_observe_sqlite(sra_xlate *x, const char *sqlite_sql)
{
	json_t *tree = NULL, *node = NULL, *f;
	const char *type;

	SRA_ASSERT_ARG(x && sqlite_sql);
	if (observe_trigger(x, sqlite_sql))
		return 0;
	/*
	 * Other DDL that PostgreSQL's grammar also reads (CREATE TABLE/INDEX,
	 * DROP TABLE/INDEX, ALTER TABLE … ADD/RENAME) updates the model the
	 * same way; what does not parse or apply is ignored, as promised.
	 */
	if (parse(&tree, &node, sqlite_sql) == 0 && node) {
		type = NODE(node, &f);
		if (IS(type, "CreateStmt") || IS(type, "IndexStmt") || IS(type, "AlterTableStmt") ||
		    IS(type, "RenameStmt") ||
		    (IS(type, "DropStmt") && (IS(STR(f, "removeType"), "OBJECT_TABLE") ||
					      IS(STR(f, "removeType"), "OBJECT_INDEX"))))
			(void)apply(NULL, x, node, sqlite_sql);
	}
	json_decref(tree);
	sra_error_clear();
	return 0;
}
