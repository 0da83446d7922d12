/*
 * This file writes the report of benchmark runs as one self-contained HTML
 * page (benchmark.md, "The report"): no script runs, nothing is fetched
 * (a Content-Security-Policy says so to the browser), the figures are
 * inline SVG from svg.c, the CSS is inline and has a print style.
 *
 * What it reads: for each run the object sra_benchmark_show() gives as
 * JSON (embedded as is, and the source of every figure and table but two),
 * the review's protocol, one pass over the run's items for the calibration
 * and histograms, and the run's false negatives and positives, streamed
 * into the page in source-id order.  Nothing reads the clock unless
 * opts->timestamp; everything is ordered, so the same data gives the same
 * bytes on SQLite and PostgreSQL.
 *
 * Every text from the database goes through sra_svg__escape() (HTML), or,
 * in the embedded JSON, has its '<' written \u003c so no "</script>" can
 * end the block early.
 */
#include "benchmark_int.h"
#include "metrics_int.h"
#include "svg.h"
#include "sra/review.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#define NBANDS 10
enum { RV_CONS, RV_COMP, RV_RES, RV_N };
static const char *const rv_name[RV_N] = { "conservative", "comprehensive", "resolver" };
static const char *const rv_color[RV_N] = { SRA_SVG_BLUE, SRA_SVG_ORANGE, SRA_SVG_GREEN };

/* one run of the report */
typedef struct {
	char *show;		/* what sra_benchmark_show() gives as JSON; owned */
	json_t *j;		/* the same, parsed; owned */
	const json_t *detail;	/* j's metrics_detail (an object, or NULL); borrowed */
	const char *id;		/* borrowed from j */
	char label[32];		/* "Run 1" */
	sra_uncertain_policy policy;
	sra_svg_band bands[RV_N][NBANDS];	/* decisions with a known human decision */
} report_run;

typedef struct {
	sra_db *db;
	report_run *runs;
	size_t nruns;
	int timestamp;
	sra_bm_out out;
	sra_buf b;		/* the page as it is written; pumped into out */
} report_ctx;

static void pump(report_ctx *c)
{
	sra_bm__out_put(&c->out, c->b.ptr, c->b.size);
	sra_buf_clear(&c->b);
}

#define esc sra_svg__escape

/* a JSON value inside objects: jpath(o, "a", "b", NULL) */
static const json_t *jpath(const json_t *o, ...)
{
	va_list ap;
	const char *k;

	va_start(ap, o);
	while (o && (k = va_arg(ap, const char *)) != NULL)
		o = json_object_get(o, k);
	va_end(ap);
	return o;
}

static double jnum(const json_t *v, int *defined)
{
	*defined = json_is_number(v);
	return *defined ? json_number_value(v) : NAN;
}

/* a figure for a table: 6 decimals as in `show`, n/a when null */
static void put_num(sra_buf *b, const json_t *v)
{
	char buf[32];
	int d;
	double x = jnum(v, &d);

	sra_buf_puts(b, sra_metrics__fmt_num(buf, sizeof(buf), x, d));
}

/* a metric object as "value [low, high]" */
static void put_metric(sra_buf *b, const json_t *m)
{
	put_num(b, json_is_object(m) ? json_object_get(m, "value") : m);
	if (json_is_object(m) && json_object_get(m, "ci_low")) {
		sra_buf_puts(b, " <span class=\"ci\">[");
		put_num(b, json_object_get(m, "ci_low"));
		sra_buf_puts(b, ", ");
		put_num(b, json_object_get(m, "ci_high"));
		sra_buf_puts(b, "]</span>");
	}
}

static void put_int(sra_buf *b, const json_t *v)
{
	if (json_is_integer(v))
		sra_buf_printf(b, "%lld", (long long)json_integer_value(v));
	else
		sra_buf_puts(b, "n/a");
}

/* any JSON value for people: a string as itself, anything else compact JSON */
static void put_json_value(sra_buf *b, const json_t *v)
{
	char *s;

	if (json_is_string(v)) {
		esc(b, json_string_value(v));
		return;
	}
	if (json_is_real(v)) {	/* 0.7, not 0.69999999999999996 */
		sra_bm__put_double(b, json_real_value(v));
		return;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | SRA_BM_JSON_FLAGS);
	esc(b, s ? s : "");
	free(s);
}

/* ---- the page's frame -------------------------------------------------- */

static const char page_css[] =
	":root{color-scheme:light}"
	"body{margin:0;color:#111;background:#fff;font:15px/1.45 system-ui,-apple-system,\"Segoe UI\","
	"Roboto,\"Noto Sans\",sans-serif;overflow-wrap:anywhere}"
	"main{max-width:1120px;margin:0 auto;padding:8px 16px 40px}"
	"h1{font-size:1.55em;margin:.6em 0 .2em}"
	"h2{font-size:1.25em;border-bottom:2px solid #0072B2;padding-bottom:2px;margin:1.8em 0 .6em}"
	"h3{font-size:1.05em;margin:1.2em 0 .4em}"
	"nav a{margin-right:.8em;white-space:nowrap}"
	".lead{color:#333}"
	".fig{display:block;max-width:100%;height:auto}"
	".figs{display:flex;flex-wrap:wrap;gap:14px 28px;align-items:flex-start}"
	"figure{margin:0;min-width:0;max-width:100%}"
	"figcaption{font-weight:600;margin:.2em 0 .3em}"
	".note{color:#444;font-size:.9em;margin:.3em 0}"
	".scroll{overflow-x:auto;max-width:100%}.scroll table{overflow-wrap:normal}.scroll th,.scroll td{white-space:nowrap}"
	"table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:.4em 0}"
	"th,td{padding:3px 10px 3px 0;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}"
	"td.n,th.n{text-align:right}"
	".ci{color:#555;white-space:nowrap}"
	"dl.kv{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 14px;margin:.4em 0}"
	"dl.kv dt{font-weight:600;color:#333}dl.kv dd{margin:0}"
	".cards{display:flex;flex-wrap:wrap;gap:12px 24px}"
	".card{flex:1 1 320px;min-width:0;border:1px solid #ccc;border-radius:6px;padding:6px 12px}"
	".card h3{margin:.3em 0}"
	".rec{border-left:4px solid #D55E00;padding:2px 0 2px 10px;margin:12px 0}"
	".rec.FP{border-left-color:#E69F00}"
	".rec h4{margin:0 0 2px;font-size:1em}"
	".rec p{margin:1px 0}.who{color:#444;font-style:italic}"
	".tag{display:inline-block;font-size:.8em;font-weight:700;color:#fff;background:#D55E00;"
	"border-radius:3px;padding:0 5px;margin-right:4px}"
	".FP .tag{background:#9a6a00}"
	"code{font-size:.92em}"
	"footer{margin-top:2.5em;color:#555;font-size:.88em}"
	"@media (max-width:480px){body{font-size:14px}main{padding:6px 10px 30px}"
	"dl.kv{grid-template-columns:minmax(0,1fr)}dl.kv dd{margin-bottom:4px}}"
	"@media print{body{font-size:9.5pt}main{max-width:none;padding:0}nav{display:none}"
	"h2{break-after:avoid}h3{break-after:avoid}figure,.rec,.card,tr{break-inside:avoid}"
	".scroll{overflow:visible}.scroll th,.scroll td{white-space:normal}.scroll table{font-size:8pt}"
	".scroll .ci{display:block}figure.small{max-width:32%}a{color:inherit;text-decoration:none}"
	".tag{color:#000;background:none;border:1px solid #000}}";

