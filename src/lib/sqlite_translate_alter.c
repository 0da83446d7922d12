/*
 * Table rebuilds and ALTER TABLE of the SQLite translator (see
 * sqlite_translate_int.h).  What SQLite's ALTER TABLE cannot do becomes the
 * rebuild of SQLite's lang_altertable.html §7: create the new table under a
 * temporary name, copy the rows, drop the old table, rename, re-create
 * indexes and triggers.
 */
#include "common.h"
#include "sqlite_translate_int.h"

#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * Table rebuilds
 */

/*
 * PRAGMA defer_foreign_keys=ON opens every statement that rebuilds.  The
 * engine runs a revision in one transaction, where PRAGMA foreign_keys cannot
 * change; defer_foreign_keys can (it resets at COMMIT) and moves the checks
 * of the copy to COMMIT, so the rows of a self-referencing table copy in any
 * order and a new FOREIGN KEY is checked once, against all rows.
 *
 * It does NOT stop DROP TABLE's implicit DELETE from firing ON DELETE
 * CASCADE / SET NULL in the tables that reference the rebuilt one, nor from
 * leaving a deferred violation behind for a NO ACTION reference: rebuilding a
 * table that other tables reference keeps their rows only when foreign_keys
 * is OFF during the revision, which is SQLite's own procedure (turn it off
 * before BEGIN, PRAGMA foreign_key_check before COMMIT).  The migration
 * engine must run SQLite revisions that way.
 */
static void defer_foreign_keys(xl_stmt *st)
{
	if (st->bDeferred || st->bObserve)
		return;
	sra_xlate__emitf(st, "PRAGMA defer_foreign_keys=ON");
	st->bDeferred = true;
}

int sra_xlate__emit_index(xl_stmt *st, const xl_index *ix, bool if_not_exists)
{
	sra_buf b = SRA_BUF_INIT;
	int error;

	if ((error = sra_xlate__index_sql(&b, st->m, ix, if_not_exists)) < 0) {
		sra_buf_dispose(&b);
		return error;
	}
	sra_xlate__emit(st, &b);
	return 0;
}

/*
 * The statements that give SQLite table t (as the model has it now).
 *
 * The old table is renamed out of the way and t is created afresh, rather
 * than creating a new table and renaming it to t as SQLite's 12-step recipe
 * does: a RENAME stores the new name quoted (CREATE TABLE "t" …), so a
 * table rebuilt and rebuilt back would no longer read as it did, and the
 * catalog after an up+down would differ from the one before.
 *
 * The RENAME runs with legacy_alter_table=ON, and the engine runs schema
 * changes with foreign_keys=OFF: together they leave the REFERENCES clauses
 * of other tables (and their triggers) naming t, which exists again a
 * moment later.  Without legacy mode the RENAME would also re-check every
 * trigger of the schema against a t that is momentarily absent.
 */
