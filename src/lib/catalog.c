/*
 * The catalog model (sra_catalog): its memory, the helpers both readers
 * share, sorting, sra_catalog_read, and the comparison of two models into
 * one line per difference.  The readers are catalog_pg.c and
 * catalog_sqlite.c (SQLite's vdbeaux.c split: one file per seam);
 * inspect.c shows a model to people and as JSON.
 */
#include "common.h"
#include "db_int.h"
#include "catalog_int.h"

#include <ctype.h>
#include <strings.h>

/* ---- the model ------------------------------------------------------------ */

/* a zeroed new slot at the end of arr[0..*n), growing *cap */
void *sra_catalog__push(void *arrp, size_t *n, size_t *cap, size_t size)
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


void sra_catalog__constraint_dispose(cat_constraint *k)
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
		sra_catalog__constraint_dispose(&t->cons[i]);
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
cat_table *sra_catalog__table_for(sra_catalog *c, const char *name)
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

char *sra_catalog__dup_or_null(const char *s)
{
	return s ? sra__strdup(s) : NULL;
}

bool sra_catalog__truthy(const char *v)
{
	return v && (strcmp(v, "t") == 0 || strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

/* split s at the separator into `out` (nothing for NULL or "") */
void sra_catalog__split_sep(sra_strv *out, const char *s, char sep)
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
char *sra_catalog__norm_ws(const char *s, size_t n)
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
const char *sra_catalog__match_paren(const char *s)
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
void sra_catalog__split_list(sra_strv *out, const char *s, size_t n)
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
			sra_strv_push_owned(out, sra_catalog__norm_ws(start, (size_t)(p - start)));
			start = p + 1;
		}
		p++;
	}
	if (p > end)
		p = end;
	if (p > start)
		sra_strv_push_owned(out, sra_catalog__norm_ws(start, (size_t)(p - start)));
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
		error = sra_catalog__read_pg(c, db, schema);
	else
		error = sra_catalog__read_sqlite(c, db);
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

