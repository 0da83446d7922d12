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
 * to the one already linked writes nothing.  At the end one statement of
 * final_decision.c writes the new links and recomputes every screened
 * record's final_decision by the one rule.  All in one transaction.
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
	sra_import__copy copy;		/* into sra_dec_stage */
	uint64_t staged;
	/* what the set-based checks need not look for: (reviewer, source_id) seen twice, a run_id */
	sra_import__set keys;
	sra_buf key;
	int twice, any_run;
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

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

/* ---- staging ------------------------------------------------------------------- */

/*
 * Every checked decision goes into a temporary table by the bulk load (COPY
 * on PostgreSQL, multi-row INSERTs on SQLite) with its line; then a few
 * set-based statements find what only the database can see (the record, a
 * second decision for it, a run_id that is already another decision's),
 * name the line of each, and write the rest.  `fid` is the id the decision
 * ends up under: its run_id, else a fresh uuid, or the linked row's when
 * that already holds the same decision.  Flags: bad (refused), same (the
 * row at run_id, else the linked one, holds this decision), ex (a row with
 * id run_id exists: it is updated).
 */
static const char *const stage_cols[] = {
	"line", "source_id", "source_db", "reviewer", "decision", "confidence", "rationale", "model",
	"quotes", "exclusion", "metadata", "trace", "run", "st", "et", "fid"
};
enum { NSTAGE = 16 };

/* SQL per dialect: [0] PostgreSQL, [1] SQLite; $1 is always the review */
static const char *const create_sql[2] = {
	"CREATE TEMP TABLE sra_dec_stage (line bigint, source_id text, source_db text, reviewer int, "
	"decision text, confidence float8, rationale text, model text, quotes text[], exclusion jsonb, "
	"metadata jsonb, trace uuid, run uuid, st timestamptz, et timestamptz, fid uuid, "
	"rec uuid, linked uuid, bad int NOT NULL DEFAULT 0, same int NOT NULL DEFAULT 0, "
	"ex int NOT NULL DEFAULT 0) ON COMMIT DROP",
	"CREATE TEMP TABLE sra_dec_stage (line INTEGER, source_id TEXT, source_db TEXT, reviewer INTEGER, "
	"decision TEXT, confidence REAL, rationale TEXT, model TEXT, quotes TEXT, exclusion TEXT, "
	"metadata TEXT, trace TEXT, run TEXT, st TEXT, et TEXT, fid TEXT, "
	"rec TEXT, linked TEXT, bad INTEGER NOT NULL DEFAULT 0, same INTEGER NOT NULL DEFAULT 0, "
	"ex INTEGER NOT NULL DEFAULT 0)"
};

/* SQLite keeps a temporary table past COMMIT: dropped before it (PostgreSQL: ON COMMIT DROP) */
static const char drop_sqlite_sql[] = "DROP TABLE IF EXISTS temp.sra_dec_stage";

#define ROLE_OF(t) "CASE " t ".reviewer WHEN 0 THEN 'conservative' WHEN 1 THEN 'comprehensive' END"

/*
 * each decision's record, and the row the record links for its reviewer now
 * (PostgreSQL: a hash join, once the stage is analyzed; SQLite: a lookup per
 * line, which its planner would otherwise turn into a scan of the stage per record)
 */
static const char *const resolve_sql[2] = {
	"UPDATE sra_dec_stage AS t SET rec = s.id, linked = CASE t.reviewer WHEN 0 THEN s.conservative_result_id "
	"WHEN 1 THEN s.comprehensive_result_id ELSE s.resolution_id END FROM search_results AS s "
	"WHERE s.review_id = $1::uuid AND s.source_id = t.source_id "
	"AND (t.source_db IS NULL OR s.source_db::text = t.source_db)",
	"UPDATE sra_dec_stage AS t SET (rec, linked) = (SELECT s.id, CASE t.reviewer WHEN 0 THEN s.conservative_result_id "
	"WHEN 1 THEN s.comprehensive_result_id ELSE s.resolution_id END FROM search_results AS s "
	"WHERE s.review_id = $1 AND s.source_id = t.source_id "
	"AND (t.source_db IS NULL OR s.source_db = t.source_db) LIMIT 1)"
};

