/*
 * `sra db inspect`: a catalog (catalog.c) shown to people, like psql's \d,
 * and as JSON with the same content.
 */
#include "common.h"
#include "catalog_int.h"

#include <jansson.h>

/* ---- for people ------------------------------------------------------------------- */

static size_t max_sz(size_t a, size_t b)
{
	return a > b ? a : b;
}

static void pad(sra_buf *b, const char *s, size_t width)
{
	size_t n = strlen(s);

	sra_buf_puts(b, s);
	while (n++ < width)
		sra_buf_putc(b, ' ');
}

static void format_table(sra_buf *b, const cat_table *t)
{
	size_t wn = strlen("Column"), wt = strlen("Type"), wl = strlen("Nullable"), i;
	bool any;

	for (i = 0; i < t->ncols; i++) {
		wn = max_sz(wn, strlen(t->cols[i].name));
		wt = max_sz(wt, strlen(t->cols[i].type));
	}
	sra_buf_printf(b, "Table \"%s\"\n ", t->name);
	pad(b, "Column", wn);
	sra_buf_puts(b, " | ");
	pad(b, "Type", wt);
	sra_buf_puts(b, " | ");
	pad(b, "Nullable", wl);
	sra_buf_puts(b, " | Default\n");
	for (i = 0; i < wn + 2; i++)
		sra_buf_putc(b, '-');
	sra_buf_putc(b, '+');
	for (i = 0; i < wt + 2; i++)
		sra_buf_putc(b, '-');
	sra_buf_putc(b, '+');
	for (i = 0; i < wl + 2; i++)
		sra_buf_putc(b, '-');
	sra_buf_puts(b, "+---------\n");
	for (i = 0; i < t->ncols; i++) {
		const cat_column *c = &t->cols[i];
		sra_buf_putc(b, ' ');
		pad(b, c->name, wn);
		sra_buf_puts(b, " | ");
		pad(b, c->type, wt);
		sra_buf_puts(b, " | ");
		pad(b, c->nullable ? "" : "not null", wl);
		sra_buf_puts(b, " |");
		if (c->dflt)
			sra_buf_printf(b, " %s", c->dflt);
		sra_buf_putc(b, '\n');
	}

	/* Indexes: the primary key and UNIQUE constraints, then the indexes */
	any = false;
	for (i = 0; i < t->ncons; i++) {
		const cat_constraint *k = &t->cons[i];
		if (k->kind != 'p' && k->kind != 'u')
			continue;
		if (!any)
			sra_buf_puts(b, "Indexes:\n");
		any = true;
		sra_buf_printf(b, "    \"%s\" %s, btree (", k->name, k->kind == 'p' ? "PRIMARY KEY" : "UNIQUE CONSTRAINT");
		sra_catalog__join(b, &k->cols, ", ");
		sra_buf_puts(b, ")\n");
	}
	for (i = 0; i < t->nidx; i++) {
		const cat_index *ix = &t->idx[i];
		if (!any)
			sra_buf_puts(b, "Indexes:\n");
		any = true;
		sra_buf_printf(b, "    \"%s\" %s%s (", ix->name, ix->unique ? "UNIQUE, " : "", ix->method);
		sra_catalog__join(b, &ix->keys, ", ");
		sra_buf_putc(b, ')');
		if (ix->predicate)
			sra_buf_printf(b, " WHERE %s", ix->predicate);
		sra_buf_putc(b, '\n');
	}
	any = false;
	for (i = 0; i < t->ncons; i++) {
		const cat_constraint *k = &t->cons[i];
		if (k->kind != 'c')
			continue;
		if (!any)
			sra_buf_puts(b, "Check constraints:\n");
		any = true;
		sra_buf_printf(b, "    \"%s\" CHECK (%s)\n", k->name, k->expr);
	}
	any = false;
	for (i = 0; i < t->ncons; i++) {
		const cat_constraint *k = &t->cons[i];
		if (k->kind != 'f')
			continue;
		if (!any)
			sra_buf_puts(b, "Foreign-key constraints:\n");
		any = true;
		sra_buf_puts(b, "    ");
		if (*k->name)
			sra_buf_printf(b, "\"%s\" ", k->name);
		sra_buf_puts(b, "FOREIGN KEY (");
		sra_catalog__join(b, &k->cols, ", ");
		sra_buf_printf(b, ") REFERENCES %s(", k->ref_table);
		sra_catalog__join(b, &k->ref_cols, ", ");
		sra_buf_printf(b, ") ON DELETE %s", k->on_delete);
		if (strcmp(k->on_update, "NO ACTION") != 0)
			sra_buf_printf(b, " ON UPDATE %s", k->on_update);
		sra_buf_putc(b, '\n');
	}
	if (t->ntrg)
		sra_buf_puts(b, "Triggers:\n");
	for (i = 0; i < t->ntrg; i++) {
		const cat_trigger *tr = &t->trg[i];
		/* PostgreSQL's definition is one line (… EXECUTE FUNCTION f()); SQLite's has a body */
		if (strncmp(tr->def, tr->timing, strlen(tr->timing)) == 0 && !strstr(tr->def, " BEGIN "))
			sra_buf_printf(b, "    %s %s\n", tr->name, tr->def);
		else
			sra_buf_printf(b, "    %s %s %s ON %s\n", tr->name, tr->timing, tr->events, t->name);
	}
}