int sra_xlate__emit_rebuild(xl_stmt *st, xl_table *t)
{
	const xl_table *old = sra_xlate__find_table(st->pOld, t->zName);
	char *tmp = sra__sprintf("_sra_old_%s", t->zName);
	sra_buf b = SRA_BUF_INIT, sel = SRA_BUF_INIT;
	size_t i, ncopy = 0;
	int error;

	defer_foreign_keys(st);
	sra_xlate__emitf(st, "PRAGMA legacy_alter_table=ON");
	sra_buf_puts(&b, "ALTER TABLE ");
	sra_xlate__ident(&b, t->zName);
	sra_buf_puts(&b, " RENAME TO ");
	sra_xlate__ident(&b, tmp);
	sra_xlate__emit(st, &b);
	sra_xlate__emitf(st, "PRAGMA legacy_alter_table=OFF");
	if ((error = sra_xlate__create_table_sql(&b, st->m, t, t->zName, false)) < 0)
		goto done;
	sra_xlate__emit(st, &b);

	/* copy: new columns are left out, so their DEFAULT fills them */
	sra_buf_puts(&b, "INSERT INTO ");
	sra_xlate__ident(&b, t->zName);
	sra_buf_puts(&b, " (");
	for (i = 0; i < t->nCol; i++) {
		xl_column *c = t->aCol[i];

		if (c->eSrc == XS_NEW || (c->eSrc == XS_SAME && (!old || !sra_xlate__find_column(old, c->zName))))
			continue;
		if (ncopy++ > 0) {
			sra_buf_puts(&b, ", ");
			sra_buf_puts(&sel, ", ");
		}
		sra_xlate__ident(&b, c->zName);
		if (c->eSrc == XS_EXPR)
			sra_buf_puts(&sel, c->zSrc);
		else
			sra_xlate__ident(&sel, c->zName);
	}
	if (ncopy == 0) {
		/* no column survives: still one row per old row */
		sra_buf_puts(&b, "rowid");
		sra_buf_puts(&sel, "rowid");
	}
	sra_buf_printf(&b, ") SELECT %s FROM ", sra_buf_cstr(&sel));
	sra_xlate__ident(&b, tmp);
	sra_xlate__emit(st, &b);

	/* the old table's indexes and triggers go with it */
	sra_buf_puts(&b, "DROP TABLE ");
	sra_xlate__ident(&b, tmp);
	sra_xlate__emit(st, &b);

	for (i = 0; i < st->m->nIdx; i++) {
		const xl_index *ix = st->m->aIdx[i];

		if (!ix->bSkipped && strcmp(ix->zTable, t->zName) == 0 &&
		    (error = sra_xlate__emit_index(st, ix, false)) < 0)
			goto done;
	}
	for (i = 0; i < st->m->nTrig; i++)
		if (strcmp(st->m->aTrig[i]->zTable, t->zName) == 0)
			sra_strv_push(&st->out, st->m->aTrig[i]->zSql);
done:
	for (i = 0; i < t->nCol; i++) {
		t->aCol[i]->eSrc = XS_SAME;
		free(t->aCol[i]->zSrc);
		t->aCol[i]->zSrc = NULL;
	}
	sra_buf_dispose(&b);
	sra_buf_dispose(&sel);
	free(tmp);
	return error;
}

/* rebuild every table of a list of names (each once) */
int sra_xlate__emit_rebuilds(xl_stmt *st, const sra_strv *tables)
{
	size_t i;
	int error;

	for (i = 0; i < tables->n; i++) {
		xl_table *t = sra_xlate__find_table(st->m, tables->v[i]);

		if (t && (error = sra_xlate__emit_rebuild(st, t)) < 0)
			return error;
	}
	return 0;
}

/* a name of PostgreSQL's relation namespace: a table, an index, or the index of a key */
bool sra_xlate__relation_exists(const xl_model *m, const char *name)
{
	size_t i;

	if (sra_xlate__find_table(m, name) || sra_xlate__find_index(m, name))
		return true;
	for (i = 0; i < m->nTab; i++) {
		const xl_constraint *c = sra_xlate__find_constraint(m->aTab[i], name);

		if (c && (c->eType == XC_PRIMARY || c->eType == XC_UNIQUE))
			return true;
	}
	return false;
}

void sra_xlate__add_once(sra_strv *sv, const char *s)
{
	if (sra_strv_find(sv, s) < 0)
		sra_strv_push(sv, s);
}

/* ---------------------------------------------------------------------
 * ALTER TABLE
 */

/* does an expression node use column `col`? */
static bool expr_uses(json_t *node, const char *col)
{
	sra_strv refs = SRA_STRV_INIT;
	bool hit;

	sra_xlate__column_refs(&refs, node);
	hit = sra_strv_find(&refs, col) >= 0;
	sra_strv_dispose(&refs);
	return hit;
}

static bool index_uses(const xl_index *ix, const char *col)
{
	size_t i;

	for (i = 0; i < ix->nKey; i++)
		if ((ix->aKey[i].zCol && strcmp(ix->aKey[i].zCol, col) == 0) ||
		    (ix->aKey[i].pExpr && expr_uses(ix->aKey[i].pExpr, col)))
			return true;
	return ix->pWhere && expr_uses(ix->pWhere, col);
}

