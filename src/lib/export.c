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
 * end with CRLF (RFC 4180).  Nothing is shortened.  With `rationale` seven
 * columns follow (sra_items_options, benchmark.h); `disagreement` and the
 * classes filter in SQL.  A text cell that starts like a formula gets a
 * leading "'" unless raw (sra_bm__put_csv_field, the one place); numbers
 * are never prefixed.  XLSX goes through export_xlsx.c.
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

/*
 * The one rule against spreadsheet formula injection (benchmark.md): a text
 * cell that starts with '=', '+', '-', '@', a tab or a CR gets a leading
 * "'" unless raw.  Only text goes through here; numbers sra formats itself
 * (confidences, metric values, counts) are written by put_number_cell and
 * put_csv_number, never prefixed.
 */
int sra_bm__csv_formula_like(const char *s)
{
	return s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r');
}

void sra_bm__put_csv_field(sra_buf *b, const char *s, int raw)
{
	int guard;

	if (!s)
		return;
	guard = !raw && sra_bm__csv_formula_like(s);
	if (!s[strcspn(s, ",\"\r\n")]) {
		if (guard)
			sra_buf_putc(b, '\'');
		sra_buf_puts(b, s);
		return;
	}
	sra_buf_putc(b, '"');
	if (guard)
		sra_buf_putc(b, '\'');
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
	IT_NCOLS,
	/* with rationale */
	IT_CR = IT_NCOLS, IT_CQ, IT_CE, IT_MR, IT_MQ, IT_ME, IT_RR,
	IT_NCOLS_RATIONALE
};

static const char *const item_headers[IT_NCOLS_RATIONALE] = {
	"search_result_source_id", "title", "human_decision", "conservative_decision",
	"conservative_confidence", "comprehensive_decision", "comprehensive_confidence",
	"resolver_decision", "resolver_confidence", "final_decision", "classification",
	"conservative_rationale", "conservative_quotes", "conservative_exclusion_reasons",
	"comprehensive_rationale", "comprehensive_quotes", "comprehensive_exclusion_reasons",
	"resolver_rationale"
};

typedef struct {
	sra_bm_out out;
	sra_benchmark_format fmt;
	int rationale, raw;
	size_t ncols;
	int64_t n;
	sra_buf line;
	sra_bm_sheet *sheet;	/* XLSX */
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

static int is_number_col(size_t i)
{
	return i == IT_CC || i == IT_MC || i == IT_RC;
}

static int is_json_col(size_t i)
{
	return i == IT_CQ || i == IT_CE || i == IT_MQ || i == IT_ME;
}

/*
 * A quotes or exclusion-reasons cell as a JSON value, the same from either
 * database: PostgreSQL gives the array as JSON already (array_to_json) and
 * jsonb sorted, SQLite the text as imported; objects take jsonb's key order.
 * New reference; null for NULL.
 */
static json_t *json_col(const char *cell)
{
	return sra_bm__jsonb_order(sra_bm__parse_json_cell(cell));
}

/* the same as compact JSON text (caller frees), or NULL for NULL */
static char *json_col_text(const char *cell)
{
	json_t *j;
	char *s;

	if (!cell)
		return NULL;
	j = json_col(cell);
	s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | SRA_BM_JSON_FLAGS);
	json_decref(j);
	return s;
}

/*
 * The table's lines under an item: "    conservative rationale: …" for each
 * reviewer's non-empty rationale, quotes and reasons, in full, continuation
 * lines indented (the CLI escapes control characters).
 */