/* lines with no record, or (no source_db) several: line, source_id, how many */
static const char *const norecord_sql[2] = {
	"SELECT t.line, t.source_id, (SELECT count(*) FROM search_results s WHERE s.review_id = $1::uuid "
	"AND s.source_id = t.source_id) FROM sra_dec_stage t WHERE t.bad = 0 AND (t.rec IS NULL "
	"OR (t.source_db IS NULL AND t.source_id IN (SELECT source_id FROM search_results WHERE review_id = $1::uuid "
	"GROUP BY source_id HAVING count(*) > 1))) ORDER BY t.line",
	"SELECT t.line, t.source_id, (SELECT count(*) FROM search_results s WHERE s.review_id = $1 "
	"AND s.source_id = t.source_id) FROM sra_dec_stage t WHERE t.bad = 0 AND (t.rec IS NULL "
	"OR (t.source_db IS NULL AND t.source_id IN (SELECT source_id FROM search_results WHERE review_id = $1 "
	"GROUP BY source_id HAVING count(*) > 1))) ORDER BY t.line"
};

/* a second decision of a record and reviewer: line, source_id, reviewer, the first's line */
static const char dup_sql[] =
	"SELECT t.line, t.source_id, t.reviewer, d.first FROM sra_dec_stage t JOIN (SELECT rec, reviewer, "
	"min(line) AS first FROM sra_dec_stage WHERE bad = 0 GROUP BY rec, reviewer HAVING count(*) > 1) d "
	"ON d.rec = t.rec AND d.reviewer = t.reviewer WHERE t.bad = 0 AND t.line <> d.first ORDER BY t.line";

/*
 * A run_id becomes a row's id, so one that is already another record's (or
 * the other reviewer's) decision would move that decision here.  Rows:
 * line, kind, source_id, run_id, role, other record, reviewer; kind 1
 * "already the <role> decision of record <other>", 2 "already a <role>
 * decision", 3 "already the resolution of record <other>", 4 "belongs to
 * another review".  Earlier lines of the file count as the database would
 * after writing them.  $1 the review.
 */