static int drop_column(xl_stmt *st, xl_table *t, json_t *cmd, sra_strv *rebuild)
{
	const char *name = STR(cmd, "name");
	long at = sra_xlate__column_index(t, name);
	sra_strv one = SRA_STRV_INIT;
	size_t i;
	int error;

	if (at < 0) {
		if (BOOL(cmd, "missing_ok"))
			return 0;
		return sra_xlate__invalid("column \"%s\" of relation \"%s\" does not exist", name, t->zName);
	}
	if (t->nCol == 1)
		return sra_xlate__unsupported("dropping the last column of a table");
	/* what PostgreSQL drops with it: references first (CASCADE or refuse) */
	sra_strv_push(&one, name);
	{
		char *what = sra__sprintf("column %s of table %s", name, t->zName);

		error = sra_xlate__drop_referencing(st, t->zName, &one, IS(STR(cmd, "behavior"), "DROP_CASCADE"),
					 NULL, rebuild, what);
		free(what);
	}
	sra_strv_dispose(&one);
	if (error < 0)
		return error;
	for (i = 0; i < t->nCon; i++) {
		xl_constraint *c = t->aCon[i];

		if (sra_strv_find(&c->cols, name) >= 0 || (c->pExpr && expr_uses(c->pExpr, name))) {
			sra_xlate__constraint_free(c);
			XL_REMOVE(t->aCon, t->nCon, i);
			i--;
		}
	}
	for (i = 0; i < st->m->nIdx; i++) {
		xl_index *ix = st->m->aIdx[i];

		if (strcmp(ix->zTable, t->zName) == 0 && index_uses(ix, name)) {
			sra_xlate__index_free(ix);
			XL_REMOVE(st->m->aIdx, st->m->nIdx, i);
			i--;
		}
	}
	sra_xlate__column_free(t->aCol[at]);
	XL_REMOVE(t->aCol, t->nCol, (size_t)at);
	sra_xlate__add_once(rebuild, t->zName);
	return 0;
}

/*
 * ADD COLUMN: native ALTER TABLE … ADD COLUMN when SQLite allows it (no
 * PRIMARY KEY or UNIQUE, a literal or no DEFAULT, a REFERENCES column only
 * with a NULL default; SQLite checks NOT NULL and CHECK against existing rows,
 * as PostgreSQL does); otherwise the table is rebuilt.
 */
static int add_column(xl_stmt *st, xl_table *t, json_t *cmd, sra_strv *native, bool *needRebuild)
{
	json_t *cd;
	xl_constraint **pend = NULL;
	size_t npend = 0, i, first = t->nCon;
	xl_column *c;
	xl_ectx cx = { st->m, t, NULL };
	sra_buf b = SRA_BUF_INIT, def = SRA_BUF_INIT;
	bool ok = true;
	int error;

	NODE(GET(cmd, "def"), &cd);
	if (sra_xlate__find_column(t, STR(cd, "colname"))) {
		if (BOOL(cmd, "missing_ok"))
			return 0;
		return sra_xlate__invalid("column \"%s\" of relation \"%s\" already exists",
					  STR(cd, "colname"), t->zName);
	}
	if ((error = sra_xlate__column_from_def(&c, st, t, cd, &pend, &npend)) < 0) {
		for (i = 0; i < npend; i++)
			sra_xlate__constraint_free(pend[i]);
		free(pend);
		return error;
	}
	c->eSrc = XS_NEW;
	XL_PUSH(t->aCol, t->nCol, c);
	if ((error = sra_xlate__add_constraints(st, t, pend, npend)) < 0 ||
	    (error = sra_xlate__check_default(st, t, c)) < 0 || (error = sra_xlate__check_serials(t)) < 0)
		return error;

	if (c->pDefault && (error = sra_xlate__value(&def, &cx, c, c->pDefault)) < 0)
		goto done;
	if (c->pDefault && !sra_xlate__is_literal(sra_buf_cstr(&def)))
		ok = false;
	for (i = first; i < t->nCon; i++) {
		const xl_constraint *con = t->aCon[i];

		if (con->eType == XC_PRIMARY || con->eType == XC_UNIQUE || con->cols.n > 1)
			ok = false;
		if (con->eType == XC_FOREIGN && c->pDefault && strcmp(sra_buf_cstr(&def), "NULL") != 0)
			ok = false;
	}
	if (!ok || *needRebuild) {
		*needRebuild = true;
		goto done;
	}
	sra_buf_puts(&b, "ALTER TABLE ");
	sra_xlate__ident(&b, t->zName);
	sra_buf_puts(&b, " ADD COLUMN ");
	if ((error = sra_xlate__column_sql(&b, st->m, t, c)) < 0)
		goto done;
	for (i = first; i < t->nCon; i++) {
		sra_buf_putc(&b, ' ');
		if ((error = sra_xlate__constraint_sql(&b, st->m, t, t->aCon[i], true)) < 0)
			goto done;
	}
	sra_strv_push_owned(native, sra_buf_detach(&b));
done:
	sra_buf_dispose(&b);
	sra_buf_dispose(&def);
	return error;
}

