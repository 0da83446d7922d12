/*
 * `sra benchmark export RUN --format ris` (benchmark.md, "Reference-manager
 * files"): the run's records as RIS, so a reference manager can sort them by
 * the screening's outcome, and so that `sra import records` reads them back
 * into the same fields.  One record per item, ordered by source id:
 *
 *   TY  - the record's own type when it came from RIS (raw_data TY), else JOUR
 *   DB  - source_db            AN  - source_id
 *   TI, AB, PY, JO, DO         the text fields (TI left out when the title is '')
 *   AU, KW                     one tag per author and keyword, in order
 *   N1  - sra:TP               the classification
 *   N1  - sra:human=include    and sra:final=, sra:conservative=include 0.93,
 *                              sra:comprehensive=…, sra:resolver=… (decision, confidence)
 *   N1  - ASReview_relevant    the human decision as asreview writes it
 *                              (ASReview_irrelevant, ASReview_not_seen), which
 *                              sra and asreview read back as the human decision
 *   ER  -
 *
 * RIS holds one line per value: a line break inside a value is written as
 * one space, and white space around a value is not kept.  Lines end in
 * CRLF, as RIS's description asks; streamed row by row.
 */
#include "benchmark_int.h"

enum {
	R_DB, R_ID, R_TITLE, R_ABSTRACT, R_YEAR, R_JOURNAL, R_DOI, R_AUTHORS, R_KEYWORDS, R_TY,
	R_HUMAN, R_CD, R_CC, R_MD, R_MC, R_RD, R_RC, R_FINAL, R_CLASS, R_NCOLS
};

static const char pg_sql[] =
	"SELECT sr.source_db::text, sr.source_id, sr.title, sr.abstract, sr.year, sr.journal, sr.doi,"
	" array_to_json(sr.authors)::text, array_to_json(sr.keywords)::text,"
	" CASE jsonb_typeof(sr.raw_data->'TY') WHEN 'string' THEN sr.raw_data->>'TY' END,"
	" i.human_decision, i.conservative_decision, i.conservative_confidence,"
	" i.comprehensive_decision, i.comprehensive_confidence, i.resolver_decision, i.resolver_confidence,"
	" i.final_decision, i.classification"
	" FROM benchmark_result_items i JOIN search_results sr ON sr.id = i.search_result_id"
	" WHERE i.benchmark_run_id = CAST($1 AS uuid) ORDER BY sr.source_id, sr.id";

static const char sqlite_sql[] =
	"SELECT sr.source_db, sr.source_id, sr.title, sr.abstract, sr.year, sr.journal, sr.doi,"
	" sr.authors, sr.keywords,"
	" CASE WHEN json_valid(sr.raw_data) AND json_type(sr.raw_data, '$.TY') = 'text'"
	" THEN json_extract(sr.raw_data, '$.TY') END,"
	" i.human_decision, i.conservative_decision, i.conservative_confidence,"
	" i.comprehensive_decision, i.comprehensive_confidence, i.resolver_decision, i.resolver_confidence,"
	" i.final_decision, i.classification"
	" FROM benchmark_result_items i JOIN search_results sr ON sr.id = i.search_result_id"
	" WHERE i.benchmark_run_id = $1 ORDER BY sr.source_id, sr.id";

typedef struct {
	sra_bm_out *out;
	sra_buf rec;
} ris_ctx;

