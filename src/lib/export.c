/*
 * This file holds the items of a benchmark run and its exports: the items
 * as a table, JSON or CSV (streamed row by row through query_each, so a
 * million items need no more memory than one), and the summary of a run as
 * CSV or JSON; sra_benchmark_export_file() writes any of them atomically.
 *
 * Items CSV (benchmark.md): search_result_source_id, title, human_decision,
 * conservative_decision, conservative_confidence, comprehensive_decision,
 * comprehensive_confidence, resolver_decision, resolver_confidence,
 * final_decision, classification.  human_decision is `include`, `exclude`
 * or empty (unknown); a missing decision or confidence is empty.  Fields are
 * quoted when they hold a comma, a quote, CR or LF (quotes doubled); records
 * end with CRLF (RFC 4180).  Nothing is shortened.
 */
#include "benchmark_int.h"
#include "metrics_int.h"

#include <errno.h>
#include <strings.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- output --------------------------------------------------------------- */

#define OUT_CHUNK (64 * 1024)

int sra_bm__out_flush(sra_bm_out *o)
{
	if (!o->error && o->buf.size) {
		int rc = o->write(o->payload, o->buf.ptr, o->buf.size);

		if (rc)
			o->error = rc < 0 ? rc : SRA_EUSER;
	}
	sra_buf_clear(&o->buf);
	return o->error;
}

void sra_bm__out_put(sra_bm_out *o, const char *s, size_t len)
{
	sra_buf_put(&o->buf, s, len);
	if (o->buf.size >= OUT_CHUNK)
		sra_bm__out_flush(o);
}

void sra_bm__out_puts(sra_bm_out *o, const char *s)
{
	sra_bm__out_put(o, s, strlen(s));
}

void sra_bm__out_dispose(sra_bm_out *o)
{
	sra_buf_dispose(&o->buf);
}

void sra_bm__put_csv_field(sra_buf *b, const char *s)
{
	if (!s)
		return;
	if (!s[strcspn(s, ",\"\r\n")]) {
		sra_buf_puts(b, s);
		return;
	}
	sra_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			sra_buf_putc(b, '"');
		sra_buf_putc(b, *s);
	}
	sra_buf_putc(b, '"');
}

/* ---- items ---------------------------------------------------------------- */

enum {
	IT_SOURCE, IT_TITLE, IT_HUMAN, IT_CD, IT_CC, IT_MD, IT_MC, IT_RD, IT_RC, IT_FINAL, IT_CLASS,
	IT_NCOLS
};

static const char *const item_headers[IT_NCOLS] = {
	"search_result_source_id", "title", "human_decision", "conservative_decision",
	"conservative_confidence", "comprehensive_decision", "comprehensive_confidence",
	"resolver_decision", "resolver_confidence", "final_decision", "classification"
};

typedef struct {
	sra_bm_out out;
	sra_benchmark_format fmt;
	int64_t n;
	sra_buf line;
} items_ctx;

static const char *human_word(const char *cell)
{
	int h = sra_bm__bool_cell(cell);

	return h < 0 ? NULL : h ? "include" : "exclude";
}

/* a confidence as the shortest text that reads back as the stored double */
static void put_number_cell(sra_buf *b, const char *cell)
{
	char *end;
	double v;

	if (!cell)
		return;
	v = strtod(cell, &end);
	if (*end || !isfinite(v))
		sra_buf_puts(b, cell);
	else
		sra_bm__put_double(b, v);
}

/* a decision shortened for the table */
static const char *short_decision(const char *d)
{
	if (!d)
		return "-";
	if (strcmp(d, "include") == 0)
		return "inc";
	if (strcmp(d, "exclude") == 0)
		return "exc";
	return "unc";
}