static void page_head(report_ctx *c, const char *question)
{
	sra_buf *b = &c->b;

	sra_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		     /* nothing may be fetched or run: the page stands alone */
		     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		     "style-src 'unsafe-inline'; img-src data:\">\n"
		     "<meta name=\"generator\" content=\"sra " SRA_VERSION "\">\n<title>Benchmark report");
	if (question && *question) {
		sra_buf_puts(b, ": ");
		esc(b, question);
	}
	sra_buf_puts(b, "</title>\n<style>");
	sra_buf_puts(b, page_css);
	sra_buf_puts(b, "</style>\n</head>\n<body>\n<main>\n");
}

/* ---- the review -------------------------------------------------------- */


static void kv_text(sra_buf *b, const char *key, const char *value)
{
	if (!value || !*value)
		return;
	sra_buf_puts(b, "<dt>");
	esc(b, key);
	sra_buf_puts(b, "</dt><dd>");
	esc(b, value);
	sra_buf_puts(b, "</dd>");
}

static void review_section(report_ctx *c, const sra_review *r)
{
	sra_buf *b = &c->b;
	json_t *answers = sra_review_framework_answers(r)
		? json_loads(sra_review_framework_answers(r), 0, NULL) : NULL;
	size_t i;

	sra_buf_puts(b, "<section id=\"review\"><h2>The review</h2><dl class=\"kv\">");
	kv_text(b, "Question", sra_review_question(r));
	kv_text(b, "Inclusion criteria", sra_review_inclusion(r));
	kv_text(b, "Exclusion criteria", sra_review_exclusion(r));
	kv_text(b, "Background", sra_review_background(r));
	kv_text(b, "Framework", sra_review_framework(r));
	answers = sra_bm__jsonb_order(answers);	/* the same order from either database */
	if (json_is_object(answers)) {
		const char *k;
		json_t *v;

		json_object_foreach(answers, k, v) {
			sra_buf_puts(b, "<dt>");
			esc(b, k);
			sra_buf_puts(b, "</dt><dd>");
			put_json_value(b, v);
			sra_buf_puts(b, "</dd>");
		}
	}
	sra_buf_puts(b, "<dt>Records</dt><dd>");
	for (i = 0; i < 4; i++) {
		static const sra_review_count_kind count[4] = { SRA_REVIEW_RECORDS, SRA_REVIEW_HUMAN_INCLUDE,
							       SRA_REVIEW_HUMAN_EXCLUDE, SRA_REVIEW_HUMAN_UNKNOWN };
		static const char *const what[4] = { "", "; the humans included ", ", excluded ",
						     ", decided nothing on " };

		sra_buf_puts(b, what[i]);
		sra_buf_printf(b, "%" PRId64, sra_review_count(r, count[i]));
	}
	sra_buf_puts(b, "</dd></dl>\n<p class=\"note\">Positive means include; the reference is the human "
		     "title/abstract decision. Intervals are 95&#160;% (Wilson for proportions, "
		     "Fleiss&#8211;Cohen&#8211;Everitt for &#954;, log method for likelihood ratios); "
		     "n/a marks a figure that is undefined for the table (a zero denominator).</p></section>\n");
	json_decref(answers);
}

/* ---- runs -------------------------------------------------------------- */

static void runs_section(report_ctx *c)
{
	sra_buf *b = &c->b;
	size_t i;

	sra_buf_printf(b, "<section id=\"runs\"><h2>%s</h2><div class=\"cards\">",
		       c->nruns > 1 ? "The runs" : "The run");
	for (i = 0; i < c->nruns; i++) {
		const report_run *r = &c->runs[i];
		const json_t *j = r->j, *cfg = json_object_get(j, "config_details"), *counts;
		const char *k;
		json_t *v;

		sra_buf_printf(b, "<div class=\"card\"><h3>%s</h3><dl class=\"kv\"><dt>id</dt><dd><code>", r->label);
		esc(b, r->id);
		sra_buf_puts(b, "</code></dd>");
		kv_text(b, "status", json_string_value(json_object_get(j, "status")));
		kv_text(b, "started (UTC)", json_string_value(json_object_get(j, "started_at")));
		kv_text(b, "uncertain counted as", json_string_value(json_object_get(j, "uncertain_policy")));
		counts = jpath(r->detail, "counts", NULL);
		if (json_is_object(counts)) {
			sra_buf_puts(b, "<dt>records</dt><dd>");
			put_int(b, json_object_get(counts, "items"));
			sra_buf_puts(b, ": human decision unknown ");
			put_int(b, json_object_get(counts, "unknown"));
			sra_buf_puts(b, ", final uncertain ");
			put_int(b, json_object_get(counts, "uncertain"));
			sra_buf_puts(b, ", unscreened ");
			put_int(b, json_object_get(counts, "unscreened"));
			sra_buf_puts(b, ", sent to the resolver ");
			put_int(b, json_object_get(counts, "resolved"));
			sra_buf_puts(b, "</dd>");
		} else {
			sra_buf_puts(b, "<dt>records</dt><dd>");
			put_int(b, json_object_get(j, "n_items"));
			sra_buf_puts(b, "</dd>");
		}
		kv_text(b, "notes", json_string_value(json_object_get(j, "run_notes")));
		json_object_foreach((json_t *)cfg, k, v) {
			if (strcmp(k, "uncertain_policy") == 0)
				continue;	/* shown above */
			sra_buf_puts(b, "<dt>");
			esc(b, k);
			sra_buf_puts(b, "</dt><dd>");
			put_json_value(b, v);
			sra_buf_puts(b, "</dd>");
		}
		sra_buf_puts(b, "</dl></div>");
	}
	sra_buf_puts(b, "</div></section>\n");
}

