/*
 * `sra import decisions`: the AI reviewers' and the resolver's decisions
 * (benchmark.md, "AI decisions"), one per line of a JSON Lines file or one
 * per row of a CSV/TSV file with the same column names.
 *
 * Each decision is checked in C first (so a bad line never reaches the
 * database and, on PostgreSQL, never aborts the transaction), then written:
 * a reviewer's decision as a screen_abstract_results row linked from the
 * record's conservative_result_id / comprehensive_result_id, a resolver's as
 * a screening_resolutions row linked from resolution_id.  A decision equal
 * to the one already linked writes nothing.  At the end every screened
 * record of the review gets its final_decision recomputed by the one rule
 * of final_decision.c, in one statement.  All in one transaction.
 */
#include "import_int.h"
#include "final_decision.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <time.h>
#include "util/uuid.h"

enum { R_CONSERVATIVE, R_COMPREHENSIVE, R_RESOLVER };
static const char *const reviewer_names[] = { "conservative", "comprehensive", "resolver" };

/* one checked decision; the strings point into the JSON object or `own` */
typedef struct decision {
	size_t line;
	char *source_id;
	const char *source_db;		/* optional */
	int reviewer;
	const char *decision;		/* include, exclude, uncertain */
	double confidence;
	const char *rationale;
	const char *model;
	char *quotes;			/* array text of the dialect, or NULL */
	char *exclusion;		/* JSON text */
	char *metadata;			/* JSON text */
	char trace_id[37], run_id[37];	/* "" when absent */
	char *start_time, *end_time;	/* NULL when absent */
} decision;

typedef struct dec_ctx {
	sra_db *db;
	int pg;
	const char *path;		/* for messages */
	const char *file;		/* what to open (sra_import__input) */
	const char *review;
	const sra_import_options *opts;
	sra_import_summary *sum;
	sra_import__set seen;
	double t0, last_report;
	uint64_t rows, bytes_done, bytes_total;
	/* CSV: the header */
	int have_header;
	char **header;
	size_t ncols;
} dec_ctx;

static void decision_dispose(decision *d)
{
	free(d->source_id);
	free(d->quotes);
	free(d->exclusion);
	free(d->metadata);
	free(d->start_time);
	free(d->end_time);
	memset(d, 0, sizeof(*d));
}

static int bad_line(dec_ctx *c, size_t line, const char *fmt, ...) SRA_PRINTF(3, 4);
static int bad_line(dec_ctx *c, size_t line, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = sra_import__problem(c->sum, c->opts->skip_invalid, c->path, line, fmt, ap);
	va_end(ap);
	return error;
}

/* ---- timestamps ------------------------------------------------------------ */

static int digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int days_in_month(int y, int mo)
{
	static const int n[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return n[mo - 1];
}

/*
 * An ISO-8601 date and time (YYYY-MM-DD[T ]HH:MM[:SS[.frac]][Z|±HH[:MM]]);
 * written to *out as UTC "YYYY-MM-DDTHH:MM:SS.mmmZ" (SQLite) or with
 * microseconds (PostgreSQL).  Impossible values (2024-02-31, hour 25, second 60,
 * offset +99:99, year 0) are refused here, on both databases, and never
 * adjusted: PostgreSQL would raise a server error, SQLite would store them.
 * NULL when good; else why not (static text, or written into why[64]).
 */
static const char *parse_time(char **out, const char *s, int pg, char why[64])
{
	const char *p = s;
	struct tm tm;
	int y, mo, d, h, mi, sec = 0, us = 0, off = 0;
	time_t t;
	static const char *const form = "is not an ISO-8601 date and time (YYYY-MM-DDTHH:MM[:SS[.fff]][Z|+HH:MM])";

	memset(&tm, 0, sizeof(tm));
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d))
		return form;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return form;
	p++;
	if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
		return form;
	if (*p == ':') {
		p++;
		if (digits(&p, 2, &sec))
			return form;
		if (*p == '.' || *p == ',') {
			int k = 0;
			p++;
			if (*p < '0' || *p > '9')
				return form;
			while (*p >= '0' && *p <= '9') {
				if (k++ < 6)
					us = us * 10 + (*p - '0');
				p++;
			}
			while (k++ < 6)
				us *= 10;
		}
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
		if (digits(&p, 2, &oh))
			return form;
		if (*p == ':')
			p++;
		if (*p >= '0' && *p <= '9' && digits(&p, 2, &om))
			return form;
		if (oh > 14 || om > 59 || oh * 60 + om > 14 * 60)
			return "has an impossible UTC offset (at most ±14:00)";
		off = sign * (oh * 60 + om);
	}
	if (*p)
		return form;
	if (y < 1)
		return "has the impossible year 0000";
	if (mo < 1 || mo > 12) {
		snprintf(why, 64, "has the impossible month %02d", mo);
		return why;
	}
	if (d < 1 || d > days_in_month(y, mo)) {
		snprintf(why, 64, "has the impossible day %02d (%04d-%02d has %d days)", d, y, mo, days_in_month(y, mo));
		return why;
	}
	if (h > 23 || mi > 59 || sec > 59) {
		snprintf(why, 64, "has the impossible time of day %02d:%02d:%02d", h, mi, sec);
		return why;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm) - (time_t)off * 60;
	if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999)
		return "is out of range once moved to UTC (years 0001-9999)";
	if (pg)	/* microseconds, as timestamptz keeps them; the server parses only what was checked here */
		*out = sra__sprintf("%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900, tm.tm_mon + 1,
				    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, us);
	else
		*out = sra__sprintf("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
				    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, us / 1000);
	return NULL;
}

