/*
 * The schema model of the SQLite translator (see sqlite_translate_int.h):
 * enum types, tables with their columns and named constraints, indexes and
 * triggers; deep copies (a statement works on a copy, so a failure leaves the
 * model as it was); PostgreSQL's rules for the names of unnamed constraints,
 * so that a later DROP CONSTRAINT "<table>_<col>_fkey" finds them.  It
 * depends on no other file of the translator; sqlite_translate_sql.c
 * renders it as SQLite text.
 */
#include "common.h"
#include "sqlite_translate_int.h"

#include <stdio.h>

/* PostgreSQL's NAMEDATALEN - 1: the longest identifier */
#define PG_NAME_MAX 63

/* ---------------------------------------------------------------------
 * Pointer arrays
 */

void *sra_xlate__grow(void *a, size_t n, size_t size)
{
	/* to write a[n]: reached n = 0, 4, 8, 16 … only through here */
	if (n == 0)
		return sra__realloc(a, 4 * size);
	if (n >= 4 && (n & (n - 1)) == 0)
		return sra__realloc(a, 2 * n * size);
	return a;
}

static void strv_copy(sra_strv *dst, const sra_strv *src)
{
	size_t i;

	*dst = (sra_strv)SRA_STRV_INIT;
	for (i = 0; i < src->n; i++)
		sra_strv_push(dst, src->v[i]);
}

/* ---------------------------------------------------------------------
 * Freeing and copying
 */

void sra_xlate__column_free(xl_column *c)
{
	if (!c)
		return;
	free(c->zName);
	free(c->zPgType);
	free(c->zEnum);
	free(c->zCheckName);
	json_decref(c->pDefault);
	free(c->zSrc);
	free(c);
}

void sra_xlate__constraint_free(xl_constraint *c)
{
	if (!c)
		return;
	free(c->zName);
	sra_strv_dispose(&c->cols);
	json_decref(c->pExpr);
	free(c->zRefTable);
	sra_strv_dispose(&c->refCols);
	free(c);
}

void sra_xlate__table_free(xl_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nCol; i++)
		sra_xlate__column_free(t->aCol[i]);
	for (i = 0; i < t->nCon; i++)
		sra_xlate__constraint_free(t->aCon[i]);
	free(t->aCol);
	free(t->aCon);
	free(t->zName);
	free(t);
}

void sra_xlate__index_free(xl_index *ix)
{
	size_t i;

	if (!ix)
		return;
	for (i = 0; i < ix->nKey; i++) {
		free(ix->aKey[i].zCol);
		json_decref(ix->aKey[i].pExpr);
	}
	free(ix->aKey);
	json_decref(ix->pWhere);
	free(ix->zSql);
	free(ix->zName);
	free(ix->zTable);
	free(ix->zMethod);
	free(ix);
}

void sra_xlate__trigger_free(xl_trigger *tr)
{
	if (!tr)
		return;
	free(tr->zName);
	free(tr->zTable);
	free(tr->zSql);
	free(tr);
}

void sra_xlate__enum_free(xl_enum *e)
{
	if (!e)
		return;
	free(e->zName);
	sra_strv_dispose(&e->labels);
	free(e);
}

void sra_xlate__model_dispose(xl_model *m)
{
	size_t i;

	for (i = 0; i < m->nEnum; i++)
		sra_xlate__enum_free(m->aEnum[i]);
	for (i = 0; i < m->nTab; i++)
		sra_xlate__table_free(m->aTab[i]);
	for (i = 0; i < m->nIdx; i++)
		sra_xlate__index_free(m->aIdx[i]);
	for (i = 0; i < m->nTrig; i++)
		sra_xlate__trigger_free(m->aTrig[i]);
	free(m->aEnum);
	free(m->aTab);
	free(m->aIdx);
	free(m->aTrig);
	memset(m, 0, sizeof(*m));
}