int sra_catalog_format(char **out, const sra_catalog *c, const char *table)
{
	sra_buf b = SRA_BUF_INIT;
	size_t i;

	SRA_ASSERT_ARG(out && c);
	if (table) {
		const cat_table *t = sra_catalog__find_table(c, table);
		if (!t)
			return sra_error_set(SRA_ERROR_DB, SRA_ENOTFOUND, "no table '%s'", table);
		format_table(&b, t);
	} else {
		size_t w = strlen("Table");
		for (i = 0; i < c->ntables; i++)
			w = max_sz(w, strlen(c->tables[i].name));
		sra_buf_puts(&b, "List of tables\n ");
		pad(&b, "Table", w);
		sra_buf_puts(&b, " | Columns | Indexes | Foreign keys\n");
		for (i = 0; i < w + 2; i++)
			sra_buf_putc(&b, '-');
		sra_buf_puts(&b, "+---------+---------+-------------\n");
		for (i = 0; i < c->ntables; i++) {
			const cat_table *t = &c->tables[i];
			size_t k, nfk = 0;
			for (k = 0; k < t->ncons; k++)
				nfk += t->cons[k].kind == 'f';
			sra_buf_putc(&b, ' ');
			pad(&b, t->name, w);
			sra_buf_printf(&b, " | %7zu | %7zu | %zu\n", t->ncols, t->nidx, nfk);
		}
		sra_buf_printf(&b, "(%zu table%s)\n", c->ntables, c->ntables == 1 ? "" : "s");
		if (c->nenums)
			sra_buf_puts(&b, "\nEnum types:\n");
		for (i = 0; i < c->nenums; i++) {
			sra_buf_printf(&b, "    %s: ", c->enums[i].name);
			sra_catalog__join(&b, &c->enums[i].labels, ", ");
			sra_buf_putc(&b, '\n');
		}
	}
	sra_buf_puts(&b, "");
	*out = sra_buf_detach(&b);
	return 0;
}

/* ---- JSON -------------------------------------------------------------------------- */