static int item_cb(void *payload, size_t ncols, const char *const *cells)
{
	items_ctx *c = payload;
	sra_buf *l = &c->line;
	size_t i;

	if (ncols < IT_NCOLS)
		return sra_error_set(SRA_ERROR_BENCHMARK, SRA_EBACKEND, "unexpected item row");
	sra_buf_clear(l);
	switch (c->fmt) {
	case SRA_BENCHMARK_CSV:
		for (i = 0; i < IT_NCOLS; i++) {
			if (i)
				sra_buf_putc(l, ',');
			if (i == IT_HUMAN)
				sra_bm__put_csv_field(l, human_word(cells[i]));
			else if (i == IT_CC || i == IT_MC || i == IT_RC)
				put_number_cell(l, cells[i]);
			else
				sra_bm__put_csv_field(l, cells[i]);
		}
		sra_buf_puts(l, "\r\n");
		break;
	case SRA_BENCHMARK_JSON: {
		json_t *o = json_object();
		char *s;
		int h = sra_bm__bool_cell(cells[IT_HUMAN]);

		for (i = 0; i < IT_NCOLS; i++) {
			json_t *v;

			if (i == IT_HUMAN)
				v = h < 0 ? json_null() : json_boolean(h);
			else if (i == IT_CC || i == IT_MC || i == IT_RC)
				v = sra_bm__num_json(cells[i]);
			else
				v = cells[i] ? json_string(cells[i]) : json_null();
			json_object_set_new(o, item_headers[i], v);
		}
		s = json_dumps(o, JSON_COMPACT | SRA_BM_JSON_FLAGS);
		json_decref(o);
		if (!s)
			return sra_error_set(SRA_ERROR_BENCHMARK, SRA_ERROR, "cannot encode an item");
		sra_buf_puts(l, c->n ? ",\n  " : "\n  ");
		sra_buf_puts(l, s);
		free(s);
		break;
	}
	default: {
		size_t at = l->size;

		/* 20 + 1 + 3 + 1 + 3 + 1 + 3 + 1 + 3 + 1 + 3 + 1 + 7 + 1 = 49; title 30 */
		sra_buf_put_clipped(l, cells[IT_SOURCE], 20);
		while (l->size - at < 20)
			sra_buf_putc(l, ' ');
		sra_buf_printf(l, " %-3s %-3s %-3s %-3s %-3s %-7s ",
			       cells[IT_HUMAN] ? (sra_bm__bool_cell(cells[IT_HUMAN]) ? "inc" : "exc") : "?",
			       short_decision(cells[IT_CD]), short_decision(cells[IT_MD]),
			       short_decision(cells[IT_RD]), short_decision(cells[IT_FINAL]),
			       cells[IT_CLASS]);
		sra_buf_put_clipped(l, cells[IT_TITLE], 30);
		while (l->size && l->ptr[l->size - 1] == ' ')
			sra_buf_truncate(l, l->size - 1);
		sra_buf_putc(l, '\n');
		break;
	}
	}
	c->n++;
	sra_bm__out_put(&c->out, l->ptr, l->size);
	return c->out.error;
}

int sra_benchmark_parse_classes(unsigned int *out, const char *list)
{
	static const char *const names[5] = { "TP", "FP", "FN", "TN", "UNKNOWN" };
	unsigned int bits = 0;
	const char *p = list;

	SRA_ASSERT_ARG(out && list);
	while (*p) {
		size_t n = strcspn(p, ","), k;

		for (k = 0; k < 5; k++)
			if (strlen(names[k]) == n && strncasecmp(p, names[k], n) == 0)
				break;
		if (k == 5)
			return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
				"unknown classification '%.*s' (TP, FP, FN, TN or UNKNOWN)", (int)n, p);
		bits |= 1u << k;
		p += n;
		if (*p == ',')
			p++;
	}
	if (!bits)
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "no classification given");
	*out = bits;
	return 0;
}