/* "XX  - value\r\n", the value on one line and trimmed; nothing for an empty value */
static void put_tag(sra_buf *b, const char *tag, const char *v, size_t n)
{
	size_t i;
	int space = 0;

	while (n && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'))
		v++, n--;
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
		n--;
	if (!n)
		return;
	sra_buf_printf(b, "%s  - ", tag);
	for (i = 0; i < n; i++) {
		if (v[i] == '\r' || v[i] == '\n') {
			space = 1;
			continue;
		}
		if (space)
			sra_buf_putc(b, ' ');
		space = 0;
		sra_buf_putc(b, v[i]);
	}
	sra_buf_puts(b, "\r\n");
}

static void put_text(sra_buf *b, const char *tag, const char *v)
{
	if (v)
		put_tag(b, tag, v, strlen(v));
}

/* one tag per element of a JSON array of strings */
static void put_list(sra_buf *b, const char *tag, const char *json)
{
	json_t *a;
	size_t i;

	if (!json || !(a = json_loads(json, 0, NULL)))
		return;
	for (i = 0; json_is_array(a) && i < json_array_size(a); i++) {
		json_t *e = json_array_get(a, i);
		if (json_is_string(e))
			put_tag(b, tag, json_string_value(e), json_string_length(e));
	}
	json_decref(a);
}

/* a reference type as RIS writes them (capitals and digits), else JOUR */
static const char *ris_type(const char *ty)
{
	size_t i;

	if (!ty || !*ty || strlen(ty) > 8)
		return "JOUR";
	for (i = 0; ty[i]; i++)
		if (!((ty[i] >= 'A' && ty[i] <= 'Z') || (ty[i] >= '0' && ty[i] <= '9')))
			return "JOUR";
	return ty;
}

/* N1  - sra:WHO=decision[ confidence] */
static void put_decision(sra_buf *b, const char *who, const char *decision, const char *confidence)
{
	char *end;
	double v;

	if (!decision)
		return;
	sra_buf_printf(b, "N1  - sra:%s=%s", who, decision);
	if (confidence && (v = strtod(confidence, &end), *end == '\0')) {
		sra_buf_putc(b, ' ');
		sra_bm__put_double(b, v);
	}
	sra_buf_puts(b, "\r\n");
}

static int ris_cb(void *payload, size_t ncols, const char *const *c)
{
	ris_ctx *x = payload;
	sra_buf *b = &x->rec;
	int h;

	if (ncols < R_NCOLS)
		return sra_error_set(SRA_ERROR_BENCHMARK, SRA_EBACKEND, "unexpected item row");
	h = sra_bm__bool_cell(c[R_HUMAN]);
	sra_buf_clear(b);
	sra_buf_printf(b, "TY  - %s\r\n", ris_type(c[R_TY]));
	put_text(b, "DB", c[R_DB]);
	put_text(b, "AN", c[R_ID]);
	put_text(b, "TI", c[R_TITLE]);
	put_list(b, "AU", c[R_AUTHORS]);
	put_text(b, "PY", c[R_YEAR]);
	put_text(b, "JO", c[R_JOURNAL]);
	put_text(b, "DO", c[R_DOI]);
	put_text(b, "AB", c[R_ABSTRACT]);
	put_list(b, "KW", c[R_KEYWORDS]);
	sra_buf_printf(b, "N1  - sra:%s\r\n", c[R_CLASS] ? c[R_CLASS] : "UNKNOWN");
	sra_buf_printf(b, "N1  - sra:human=%s\r\n", h < 0 ? "unknown" : h ? "include" : "exclude");
	put_decision(b, "final", c[R_FINAL], NULL);
	put_decision(b, "conservative", c[R_CD], c[R_CC]);
	put_decision(b, "comprehensive", c[R_MD], c[R_MC]);
	put_decision(b, "resolver", c[R_RD], c[R_RC]);
	sra_buf_printf(b, "N1  - %s\r\n", h < 0 ? "ASReview_not_seen" : h ? "ASReview_relevant" : "ASReview_irrelevant");
	sra_buf_puts(b, "ER  - \r\n\r\n");
	sra_bm__out_put(x->out, b->ptr, b->size);
	return x->out->error;
}

int sra_bm__export_ris(sra_db *db, const char *run, sra_bm_out *o)
{
	ris_ctx x;
	sra_value p;
	char *id = NULL;
	int error;

	if ((error = sra_benchmark_find(&id, db, run)) < 0)
		return error;
	memset(&x, 0, sizeof(x));
	x.out = o;
	p = SRA_VAL_TEXT(id);
	error = sra_db__query_each(db, sra_db__is_pg(db) ? pg_sql : sqlite_sql, &p, 1, ris_cb, &x);
	sra_buf_dispose(&x.rec);
	free(id);
	return error;
}