static xl_column *column_copy(const xl_column *s)
{
	xl_column *c = sra__calloc(1, sizeof(*c));

	*c = *s;
	c->zName = sra__strdup(s->zName);
	c->zPgType = sra__strdup(s->zPgType);
	c->zEnum = sra__strdup(s->zEnum);
	c->zCheckName = sra__strdup(s->zCheckName);
	c->pDefault = json_incref(s->pDefault);
	c->zSrc = sra__strdup(s->zSrc);
	return c;
}

static xl_constraint *constraint_copy(const xl_constraint *s)
{
	xl_constraint *c = sra__calloc(1, sizeof(*c));

	*c = *s;
	c->zName = sra__strdup(s->zName);
	strv_copy(&c->cols, &s->cols);
	c->pExpr = json_incref(s->pExpr);
	c->zRefTable = sra__strdup(s->zRefTable);
	strv_copy(&c->refCols, &s->refCols);
	return c;
}

xl_table *sra_xlate__table_copy(const xl_table *s)
{
	xl_table *t = sra__calloc(1, sizeof(*t));
	size_t i;

	t->zName = sra__strdup(s->zName);
	for (i = 0; i < s->nCol; i++)
		XL_PUSH(t->aCol, t->nCol, column_copy(s->aCol[i]));
	for (i = 0; i < s->nCon; i++)
		XL_PUSH(t->aCon, t->nCon, constraint_copy(s->aCon[i]));
	return t;
}

static xl_index *index_copy(const xl_index *s)
{
	xl_index *ix = sra__calloc(1, sizeof(*ix));
	size_t i;

	*ix = *s;
	ix->zName = sra__strdup(s->zName);
	ix->zTable = sra__strdup(s->zTable);
	ix->zMethod = sra__strdup(s->zMethod);
	ix->aKey = sra__calloc(s->nKey ? s->nKey : 1, sizeof(xl_idxkey));
	for (i = 0; i < s->nKey; i++) {
		ix->aKey[i].zCol = sra__strdup(s->aKey[i].zCol);
		ix->aKey[i].pExpr = json_incref(s->aKey[i].pExpr);
		ix->aKey[i].bDesc = s->aKey[i].bDesc;
	}
	ix->pWhere = json_incref(s->pWhere);
	ix->zSql = sra__strdup(s->zSql);
	return ix;
}

static xl_trigger *trigger_copy(const xl_trigger *s)
{
	xl_trigger *tr = sra__calloc(1, sizeof(*tr));

	tr->zName = sra__strdup(s->zName);
	tr->zTable = sra__strdup(s->zTable);
	tr->zSql = sra__strdup(s->zSql);
	return tr;
}

static xl_enum *enum_copy(const xl_enum *s)
{
	xl_enum *e = sra__calloc(1, sizeof(*e));

	e->zName = sra__strdup(s->zName);
	strv_copy(&e->labels, &s->labels);
	return e;
}

void sra_xlate__model_copy(xl_model *dst, const xl_model *src)
{
	size_t i;

	memset(dst, 0, sizeof(*dst));
	for (i = 0; i < src->nEnum; i++)
		XL_PUSH(dst->aEnum, dst->nEnum, enum_copy(src->aEnum[i]));
	for (i = 0; i < src->nTab; i++)
		XL_PUSH(dst->aTab, dst->nTab, sra_xlate__table_copy(src->aTab[i]));
	for (i = 0; i < src->nIdx; i++)
		XL_PUSH(dst->aIdx, dst->nIdx, index_copy(src->aIdx[i]));
	for (i = 0; i < src->nTrig; i++)
		XL_PUSH(dst->aTrig, dst->nTrig, trigger_copy(src->aTrig[i]));
}

/* ---------------------------------------------------------------------
 * Look-ups.  Names compare exactly: the parser has already folded unquoted
 * identifiers to lower case, as PostgreSQL does.
 */

xl_enum *sra_xlate__find_enum(const xl_model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nEnum; i++)
		if (strcmp(m->aEnum[i]->zName, name) == 0)
			return m->aEnum[i];
	return NULL;
}

xl_table *sra_xlate__find_table(const xl_model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nTab; i++)
		if (strcmp(m->aTab[i]->zName, name) == 0)
			return m->aTab[i];
	return NULL;
}