static int alter_column_type(xl_stmt *st, xl_table *t, json_t *cmd)
{
	const char *name = STR(cmd, "name");
	xl_column *c = sra_xlate__find_column(t, name);
	const xl_table *old = sra_xlate__find_table(st->pOld, t->zName);
	json_t *cd;
	int error;

	if (!c)
		return sra_xlate__invalid("column \"%s\" of relation \"%s\" does not exist", name, t->zName);
	NODE(GET(cmd, "def"), &cd);
	if (GET(cd, "collClause"))
		return sra_xlate__unsupported("COLLATE on column \"%s\"", name);
	if ((error = sra_xlate__set_column_type(c, st->m, GET(cd, "typeName"))) < 0)
		return error;
	if (c->bSerial)
		return sra_xlate__unsupported("ALTER COLUMN %s TYPE serial", name);
	if (GET(cd, "raw_default")) {
		/* USING: an expression over the old row */
		xl_ectx cx = { st->m, old, NULL };
		sra_buf b = SRA_BUF_INIT;

		if (c->eSrc == XS_NEW)
			return sra_xlate__unsupported("ALTER COLUMN TYPE … USING on a column added by the same statement");
		if ((error = sra_xlate__value(&b, &cx, c, GET(cd, "raw_default"))) < 0) {
			sra_buf_dispose(&b);
			return error;
		}
		c->eSrc = XS_EXPR;
		free(c->zSrc);
		c->zSrc = sra_buf_detach(&b);
	}
	return sra_xlate__check_default(st, t, c);
}

static int drop_constraint(xl_stmt *st, xl_table *t, json_t *cmd, sra_strv *rebuild)
{
	const char *name = STR(cmd, "name");
	size_t i;
	int error;

	for (i = 0; i < t->nCon; i++) {
		xl_constraint *c = t->aCon[i];

		if (strcmp(c->zName, name) != 0)
			continue;
		if (c->eType == XC_PRIMARY || c->eType == XC_UNIQUE) {
			/* a foreign key of another table may stand on this key */
			size_t j, k;

			for (j = 0; j < st->m->nTab; j++) {
				xl_table *o = st->m->aTab[j];

				for (k = 0; k < o->nCon; k++) {
					xl_constraint *fk = o->aCon[k];

					if (fk->eType != XC_FOREIGN || strcmp(fk->zRefTable, t->zName) != 0 ||
					    !sra_xlate__same_name_set(&fk->refCols, &c->cols))
						continue;
					if (!IS(STR(cmd, "behavior"), "DROP_CASCADE"))
						return sra_xlate__invalid("cannot drop constraint %s on table %s "
									  "because constraint %s on table %s "
									  "depends on it", name, t->zName,
									  fk->zName, o->zName);
					sra_xlate__constraint_free(fk);
					XL_REMOVE(o->aCon, o->nCon, k);
					k--;
					sra_xlate__add_once(rebuild, o->zName);
				}
			}
		}
		sra_xlate__constraint_free(c);
		XL_REMOVE(t->aCon, t->nCon, i);
		sra_xlate__add_once(rebuild, t->zName);
		return 0;
	}
	if (BOOL(cmd, "missing_ok"))
		return 0;
	error = sra_xlate__invalid("constraint \"%s\" of relation \"%s\" does not exist", name, t->zName);
	return error;
}