#define RUN_SQL(U, TXT) \
	"SELECT t.line, 1, t.source_id, " TXT("t.run") ", 'conservative', s.source_id, t.reviewer " \
	"FROM sra_dec_stage t JOIN search_results s ON s.conservative_result_id = t.run " \
	"WHERE t.bad = 0 AND t.reviewer < 2 AND (s.id <> t.rec OR t.reviewer <> 0) " \
	"UNION ALL SELECT t.line, 1, t.source_id, " TXT("t.run") ", 'comprehensive', s.source_id, t.reviewer " \
	"FROM sra_dec_stage t JOIN search_results s ON s.comprehensive_result_id = t.run " \
	"WHERE t.bad = 0 AND t.reviewer < 2 AND (s.id <> t.rec OR t.reviewer <> 1) " \
	"UNION ALL SELECT t.line, CASE WHEN t.reviewer = 2 THEN 3 ELSE 1 END, t.source_id, " TXT("t.run") ", " \
	ROLE_OF("f") ", f.source_id, t.reviewer FROM (SELECT run, reviewer = 2 AS res, min(line) AS first " \
	"FROM sra_dec_stage WHERE bad = 0 AND run IS NOT NULL GROUP BY run, reviewer = 2 HAVING count(*) > 1) d " \
	"JOIN sra_dec_stage f ON f.line = d.first JOIN sra_dec_stage t ON t.run = d.run " \
	"AND (t.reviewer = 2) = d.res AND t.line > d.first " \
	"WHERE t.bad = 0 AND (t.rec <> f.rec OR t.reviewer <> f.reviewer) " \
	"UNION ALL SELECT t.line, 2, t.source_id, " TXT("t.run") ", " TXT("r.screening_strategy") ", NULL, t.reviewer " \
	"FROM sra_dec_stage t JOIN screen_abstract_results r ON r.id = t.run " \
	"WHERE t.bad = 0 AND t.reviewer < 2 AND " TXT("r.screening_strategy") " <> " ROLE_OF("t") " " \
	"UNION ALL SELECT t.line, 3, t.source_id, " TXT("t.run") ", NULL, s.source_id, t.reviewer " \
	"FROM sra_dec_stage t JOIN search_results s ON s.resolution_id = t.run " \
	"WHERE t.bad = 0 AND t.reviewer = 2 AND s.id <> t.rec " \
	"UNION ALL SELECT t.line, 3, t.source_id, " TXT("t.run") ", NULL, s.source_id, t.reviewer " \
	"FROM sra_dec_stage t JOIN screening_resolutions r ON r.id = t.run JOIN search_results s ON s.id = r.search_result_id " \
	"WHERE t.bad = 0 AND t.reviewer = 2 AND r.search_result_id <> t.rec " \
	"UNION ALL SELECT t.line, 4, t.source_id, " TXT("t.run") ", NULL, NULL, t.reviewer " \
	"FROM sra_dec_stage t JOIN screen_abstract_results r ON r.id = t.run " \
	"WHERE t.bad = 0 AND t.reviewer < 2 AND r.review_id <> " U " " \
	"UNION ALL SELECT t.line, 4, t.source_id, " TXT("t.run") ", NULL, NULL, t.reviewer " \
	"FROM sra_dec_stage t JOIN screening_resolutions r ON r.id = t.run " \
	"WHERE t.bad = 0 AND t.reviewer = 2 AND r.review_id <> " U " ORDER BY 1, 2"
#define PG_TXT(x) "CAST(" x " AS text)"
#define LITE_TXT(x) x
static const char *const run_sql[2] = { RUN_SQL("$1::uuid", PG_TXT), RUN_SQL("$1", LITE_TXT) };

/* refuse lines: $1 their numbers as an array (PostgreSQL) or a JSON array (SQLite) */
static const char *const mark_bad_sql[2] = {
	"UPDATE sra_dec_stage SET bad = 1 WHERE line = ANY ($1::bigint[])",
	"UPDATE sra_dec_stage SET bad = 1 WHERE line IN (SELECT value FROM json_each($1))"
};