/* ---- checking one decision --------------------------------------------------- */

static const char *str_or_null(json_t *o, const char *key, int *bad)
{
	json_t *v = json_object_get(o, key);

	*bad = 0;
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

static char *json_text(json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
}

/* Check obj; fill d.  0 ok; else bad_line's result (0 with skip_invalid: d->line = 0). */
static int check(dec_ctx *c, decision *d, json_t *obj, size_t line)
{
	json_t *v;
	const char *s, *why;
	char whybuf[64];
	int bad;
	size_t i;

	memset(d, 0, sizeof(*d));
	if (!json_is_object(obj))
		return bad_line(c, line, "expected a JSON object");
	/* source_id: a string, or a whole number */
	v = json_object_get(obj, "source_id");
	if (json_is_string(v) && *json_string_value(v)) {
		const char *p = json_string_value(v);
		size_t n = strlen(p);
		sra_import__trim(&p, &n);
		d->source_id = sra__strndup(p, sra_import__whole_len(p, n));
	} else if (json_is_integer(v)) {
		d->source_id = sra__sprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
	} else if (json_is_real(v) && json_real_value(v) == floor(json_real_value(v)) && fabs(json_real_value(v)) < 1e15) {
		d->source_id = sra__sprintf("%.0f", json_real_value(v));
	} else {
		return bad_line(c, line, "source_id is missing or not a string");
	}
	if (!*d->source_id)
		return bad_line(c, line, "source_id is empty");
	d->source_db = str_or_null(obj, "source_db", &bad);
	if (bad || (d->source_db && !(d->source_db = sra_import__source_db_label(d->source_db, strlen(d->source_db)))))
		return bad_line(c, line, "source_db must be PubMed, Scopus, Embase, Other or benchmark_csv");

	s = str_or_null(obj, "reviewer", &bad);
	d->reviewer = -1;
	for (i = 0; s && i < SRA_ARRAY_SIZE(reviewer_names); i++)
		if (sra_import__eq(s, strlen(s), reviewer_names[i]))
			d->reviewer = (int)i;
	if (d->reviewer < 0)
		return bad_line(c, line, "source_id '%s': reviewer must be conservative, comprehensive or resolver, got %s%s%s",
				d->source_id, s ? "'" : "", s ? s : "none", s ? "'" : "");

	s = str_or_null(obj, "decision", &bad);
	if (s && sra_import__eq(s, strlen(s), "include"))
		d->decision = "include";
	else if (s && sra_import__eq(s, strlen(s), "exclude"))
		d->decision = "exclude";
	else if (s && sra_import__eq(s, strlen(s), "uncertain"))
		d->decision = "uncertain";
	else
		return bad_line(c, line, "source_id '%s': decision must be include, exclude or uncertain, got %s%s%s",
				d->source_id, s ? "'" : "", s ? s : "none", s ? "'" : "");

	v = json_object_get(obj, "confidence");
	if (!json_is_number(v))
		return bad_line(c, line, "source_id '%s': confidence must be a number from 0 to 1%s",
				d->source_id, v ? "" : " (missing)");
	d->confidence = json_number_value(v);
	if (!(d->confidence >= 0.0 && d->confidence <= 1.0))
		return bad_line(c, line, "source_id '%s': confidence %.17g is outside [0, 1]", d->source_id, d->confidence);

	d->rationale = str_or_null(obj, "rationale", &bad);
	if (bad)
		return bad_line(c, line, "source_id '%s': rationale must be a string", d->source_id);
	if (!d->rationale)
		d->rationale = "";
	d->model = str_or_null(obj, "model", &bad);
	if (bad)
		return bad_line(c, line, "source_id '%s': model must be a string", d->source_id);
	if (!d->model || !*d->model)
		d->model = "unknown";

	v = json_object_get(obj, "quotes");
	if (v && !json_is_null(v)) {
		sra_buf b = SRA_BUF_INIT;
		json_t *q;
		size_t k;
		if (!json_is_array(v))
			return bad_line(c, line, "source_id '%s': quotes must be an array of strings", d->source_id);
		sra_buf_putc(&b, c->pg ? '{' : '[');
		json_array_foreach(v, k, q) {
			if (!json_is_string(q)) {
				sra_buf_dispose(&b);
				return bad_line(c, line, "source_id '%s': quotes must be an array of strings", d->source_id);
			}
			if (k)
				sra_buf_putc(&b, ',');
			if (c->pg)
				sra_import__pg_array_elem(&b, json_string_value(q), json_string_length(q));
			else
				sra_import__json_string(&b, json_string_value(q), json_string_length(q));
		}
		sra_buf_putc(&b, c->pg ? '}' : ']');
		d->quotes = sra_buf_detach(&b);
	}
	v = json_object_get(obj, "exclusion_reasons");
	if (v && !json_is_null(v) && !json_is_object(v) && !json_is_array(v))
		return bad_line(c, line, "source_id '%s': exclusion_reasons must be a JSON object", d->source_id);
	d->exclusion = v && !json_is_null(v) ? json_text(v) : sra__strdup("{}");
	v = json_object_get(obj, "response_metadata");
	if (v && !json_is_null(v) && !json_is_object(v))
		return bad_line(c, line, "source_id '%s': response_metadata must be a JSON object", d->source_id);
	d->metadata = v && !json_is_null(v) ? json_text(v) : sra__strdup("{}");

	s = str_or_null(obj, "trace_id", &bad);
	if (bad || (s && sra__uuid_norm(d->trace_id, s) < 0))
		return bad_line(c, line, "source_id '%s': trace_id is not a UUID", d->source_id);
	s = str_or_null(obj, "run_id", &bad);
	if (bad || (s && sra__uuid_norm(d->run_id, s) < 0))
		return bad_line(c, line, "source_id '%s': run_id is not a UUID", d->source_id);
	s = str_or_null(obj, "start_time", &bad);
	if (bad)
		return bad_line(c, line, "source_id '%s': start_time is not a string", d->source_id);
	if (s && (why = parse_time(&d->start_time, s, c->pg, whybuf)))
		return bad_line(c, line, "source_id '%s': start_time '%.40s' %s", d->source_id, s, why);
	s = str_or_null(obj, "end_time", &bad);
	if (bad)
		return bad_line(c, line, "source_id '%s': end_time is not a string", d->source_id);
	if (s && (why = parse_time(&d->end_time, s, c->pg, whybuf)))
		return bad_line(c, line, "source_id '%s': end_time '%.40s' %s", d->source_id, s, why);
	d->line = line;
	return 0;
}

/* ---- writing one decision ---------------------------------------------------- */

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

/* SQL per dialect: [0] PostgreSQL, [1] SQLite */
static const char *const find_sql[2] = {
	"SELECT id, conservative_result_id, comprehensive_result_id, resolution_id FROM search_results "
	"WHERE review_id = $1::uuid AND source_id = $2 AND ($3::text IS NULL OR source_db::text = $3)",
	"SELECT id, conservative_result_id, comprehensive_result_id, resolution_id FROM search_results "
	"WHERE review_id = $1 AND source_id = $2 AND ($3 IS NULL OR source_db = $3)"
};

/* $1 id, $2 decision, $3 confidence, $4 rationale, $5 model, $6 quotes, $7 exclusion,
 * $8 trace, $9 start, $10 end, $11 metadata, $12 strategy, $13 review */
static const char *const same_result_sql[2] = {
	"SELECT 1 FROM screen_abstract_results WHERE id = $1::uuid AND decision = $2::screeningdecisiontype "
	"AND confidence_score = $3::float8 AND rationale = $4 AND model_name = $5 "
	"AND extracted_quotes IS NOT DISTINCT FROM $6::text[] AND exclusion_reason_categories = $7::jsonb "
	"AND trace_id IS NOT DISTINCT FROM $8::uuid AND start_time IS NOT DISTINCT FROM $9::timestamptz "
	"AND end_time IS NOT DISTINCT FROM $10::timestamptz AND response_metadata = $11::jsonb "
	"AND screening_strategy = $12::screeningstrategytype AND review_id = $13::uuid",
	"SELECT 1 FROM screen_abstract_results WHERE id = $1 AND decision = $2 "
	"AND confidence_score = $3 AND rationale = $4 AND model_name = $5 "
	"AND extracted_quotes IS $6 AND json(exclusion_reason_categories) = json($7) "
	"AND trace_id IS $8 AND start_time IS $9 AND end_time IS $10 "
	"AND json(response_metadata) = json($11) AND screening_strategy = $12 AND review_id = $13"
};

static const char *const insert_result_sql[2] = {
	"INSERT INTO screen_abstract_results (id, decision, confidence_score, rationale, model_name, "
	"extracted_quotes, exclusion_reason_categories, trace_id, start_time, end_time, response_metadata, "
	"screening_strategy, review_id) VALUES ($1::uuid, $2::screeningdecisiontype, $3::float8, $4, $5, "
	"$6::text[], $7::jsonb, $8::uuid, $9::timestamptz, $10::timestamptz, $11::jsonb, "
	"$12::screeningstrategytype, $13::uuid)",
	"INSERT INTO screen_abstract_results (id, decision, confidence_score, rationale, model_name, "
	"extracted_quotes, exclusion_reason_categories, trace_id, start_time, end_time, response_metadata, "
	"screening_strategy, review_id) VALUES ($1, $2, $3, $4, $5, $6, json($7), $8, $9, $10, json($11), $12, $13)"
};

static const char *const update_result_sql[2] = {
	"UPDATE screen_abstract_results SET decision = $2::screeningdecisiontype, confidence_score = $3::float8, "
	"rationale = $4, model_name = $5, extracted_quotes = $6::text[], exclusion_reason_categories = $7::jsonb, "
	"trace_id = $8::uuid, start_time = $9::timestamptz, end_time = $10::timestamptz, "
	"response_metadata = $11::jsonb, screening_strategy = $12::screeningstrategytype "
	"WHERE id = $1::uuid AND review_id = $13::uuid",
	"UPDATE screen_abstract_results SET decision = $2, confidence_score = $3, rationale = $4, "
	"model_name = $5, extracted_quotes = $6, exclusion_reason_categories = json($7), trace_id = $8, "
	"start_time = $9, end_time = $10, response_metadata = json($11), screening_strategy = $12 "
	"WHERE id = $1 AND review_id = $13"
};

/* $1 id, $2 decision, $3 confidence, $4 reasoning, $5 model, $6 metadata, $7 trace,
 * $8 start, $9 end, $10 record, $11 review */
static const char *const same_resolution_sql[2] = {
	"SELECT 1 FROM screening_resolutions WHERE id = $1::uuid AND resolver_decision = $2::screeningdecisiontype "
	"AND resolver_confidence_score = $3::float8 AND resolver_reasoning = $4 "
	"AND resolver_model_name IS NOT DISTINCT FROM $5 AND response_metadata = $6::jsonb "
	"AND trace_id IS NOT DISTINCT FROM $7::uuid AND start_time IS NOT DISTINCT FROM $8::timestamptz "
	"AND end_time IS NOT DISTINCT FROM $9::timestamptz AND search_result_id = $10::uuid AND review_id = $11::uuid",
	"SELECT 1 FROM screening_resolutions WHERE id = $1 AND resolver_decision = $2 "
	"AND resolver_confidence_score = $3 AND resolver_reasoning = $4 AND resolver_model_name IS $5 "
	"AND json(response_metadata) = json($6) AND trace_id IS $7 AND start_time IS $8 AND end_time IS $9 "
	"AND search_result_id = $10 AND review_id = $11"
};

static const char *const insert_resolution_sql[2] = {
	"INSERT INTO screening_resolutions (id, resolver_decision, resolver_confidence_score, resolver_reasoning, "
	"resolver_model_name, response_metadata, trace_id, start_time, end_time, search_result_id, review_id) "
	"VALUES ($1::uuid, $2::screeningdecisiontype, $3::float8, $4, $5, $6::jsonb, $7::uuid, $8::timestamptz, "
	"$9::timestamptz, $10::uuid, $11::uuid)",
	"INSERT INTO screening_resolutions (id, resolver_decision, resolver_confidence_score, resolver_reasoning, "
	"resolver_model_name, response_metadata, trace_id, start_time, end_time, search_result_id, review_id) "
	"VALUES ($1, $2, $3, $4, $5, json($6), $7, $8, $9, $10, $11)"
};

static const char *const update_resolution_sql[2] = {
	"UPDATE screening_resolutions SET resolver_decision = $2::screeningdecisiontype, "
	"resolver_confidence_score = $3::float8, resolver_reasoning = $4, resolver_model_name = $5, "
	"response_metadata = $6::jsonb, trace_id = $7::uuid, start_time = $8::timestamptz, "
	"end_time = $9::timestamptz, search_result_id = $10::uuid WHERE id = $1::uuid AND review_id = $11::uuid",
	"UPDATE screening_resolutions SET resolver_decision = $2, resolver_confidence_score = $3, "
	"resolver_reasoning = $4, resolver_model_name = $5, response_metadata = json($6), trace_id = $7, "
	"start_time = $8, end_time = $9, search_result_id = $10 WHERE id = $1 AND review_id = $11"
};

/* the review an existing row belongs to: "" when there is no such row */
static const char *const owner_sql[2][2] = {
	{ "SELECT review_id FROM screen_abstract_results WHERE id = $1::uuid",
	  "SELECT review_id FROM screening_resolutions WHERE id = $1::uuid" },
	{ "SELECT review_id FROM screen_abstract_results WHERE id = $1",
	  "SELECT review_id FROM screening_resolutions WHERE id = $1" }
};

static const char *const link_sql[2][3] = {
	{ "UPDATE search_results SET conservative_result_id = $1::uuid WHERE id = $2::uuid",
	  "UPDATE search_results SET comprehensive_result_id = $1::uuid WHERE id = $2::uuid",
	  "UPDATE search_results SET resolution_id = $1::uuid WHERE id = $2::uuid" },
	{ "UPDATE search_results SET conservative_result_id = $1 WHERE id = $2",
	  "UPDATE search_results SET comprehensive_result_id = $1 WHERE id = $2",
	  "UPDATE search_results SET resolution_id = $1 WHERE id = $2" }
};

/*
 * A run_id becomes a row's id, so one that is already another record's (or
 * the other reviewer's) decision would move that decision here.  $1 the
 * run_id, $2 this record: who else links the row, and as what.
 */
static const char *const taken_result_sql[2] = {
	"SELECT s.source_id, CASE WHEN s.conservative_result_id = $1::uuid THEN 'conservative' "
	"ELSE 'comprehensive' END, s.id::text FROM search_results s "
	"WHERE s.conservative_result_id = $1::uuid OR s.comprehensive_result_id = $1::uuid "
	"UNION ALL SELECT NULL, CAST(screening_strategy AS text), NULL FROM screen_abstract_results WHERE id = $1::uuid",
	"SELECT s.source_id, CASE WHEN s.conservative_result_id = $1 THEN 'conservative' "
	"ELSE 'comprehensive' END, s.id FROM search_results s "
	"WHERE s.conservative_result_id = $1 OR s.comprehensive_result_id = $1 "
	"UNION ALL SELECT NULL, screening_strategy, NULL FROM screen_abstract_results WHERE id = $1"
};
static const char *const taken_resolution_sql[2] = {
	"SELECT s.source_id FROM search_results s WHERE s.resolution_id = $1::uuid AND s.id <> $2::uuid "
	"UNION ALL SELECT s.source_id FROM screening_resolutions r JOIN search_results s ON s.id = r.search_result_id "
	"WHERE r.id = $1::uuid AND r.search_result_id <> $2::uuid",
	"SELECT s.source_id FROM search_results s WHERE s.resolution_id = $1 AND s.id <> $2 "
	"UNION ALL SELECT s.source_id FROM screening_resolutions r JOIN search_results s ON s.id = r.search_result_id "
	"WHERE r.id = $1 AND r.search_result_id <> $2"
};

/* 0 when d's run_id is free or already this record's and this reviewer's; < 0 the error;
 * 1 refused and skipped (skip_invalid) */
static int run_id_taken(dec_ctx *c, const decision *d, const char *record)
{
	int k = c->pg ? 0 : 1, error;
	sra_rows *rows = NULL;
	sra_value p[2] = { SRA_VAL_TEXT(d->run_id), SRA_VAL_TEXT(record) };
	const char *me = reviewer_names[d->reviewer];
	size_t i;

	if (d->reviewer == R_RESOLVER) {
		if ((error = sra_db__query(&rows, c->db, taken_resolution_sql[k], p, 2)) < 0)
			return error;
		if (rows->nrows) {
			error = bad_line(c, d->line, "source_id '%s': run_id %s is already the resolution of record '%s'; "
					 "a run_id names one decision, refused", d->source_id, d->run_id,
					 sra_rows_get(rows, 0, 0));
			error = error < 0 ? error : 1;
		}
		sra_rows_free(rows);
		return error;
	}
	if ((error = sra_db__query(&rows, c->db, taken_result_sql[k], p, 1)) < 0)
		return error;
	for (i = 0; i < rows->nrows && error == 0; i++) {
		const char *other = sra_rows_get(rows, i, 0), *role = sra_rows_get(rows, i, 1);
		const char *id = sra_rows_get(rows, i, 2);
		if (other && id && (strcmp(id, record) != 0 || strcmp(role, me) != 0)) {
			error = bad_line(c, d->line, "source_id '%s': run_id %s is already the %s decision of record '%s'; "
					 "a run_id names one decision, refused", d->source_id, d->run_id, role, other);
			error = error < 0 ? error : 1;
		} else if (!other && role && strcmp(role, me) != 0) {
			error = bad_line(c, d->line, "source_id '%s': run_id %s is already a %s decision, not a %s one; "
					 "a run_id names one decision, refused", d->source_id, d->run_id, role, me);
			error = error < 0 ? error : 1;
		}
	}
	sra_rows_free(rows);
	return error;
}

static int write_decision(dec_ctx *c, decision *d)
{
	int k = c->pg ? 0 : 1, resolver = d->reviewer == R_RESOLVER, error;
	sra_rows *rows = NULL;
	sra_value p[13];
	char record[64] = "", linked[64] = "", newid[37];
	const char *target, *id;
	size_t prev;
	int exists = 0;

	/* the record */
	p[0] = SRA_VAL_TEXT(c->review);
	p[1] = SRA_VAL_TEXT(d->source_id);
	p[2] = SRA_VAL_TEXT(d->source_db);
	if ((error = sra_db__query(&rows, c->db, find_sql[k], p, 3)) < 0)
		goto done;
	if (rows->nrows == 0) {
		error = bad_line(c, d->line, "source_id '%s' is not a record of review %s (import the records first)",
				 d->source_id, c->review);
		goto done;
	}
	if (rows->nrows > 1) {
		error = bad_line(c, d->line, "source_id '%s' names %zu records of different source databases: add \"source_db\"",
				 d->source_id, rows->nrows);
		goto done;
	}
	/* one decision per record and reviewer in a file */
	{
		sra_buf key = SRA_BUF_INIT;
		int dup;
		sra_buf_printf(&key, "%d\t%s", d->reviewer, sra_rows_get(rows, 0, 0));
		dup = sra_import__set_add(&c->seen, key.ptr, key.size, d->line, &prev);
		sra_buf_dispose(&key);
		if (dup) {
			error = bad_line(c, d->line, "source_id '%s': a second %s decision (the first is on line %zu)",
					 d->source_id, reviewer_names[d->reviewer], prev);
			goto done;
		}
	}
	snprintf(record, sizeof(record), "%s", sra_rows_get(rows, 0, 0));
	if (sra_rows_get(rows, 0, 1 + d->reviewer))
		snprintf(linked, sizeof(linked), "%s", sra_rows_get(rows, 0, 1 + d->reviewer));
	sra_rows_free(rows);
	rows = NULL;

	/* a run_id that is another record's or reviewer's decision must never move it */
	if (*d->run_id && (error = run_id_taken(c, d, record)) != 0) {
		error = error < 0 ? error : 0;
		goto done;
	}

	/* the row to compare with: run_id's, else the linked one */
	target = *d->run_id ? d->run_id : nz(linked);
	if (resolver) {
		p[0] = SRA_VAL_TEXT(target);
		p[1] = SRA_VAL_TEXT(d->decision);
		p[2] = SRA_VAL_REAL(d->confidence);
		p[3] = SRA_VAL_TEXT(d->rationale);
		p[4] = SRA_VAL_TEXT(d->model);
		p[5] = SRA_VAL_TEXT(d->metadata);
		p[6] = SRA_VAL_TEXT(nz(d->trace_id));
		p[7] = SRA_VAL_TEXT(d->start_time);
		p[8] = SRA_VAL_TEXT(d->end_time);
		p[9] = SRA_VAL_TEXT(record);
		p[10] = SRA_VAL_TEXT(c->review);
	} else {
		p[0] = SRA_VAL_TEXT(target);
		p[1] = SRA_VAL_TEXT(d->decision);
		p[2] = SRA_VAL_REAL(d->confidence);
		p[3] = SRA_VAL_TEXT(d->rationale);
		p[4] = SRA_VAL_TEXT(d->model);
		p[5] = SRA_VAL_TEXT(d->quotes);
		p[6] = SRA_VAL_TEXT(d->exclusion);
		p[7] = SRA_VAL_TEXT(nz(d->trace_id));
		p[8] = SRA_VAL_TEXT(d->start_time);
		p[9] = SRA_VAL_TEXT(d->end_time);
		p[10] = SRA_VAL_TEXT(d->metadata);
		p[11] = SRA_VAL_TEXT(reviewer_names[d->reviewer]);
		p[12] = SRA_VAL_TEXT(c->review);
	}
	if (target) {
		if ((error = sra_db__query(&rows, c->db, resolver ? same_resolution_sql[k] : same_result_sql[k],
					   p, resolver ? 11 : 13)) < 0)
			goto done;
		if (rows->nrows) {
			if (strcmp(target, linked) == 0) {
				c->sum->unchanged++;
				goto done;
			}
			/* the same content under run_id, not linked yet: link it */
			id = target;
			c->sum->updated++;
			goto link;
		}
		sra_rows_free(rows);
		rows = NULL;
	}
	if (*d->run_id) {
		const char *owner;
		p[0] = SRA_VAL_TEXT(d->run_id);
		if ((error = sra_db__query(&rows, c->db, owner_sql[k][resolver], p, 1)) < 0)
			goto done;
		if ((owner = sra_rows_get(rows, 0, 0))) {
			char norm[37];
			if (sra__uuid_norm(norm, owner) < 0 || strcmp(norm, c->review) != 0) {
				error = bad_line(c, d->line, "source_id '%s': run_id %s belongs to another review",
						 d->source_id, d->run_id);
				goto done;
			}
			exists = 1;
		}
		sra_rows_free(rows);
		rows = NULL;
		id = d->run_id;
	} else {
		sra__uuid_v7(newid);
		id = newid;
	}
	p[0] = SRA_VAL_TEXT(id);
	if (exists) {
		error = sra_db__query(NULL, c->db, resolver ? update_resolution_sql[k] : update_result_sql[k],
				      p, resolver ? 11 : 13);
		c->sum->updated++;
	} else {
		error = sra_db__query(NULL, c->db, resolver ? insert_resolution_sql[k] : insert_result_sql[k],
				      p, resolver ? 11 : 13);
		c->sum->inserted++;
	}
	if (error < 0)
		goto done;
link:
	if (strcmp(id, linked) != 0) {
		sra_value lp[2] = { SRA_VAL_TEXT(id), SRA_VAL_TEXT(record) };
		error = sra_db__query(NULL, c->db, link_sql[k][d->reviewer], lp, 2);
	}
done:
	sra_rows_free(rows);
	return error;
}

static void report(dec_ctx *c, int force)
{
	sra_import__report(c->opts, c->t0, &c->last_report, c->rows, c->bytes_done, c->bytes_total, force);
}

/* check and write one decision object */
static int one(dec_ctx *c, json_t *obj, size_t line)
{
	decision d;
	int error;

	c->rows++;
	if ((error = check(c, &d, obj, line)) == 0 && d.line)
		error = write_decision(c, &d);
	decision_dispose(&d);
	report(c, 0);
	return error;
}

/* ---- JSON Lines ----------------------------------------------------------------- */

static int read_jsonl(dec_ctx *c)
{
	FILE *f;
	char *buf = NULL;
	size_t cap = 0, line = 0;
	ssize_t n;
	int error = 0;

	if (!(f = fopen(c->file, "rb")))
		return sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot open %s: %s", c->path, strerror(errno));
	if (fseek(f, 0, SEEK_END) == 0) {
		long size = ftell(f);
		c->bytes_total = size > 0 ? (uint64_t)size : 0;
		rewind(f);
	}
	while ((n = getline(&buf, &cap, f)) >= 0) {
		json_error_t jerr;
		json_t *obj;
		const char *p = buf;
		size_t len = (size_t)n;

		line++;
		c->bytes_done += (uint64_t)n;
		if (line == 1 && len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
			p += 3;
			len -= 3;
		}
		sra_import__trim(&p, &len);
		if (!len)
			continue;
		if (!(obj = json_loadb(p, len, JSON_REJECT_DUPLICATES, &jerr))) {
			if ((error = bad_line(c, line, "invalid JSON at column %d: %s", jerr.column, jerr.text)) < 0)
				break;
			continue;
		}
		error = one(c, obj, line);
		json_decref(obj);
		if (error < 0)
			break;
	}
	if (error == 0 && ferror(f))
		error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot read %s: %s", c->path, strerror(errno));
	free(buf);
	fclose(f);
	return error;
}

/* ---- CSV / TSV ---------------------------------------------------------------- */

static void csv_bytes(void *payload, uint64_t done, uint64_t total)
{
	dec_ctx *c = payload;

	c->bytes_done = done;
	c->bytes_total = total;
}

/* a CSV cell as the JSON value its column takes */
static json_t *cell_value(const char *key, const char *s, size_t n, int *bad)
{
	json_error_t jerr;

	*bad = 0;
	if (strcmp(key, "confidence") == 0) {
		char *tmp = sra__strndup(s, n), *end;
		double v;
		errno = 0;
		v = strtod(tmp, &end);
		while (*end == ' ' || *end == '\t')
			end++;
		*bad = end == tmp || *end || !isfinite(v);
		free(tmp);
		return *bad ? NULL : json_real(v);
	}
	if (strcmp(key, "quotes") == 0) {
		json_t *a;
		size_t i = 0, start = 0;
		if (n && s[0] == '[') {
			a = json_loadb(s, n, JSON_REJECT_DUPLICATES, &jerr);
			*bad = !a;
			return a;
		}
		a = json_array();
		for (i = 0; i <= n; i++) {
			if (i == n || s[i] == ';') {
				const char *p = s + start;
				size_t len = i - start;
				sra_import__trim(&p, &len);
				if (len)
					json_array_append_new(a, json_stringn(p, len));
				start = i + 1;
			}
		}
		return a;
	}
	if (strcmp(key, "exclusion_reasons") == 0 || strcmp(key, "response_metadata") == 0) {
		json_t *o = json_loadb(s, n, JSON_REJECT_DUPLICATES, &jerr);
		*bad = !o;
		return o;
	}
	return json_stringn(s, n);
}

static int csv_row(void *payload, size_t line, size_t ncells, const char *const *cells, const size_t *lens)
{
	dec_ctx *c = payload;
	json_t *obj;
	size_t i;
	int empty = 1, error;

	for (i = 0; i < ncells && empty; i++) {
		const char *s = cells[i];
		size_t n = lens[i];
		sra_import__trim(&s, &n);
		empty = n == 0;
	}
	if (empty)
		return 0;
	if (!c->have_header) {
		c->have_header = 1;
		c->ncols = ncells;
		c->header = sra__calloc(ncells ? ncells : 1, sizeof(*c->header));
		for (i = 0; i < ncells; i++) {
			const char *s = cells[i];
			size_t n = lens[i], j;
			sra_import__trim(&s, &n);
			c->header[i] = sra__strndup(s, n);
			for (j = 0; j < n; j++)
				c->header[i][j] = (char)(c->header[i][j] >= 'A' && c->header[i][j] <= 'Z'
							 ? c->header[i][j] + 32 : c->header[i][j]);
		}
		return 0;
	}
	obj = json_object();
	for (i = 0; i < ncells; i++) {
		json_t *v;
		int bad;
		if (!lens[i])
			continue;
		if (i >= c->ncols) {
			json_decref(obj);
			return bad_line(c, line, "%zu cells, but the header has %zu columns", ncells, c->ncols);
		}
		if (!sra_import__utf8_ok(cells[i], lens[i])) {
			json_decref(obj);
			return bad_line(c, line, "column '%s': not valid UTF-8 text", c->header[i]);
		}
		v = cell_value(c->header[i], cells[i], lens[i], &bad);
		if (bad || !v) {
			json_decref(obj);
			json_decref(v);
			return bad_line(c, line, "column '%s': '%.60s' is not %s", c->header[i], cells[i],
					strcmp(c->header[i], "confidence") == 0 ? "a number from 0 to 1" : "valid JSON");
		}
		json_object_set_new(obj, c->header[i], v);
	}
	error = one(c, obj, line);
	json_decref(obj);
	return error;
}

/* ---- the whole ------------------------------------------------------------------ */

int sra_import_decisions(sra_import_summary *out, sra_db *db, const char *review_id,
			 const char *path, const sra_import_options *opts)
{
	sra_import_options o;
	sra_import_summary sum = SRA_IMPORT_SUMMARY_INIT;
	sra_import__input in = { -1, "", NULL };
	dec_ctx c;
	char review[37];
	size_t i;
	int error, in_txn = 0;

	SRA_ASSERT_ARG(out && db && review_id && path);
	if ((error = sra_import__options(&o, opts)) < 0)
		return error;
	opts = &o;	/* from here on, this library's version of the caller's options */
	if (sra__uuid_norm(review, review_id) < 0)
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "'%s' is not a review id (a UUID)", review_id);
	if (!(opts->threshold >= 0 && opts->threshold <= 1))
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "the threshold must be between 0 and 1");
	memset(&c, 0, sizeof(c));
	c.db = db;
	c.pg = sra_db__is_pg(db);
	c.path = path;
	if ((error = sra_import__input_open(&in, path)) < 0)
		return error;
	c.file = in.file;
	c.review = review;
	c.opts = opts;
	c.sum = &sum;
	c.t0 = c.last_report = sra_import__now();
	sum.format = opts->format;
	if (sum.format == SRA_IMPORT_AUTO && (error = sra_import__detect(&sum.format, in.file, path, 1)) < 0)
		goto done;
	if (sum.format == SRA_IMPORT_XLSX) {
		error = sra_import__fail("%s: decisions come as JSON Lines, CSV or TSV, not XLSX", path);
		goto done;
	}
	if ((error = sra_db__begin(db)) < 0)
		goto done;
	in_txn = 1;
	if ((error = sra_import__review_exists(db, review)) < 0)
		goto done;
	if (sum.format == SRA_IMPORT_JSONL) {
		error = read_jsonl(&c);
	} else {
		sra_import__reader rd;
		memset(&rd, 0, sizeof(rd));
		rd.path = path;
		rd.file = in.file;
		rd.format = sum.format;
		rd.row = csv_row;
		rd.payload = &c;
		rd.bytes = csv_bytes;
		error = sra_import__read_table(&rd);
	}
	if (error < 0)
		goto done;
	report(&c, 1);
	if ((error = sra_final__recompute(NULL, db, review, opts->threshold)) < 0)
		goto done;
	if ((error = sra_db__commit(db)) < 0)
		goto done;
	in_txn = 0;
	*out = sum;
	memset(&sum, 0, sizeof(sum));
done:
	if (in_txn)
		sra_db__rollback(db);
	sra_import__input_close(&in);
	sra_import_summary_dispose(&sum);
	sra_import__set_dispose(&c.seen);
	for (i = 0; c.header && i < c.ncols; i++)
		free(c.header[i]);
	free(c.header);
	return error;
}