/* ---- the metrics ------------------------------------------------------- */

static const struct {
	const char *name, *label;
	int log;
} metric_list[] = {
	{ "sensitivity", "Sensitivity (recall)", 0 }, { "specificity", "Specificity", 0 },
	{ "ppv", "PPV (precision)", 0 }, { "npv", "NPV", 0 }, { "accuracy", "Accuracy", 0 },
	{ "f1_score", "F1 score", 0 }, { "mcc", "Matthews correlation (MCC)", 0 },
	{ "cohen_kappa", "Cohen's \xce\xba", 0 }, { "pabak", "PABAK", 0 }, { "gwet_ac1", "Gwet's AC1", 0 },
	{ "lr_plus", "Likelihood ratio LR+", 1 }, { "lr_minus", "Likelihood ratio LR\xe2\x88\x92", 1 },
	{ "work_saved", "Work saved", 0 }, { "wss", "WSS at the achieved recall", 0 },
};

static const char *const who_name[3] = { "final", "conservative", "comprehensive" };
static const char *const who_color[3] = { SRA_SVG_BLACK, SRA_SVG_BLUE, SRA_SVG_ORANGE };

/* a metric of one run and one of final / conservative / comprehensive; 0 when the run has none */
static int metric_of(sra_svg_interval *out, const report_run *r, size_t who, const char *name)
{
	const json_t *m;
	int d1, d2;

	if (r->detail)
		m = jpath(r->detail, who_name[who], "metrics", name, NULL);
	else		/* a run without metrics_detail: the typed columns, final only */
		m = who == 0 ? jpath(r->j, "metrics", name, NULL) : NULL;
	if (!m)
		return 0;
	out->color = who_color[who];
	if (json_is_object(m)) {
		out->value = jnum(json_object_get(m, "value"), &out->value_defined);
		out->ci_low = jnum(json_object_get(m, "ci_low"), &d1);
		out->ci_high = jnum(json_object_get(m, "ci_high"), &d2);
		out->ci_defined = d1 && d2;
	} else {
		out->value = jnum(m, &out->value_defined);
		out->ci_low = out->ci_high = NAN;
		out->ci_defined = 0;
	}
	return 1;
}

static void metrics_section(report_ctx *c)
{
	sra_buf *b = &c->b;
	sra_svg_interval *rows = sra__calloc(c->nruns * 3, sizeof(*rows));
	char (*labels)[48] = sra__calloc(c->nruns * 3, sizeof(*labels));
	size_t i, k, w, n;

	sra_buf_puts(b, "<section id=\"metrics\"><h2>Every metric with its 95&#160;% interval</h2>"
		     "<p class=\"note\">One row per run and reviewer: <b>final</b> is the screening decision "
		     "(black), then each AI reviewer alone (conservative blue, comprehensive orange). "
		     "An interval or value beyond the axis is cut at its edge and marked with an arrow; "
		     "the printed figures are whole.</p><div class=\"figs\">");
	for (k = 0; k < SRA_ARRAY_SIZE(metric_list); k++) {
		n = 0;
		for (i = 0; i < c->nruns; i++)
			for (w = 0; w < 3; w++)
				if (metric_of(&rows[n], &c->runs[i], w, metric_list[k].name)) {
					snprintf(labels[n], sizeof(labels[n]), "%s%s%s", c->nruns > 1 ? c->runs[i].label : "",
						 c->nruns > 1 ? " \xc2\xb7 " : "", who_name[w]);
					rows[n].label = labels[n];
					n++;
				}
		sra_buf_puts(b, "<figure><figcaption>");
		esc(b, metric_list[k].label);
		sra_buf_puts(b, "</figcaption>");
		sra_svg__forest(b, metric_list[k].label, rows, n, metric_list[k].log ? 0.01 : 0,
				metric_list[k].log ? 1000 : 1, metric_list[k].log);
		sra_buf_puts(b, "</figure>");
	}
	sra_buf_puts(b, "</div></section>\n");
	free(rows);
	free(labels);
}

/* ---- 2x2 tables and agreement --------------------------------------------- */

static int counts_of(int64_t cells[4], const json_t *counts)
{
	static const char *const keys[4] = { "tp", "fp", "fn", "tn" };
	size_t i;

	if (!json_is_object(counts))
		return 0;
	for (i = 0; i < 4; i++)
		cells[i] = json_integer_value(json_object_get(counts, keys[i]));
	return 1;
}

static void tables_section(report_ctx *c)
{
	static const char *const rows[2] = { "AI include", "AI exclude" };
	static const char *const cols[2] = { "include", "exclude" };
	static const char *const tags[4] = { "TP", "FP", "FN", "TN" };
	static const int kind[4] = { 1, 2, 2, 1 };
	sra_buf *b = &c->b;
	char title[96];
	size_t i, w;

	sra_buf_puts(b, "<section id=\"tables\"><h2>The 2&#215;2 tables</h2><p class=\"note\">Rows: the AI "
		     "decision; columns: the human decision. Blue cells agree, vermilion cells are errors; "
		     "the shading follows the count.</p>");
	for (i = 0; i < c->nruns; i++) {
		const report_run *r = &c->runs[i];

		if (c->nruns > 1)
			sra_buf_printf(b, "<h3>%s</h3>", r->label);
		sra_buf_puts(b, "<div class=\"figs\">");
		for (w = 0; w < 3; w++) {
			int64_t cells[4];
			const json_t *counts = r->detail ? jpath(r->detail, who_name[w], "counts", NULL)
						   : w == 0 ? json_object_get(r->j, "counts") : NULL;

			if (!counts_of(cells, counts))
				continue;
			snprintf(title, sizeof(title), "%s%s2x2 table of the %s decision", c->nruns > 1 ? r->label : "",
				 c->nruns > 1 ? ": " : "", who_name[w]);
			sra_buf_printf(b, "<figure class=\"small\"><figcaption>%s decision</figcaption>",
				       w == 0 ? "Final" : w == 1 ? "Conservative" : "Comprehensive");
			sra_svg__grid(b, title, "AI", "Human decision", rows, 2, cols, 2, cells, kind, tags);
			sra_buf_puts(b, "</figure>");
		}
		sra_buf_puts(b, "</div>");
	}
	sra_buf_puts(b, "</section>\n");
}