/* whether the row at run_id, else the linked one, holds this very decision */
static const char *const same_sql[2][2] = {
	{ "UPDATE sra_dec_stage AS t SET same = 1 FROM screen_abstract_results AS r "
	  "WHERE t.bad = 0 AND t.reviewer < 2 AND r.id = COALESCE(t.run, t.linked) "
	  "AND r.decision::text = t.decision AND r.confidence_score = t.confidence AND r.rationale = t.rationale "
	  "AND r.model_name = t.model AND r.extracted_quotes IS NOT DISTINCT FROM t.quotes "
	  "AND r.exclusion_reason_categories = t.exclusion AND r.trace_id IS NOT DISTINCT FROM t.trace "
	  "AND r.start_time IS NOT DISTINCT FROM t.st AND r.end_time IS NOT DISTINCT FROM t.et "
	  "AND r.response_metadata = t.metadata AND r.screening_strategy::text = " ROLE_OF("t") " "
	  "AND r.review_id = $1::uuid",
	  "UPDATE sra_dec_stage AS t SET same = 1 FROM screening_resolutions AS r "
	  "WHERE t.bad = 0 AND t.reviewer = 2 AND r.id = COALESCE(t.run, t.linked) "
	  "AND r.resolver_decision::text = t.decision AND r.resolver_confidence_score = t.confidence "
	  "AND r.resolver_reasoning = t.rationale AND r.resolver_model_name IS NOT DISTINCT FROM t.model "
	  "AND r.response_metadata = t.metadata AND r.trace_id IS NOT DISTINCT FROM t.trace "
	  "AND r.start_time IS NOT DISTINCT FROM t.st AND r.end_time IS NOT DISTINCT FROM t.et "
	  "AND r.search_result_id = t.rec AND r.review_id = $1::uuid" },
	{ "UPDATE sra_dec_stage AS t SET same = 1 FROM screen_abstract_results AS r "
	  "WHERE t.bad = 0 AND t.reviewer < 2 AND r.id = COALESCE(t.run, t.linked) "
	  "AND r.decision = t.decision AND r.confidence_score = t.confidence AND r.rationale = t.rationale "
	  "AND r.model_name = t.model AND r.extracted_quotes IS t.quotes "
	  "AND json(r.exclusion_reason_categories) = json(t.exclusion) AND r.trace_id IS t.trace "
	  "AND r.start_time IS t.st AND r.end_time IS t.et "
	  "AND json(r.response_metadata) = json(t.metadata) AND r.screening_strategy = " ROLE_OF("t") " "
	  "AND r.review_id = $1",
	  "UPDATE sra_dec_stage AS t SET same = 1 FROM screening_resolutions AS r "
	  "WHERE t.bad = 0 AND t.reviewer = 2 AND r.id = COALESCE(t.run, t.linked) "
	  "AND r.resolver_decision = t.decision AND r.resolver_confidence_score = t.confidence "
	  "AND r.resolver_reasoning = t.rationale AND r.resolver_model_name IS t.model "
	  "AND json(r.response_metadata) = json(t.metadata) AND r.trace_id IS t.trace "
	  "AND r.start_time IS t.st AND r.end_time IS t.et "
	  "AND r.search_result_id = t.rec AND r.review_id = $1" }
};

/* then: the id each decision ends up under, and whether its run_id's row exists */
static const char *const settle_sql[2][3] = {
	{ "UPDATE sra_dec_stage SET fid = linked WHERE bad = 0 AND same = 1 AND run IS NULL",
	  "UPDATE sra_dec_stage AS t SET ex = 1 FROM screen_abstract_results AS r "
	  "WHERE t.bad = 0 AND t.same = 0 AND t.reviewer < 2 AND r.id = t.run",
	  "UPDATE sra_dec_stage AS t SET ex = 1 FROM screening_resolutions AS r "
	  "WHERE t.bad = 0 AND t.same = 0 AND t.reviewer = 2 AND r.id = t.run" },
	{ "UPDATE sra_dec_stage SET fid = linked WHERE bad = 0 AND same = 1 AND run IS NULL",
	  "UPDATE sra_dec_stage AS t SET ex = 1 FROM screen_abstract_results AS r "
	  "WHERE t.bad = 0 AND t.same = 0 AND t.reviewer < 2 AND r.id = t.run",
	  "UPDATE sra_dec_stage AS t SET ex = 1 FROM screening_resolutions AS r "
	  "WHERE t.bad = 0 AND t.same = 0 AND t.reviewer = 2 AND r.id = t.run" }
};

/* inserted, updated, unchanged */
static const char *const count_sql[2] = {
	"SELECT count(*) FILTER (WHERE same = 0 AND ex = 0), "
	"count(*) FILTER (WHERE (same = 1 AND fid IS DISTINCT FROM linked) OR (same = 0 AND ex = 1)), "
	"count(*) FILTER (WHERE same = 1 AND fid = linked) FROM sra_dec_stage WHERE bad = 0",
	"SELECT sum(same = 0 AND ex = 0), sum((same = 1 AND fid IS NOT linked) OR (same = 0 AND ex = 1)), "
	"sum(same = 1 AND fid IS linked) FROM sra_dec_stage WHERE bad = 0"
};