static void put_text_rationale(sra_buf *l, const char *const *cells)
{
	static const struct { size_t col; const char *label; } rows[] = {
		{ IT_CR, "conservative rationale" }, { IT_CQ, "conservative quotes" },
		{ IT_CE, "conservative exclusion reasons" }, { IT_MR, "comprehensive rationale" },
		{ IT_MQ, "comprehensive quotes" }, { IT_ME, "comprehensive exclusion reasons" },
		{ IT_RR, "resolver rationale" }
	};
	size_t k;

	for (k = 0; k < SRA_ARRAY_SIZE(rows); k++) {
		const char *v = cells[rows[k].col];
		char *js = NULL;

		if (!v)
			continue;
		if (is_json_col(rows[k].col)) {
			js = json_col_text(v);
			v = js ? js : v;
		}
		if (!*v || strcmp(v, "{}") == 0 || strcmp(v, "[]") == 0) {	/* nothing to read */
			free(js);
			continue;
		}
		sra_buf_printf(l, "    %s: ", rows[k].label);
		for (; *v; v++) {
			sra_buf_putc(l, *v);
			if (*v == '\n' && v[1])
				sra_buf_puts(l, "      ");
		}
		if (l->size && l->ptr[l->size - 1] != '\n')
			sra_buf_putc(l, '\n');
		free(js);
	}
}

static int item_xlsx(items_ctx *c, const char *const *cells)
{
	uint32_t row = (uint32_t)c->n + 1;	/* after the header */
	size_t i;
	int error = 0;

	for (i = 0; i < c->ncols && error == 0; i++) {
		const char *v = i == IT_HUMAN ? human_word(cells[i]) : cells[i];
		char *end, *js = NULL;
		double d;

		if (!v)
			continue;
		if (is_number_col(i) && (d = strtod(v, &end), !*end && isfinite(d))) {
			error = sra_bm__sheet_number(c->sheet, row, (uint16_t)i, d);
			continue;
		}
		if (is_json_col(i) && (js = json_col_text(v)) != NULL)
			v = js;
		error = sra_bm__sheet_string(c->sheet, row, (uint16_t)i, v, item_headers[i], cells[IT_SOURCE]);
		free(js);
	}
	return error;
}