static void agreement_section(report_ctx *c)
{
	static const char *const cats[3] = { "include", "exclude", "uncertain" };
	static const int kind[9] = { 1, 2, 2, 2, 1, 2, 2, 2, 1 };
	sra_buf *b = &c->b;
	size_t i, x, y;

	sra_buf_puts(b, "<section id=\"agreement\"><h2>The reviewers' agreement</h2><p class=\"note\">Rows: "
		     "the conservative reviewer; columns: the comprehensive reviewer; over the records both "
		     "decided.</p>");
	for (i = 0; i < c->nruns; i++) {
		const report_run *r = &c->runs[i];
		const json_t *a = jpath(r->detail, "agreement", NULL), *t = json_object_get(a, "table");
		int64_t cells[9];
		char title[64];

		if (c->nruns > 1)
			sra_buf_printf(b, "<h3>%s</h3>", r->label);
		if (!json_is_array(t) || json_array_size(t) != 3) {
			sra_buf_puts(b, "<p>No agreement stored for this run.</p>");
			continue;
		}
		for (y = 0; y < 3; y++)
			for (x = 0; x < 3; x++)
				cells[y * 3 + x] = json_integer_value(json_array_get(json_array_get(t, y), x));
		snprintf(title, sizeof(title), "%s%sagreement of the two reviewers", c->nruns > 1 ? r->label : "",
			 c->nruns > 1 ? ": " : "");
		sra_buf_puts(b, "<div class=\"figs\"><figure>");
		sra_svg__grid(b, title, "Conservative", "Comprehensive", cats, 3, cats, 3, cells, kind, NULL);
		sra_buf_puts(b, "</figure><dl class=\"kv\"><dt>records both decided</dt><dd>");
		put_int(b, json_object_get(a, "n"));
		sra_buf_puts(b, "</dd><dt>observed agreement</dt><dd>");
		put_num(b, json_object_get(a, "observed_agreement"));
		sra_buf_puts(b, "</dd><dt>Cohen's &#954;</dt><dd>");
		put_metric(b, json_object_get(a, "cohen_kappa"));
		sra_buf_puts(b, "</dd><dt>PABAK</dt><dd>");
		put_metric(b, json_object_get(a, "pabak"));
		sra_buf_puts(b, "</dd></dl></div>");
	}
	sra_buf_puts(b, "</section>\n");
}

/* ---- the uncertain policy ------------------------------------------------ */

static void policies_section(report_ctx *c)
{
	static const char *const pol[3] = { "include", "exclude", "error" };
	static const char *const pol_color[3] = { SRA_SVG_BLUE, SRA_SVG_VERMILION, SRA_SVG_PURPLE };
	static const char *const what[2] = { "sensitivity", "specificity" };
	sra_buf *b = &c->b;
	sra_svg_interval *rows = sra__calloc(c->nruns * 3, sizeof(*rows));
	char (*labels)[64] = sra__calloc(c->nruns * 3, sizeof(*labels));
	size_t i, p, k, n;

	sra_buf_puts(b, "<section id=\"policies\"><h2>Uncertain final decisions</h2><p class=\"note\">The "
		     "same run with its uncertain final decisions counted as include, as exclude, or as "
		     "errors (always wrong); * marks the run's own policy.</p><div class=\"figs\">");
	for (k = 0; k < 2; k++) {
		n = 0;
		for (i = 0; i < c->nruns; i++)
			for (p = 0; p < 3; p++) {
				const json_t *m = jpath(c->runs[i].detail, "policies", pol[p], what[k], NULL);
				int d1, d2;

				if (!json_is_object(m))
					continue;
				snprintf(labels[n], sizeof(labels[n]), "%s%s%s%s", c->nruns > 1 ? c->runs[i].label : "",
					 c->nruns > 1 ? " \xc2\xb7 " : "", pol[p],
					 c->runs[i].policy == (sra_uncertain_policy)p ? " *" : "");
				rows[n].label = labels[n];
				rows[n].color = pol_color[p];
				rows[n].value = jnum(json_object_get(m, "value"), &rows[n].value_defined);
				rows[n].ci_low = jnum(json_object_get(m, "ci_low"), &d1);
				rows[n].ci_high = jnum(json_object_get(m, "ci_high"), &d2);
				rows[n].ci_defined = d1 && d2;
				n++;
			}
		sra_buf_printf(b, "<figure><figcaption>%s</figcaption>", k ? "Specificity" : "Sensitivity");
		sra_svg__forest(b, k ? "Specificity under each uncertain policy"
				     : "Sensitivity under each uncertain policy", rows, n, 0, 1, 0);
		sra_buf_puts(b, "</figure>");
	}
	sra_buf_puts(b, "</div></section>\n");
	free(rows);
	free(labels);
}

/* ---- calibration and histograms ----------------------------------------- */

/* whether a reviewer's decision agrees with the human one, its uncertain by the run's policy */
static int agrees(const char *decision, int human, sra_uncertain_policy policy)
{
	if (strcmp(decision, "include") == 0)
		return human == 1;
	if (strcmp(decision, "exclude") == 0)
		return human == 0;
	return policy == SRA_UNCERTAIN_INCLUDE ? human == 1 : policy == SRA_UNCERTAIN_EXCLUDE ? human == 0 : 0;
}

static int band_cb(void *payload, size_t ncols, const char *const *cells)
{
	report_run *r = payload;
	int human = sra_bm__bool_cell(cells[0]);
	size_t k;

	if (ncols < 1 + 2 * RV_N || human < 0)
		return 0;
	for (k = 0; k < RV_N; k++) {
		const char *d = cells[1 + 2 * k], *conf = cells[2 + 2 * k];
		double v;
		int band;

		if (!d || !conf)
			continue;
		v = strtod(conf, NULL);
		band = (int)(v * NBANDS);
		band = band < 0 ? 0 : band >= NBANDS ? NBANDS - 1 : band;
		r->bands[k][band].n++;
		r->bands[k][band].correct += agrees(d, human, r->policy);
	}
	return 0;
}