long sra_xlate__column_index(const xl_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nCol; i++)
		if (strcmp(t->aCol[i]->zName, name) == 0)
			return (long)i;
	return -1;
}

xl_column *sra_xlate__find_column(const xl_table *t, const char *name)
{
	long i = sra_xlate__column_index(t, name);

	return i < 0 ? NULL : t->aCol[i];
}

xl_constraint *sra_xlate__find_constraint(const xl_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nCon; i++)
		if (strcmp(t->aCon[i]->zName, name) == 0)
			return t->aCon[i];
	return NULL;
}

xl_constraint *sra_xlate__primary_key(const xl_table *t)
{
	size_t i;

	for (i = 0; i < t->nCon; i++)
		if (t->aCon[i]->eType == XC_PRIMARY)
			return t->aCon[i];
	return NULL;
}

xl_index *sra_xlate__find_index(const xl_model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nIdx; i++)
		if (strcmp(m->aIdx[i]->zName, name) == 0)
			return m->aIdx[i];
	return NULL;
}

long sra_xlate__trigger_index(const xl_model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nTrig; i++)
		if (strcmp(m->aTrig[i]->zName, name) == 0)
			return (long)i;
	return -1;
}

/* ---------------------------------------------------------------------
 * PostgreSQL's names for unnamed constraints and indexes
 * (src/backend/commands/indexcmds.c and catalog/pg_constraint.c)
 */

/* makeObjectName(): name1_name2_label, the longer name cut first */
static char *make_object_name(const char *name1, const char *name2, const char *label)
{
	size_t n1 = strlen(name1), n2 = name2 ? strlen(name2) : 0;
	size_t overhead = (name2 ? 1 : 0) + (label ? strlen(label) + 1 : 0);
	size_t avail = PG_NAME_MAX - overhead;
	sra_buf b = SRA_BUF_INIT;

	while (n1 + n2 > avail) {
		if (n1 > n2)
			n1--;
		else
			n2--;
	}
	n1 = sra__utf8_cut(name1, n1);
	if (name2)
		n2 = sra__utf8_cut(name2, n2);
	sra_buf_put(&b, name1, n1);
	if (name2) {
		sra_buf_putc(&b, '_');
		sra_buf_put(&b, name2, n2);
	}
	if (label) {
		sra_buf_putc(&b, '_');
		sra_buf_puts(&b, label);
	}
	return sra_buf_detach(&b);
}

static bool name_used(const xl_model *m, const char *name, bool relation)
{
	size_t i, j;

	for (i = 0; i < m->nTab; i++) {
		if (relation && strcmp(m->aTab[i]->zName, name) == 0)
			return true;
		for (j = 0; j < m->aTab[i]->nCon; j++)
			if (strcmp(m->aTab[i]->aCon[j]->zName, name) == 0)
				return true;
	}
	if (relation && sra_xlate__find_index(m, name))
		return true;
	return false;
}

char *sra_xlate__choose_name(const xl_model *m, const char *name1, const char *name2,
			     const char *label, bool relation)
{
	char modlabel[PG_NAME_MAX + 1];
	int pass = 0;

	snprintf(modlabel, sizeof(modlabel), "%s", label);
	for (;;) {
		char *name = make_object_name(name1, name2, modlabel);

		if (!name_used(m, name, relation))
			return name;
		free(name);
		snprintf(modlabel, sizeof(modlabel), "%s%d", label, ++pass);
	}
}

char *sra_xlate__join_names(const sra_strv *names)
{
	sra_buf b = SRA_BUF_INIT;
	size_t i;

	for (i = 0; i < names->n; i++) {
		size_t len = strlen(names->v[i]);

		if (i > 0)
			sra_buf_putc(&b, '_');
		sra_buf_put(&b, names->v[i], len > PG_NAME_MAX ? PG_NAME_MAX : len);
		if (b.size >= PG_NAME_MAX + 1)
			break;
	}
	return sra_buf_detach(&b);
}