static const char *const write_sql[2][4] = {
	{ "INSERT INTO screen_abstract_results (id, decision, confidence_score, rationale, model_name, "
	  "extracted_quotes, exclusion_reason_categories, trace_id, start_time, end_time, response_metadata, "
	  "screening_strategy, review_id) SELECT fid, decision::screeningdecisiontype, confidence, rationale, model, "
	  "quotes, exclusion, trace, st, et, metadata, (" ROLE_OF("t") ")::screeningstrategytype, $1::uuid "
	  "FROM sra_dec_stage t WHERE bad = 0 AND reviewer < 2 AND same = 0 AND ex = 0",
	  "UPDATE screen_abstract_results AS r SET decision = t.decision::screeningdecisiontype, "
	  "confidence_score = t.confidence, rationale = t.rationale, model_name = t.model, extracted_quotes = t.quotes, "
	  "exclusion_reason_categories = t.exclusion, trace_id = t.trace, start_time = t.st, end_time = t.et, "
	  "response_metadata = t.metadata, screening_strategy = (" ROLE_OF("t") ")::screeningstrategytype "
	  "FROM sra_dec_stage AS t WHERE t.bad = 0 AND t.reviewer < 2 AND t.same = 0 AND t.ex = 1 "
	  "AND r.id = t.fid AND r.review_id = $1::uuid",
	  "INSERT INTO screening_resolutions (id, resolver_decision, resolver_confidence_score, resolver_reasoning, "
	  "resolver_model_name, response_metadata, trace_id, start_time, end_time, search_result_id, review_id) "
	  "SELECT fid, decision::screeningdecisiontype, confidence, rationale, model, metadata, trace, st, et, rec, "
	  "$1::uuid FROM sra_dec_stage WHERE bad = 0 AND reviewer = 2 AND same = 0 AND ex = 0",
	  "UPDATE screening_resolutions AS r SET resolver_decision = t.decision::screeningdecisiontype, "
	  "resolver_confidence_score = t.confidence, resolver_reasoning = t.rationale, resolver_model_name = t.model, "
	  "response_metadata = t.metadata, trace_id = t.trace, start_time = t.st, end_time = t.et, "
	  "search_result_id = t.rec FROM sra_dec_stage AS t WHERE t.bad = 0 AND t.reviewer = 2 AND t.same = 0 "
	  "AND t.ex = 1 AND r.id = t.fid AND r.review_id = $1::uuid" },
	{ "INSERT INTO screen_abstract_results (id, decision, confidence_score, rationale, model_name, "
	  "extracted_quotes, exclusion_reason_categories, trace_id, start_time, end_time, response_metadata, "
	  "screening_strategy, review_id) SELECT fid, decision, confidence, rationale, model, "
	  "quotes, json(exclusion), trace, st, et, json(metadata), " ROLE_OF("t") ", $1 "
	  "FROM sra_dec_stage t WHERE bad = 0 AND reviewer < 2 AND same = 0 AND ex = 0",
	  "UPDATE screen_abstract_results AS r SET decision = t.decision, "
	  "confidence_score = t.confidence, rationale = t.rationale, model_name = t.model, extracted_quotes = t.quotes, "
	  "exclusion_reason_categories = json(t.exclusion), trace_id = t.trace, start_time = t.st, end_time = t.et, "
	  "response_metadata = json(t.metadata), screening_strategy = " ROLE_OF("t") " "
	  "FROM sra_dec_stage AS t WHERE t.bad = 0 AND t.reviewer < 2 AND t.same = 0 AND t.ex = 1 "
	  "AND r.id = t.fid AND r.review_id = $1",
	  "INSERT INTO screening_resolutions (id, resolver_decision, resolver_confidence_score, resolver_reasoning, "
	  "resolver_model_name, response_metadata, trace_id, start_time, end_time, search_result_id, review_id) "
	  "SELECT fid, decision, confidence, rationale, model, json(metadata), trace, st, et, rec, "
	  "$1 FROM sra_dec_stage WHERE bad = 0 AND reviewer = 2 AND same = 0 AND ex = 0",
	  "UPDATE screening_resolutions AS r SET resolver_decision = t.decision, "
	  "resolver_confidence_score = t.confidence, resolver_reasoning = t.rationale, resolver_model_name = t.model, "
	  "response_metadata = json(t.metadata), trace_id = t.trace, start_time = t.st, end_time = t.et, "
	  "search_result_id = t.rec FROM sra_dec_stage AS t WHERE t.bad = 0 AND t.reviewer = 2 AND t.same = 0 "
	  "AND t.ex = 1 AND r.id = t.fid AND r.review_id = $1" }
};