static int load_bands(report_ctx *c, report_run *r)
{
	sra_value p[1] = { SRA_VAL_TEXT(r->id) };
	size_t k, i;

	for (k = 0; k < RV_N; k++)
		for (i = 0; i < NBANDS; i++) {
			r->bands[k][i].lo = (double)i / NBANDS;
			r->bands[k][i].hi = (double)(i + 1) / NBANDS;
		}
	return sra_db__query_each(c->db, sra_db__is_pg(c->db)
		? "SELECT human_decision, conservative_decision, conservative_confidence, comprehensive_decision,"
		  " comprehensive_confidence, resolver_decision, resolver_confidence FROM benchmark_result_items"
		  " WHERE benchmark_run_id = CAST($1 AS uuid) AND human_decision IS NOT NULL"
		: "SELECT human_decision, conservative_decision, conservative_confidence, comprehensive_decision,"
		  " comprehensive_confidence, resolver_decision, resolver_confidence FROM benchmark_result_items"
		  " WHERE benchmark_run_id = $1 AND human_decision IS NOT NULL", p, 1, band_cb, r);
}

static void calibration_section(report_ctx *c)
{
	static const char *const cats[NBANDS] = { "0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7",
						  "0.8", "0.9" };
	sra_buf *b = &c->b;
	char title[96], v[32];
	size_t i, k, j;

	sra_buf_puts(b, "<section id=\"calibration\"><h2>Calibration and confidence</h2><p class=\"note\">"
		     "Each reviewer's decisions on records with a known human decision, in bands of "
		     "confidence (0.7 means 0.7 up to 0.8; 1.0 goes with 0.9). Calibration: the share that "
		     "agrees with the human decision, against the dashed line of perfect calibration; an "
		     "uncertain decision counts as the run's policy says. Histograms: how many decisions "
		     "fall in each band, and how many of them agree.</p>");
	for (i = 0; i < c->nruns; i++) {
		report_run *r = &c->runs[i];
		sra_svg_curve curves[RV_N];

		if (c->nruns > 1)
			sra_buf_printf(b, "<h3>%s</h3>", r->label);
		for (k = 0; k < RV_N; k++) {
			curves[k].name = rv_name[k];
			curves[k].color = rv_color[k];
			curves[k].bands = r->bands[k];
			curves[k].nbands = NBANDS;
		}
		snprintf(title, sizeof(title), "%s%scalibration of each reviewer", c->nruns > 1 ? r->label : "",
			 c->nruns > 1 ? ": " : "");
		sra_buf_puts(b, "<div class=\"figs\"><figure><figcaption>Calibration</figcaption>");
		sra_svg__calibration(b, title, curves, RV_N);
		sra_buf_puts(b, "</figure><div class=\"scroll\"><table><thead><tr><th>confidence</th>");
		for (k = 0; k < RV_N; k++)
			sra_buf_printf(b, "<th class=\"n\">%s</th>", rv_name[k]);
		sra_buf_puts(b, "</tr></thead><tbody>");
		for (j = 0; j < NBANDS; j++) {
			sra_buf_printf(b, "<tr><td>%s</td>", cats[j]);
			for (k = 0; k < RV_N; k++) {
				const sra_svg_band *bd = &r->bands[k][j];

				sra_buf_printf(b, "<td class=\"n\">%s <span class=\"ci\">(%lld/%lld)</span></td>",
					       sra_svg__fmt(v, sizeof(v), bd->n ? (double)bd->correct / (double)bd->n : 0,
							    bd->n > 0), (long long)bd->correct, (long long)bd->n);
			}
			sra_buf_puts(b, "</tr>");
		}
		sra_buf_puts(b, "</tbody></table></div></div><div class=\"figs\">");
		for (k = 0; k < RV_N; k++) {
			double agree[NBANDS], differ[NBANDS];
			sra_svg_series s[2] = { { "agrees", SRA_SVG_BLUE, agree }, { "differs", SRA_SVG_VERMILION, differ } };

			for (j = 0; j < NBANDS; j++) {
				agree[j] = (double)r->bands[k][j].correct;
				differ[j] = (double)(r->bands[k][j].n - r->bands[k][j].correct);
			}
			snprintf(title, sizeof(title), "%s%sconfidence histogram of the %s reviewer",
				 c->nruns > 1 ? r->label : "", c->nruns > 1 ? ": " : "", rv_name[k]);
			sra_buf_printf(b, "<figure><figcaption>Confidence of the %s reviewer</figcaption>", rv_name[k]);
			sra_svg__bars(b, title, cats, NBANDS, s, 2, 1);
			sra_buf_puts(b, "</figure>");
		}
		sra_buf_puts(b, "</div>");
	}
	sra_buf_puts(b, "</section>\n");
}

/* ---- usage --------------------------------------------------------------- */