static json_t *strv_json(const sra_strv *v)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < v->n; i++)
		json_array_append_new(a, json_string(v->v[i]));
	return a;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *table_json(const cat_table *t)
{
	json_t *j = json_object(), *cols = json_array(), *fks = json_array(), *uniq = json_array();
	json_t *checks = json_array(), *idx = json_array(), *trg = json_array(), *pk = json_null();
	size_t i;

	json_object_set_new(j, "name", json_string(t->name));
	for (i = 0; i < t->ncols; i++) {
		json_t *c = json_object();
		json_object_set_new(c, "name", json_string(t->cols[i].name));
		json_object_set_new(c, "type", json_string(t->cols[i].type));
		json_object_set_new(c, "nullable", json_boolean(t->cols[i].nullable));
		json_object_set_new(c, "default", str_or_null(t->cols[i].dflt));
		json_array_append_new(cols, c);
	}
	for (i = 0; i < t->ncons; i++) {
		const cat_constraint *k = &t->cons[i];
		json_t *o = json_object();
		json_object_set_new(o, "name", *k->name ? json_string(k->name) : json_null());
		switch (k->kind) {
		case 'p':
			json_object_set_new(o, "columns", strv_json(&k->cols));
			json_decref(pk);
			pk = o;
			break;
		case 'u':
			json_object_set_new(o, "columns", strv_json(&k->cols));
			json_array_append_new(uniq, o);
			break;
		case 'f': {
			json_t *ref = json_object();
			json_object_set_new(o, "columns", strv_json(&k->cols));
			json_object_set_new(ref, "table", json_string(k->ref_table));
			json_object_set_new(ref, "columns", strv_json(&k->ref_cols));
			json_object_set_new(o, "references", ref);
			json_object_set_new(o, "on_delete", json_string(k->on_delete));
			json_object_set_new(o, "on_update", json_string(k->on_update));
			json_array_append_new(fks, o);
			break;
		}
		default:
			json_object_set_new(o, "expression", json_string(k->expr));
			json_array_append_new(checks, o);
		}
	}
	for (i = 0; i < t->nidx; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(t->idx[i].name));
		json_object_set_new(o, "method", json_string(t->idx[i].method));
		json_object_set_new(o, "columns", strv_json(&t->idx[i].keys));
		json_object_set_new(o, "unique", json_boolean(t->idx[i].unique));
		json_object_set_new(o, "predicate", str_or_null(t->idx[i].predicate));
		json_array_append_new(idx, o);
	}
	for (i = 0; i < t->ntrg; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(t->trg[i].name));
		json_object_set_new(o, "timing", json_string(t->trg[i].timing));
		json_object_set_new(o, "events", json_string(t->trg[i].events));
		json_object_set_new(o, "definition", json_string(t->trg[i].def));
		json_array_append_new(trg, o);
	}
	json_object_set_new(j, "columns", cols);
	json_object_set_new(j, "primary_key", pk);
	json_object_set_new(j, "foreign_keys", fks);
	json_object_set_new(j, "unique_constraints", uniq);
	json_object_set_new(j, "indexes", idx);
	json_object_set_new(j, "checks", checks);
	json_object_set_new(j, "triggers", trg);
	return j;
}

int sra_catalog_to_json(char **out, const sra_catalog *c, const char *table)
{
	json_t *j;
	size_t i;

	SRA_ASSERT_ARG(out && c);
	if (table) {
		const cat_table *t = sra_catalog__find_table(c, table);
		if (!t)
			return sra_error_set(SRA_ERROR_DB, SRA_ENOTFOUND, "no table '%s'", table);
		j = table_json(t);
	} else {
		json_t *tables = json_array(), *enums = json_array();
		j = json_object();
		json_object_set_new(j, "dialect", json_string(c->dialect));
		for (i = 0; i < c->ntables; i++)
			json_array_append_new(tables, table_json(&c->tables[i]));
		for (i = 0; i < c->nenums; i++) {
			json_t *e = json_object();
			json_object_set_new(e, "name", json_string(c->enums[i].name));
			json_object_set_new(e, "labels", strv_json(&c->enums[i].labels));
			json_array_append_new(enums, e);
		}
		json_object_set_new(j, "tables", tables);
		json_object_set_new(j, "enums", enums);
	}
	*out = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!*out)
		return sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot serialise the catalog as JSON");
	return 0;
}