/* per record whose links change: the new ids, NULL where its reviewer keeps the old (for the recompute) */
static const char *const new_links_sql[2] = {
	"SELECT rec, (array_agg(fid) FILTER (WHERE reviewer = 0))[1] AS c, "
	"(array_agg(fid) FILTER (WHERE reviewer = 1))[1] AS m, (array_agg(fid) FILTER (WHERE reviewer = 2))[1] AS r "
	"FROM sra_dec_stage WHERE bad = 0 AND fid IS DISTINCT FROM linked GROUP BY rec",
	"SELECT rec, max(CASE WHEN reviewer = 0 THEN fid END) AS c, max(CASE WHEN reviewer = 1 THEN fid END) AS m, "
	"max(CASE WHEN reviewer = 2 THEN fid END) AS r FROM sra_dec_stage "
	"WHERE bad = 0 AND fid IS NOT linked GROUP BY rec"
};

/* one decision into the stage */
static int stage(dec_ctx *c, const decision *d)
{
	char line[24], reviewer[4], conf[32], fid[37];
	const char *cells[NSTAGE];

	snprintf(line, sizeof(line), "%zu", d->line);
	snprintf(reviewer, sizeof(reviewer), "%d", d->reviewer);
	snprintf(conf, sizeof(conf), "%.17g", d->confidence);
	if (*d->run_id)
		memcpy(fid, d->run_id, sizeof(fid));
	else
		sra__uuid_v7(fid);
	cells[0] = line;
	cells[1] = d->source_id;
	cells[2] = d->source_db;
	cells[3] = reviewer;
	cells[4] = d->decision;
	cells[5] = conf;
	cells[6] = d->rationale;
	cells[7] = d->model;
	cells[8] = d->quotes;
	cells[9] = d->exclusion;
	cells[10] = d->metadata;
	cells[11] = nz(d->trace_id);
	cells[12] = nz(d->run_id);
	cells[13] = d->start_time;
	cells[14] = d->end_time;
	cells[15] = fid;
	c->staged++;
	/* a record has one source_id: without a repeated pair no record can get a second decision */
	sra_buf_clear(&c->key);
	sra_buf_printf(&c->key, "%d\t%s", d->reviewer, d->source_id);
	if (!c->twice && sra_import__set_add(&c->keys, c->key.ptr, c->key.size, d->line, NULL))
		c->twice = 1;
	c->any_run |= *d->run_id != 0;
	return sra_import__copy_row(&c->copy, cells);
}

/* ---- what only the database sees, by line ------------------------------------------ */

typedef struct problem {
	size_t line;
	int kind;		/* the order among problems of one line */
	char *msg;		/* owned */
} problem;

typedef struct problems {
	problem *v;
	size_t n;
	dec_ctx *c;
	int which;		/* the query: 0 no record, 1 a second decision, 2 run_id */
} problems;

static size_t cell_size(const char *s)
{
	return s ? (size_t)strtoull(s, NULL, 10) : 0;
}