static void usage_section(report_ctx *c)
{
	static const char *const who[4] = { "conservative", "comprehensive", "resolver", "total" };
	static const struct {
		const char *label, *key, *sub;
	} rows[] = {
		{ "calls", "calls", NULL }, { "calls with usage", "calls_with_usage", NULL },
		{ "input tokens", "input_tokens", NULL }, { "output tokens", "output_tokens", NULL },
		{ "latency p50 (ms)", "latency_ms", "p50" }, { "latency p95 (ms)", "latency_ms", "p95" },
		{ "latency max (ms)", "latency_ms", "max" }, { "wall time (ms)", "wall_ms", NULL },
		{ "cost (USD)", "cost_usd", NULL }, { "cost per record (USD)", "cost_per_record_usd", NULL },
		{ "cost per included (USD)", "cost_per_included_usd", NULL },
	};
	sra_buf *b = &c->b;
	size_t i, k, w;

	sra_buf_puts(b, "<section id=\"usage\"><h2>Usage and cost</h2>");
	for (i = 0; i < c->nruns; i++) {
		const report_run *r = &c->runs[i];
		const json_t *u = json_object_get(r->j, "usage");
		const json_t *U[4];
		double in[3], out[3];
		static const char *const cats[3] = { "conservative", "comprehensive", "resolver" };
		sra_svg_series s[2] = { { "input tokens", SRA_SVG_BLUE, in }, { "output tokens", SRA_SVG_ORANGE, out } };
		char title[96];

		if (!u)
			u = json_object_get(r->detail, "usage");
		if (c->nruns > 1)
			sra_buf_printf(b, "<h3>%s</h3>", r->label);
		if (!json_is_object(u)) {
			sra_buf_puts(b, "<p>This run records no usage (tokens, latency, cost).</p>");
			continue;
		}
		for (w = 0; w < 4; w++)
			U[w] = w < 3 ? jpath(u, "reviewers", who[w], NULL) : json_object_get(u, "total");
		sra_buf_puts(b, "<div class=\"figs\"><div class=\"scroll\"><table><thead><tr><th></th>");
		for (w = 0; w < 4; w++)
			sra_buf_printf(b, "<th class=\"n\">%s</th>", who[w]);
		sra_buf_puts(b, "</tr></thead><tbody>");
		for (k = 0; k < SRA_ARRAY_SIZE(rows); k++) {
			sra_buf_printf(b, "<tr><td>%s</td>", rows[k].label);
			for (w = 0; w < 4; w++) {
				const json_t *v = rows[k].sub ? jpath(U[w], rows[k].key, rows[k].sub, NULL)
							      : json_object_get(U[w], rows[k].key);

				sra_buf_puts(b, "<td class=\"n\">");
				if (json_is_integer(v))
					put_int(b, v);
				else if (json_is_number(v))
					sra_bm__put_double(b, json_number_value(v));
				else
					sra_buf_puts(b, "n/a");
				sra_buf_puts(b, "</td>");
			}
			sra_buf_puts(b, "</tr>");
		}
		sra_buf_puts(b, "</tbody></table></div>");
		for (w = 0; w < 3; w++) {
			int d;

			in[w] = jnum(json_object_get(U[w], "input_tokens"), &d);
			in[w] = d ? in[w] : 0;
			out[w] = jnum(json_object_get(U[w], "output_tokens"), &d);
			out[w] = d ? out[w] : 0;
		}
		snprintf(title, sizeof(title), "%s%stokens per reviewer", c->nruns > 1 ? r->label : "",
			 c->nruns > 1 ? ": " : "");
		sra_buf_puts(b, "<figure><figcaption>Tokens</figcaption>");
		sra_svg__bars(b, title, cats, 3, s, 2, 1);
		sra_buf_puts(b, "</figure></div>");
	}
	sra_buf_puts(b, "<p class=\"note\">n/a: not recorded (a call without usage is never counted as zero "
		     "tokens), or no price for a model.</p></section>\n");
}

/* ---- the leaderboard ----------------------------------------------------- */

/* sra_benchmark_compare()'s leaderboard, as a table; *json gets its document */
static int leaderboard_section(report_ctx *c, char **json)
{
	static const char *const cols[] = { "sensitivity", "specificity", "ppv", "f1_score", "cohen_kappa",
					    "wss" };
	static const char *const counts[] = { "tp", "fp", "fn", "tn" };
	sra_buf *b = &c->b;
	const char **ids = sra__calloc(c->nruns, sizeof(*ids));
	json_t *lb = NULL, *run, *key;
	size_t i, m, k;
	int error, costs = 0;

	for (i = 0; i < c->nruns; i++)
		ids[i] = c->runs[i].id;
	error = sra_benchmark_compare(json, c->db, ids, c->nruns, SRA_BENCHMARK_JSON);
	free(ids);
	if (error < 0)
		return error;
	if (!(lb = json_loads(*json, 0, NULL)))
		return sra_error_set(SRA_ERROR_BENCHMARK, SRA_ERROR, "cannot read the leaderboard back");
	json_array_foreach(json_object_get(lb, "runs"), i, run)
		costs |= json_is_object(json_object_get(run, "usage"));
	sra_buf_puts(b, "<section id=\"leaderboard\"><h2>Leaderboard</h2><p class=\"note\">The runs side by "
		     "side (<code>sra benchmark compare</code>): their settings, tables and the final decision's "
		     "main metrics with 95&#160;% intervals, and McNemar's exact test of each run against Run 1 on "
		     "the records both decided with a known human decision: how many only Run 1 got right / only "
		     "the run got right, the p-value and, in brackets, the p-value Holm-adjusted.</p>"
		     "<div class=\"scroll\"><table><thead><tr><th>run</th>");
	json_array_foreach(json_object_get(lb, "config_keys"), k, key) {
		sra_buf_puts(b, "<th>");
		esc(b, json_string_value(key));
		sra_buf_puts(b, "</th>");
	}
	for (m = 0; m < 4; m++)
		sra_buf_printf(b, "<th class=\"n\">%c%c</th>", counts[m][0] - 32, counts[m][1] - 32);
	for (m = 0; m < SRA_ARRAY_SIZE(cols); m++)
		sra_buf_printf(b, "<th>%s</th>", cols[m]);
	if (costs)
		sra_buf_puts(b, "<th class=\"n\">cost (USD)</th>");
	sra_buf_puts(b, "<th>McNemar vs Run 1</th></tr></thead><tbody>");
	json_array_foreach(json_object_get(lb, "runs"), i, run) {
		const json_t *mc = json_object_get(run, "mcnemar"), *cnt = json_object_get(run, "counts");

		sra_buf_printf(b, "<tr><td>Run %zu <code>%.8s</code></td>", i + 1,
			       json_string_value(json_object_get(run, "id")));
		json_array_foreach(json_object_get(lb, "config_keys"), k, key) {
			const json_t *x = json_object_get(json_object_get(run, "config"), json_string_value(key));

			sra_buf_puts(b, "<td>");
			if (x)
				put_json_value(b, x);
			sra_buf_puts(b, "</td>");
		}
		for (m = 0; m < 4; m++) {
			sra_buf_puts(b, "<td class=\"n\">");
			put_int(b, json_object_get(cnt, counts[m]));
			sra_buf_puts(b, "</td>");
		}
		for (m = 0; m < SRA_ARRAY_SIZE(cols); m++) {
			sra_buf_puts(b, "<td>");
			put_metric(b, jpath(run, "metrics", cols[m], NULL));
			sra_buf_puts(b, "</td>");
		}
		if (costs) {
			sra_buf_puts(b, "<td class=\"n\">");
			put_num(b, jpath(run, "usage", "cost_usd", NULL));
			sra_buf_puts(b, "</td>");
		}
		if (json_is_object(mc)) {
			sra_buf_puts(b, "<td>");
			put_int(b, json_object_get(mc, "reference_correct_only"));
			sra_buf_puts(b, " / ");
			put_int(b, json_object_get(mc, "run_correct_only"));
			sra_buf_puts(b, ", p = ");
			put_num(b, json_object_get(mc, "p_value"));
			sra_buf_puts(b, " [");
			put_num(b, json_object_get(mc, "p_holm"));
			sra_buf_puts(b, "]</td>");
		} else {
			sra_buf_puts(b, "<td>reference</td>");
		}
		sra_buf_puts(b, "</tr>");
	}
	sra_buf_puts(b, "</tbody></table></div></section>\n");
	json_decref(lb);
	return 0;
}