int sra_benchmark_items(sra_db *db, const char *run, unsigned int classes,
			sra_benchmark_format fmt, sra_benchmark_write_fn write, void *payload)
{
	static const char *const names[5] = { "TP", "FP", "FN", "TN", "UNKNOWN" };
	items_ctx c;
	sra_buf sql = SRA_BUF_INIT;
	sra_value p[1];
	char *id = NULL;
	int pg = sra_db__is_pg(db), error, k, first = 1;

	SRA_ASSERT_ARG(db && run && write);
	memset(&c, 0, sizeof(c));
	c.out.write = write;
	c.out.payload = payload;
	c.fmt = fmt;
	if ((error = sra_benchmark_find(&id, db, run)) < 0)
		goto done;
	sra_buf_puts(&sql,
		"SELECT sr.source_id, sr.title, i.human_decision, i.conservative_decision,"
		" i.conservative_confidence, i.comprehensive_decision, i.comprehensive_confidence,"
		" i.resolver_decision, i.resolver_confidence, i.final_decision, i.classification"
		" FROM benchmark_result_items i JOIN search_results sr ON sr.id = i.search_result_id");
	sra_buf_puts(&sql, pg ? " WHERE i.benchmark_run_id = CAST($1 AS uuid)"
			      : " WHERE i.benchmark_run_id = $1");
	if (classes && (classes & 0x1f) != 0x1f) {
		sra_buf_puts(&sql, " AND i.classification IN (");
		for (k = 0; k < 5; k++)
			if (classes & (1u << k)) {
				sra_buf_printf(&sql, "%s'%s'", first ? "" : ", ", names[k]);
				first = 0;
			}
		sra_buf_putc(&sql, ')');
	}
	sra_buf_puts(&sql, " ORDER BY sr.source_id, sr.id");
	p[0] = SRA_VAL_TEXT(id);

	switch (fmt) {
	case SRA_BENCHMARK_CSV:
		for (k = 0; k < IT_NCOLS; k++) {
			if (k)
				sra_bm__out_puts(&c.out, ",");
			sra_bm__out_puts(&c.out, item_headers[k]);
		}
		sra_bm__out_puts(&c.out, "\r\n");
		break;
	case SRA_BENCHMARK_JSON:
		sra_bm__out_puts(&c.out, "[");
		break;
	default:
		sra_bm__out_puts(&c.out, "SOURCE ID            HUM CON COM RES FIN CLASS   TITLE\n");
		break;
	}
	if ((error = sra_db__query_each(db, sra_buf_cstr(&sql), p, 1, item_cb, &c)) < 0)
		goto done;
	if (fmt == SRA_BENCHMARK_JSON)
		sra_bm__out_puts(&c.out, c.n ? "\n]\n" : "]\n");
	error = sra_bm__out_flush(&c.out);
done:
	if (error > 0)
		error = SRA_EUSER;
	sra_bm__out_dispose(&c.out);
	sra_buf_dispose(&c.line);
	sra_buf_dispose(&sql);
	free(id);
	return error;
}

/* ---- summary -------------------------------------------------------------- */

static void put_csv_number(sra_buf *b, double v, int defined)
{
	if (defined && isfinite(v))
		sra_bm__put_double(b, v);
}