static int on_problem(void *payload, size_t ncols, const char *const *cells)
{
	problems *ps = payload;
	dec_ctx *c = ps->c;
	problem *p;
	const char *sid;

	if (ncols < 3 || !cells[0] || !cells[1])
		return 0;
	ps->v = sra__realloc(ps->v, (ps->n + 1) * sizeof(*ps->v));
	p = &ps->v[ps->n++];
	p->line = cell_size(cells[0]);
	p->kind = 0;
	if (ps->which == 0) {
		size_t n = cell_size(cells[2]);
		p->msg = n > 1 ? sra__sprintf("source_id '%s' names %zu records of different source databases: add \"source_db\"",
					      cells[1], n)
			       : sra__sprintf("source_id '%s' is not a record of review %s (import the records first)",
					      cells[1], c->review);
		return 0;
	}
	if (ps->which == 1) {
		int r = (int)cell_size(cells[2]);
		p->msg = sra__sprintf("source_id '%s': a second %s decision (the first is on line %zu)", cells[1],
				      reviewer_names[r >= 0 && r < 3 ? r : 0], ncols > 3 ? cell_size(cells[3]) : 0);
		return 0;
	}
	if (ncols < 7)
		return 0;
	p->kind = (int)cell_size(cells[1]);
	sid = cells[2] ? cells[2] : "";
	switch (p->kind) {
	case 1:
		p->msg = sra__sprintf("source_id '%s': run_id %s is already the %s decision of record '%s'; "
				      "a run_id names one decision, refused", sid, cells[3], cells[4], cells[5]);
		break;
	case 2: {
		int r = (int)cell_size(cells[6]);
		p->msg = sra__sprintf("source_id '%s': run_id %s is already a %s decision, not a %s one; "
				      "a run_id names one decision, refused", sid, cells[3], cells[4],
				      reviewer_names[r >= 0 && r < 3 ? r : 0]);
		break;
	}
	case 3:
		p->msg = sra__sprintf("source_id '%s': run_id %s is already the resolution of record '%s'; "
				      "a run_id names one decision, refused", sid, cells[3], cells[5]);
		break;
	default:
		p->msg = sra__sprintf("source_id '%s': run_id %s belongs to another review", sid, cells[3]);
		break;
	}
	return 0;
}

/*
 * Run the check `which`; each line it finds (the first problem of a line,
 * the rows come ordered by line and kind) is reported by bad_line: without
 * --skip-invalid the first ends the import, with it the lines are counted
 * and left out.  *found: how many lines.
 */
static int check_db(dec_ctx *c, int which, size_t *found)
{
	int k = c->pg ? 0 : 1, error;
	sra_value p = SRA_VAL_TEXT(c->review);
	problems ps = { NULL, 0, c, which };
	sra_buf lines = SRA_BUF_INIT;
	size_t i, n = 0;

	*found = 0;
	error = sra_db__query_each(c->db, which == 0 ? norecord_sql[k] : which == 1 ? dup_sql : run_sql[k],
				   &p, which == 1 ? 0 : 1, on_problem, &ps);
	for (i = 0; error == 0 && i < ps.n; i++) {
		if (i && ps.v[i].line == ps.v[i - 1].line)
			continue;
		if ((error = bad_line(c, ps.v[i].line, "%s", ps.v[i].msg)) < 0)
			break;
		sra_buf_printf(&lines, "%s%zu", n ? "," : "", ps.v[i].line);
		n++;
	}
	if (error == 0 && n) {
		sra_buf b = SRA_BUF_INIT;
		sra_buf_printf(&b, c->pg ? "{%s}" : "[%s]", sra_buf_cstr(&lines));
		p = SRA_VAL_TEXT(sra_buf_cstr(&b));
		error = sra_db__query(NULL, c->db, mark_bad_sql[k], &p, 1);
		sra_buf_dispose(&b);
		*found = n;
	}
	for (i = 0; i < ps.n; i++)
		free(ps.v[i].msg);
	free(ps.v);
	sra_buf_dispose(&lines);
	return error;
}

static uint64_t cell_u64(const sra_rows *rows, size_t col)
{
	const char *v = sra_rows_get(rows, 0, col);
	return v ? strtoull(v, NULL, 10) : 0;
}