/* ---- false negatives and false positives -------------------------------- */

enum { ER_CLASS, ER_SOURCE, ER_TITLE, ER_HUMAN, ER_REV, ER_FINAL = ER_REV + 3 * RV_N, ER_NCOLS };

typedef struct {
	report_ctx *c;
	int64_t n;
} errors_ctx;

static int error_cb(void *payload, size_t ncols, const char *const *cells)
{
	errors_ctx *e = payload;
	sra_buf *b = &e->c->b;
	const char *cls = cells[ER_CLASS];
	size_t k;
	int human;

	if (ncols < ER_NCOLS || !cls)
		return sra_error_set(SRA_ERROR_BENCHMARK, SRA_EBACKEND, "unexpected item row");
	human = sra_bm__bool_cell(cells[ER_HUMAN]);
	sra_buf_printf(b, "<article class=\"rec %s\"><h4><span class=\"tag\">%s</span><code>", cls, cls);
	esc(b, cells[ER_SOURCE]);
	sra_buf_puts(b, "</code> ");
	esc(b, cells[ER_TITLE]);
	sra_buf_printf(b, "</h4><p>human <b>%s</b>, final <b>", human < 0 ? "unknown" : human ? "include" : "exclude");
	esc(b, cells[ER_FINAL]);
	sra_buf_puts(b, "</b></p>");
	for (k = 0; k < RV_N; k++) {
		const char *d = cells[ER_REV + 3 * k], *conf = cells[ER_REV + 3 * k + 1];
		const char *why = cells[ER_REV + 3 * k + 2];

		if (!d)
			continue;
		sra_buf_printf(b, "<p><span class=\"who\">%s</span> <b>", rv_name[k]);
		esc(b, d);
		sra_buf_puts(b, "</b>");
		if (conf) {
			sra_buf_puts(b, " (confidence ");
			sra_bm__put_double(b, strtod(conf, NULL));
			sra_buf_puts(b, ")");
		}
		if (why && *why) {
			sra_buf_puts(b, ": ");
			esc(b, why);
		}
		sra_buf_puts(b, "</p>");
	}
	sra_buf_puts(b, "</article>\n");
	e->n++;
	if (b->size >= 64 * 1024)
		pump(e->c);
	return e->c->out.error;
}

static int errors_of(report_ctx *c, const report_run *r, const char *cls)
{
	errors_ctx e = { c, 0 };
	sra_value p[2] = { SRA_VAL_TEXT(r->id), SRA_VAL_TEXT(cls) };
	const json_t *counts = r->detail ? jpath(r->detail, "final", "counts", NULL) : json_object_get(r->j, "counts");
	int fn = strcmp(cls, "FN") == 0, error;

	sra_buf_printf(&c->b, "<h3>%s (", fn ? "False negatives: the humans included, the AI did not"
					     : "False positives: the AI included, the humans did not");
	put_int(&c->b, json_object_get(counts, fn ? "fn" : "fp"));
	sra_buf_puts(&c->b, ")</h3>");
	/* source ids in byte order on both databases */
	error = sra_db__query_each(c->db, sra_db__is_pg(c->db)
		? "SELECT i.classification, sr.source_id, sr.title, i.human_decision,"
		  " i.conservative_decision, i.conservative_confidence, i.conservative_rationale,"
		  " i.comprehensive_decision, i.comprehensive_confidence, i.comprehensive_rationale,"
		  " i.resolver_decision, i.resolver_confidence, i.resolver_reasoning, i.final_decision"
		  " FROM benchmark_result_items i JOIN search_results sr ON sr.id = i.search_result_id"
		  " WHERE i.benchmark_run_id = CAST($1 AS uuid) AND i.classification = $2"
		  " ORDER BY sr.source_id COLLATE \"C\", CAST(sr.id AS text)"
		: "SELECT i.classification, sr.source_id, sr.title, i.human_decision,"
		  " i.conservative_decision, i.conservative_confidence, i.conservative_rationale,"
		  " i.comprehensive_decision, i.comprehensive_confidence, i.comprehensive_rationale,"
		  " i.resolver_decision, i.resolver_confidence, i.resolver_reasoning, i.final_decision"
		  " FROM benchmark_result_items i JOIN search_results sr ON sr.id = i.search_result_id"
		  " WHERE i.benchmark_run_id = $1 AND i.classification = $2"
		  " ORDER BY sr.source_id, sr.id", p, 2, error_cb, &e);
	if (error > 0)
		error = c->out.error ? c->out.error : SRA_EUSER;
	if (error == 0 && e.n == 0)
		sra_buf_puts(&c->b, "<p>None.</p>");
	return error;
}

static int errors_section(report_ctx *c)
{
	sra_buf *b = &c->b;
	size_t i;
	int error = 0;

	sra_buf_puts(b, "<section id=\"errors\"><h2>False negatives and false positives</h2><p class=\"note\">"
		     "Every record the final decision got wrong, by source id, with each reviewer's decision, "
		     "confidence and rationale (the resolver's when it was asked). Records the AI got right "
		     "are left out.</p>");
	for (i = 0; i < c->nruns && error == 0; i++) {
		if (c->nruns > 1)
			sra_buf_printf(b, "<h3>%s</h3>", c->runs[i].label);
		if ((error = errors_of(c, &c->runs[i], "FN")) == 0)
			error = errors_of(c, &c->runs[i], "FP");
	}
	sra_buf_puts(b, "</section>\n");
	return error;
}

/* ---- the data ------------------------------------------------------------ */

/* JSON text with every '<' as \u003c: no "</script>" can close its block early */
static void put_script_json(sra_buf *b, const char *s)
{
	for (; *s; s++) {
		size_t run = strcspn(s, "<");

		sra_buf_put(b, s, run);
		s += run;
		if (!*s)
			break;
		sra_buf_puts(b, "\\u003c");
	}
}