static int export_summary(sra_db *db, const char *run, sra_benchmark_format fmt, sra_bm_out *o)
{
	sra_rows *rows = NULL;
	json_t *detail = NULL;
	sra_buf b = SRA_BUF_INIT;
	sra_confusion c = { 0, 0, 0, 0 };
	sra_metrics m;
	const sra_metric *mm;
	const char *name;
	size_t i;
	int error;

	if ((error = sra_bm__load_run(&rows, db, run)) < 0)
		return error;
	detail = sra_rows_get(rows, 0, BM_RUN_DETAIL)
		? json_loads(sra_rows_get(rows, 0, BM_RUN_DETAIL), 0, NULL) : NULL;
	if (fmt == SRA_BENCHMARK_JSON) {
		json_t *j = json_object();
		char *s;

		json_object_set_new(j, "run_id", json_string(sra_rows_get(rows, 0, BM_RUN_ID)));
		json_object_set_new(j, "uncertain_policy", sra_rows_get(rows, 0, BM_RUN_POLICY)
				    ? json_string(sra_rows_get(rows, 0, BM_RUN_POLICY)) : json_null());
		if (detail)
			json_object_update(j, detail);
		s = json_dumps(j, JSON_INDENT(2) | SRA_BM_JSON_FLAGS);
		json_decref(j);
		if (!s) {
			error = sra_error_set(SRA_ERROR_BENCHMARK, SRA_ERROR, "cannot encode the summary");
			goto done;
		}
		sra_bm__out_puts(o, s);
		sra_bm__out_puts(o, "\n");
		free(s);
		goto done;
	}
	/* CSV: the counts, then every metric of the final decision */
	{
		const json_t *fc = json_object_get(json_object_get(detail, "final"), "counts");

		if (json_is_object(fc)) {
			c.tp = json_integer_value(json_object_get(fc, "tp"));
			c.fp = json_integer_value(json_object_get(fc, "fp"));
			c.fn = json_integer_value(json_object_get(fc, "fn"));
			c.tn = json_integer_value(json_object_get(fc, "tn"));
		} else {
			c.tp = strtoll(sra_rows_get(rows, 0, BM_RUN_TP) ? sra_rows_get(rows, 0, BM_RUN_TP) : "0", NULL, 10);
			c.fp = strtoll(sra_rows_get(rows, 0, BM_RUN_FP) ? sra_rows_get(rows, 0, BM_RUN_FP) : "0", NULL, 10);
			c.fn = strtoll(sra_rows_get(rows, 0, BM_RUN_FN) ? sra_rows_get(rows, 0, BM_RUN_FN) : "0", NULL, 10);
			c.tn = strtoll(sra_rows_get(rows, 0, BM_RUN_TN) ? sra_rows_get(rows, 0, BM_RUN_TN) : "0", NULL, 10);
		}
	}
	if ((error = sra_metrics_compute(&m, &c)) < 0)
		goto done;
	sra_buf_puts(&b, "metric,value,ci_low,ci_high\r\n");
	sra_buf_printf(&b, "tp,%lld,,\r\nfp,%lld,,\r\nfn,%lld,,\r\ntn,%lld,,\r\nn,%lld,,\r\n",
		       (long long)c.tp, (long long)c.fp, (long long)c.fn, (long long)c.tn, (long long)m.n);
	for (i = 0; (mm = sra_metrics_get(&m, i, &name)) != NULL; i++) {
		sra_buf_printf(&b, "%s,", name);
		put_csv_number(&b, mm->value, mm->value_defined);
		sra_buf_putc(&b, ',');
		put_csv_number(&b, mm->ci_low, mm->ci_method && mm->ci_low_defined);
		sra_buf_putc(&b, ',');
		put_csv_number(&b, mm->ci_high, mm->ci_method && mm->ci_high_defined);
		sra_buf_puts(&b, "\r\n");
	}
	sra_bm__out_put(o, b.ptr, b.size);
done:
	json_decref(detail);
	sra_buf_dispose(&b);
	sra_rows_free(rows);
	return error;
}

int sra_benchmark_export(sra_db *db, const char *run, sra_export_what what,
			 sra_benchmark_format fmt, sra_benchmark_write_fn write, void *payload)
{
	sra_bm_out o;
	int error;

	SRA_ASSERT_ARG(db && run && write);
	if (fmt != SRA_BENCHMARK_CSV && fmt != SRA_BENCHMARK_JSON && !(fmt == SRA_BENCHMARK_RIS && what == SRA_EXPORT_ITEMS))
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "exports are CSV or JSON (items also RIS)");
	if (what == SRA_EXPORT_ITEMS && fmt != SRA_BENCHMARK_RIS)
		return sra_benchmark_items(db, run, 0, fmt, write, payload);
	memset(&o, 0, sizeof(o));
	o.write = write;
	o.payload = payload;
	error = fmt == SRA_BENCHMARK_RIS ? sra_bm__export_ris(db, run, &o) : export_summary(db, run, fmt, &o);
	if (error == 0)
		error = sra_bm__out_flush(&o);
	if (error > 0)
		error = SRA_EUSER;
	sra_bm__out_dispose(&o);
	return error;
}

typedef struct {
	sra_db *db;
	const char *run;
	sra_export_what what;
	sra_benchmark_format fmt;
} export_args;

static int produce_export(void *ctx, sra_benchmark_write_fn write, void *payload)
{
	export_args *a = ctx;

	return sra_benchmark_export(a->db, a->run, a->what, a->fmt, write, payload);
}

int sra_benchmark_export_file(sra_db *db, const char *run, sra_export_what what,
			      sra_benchmark_format fmt, const char *path)
{
	export_args a = { db, run, what, fmt };

	SRA_ASSERT_ARG(db && run && path && *path);
	return sra_bm__write_file(path, produce_export, &a);
}