/* after the file is staged: check, write, count */
static int settle(dec_ctx *c)
{
	int k = c->pg ? 0 : 1, error;
	sra_value p = SRA_VAL_TEXT(c->review);
	sra_rows *rows = NULL;
	size_t i, found;

	/* a temporary table is never analyzed by autovacuum: without, the planner guesses its size */
	if ((c->pg && (error = sra_db__exec(c->db, "ANALYZE sra_dec_stage")) < 0) ||
	    (error = sra_db__query(NULL, c->db, resolve_sql[k], &p, 1)) < 0 ||
	    (error = check_db(c, 0, &found)) < 0 ||
	    (c->twice && (error = check_db(c, 1, &found)) < 0))
		return error;
	/* a refused line may have been what made a later one's run_id clash: again until none */
	while (c->any_run) {
		if ((error = check_db(c, 2, &found)) < 0)
			return error;
		if (!found)
			break;
	}
	for (i = 0; i < 2; i++)
		if ((error = sra_db__query(NULL, c->db, same_sql[k][i], &p, 1)) < 0)
			return error;
	for (i = 0; i < 3; i++)
		if ((error = sra_db__exec(c->db, settle_sql[k][i])) < 0)
			return error;
	if ((error = sra_db__query(&rows, c->db, count_sql[k], NULL, 0)) < 0)
		return error;
	c->sum->inserted += cell_u64(rows, 0);
	c->sum->updated += cell_u64(rows, 1);
	c->sum->unchanged += cell_u64(rows, 2);
	sra_rows_free(rows);
	for (i = 0; i < 4; i++)
		if ((error = sra_db__query(NULL, c->db, write_sql[k][i], &p, 1)) < 0)
			return error;
	return 0;
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
		error = stage(c, &d);
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

static int by_line(const void *a, const void *b)
{
	const sra_import_problem *x = a, *y = b;

	return x->line < y->line ? -1 : x->line > y->line;
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
	int error, in_txn = 0, hinted = 0;

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
	/* before the transaction: PostgreSQL sizes temporary buffers before the first temporary table */
	if ((error = sra_db__bulk_hint(db, 1)) < 0)
		goto done;
	hinted = 1;
	if ((error = sra_db__begin(db)) < 0)
		goto done;
	in_txn = 1;
	if ((error = sra_import__review_exists(db, review)) < 0 ||
	    (!c.pg && (error = sra_db__exec(db, drop_sqlite_sql)) < 0) ||
	    (error = sra_db__exec(db, create_sql[c.pg ? 0 : 1])) < 0 ||
	    (error = sra_import__copy_begin(&c.copy, db, "sra_dec_stage", stage_cols, NSTAGE)) < 0)
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
	if ((error = sra_import__copy_end(&c.copy, 1)) < 0)
		goto done;
	report(&c, 1);
	/* the new links and every final decision of the review in one pass, from the stage */
	if ((error = settle(&c)) < 0 ||
	    (error = sra_final__recompute(NULL, db, review, opts->threshold, new_links_sql[c.pg ? 0 : 1])) < 0 ||
	    (!c.pg && (error = sra_db__exec(db, drop_sqlite_sql)) < 0))
		goto done;
	if (sum.invalid > 1)	/* the database's findings came after the file's: in file order */
		qsort(sum.problems, (size_t)sum.invalid, sizeof(*sum.problems), by_line);
	if ((error = sra_db__commit(db)) < 0)
		goto done;
	in_txn = 0;
	*out = sum;
	memset(&sum, 0, sizeof(sum));
done:
	if (in_txn) {
		sra_import__copy_end(&c.copy, 0);
		sra_db__rollback(db);
	}
	if (hinted)
		sra_db__bulk_hint(db, 0);
	sra_import__input_close(&in);
	sra_import_summary_dispose(&sum);
	sra_import__set_dispose(&c.keys);
	sra_buf_dispose(&c.key);
	for (i = 0; c.header && i < c.ncols; i++)
		free(c.header[i]);
	free(c.header);
	return error;
}