static int item_cb(void *payload, size_t ncols, const char *const *cells)
{
	items_ctx *c = payload;
	sra_buf *l = &c->line;
	size_t i;

	if (ncols < c->ncols)
		return sra_error_set(SRA_ERROR_BENCHMARK, SRA_EBACKEND, "unexpected item row");
	sra_buf_clear(l);
	switch (c->fmt) {
	case SRA_BENCHMARK_XLSX: {
		int error = item_xlsx(c, cells);

		if (error)
			return error;
		c->n++;
		return 0;
	}
	case SRA_BENCHMARK_CSV:
		for (i = 0; i < c->ncols; i++) {
			if (i)
				sra_buf_putc(l, ',');
			if (i == IT_HUMAN)
				sra_bm__put_csv_field(l, human_word(cells[i]), c->raw);
			else if (is_number_col(i))
				put_number_cell(l, cells[i]);
			else if (is_json_col(i)) {
				char *js = json_col_text(cells[i]);

				sra_bm__put_csv_field(l, js, c->raw);
				free(js);
			} else
				sra_bm__put_csv_field(l, cells[i], c->raw);
		}
		sra_buf_puts(l, "\r\n");
		break;
	case SRA_BENCHMARK_JSON: {
		json_t *o = json_object();
		char *s;
		int h = sra_bm__bool_cell(cells[IT_HUMAN]);

		for (i = 0; i < c->ncols; i++) {
			json_t *v;

			if (i == IT_HUMAN)
				v = h < 0 ? json_null() : json_boolean(h);
			else if (is_number_col(i))
				v = sra_bm__num_json(cells[i]);
			else if (is_json_col(i))
				v = json_col(cells[i]);
			else
				v = cells[i] ? json_string(cells[i]) : json_null();
			json_object_set_new(o, item_headers[i], v ? v : json_null());
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
		if (c->rationale)
			put_text_rationale(l, cells);
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

static int check_items_options(const sra_items_options *opts)
{
	if (opts->version < 1 || opts->version > SRA_ITEMS_OPTIONS_VERSION)
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "sra_items_options version %u is not known",
				     opts->version);
	return 0;
}

/* the items query: the export columns, with rationale the seven more; one parameter (the run id) */
static void build_items_query(sra_buf *sql, int pg, const sra_items_options *opts)
{
	static const char *const names[5] = { "TP", "FP", "FN", "TN", "UNKNOWN" };
	int k, first = 1;

	sra_buf_puts(sql,
		"SELECT sr.source_id, sr.title, i.human_decision, i.conservative_decision,"
		" i.conservative_confidence, i.comprehensive_decision, i.comprehensive_confidence,"
		" i.resolver_decision, i.resolver_confidence, i.final_decision, i.classification");
	if (opts->rationale)
		sra_buf_puts(sql, pg
			? ", i.conservative_rationale, CAST(array_to_json(c.extracted_quotes) AS text),"
			  " CAST(c.exclusion_reason_categories AS text), i.comprehensive_rationale,"
			  " CAST(array_to_json(m.extracted_quotes) AS text),"
			  " CAST(m.exclusion_reason_categories AS text), i.resolver_reasoning"
			: ", i.conservative_rationale, c.extracted_quotes, c.exclusion_reason_categories,"
			  " i.comprehensive_rationale, m.extracted_quotes, m.exclusion_reason_categories,"
			  " i.resolver_reasoning");
	sra_buf_puts(sql, " FROM benchmark_result_items i JOIN search_results sr ON sr.id = i.search_result_id");
	if (opts->rationale)
		sra_buf_puts(sql,
			" LEFT JOIN screen_abstract_results c ON c.id = i.conservative_run_id"
			" LEFT JOIN screen_abstract_results m ON m.id = i.comprehensive_run_id");
	sra_buf_puts(sql, pg ? " WHERE i.benchmark_run_id = CAST($1 AS uuid)"
			     : " WHERE i.benchmark_run_id = $1");
	if (opts->classes && (opts->classes & 0x1f) != 0x1f) {
		sra_buf_puts(sql, " AND i.classification IN (");
		for (k = 0; k < 5; k++)
			if (opts->classes & (1u << k)) {
				sra_buf_printf(sql, "%s'%s'", first ? "" : ", ", names[k]);
				first = 0;
			}
		sra_buf_putc(sql, ')');
	}
	if (opts->disagreement)	/* both decided, differently; enum and text compare as text */
		sra_buf_puts(sql, pg
			? " AND CAST(i.conservative_decision AS text) <> CAST(i.comprehensive_decision AS text)"
			: " AND i.conservative_decision <> i.comprehensive_decision");
	sra_buf_puts(sql, " ORDER BY sr.source_id, sr.id");
}

static int items_run(sra_db *db, const char *run, const sra_items_options *opts,
		     sra_benchmark_format fmt, sra_benchmark_write_fn write, void *payload)
{
	items_ctx c;
	sra_buf sql = SRA_BUF_INIT;
	sra_value p[1];
	char *id = NULL;
	int error;
	size_t k;

	memset(&c, 0, sizeof(c));
	c.out.write = write;
	c.out.payload = payload;
	c.fmt = fmt;
	c.rationale = opts->rationale;
	c.raw = opts->raw;
	c.ncols = opts->rationale ? IT_NCOLS_RATIONALE : IT_NCOLS;
	if ((error = check_items_options(opts)) < 0)
		goto done;
	if ((error = sra_benchmark_find(&id, db, run)) < 0)
		goto done;
	build_items_query(&sql, sra_db__is_pg(db), opts);
	p[0] = SRA_VAL_TEXT(id);

	switch (fmt) {
	case SRA_BENCHMARK_XLSX:
		if ((error = sra_bm__sheet_open(&c.sheet, "items")) < 0)
			goto done;
		for (k = 0; k < c.ncols && error == 0; k++)
			error = sra_bm__sheet_string(c.sheet, 0, (uint16_t)k, item_headers[k], NULL, NULL);
		if (error)
			goto done;
		break;
	case SRA_BENCHMARK_CSV:
		for (k = 0; k < c.ncols; k++) {
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
	if (fmt == SRA_BENCHMARK_XLSX) {
		error = sra_bm__sheet_finish(c.sheet, &c.out);
		c.sheet = NULL;
		if (error < 0)
			goto done;
	}
	error = sra_bm__out_flush(&c.out);
done:
	if (error > 0)
		error = SRA_EUSER;
	sra_bm__sheet_free(c.sheet);
	sra_bm__out_dispose(&c.out);
	sra_buf_dispose(&c.line);
	sra_buf_dispose(&sql);
	free(id);
	return error;
}

int sra_benchmark_items_opt(sra_db *db, const char *run, const sra_items_options *opts,
			    sra_benchmark_format fmt, sra_benchmark_write_fn write, void *payload)
{
	sra_items_options defaults = SRA_ITEMS_OPTIONS_INIT;

	SRA_ASSERT_ARG(db && run && write);
	if (fmt == SRA_BENCHMARK_XLSX || fmt == SRA_BENCHMARK_RIS || fmt == SRA_BENCHMARK_IDS)
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
				     "items are a table, JSON or CSV (workbooks and RIS are exports)");
	return items_run(db, run, opts ? opts : &defaults, fmt, write, payload);
}

int sra_benchmark_items(sra_db *db, const char *run, unsigned int classes,
			sra_benchmark_format fmt, sra_benchmark_write_fn write, void *payload)
{
	sra_items_options o = SRA_ITEMS_OPTIONS_INIT;

	o.classes = classes;
	return sra_benchmark_items_opt(db, run, &o, fmt, write, payload);
}

/* ---- summary -------------------------------------------------------------- */

static void put_csv_number(sra_buf *b, double v, int defined)
{
	if (defined && isfinite(v))
		sra_bm__put_double(b, v);
}

/* the summary workbook: metric, value, ci_low, ci_high; counts and values as numbers */
static int summary_xlsx(const sra_confusion *c, const sra_metrics *m, sra_bm_out *o)
{
	static const char *const head[4] = { "metric", "value", "ci_low", "ci_high" };
	const char *count_names[5] = { "tp", "fp", "fn", "tn", "n" };
	double counts[5];
	sra_bm_sheet *sh = NULL;
	const sra_metric *mm;
	const char *name;
	uint32_t row = 1;
	size_t i;
	int error;

	counts[0] = (double)c->tp;
	counts[1] = (double)c->fp;
	counts[2] = (double)c->fn;
	counts[3] = (double)c->tn;
	counts[4] = (double)m->n;
	if ((error = sra_bm__sheet_open(&sh, "summary")) < 0)
		return error;
	for (i = 0; i < 4 && error == 0; i++)
		error = sra_bm__sheet_string(sh, 0, (uint16_t)i, head[i], NULL, NULL);
	for (i = 0; i < 5 && error == 0; i++, row++) {
		error = sra_bm__sheet_string(sh, row, 0, count_names[i], NULL, NULL);
		if (error == 0)
			error = sra_bm__sheet_number(sh, row, 1, counts[i]);
	}
	for (i = 0; error == 0 && (mm = sra_metrics_get(m, i, &name)) != NULL; i++, row++) {
		error = sra_bm__sheet_string(sh, row, 0, name, NULL, NULL);
		if (error == 0 && mm->value_defined && isfinite(mm->value))
			error = sra_bm__sheet_number(sh, row, 1, mm->value);
		if (error == 0 && mm->ci_method && mm->ci_low_defined && isfinite(mm->ci_low))
			error = sra_bm__sheet_number(sh, row, 2, mm->ci_low);
		if (error == 0 && mm->ci_method && mm->ci_high_defined && isfinite(mm->ci_high))
			error = sra_bm__sheet_number(sh, row, 3, mm->ci_high);
	}
	if (error == 0) {
		error = sra_bm__sheet_finish(sh, o);
		sh = NULL;
	}
	sra_bm__sheet_free(sh);
	return error;
}

static int export_summary(sra_db *db, const char *run, sra_benchmark_format fmt, int raw, sra_bm_out *o)
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
	if (fmt == SRA_BENCHMARK_XLSX) {
		error = summary_xlsx(&c, &m, o);
		goto done;
	}
	sra_buf_puts(&b, "metric,value,ci_low,ci_high\r\n");
	sra_buf_printf(&b, "tp,%lld,,\r\nfp,%lld,,\r\nfn,%lld,,\r\ntn,%lld,,\r\nn,%lld,,\r\n",
		       (long long)c.tp, (long long)c.fp, (long long)c.fn, (long long)c.tn, (long long)m.n);
	for (i = 0; (mm = sra_metrics_get(&m, i, &name)) != NULL; i++) {
		sra_bm__put_csv_field(&b, name, raw);
		sra_buf_putc(&b, ',');
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

int sra_benchmark_export_opt(sra_db *db, const char *run, sra_export_what what,
			     sra_benchmark_format fmt, const sra_items_options *opts,
			     sra_benchmark_write_fn write, void *payload)
{
	sra_items_options defaults = SRA_ITEMS_OPTIONS_INIT;
	sra_bm_out o;
	int error;

	SRA_ASSERT_ARG(db && run && write);
	if (!opts)
		opts = &defaults;
	if ((error = check_items_options(opts)) < 0)
		return error;
	if (fmt != SRA_BENCHMARK_CSV && fmt != SRA_BENCHMARK_JSON && fmt != SRA_BENCHMARK_XLSX
	    && !(fmt == SRA_BENCHMARK_RIS && what == SRA_EXPORT_ITEMS))
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "exports are CSV, JSON or XLSX (items also RIS)");
	if (what == SRA_EXPORT_ITEMS && fmt != SRA_BENCHMARK_RIS)
		return items_run(db, run, opts, fmt, write, payload);
	memset(&o, 0, sizeof(o));
	o.write = write;
	o.payload = payload;
	error = fmt == SRA_BENCHMARK_RIS ? sra_bm__export_ris(db, run, &o)
		: export_summary(db, run, fmt, opts->raw, &o);
	if (error == 0)
		error = sra_bm__out_flush(&o);
	if (error > 0)
		error = SRA_EUSER;
	sra_bm__out_dispose(&o);
	return error;
}

int sra_benchmark_export(sra_db *db, const char *run, sra_export_what what,
			 sra_benchmark_format fmt, sra_benchmark_write_fn write, void *payload)
{
	return sra_benchmark_export_opt(db, run, what, fmt, NULL, write, payload);
}

typedef struct {
	sra_db *db;
	const char *run;
	sra_export_what what;
	sra_benchmark_format fmt;
	const sra_items_options *opts;
} export_args;

static int produce_export(void *ctx, sra_benchmark_write_fn write, void *payload)
{
	export_args *a = ctx;

	return sra_benchmark_export_opt(a->db, a->run, a->what, a->fmt, a->opts, write, payload);
}

int sra_benchmark_export_file_opt(sra_db *db, const char *run, sra_export_what what,
				  sra_benchmark_format fmt, const sra_items_options *opts, const char *path)
{
	export_args a = { db, run, what, fmt, opts };

	SRA_ASSERT_ARG(db && run && path && *path);
	return sra_bm__write_file(path, produce_export, &a);
}

int sra_benchmark_export_file(sra_db *db, const char *run, sra_export_what what,
			      sra_benchmark_format fmt, const char *path)
{
	return sra_benchmark_export_file_opt(db, run, what, fmt, NULL, path);
}