/* the show objects as a JSON array; with several runs the leaderboard in a block of its own */
static void data_block(report_ctx *c, const char *leaderboard)
{
	sra_buf *b = &c->b;
	size_t i;

	sra_buf_puts(b, "<script type=\"application/json\" id=\"sra-report-data\">[\n");
	for (i = 0; i < c->nruns; i++) {
		put_script_json(b, c->runs[i].show);
		sra_buf_puts(b, i + 1 < c->nruns ? ",\n" : "\n");
	}
	sra_buf_puts(b, "]</script>\n");
	if (leaderboard) {
		sra_buf_puts(b, "<script type=\"application/json\" id=\"sra-report-leaderboard\">");
		put_script_json(b, leaderboard);
		sra_buf_puts(b, "</script>\n");
	}
}

static void page_foot(report_ctx *c, const char *leaderboard)
{
	sra_buf *b = &c->b;

	sra_buf_puts(b, "<footer><p>Made by sra " SRA_VERSION);
	if (c->timestamp) {
		char when[32];
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		sra_buf_printf(b, " on %s UTC", when);
	}
	sra_buf_puts(b, ". The figures' data is in this page, as the JSON block <code>sra-report-data</code>: "
		     "for each run what <code>sra benchmark show RUN --json</code> prints");
	if (leaderboard)
		sra_buf_puts(b, "; and the leaderboard, what <code>sra benchmark compare RUN... --json</code> "
			     "prints, as <code>sra-report-leaderboard</code>");
	sra_buf_puts(b, ".</p></footer>\n</main>\n");
	data_block(c, leaderboard);
	sra_buf_puts(b, "</body>\n</html>\n");
}

/* ---- the page ------------------------------------------------------------ */

static void runs_dispose(report_run *runs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(runs[i].show);
		json_decref(runs[i].j);
	}
	free(runs);
}

static int load_runs(report_ctx *c, const char *const *ids, size_t n)
{
	size_t i;
	int error;

	c->runs = sra__calloc(n, sizeof(*c->runs));
	c->nruns = n;
	for (i = 0; i < n; i++) {
		report_run *r = &c->runs[i];
		const char *policy;
		const json_t *d;

		if ((error = sra_benchmark_show(&r->show, c->db, ids[i], SRA_BENCHMARK_JSON, 0)) < 0)
			return error;
		if (!(r->j = json_loads(r->show, 0, NULL)))
			return sra_error_set(SRA_ERROR_BENCHMARK, SRA_ERROR, "cannot read run %s back", ids[i]);
		r->id = json_string_value(json_object_get(r->j, "id"));
		d = json_object_get(r->j, "metrics_detail");
		r->detail = json_is_object(d) ? d : NULL;
		policy = json_string_value(json_object_get(r->j, "uncertain_policy"));
		if (!policy || sra_uncertain_policy_parse(&r->policy, policy) < 0)
			r->policy = SRA_UNCERTAIN_INCLUDE;
		snprintf(r->label, sizeof(r->label), "Run %zu", i + 1);
		if (i && strcmp(json_string_value(json_object_get(r->j, "review_id")),
				json_string_value(json_object_get(c->runs[0].j, "review_id"))) != 0)
			return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
				"runs %.8s and %.8s belong to different reviews (%s, %s): a report covers one review",
				c->runs[0].id, r->id, json_string_value(json_object_get(c->runs[0].j, "review_id")),
				json_string_value(json_object_get(r->j, "review_id")));
		if ((error = load_bands(c, r)) < 0)
			return error;
	}
	return 0;
}

int sra_benchmark_report(sra_db *db, const char *const *runs, size_t nruns, const sra_report_options *opts,
			 sra_benchmark_write_fn write, void *payload)
{
	report_ctx c;
	sra_review *review = NULL;
	char *leaderboard = NULL;	/* sra_benchmark_compare()'s JSON, with several runs */
	int error;

	SRA_ASSERT_ARG(db && runs && nruns && write);
	memset(&c, 0, sizeof(c));
	c.db = db;
	c.timestamp = opts && opts->timestamp;
	c.out.write = write;
	c.out.payload = payload;
	if ((error = load_runs(&c, runs, nruns)) < 0 ||
	    (error = sra_review_get(&review, db, json_string_value(json_object_get(c.runs[0].j, "review_id")))) < 0)
		goto done;
	page_head(&c, sra_review_question(review));
	sra_buf_puts(&c.b, "<header><h1>Benchmark report</h1><p class=\"lead\">");
	esc(&c.b, sra_review_question(review));
	sra_buf_puts(&c.b, "</p><nav><a href=\"#review\">Review</a><a href=\"#runs\">Runs</a>");
	if (nruns > 1)
		sra_buf_puts(&c.b, "<a href=\"#leaderboard\">Leaderboard</a>");
	sra_buf_puts(&c.b, "<a href=\"#tables\">2&#215;2</a><a href=\"#metrics\">Metrics</a>"
		     "<a href=\"#agreement\">Agreement</a><a href=\"#policies\">Uncertain</a>"
		     "<a href=\"#calibration\">Calibration</a><a href=\"#usage\">Usage</a>"
		     "<a href=\"#errors\">FN and FP</a></nav></header>\n");
	review_section(&c, review);
	runs_section(&c);
	if (nruns > 1 && (error = leaderboard_section(&c, &leaderboard)) < 0)
		goto done;
	tables_section(&c);
	metrics_section(&c);
	agreement_section(&c);
	policies_section(&c);
	calibration_section(&c);
	usage_section(&c);
	pump(&c);
	if ((error = errors_section(&c)) < 0)
		goto done;
	page_foot(&c, leaderboard);
	pump(&c);
	error = sra_bm__out_flush(&c.out);
	if (error > 0)
		error = SRA_EUSER;
done:
	free(leaderboard);
	sra_review_free(review);
	runs_dispose(c.runs, c.nruns);
	sra_bm__out_dispose(&c.out);
	sra_buf_dispose(&c.b);
	return error;
}

typedef struct {
	sra_db *db;
	const char *const *runs;
	size_t nruns;
	const sra_report_options *opts;
} report_args;

static int produce_report(void *ctx, sra_benchmark_write_fn write, void *payload)
{
	report_args *a = ctx;

	return sra_benchmark_report(a->db, a->runs, a->nruns, a->opts, write, payload);
}

int sra_benchmark_report_file(sra_db *db, const char *const *runs, size_t nruns,
			      const sra_report_options *opts, const char *path)
{
	report_args a = { db, runs, nruns, opts };

	SRA_ASSERT_ARG(db && runs && nruns && path && *path);
	return sra_bm__write_file(path, produce_report, &a);
}