int sra_xlate__alter_table(xl_stmt *st, json_t *f)
{
	json_t *cmds = LIST(f, "cmds");
	const char *name;
	xl_table *t;
	sra_strv native = SRA_STRV_INIT, rebuild = SRA_STRV_INIT;
	bool needRebuild = false;
	size_t i;
	int error = 0;

	if (!IS(STR(f, "objtype"), "OBJECT_TABLE"))
		return sra_xlate__unsupported("ALTER %s", STR(f, "objtype") ? STR(f, "objtype") + 7 : "?");
	if ((name = sra_xlate__relname(GET(f, "relation"), &error)) == NULL)
		return error;
	if ((t = sra_xlate__find_table(st->m, name)) == NULL) {
		if (BOOL(f, "missing_ok"))
			return 0;
		return sra_xlate__invalid("relation \"%s\" does not exist", name);
	}
	for (i = 0; i < json_array_size(cmds); i++) {
		json_t *cmd;
		const char *sub;
		xl_column *c;

		NODE(json_array_get(cmds, i), &cmd);
		sub = STR(cmd, "subtype");
		if (IS(sub, "AT_AddColumn")) {
			error = add_column(st, t, cmd, &native, &needRebuild);
		} else if (IS(sub, "AT_DropColumn")) {
			error = drop_column(st, t, cmd, &rebuild);
		} else if (IS(sub, "AT_SetNotNull") || IS(sub, "AT_DropNotNull")) {
			bool set = IS(sub, "AT_SetNotNull");
			const xl_constraint *pk = sra_xlate__primary_key(t);

			if ((c = sra_xlate__find_column(t, STR(cmd, "name"))) == NULL) {
				error = sra_xlate__invalid("column \"%s\" of relation \"%s\" does not exist",
							   STR(cmd, "name"), t->zName);
			} else if (!set && pk && sra_strv_find(&pk->cols, c->zName) >= 0) {
				error = sra_xlate__invalid("column \"%s\" is in a primary key", c->zName);
			} else if (c->notNull != set) {
				/* SET: the copy keeps NULLs, so a NULL row fails it, as in PostgreSQL */
				c->notNull = set;
				sra_xlate__add_once(&rebuild, t->zName);
			}
		} else if (IS(sub, "AT_ColumnDefault")) {
			json_t *def = GET(cmd, "def"), *df;

			if ((c = sra_xlate__find_column(t, STR(cmd, "name"))) == NULL) {
				error = sra_xlate__invalid("column \"%s\" of relation \"%s\" does not exist",
							   STR(cmd, "name"), t->zName);
			} else {
				if (def && IS(NODE(def, &df), "A_Const") && BOOL(df, "isnull"))
					def = NULL;
				if (!(def == NULL && c->pDefault == NULL) &&
				    !(def && c->pDefault && json_equal(def, c->pDefault))) {
					json_decref(c->pDefault);
					c->pDefault = json_incref(def);
					sra_xlate__add_once(&rebuild, t->zName);
					error = sra_xlate__check_default(st, t, c);
				}
			}
		} else if (IS(sub, "AT_AlterColumnType")) {
			error = alter_column_type(st, t, cmd);
			sra_xlate__add_once(&rebuild, t->zName);
		} else if (IS(sub, "AT_AddConstraint")) {
			json_t *cf;
			xl_constraint *con, **pend;

			NODE(GET(cmd, "def"), &cf);
			if ((error = sra_xlate__constraint_from_node(&con, cf, NULL)) == 0 && !con)
				error = sra_xlate__unsupported("ADD CONSTRAINT %s", STR(cf, "contype"));
			if (error == 0) {
				pend = sra__calloc(1, sizeof(*pend));
				pend[0] = con;
				error = sra_xlate__add_constraints(st, t, pend, 1);
				sra_xlate__add_once(&rebuild, t->zName);
			}
		} else if (IS(sub, "AT_DropConstraint")) {
			error = drop_constraint(st, t, cmd, &rebuild);
		} else if (IS(sub, "AT_ValidateConstraint")) {
			/* SQLite checks every row when the constraint arrives */
		} else {
			error = sra_xlate__unsupported("ALTER TABLE … %s", sub ? sub + 3 : "?");
		}
		if (error < 0)
			goto done;
	}
	if (needRebuild || rebuild.n > 0) {
		sra_xlate__add_once(&rebuild, t->zName);
		error = sra_xlate__emit_rebuilds(st, &rebuild);
	} else {
		for (i = 0; i < native.n; i++)
			sra_strv_push(&st->out, native.v[i]);
	}
done:
	sra_strv_dispose(&native);
	sra_strv_dispose(&rebuild);
	return error;
}
