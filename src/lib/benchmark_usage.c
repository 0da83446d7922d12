/*
 * This file holds usage accounting (benchmark.md, "Usage accounting"): the
 * calls behind a run's records -- each reviewer's decision and the
 * resolver's -- counted, their tokens read from response_metadata in the
 * four shapes the common clients write, their latency (end - start) as
 * nearest-rank percentiles, the wall time from the first start to the last
 * end, and the cost from the run's prices.
 *
 * The result must not depend on the order rows come back in (a report is
 * byte-identical on SQLite and PostgreSQL): tokens are summed per model as
 * integers, the cost is computed per model in the models' sorted order, and
 * latencies are sorted before they are ranked.  Times come from SQL as whole
 * milliseconds since the epoch, so both databases give the same integers.
 */
#include "benchmark_int.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- pure helpers (unit-tested) ------------------------------------------ */

static int token_pair(int64_t *in, int64_t *out, const json_t *meta, const char *obj,
		      const char *kin, const char *kout)
{
	const json_t *o = json_object_get(meta, obj);
	const json_t *a = json_object_get(o, kin), *b = json_object_get(o, kout);

	if (!json_is_integer(a) || !json_is_integer(b) || json_integer_value(a) < 0 ||
	    json_integer_value(b) < 0)
		return 0;
	*in = json_integer_value(a);
	*out = json_integer_value(b);
	return 1;
}

int sra_bm__usage_tokens(int64_t *in, int64_t *out, const json_t *meta)
{
	if (!json_is_object(meta))
		return 0;
	return token_pair(in, out, meta, "token_usage", "prompt_tokens", "completion_tokens") ||
	       token_pair(in, out, meta, "usage_metadata", "input_tokens", "output_tokens") ||
	       token_pair(in, out, meta, "usage", "input_tokens", "output_tokens") ||
	       token_pair(in, out, meta, "usage", "prompt_tokens", "completion_tokens");
}

/*
 * The same answer from response_metadata's text without building a jansson
 * tree, for the plain documents that clients write (json_loads was a fifth
 * of gathering usage): objects, arrays, integers, true/false/null and
 * strings of printable ASCII without escapes.  Anything else -- a real
 * number, an escape, a byte outside that range, a leading zero, more than
 * 18 digits, deep nesting, a syntax error -- makes the scanner give up
 * (returns 0) and the caller parse with jansson, so every answer it gives is
 * jansson's: duplicate keys keep the last value, as json_loads does.
 */
enum { FK_PROMPT, FK_COMPLETION, FK_INPUT, FK_OUTPUT, FK_N };

typedef struct {
	int is_obj;		/* the member's value is an object */
	int is_int[FK_N];	/* its member of that name is an integer (the last one) */
	int64_t v[FK_N];
} fast_slot;

typedef struct {
	const char *p;
	int depth;
} fast_scan;

static void fast_ws(fast_scan *s)
{
	while (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')
		s->p++;
}

/* a string: *start, *len; 0 on anything but printable ASCII without '\' */
static int fast_str(fast_scan *s, const char **start, size_t *len)
{
	const char *q;

	if (*s->p != '"')
		return 0;
	for (q = s->p + 1; *q != '"'; q++)
		if ((unsigned char)*q < 0x20 || (unsigned char)*q > 0x7e || *q == '\\')
			return 0;
	*start = s->p + 1;
	*len = (size_t)(q - (s->p + 1));
	s->p = q + 1;
	return 1;
}

static int fast_value(fast_scan *s, fast_slot *slot, int *is_int, int64_t *v);

/* an object's members; top: the metadata itself (its members of interest go to slots[3]) */
static int fast_object(fast_scan *s, fast_slot *slots, fast_slot *inner)
{
	static const char *const top_keys[3] = { "token_usage", "usage_metadata", "usage" };
	static const char *const inner_keys[FK_N] = {
		"prompt_tokens", "completion_tokens", "input_tokens", "output_tokens"
	};

	if (++s->depth > 32)
		return 0;
	s->p++;		/* '{' */
	fast_ws(s);
	if (*s->p == '}') {
		s->p++;
		s->depth--;
		return 1;
	}
	for (;;) {
		const char *k;
		size_t n;
		int i, is_int = 0, which = -1;
		int64_t v = 0;
		fast_slot *sub = NULL;

		if (!fast_str(s, &k, &n))
			return 0;
		fast_ws(s);
		if (*s->p != ':')
			return 0;
		s->p++;
		fast_ws(s);
		if (slots) {
			for (i = 0; i < 3; i++)
				if (strlen(top_keys[i]) == n && memcmp(top_keys[i], k, n) == 0)
					sub = &slots[i];
			if (sub)
				memset(sub, 0, sizeof(*sub));	/* a later member of the name replaces it */
		} else if (inner) {
			for (i = 0; i < FK_N; i++)
				if (strlen(inner_keys[i]) == n && memcmp(inner_keys[i], k, n) == 0)
					which = i;
		}
		if (!fast_value(s, sub, &is_int, &v))
			return 0;
		if (which >= 0) {
			inner->is_int[which] = is_int;
			inner->v[which] = v;
		}
		fast_ws(s);
		if (*s->p == '}') {
			s->p++;
			s->depth--;
			return 1;
		}
		if (*s->p != ',')
			return 0;
		s->p++;
		fast_ws(s);
	}
}

static int fast_array(fast_scan *s)
{
	int is_int;
	int64_t v;

	if (++s->depth > 32)
		return 0;
	s->p++;		/* '[' */
	fast_ws(s);
	if (*s->p == ']') {
		s->p++;
		s->depth--;
		return 1;
	}
	for (;;) {
		if (!fast_value(s, NULL, &is_int, &v))
			return 0;
		fast_ws(s);
		if (*s->p == ']') {
			s->p++;
			s->depth--;
			return 1;
		}
		if (*s->p != ',')
			return 0;
		s->p++;
		fast_ws(s);
	}
}

/* an integer as jansson reads one: -?(0|[1-9][0-9]*) not followed by '.', 'e', 'E' */
static int fast_int(fast_scan *s, int64_t *v)
{
	const char *q = s->p;
	int neg = 0, digits = 0;
	int64_t x = 0;

	if (*q == '-') {
		neg = 1;
		q++;
	}
	if (*q == '0') {
		q++;
		if (*q >= '0' && *q <= '9')
			return 0;
	} else if (*q >= '1' && *q <= '9') {
		while (*q >= '0' && *q <= '9') {
			if (++digits > 18)
				return 0;
			x = x * 10 + (*q++ - '0');
		}
	} else {
		return 0;
	}
	if (*q == '.' || *q == 'e' || *q == 'E')
		return 0;
	*v = neg ? -x : x;
	s->p = q;
	return 1;
}

static int fast_word(fast_scan *s, const char *w)
{
	size_t n = strlen(w);
	char c;

	if (strncmp(s->p, w, n) != 0)
		return 0;
	c = s->p[n];
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return 0;
	s->p += n;
	return 1;
}

/* one value; slot: it is a member of interest of the metadata (NULL otherwise) */
static int fast_value(fast_scan *s, fast_slot *slot, int *is_int, int64_t *v)
{
	const char *k;
	size_t n;

	*is_int = 0;
	switch (*s->p) {
	case '{':
		if (slot)
			slot->is_obj = 1;
		return fast_object(s, NULL, slot);
	case '[':
		return fast_array(s);
	case '"':
		return fast_str(s, &k, &n);
	case 't':
		return fast_word(s, "true");
	case 'f':
		return fast_word(s, "false");
	case 'n':
		return fast_word(s, "null");
	default:
		if (!fast_int(s, v))
			return 0;
		*is_int = 1;
		return 1;
	}
}

static int fast_pair(int64_t *in, int64_t *out, const fast_slot *slot, int kin, int kout)
{
	if (!slot->is_obj || !slot->is_int[kin] || !slot->is_int[kout] || slot->v[kin] < 0 ||
	    slot->v[kout] < 0)
		return 0;
	*in = slot->v[kin];
	*out = slot->v[kout];
	return 1;
}

/* 1 when the scanner read the whole text (*found: the answer), 0 when jansson must */
static int fast_usage_tokens(int *found, int64_t *in, int64_t *out, const char *text)
{
	fast_scan s = { text, 0 };
	fast_slot slots[3];

	memset(slots, 0, sizeof(slots));
	fast_ws(&s);
	if (*s.p != '{' || !fast_object(&s, slots, NULL))
		return 0;
	fast_ws(&s);
	if (*s.p != '\0')
		return 0;
	*found = fast_pair(in, out, &slots[0], FK_PROMPT, FK_COMPLETION) ||
		 fast_pair(in, out, &slots[1], FK_INPUT, FK_OUTPUT) ||
		 fast_pair(in, out, &slots[2], FK_INPUT, FK_OUTPUT) ||
		 fast_pair(in, out, &slots[2], FK_PROMPT, FK_COMPLETION);
	return 1;
}

int sra_bm__usage_tokens_text(int64_t *in, int64_t *out, const char *text)
{
	json_t *j;
	int found = 0;

	if (fast_usage_tokens(&found, in, out, text))
		return found;
	j = json_loads(text, 0, NULL);
	found = sra_bm__usage_tokens(in, out, j);
	json_decref(j);
	return found;
}

int64_t sra_bm__nearest_rank(const int64_t *sorted, size_t n, unsigned int pct)
{
	size_t rank;

	if (n == 0)
		return -1;
	rank = (size_t)(((uint64_t)pct * n + 99) / 100);	/* ceil(pct / 100 * n) */
	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* ---- gathering ------------------------------------------------------------ */

typedef struct {
	char *name;		/* owned; "" for a call without a model name */
	int64_t calls, with_usage, in, out;
} model_use;

typedef struct {
	int64_t calls, with_usage, in, out;
	int64_t *lat;		/* owned: latencies in ms */
	size_t nlat, caplat;
	int64_t first, last;	/* epoch ms; first = INT64_MAX when no times */
	model_use *m;		/* owned */
	size_t nm;
} usage_acc;

static void acc_init(usage_acc *a)
{
	memset(a, 0, sizeof(*a));
	a->first = INT64_MAX;
	a->last = INT64_MIN;
}

static void acc_dispose(usage_acc *a)
{
	size_t i;

	for (i = 0; i < a->nm; i++)
		free(a->m[i].name);
	free(a->m);
	free(a->lat);
}

static model_use *acc_model(usage_acc *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->nm; i++)
		if (strcmp(a->m[i].name, name) == 0)
			return &a->m[i];
	a->m = sra__realloc(a->m, (a->nm + 1) * sizeof(*a->m));
	memset(&a->m[a->nm], 0, sizeof(*a->m));
	a->m[a->nm].name = sra__strdup(name);
	return &a->m[a->nm++];
}

static void acc_latency(usage_acc *a, int64_t ms)
{
	if (a->nlat == a->caplat) {
		a->caplat = a->caplat ? 2 * a->caplat : 256;
		a->lat = sra__realloc(a->lat, a->caplat * sizeof(*a->lat));
	}
	a->lat[a->nlat++] = ms;
}

static int parse_i64(const char *cell, int64_t *v)
{
	char *end;

	if (!cell || !*cell)
		return 0;
	*v = strtoll(cell, &end, 10);
	return *end == '\0';
}

/* one call: model, start ms, end ms, response_metadata */
static void add_call(usage_acc *a, const char *const *cells)
{
	model_use *m = acc_model(a, cells[0] ? cells[0] : "");
	int64_t s, e, in, out;
	const char *meta = cells[3];

	a->calls++;
	m->calls++;
	if (meta && strcmp(meta, "{}") != 0 && sra_bm__usage_tokens_text(&in, &out, meta)) {
		a->with_usage++;
		a->in += in;
		a->out += out;
		m->with_usage++;
		m->in += in;
		m->out += out;
	}
	if (parse_i64(cells[1], &s) && parse_i64(cells[2], &e)) {
		if (e >= s)
			acc_latency(a, e - s);
		if (s < a->first)
			a->first = s;
		if (e > a->last)
			a->last = e;
	}
}

/* one record: for each reviewer, whether it has a call, then the call's four cells */
static int record_cb(void *payload, size_t ncols, const char *const *cells)
{
	usage_acc *acc = payload;
	int k;

	if (ncols < 15)
		return sra_error_set(SRA_ERROR_BENCHMARK, SRA_EBACKEND, "unexpected usage row");
	for (k = 0; k < 3; k++)
		if (cells[5 * k] && cells[5 * k][0] == '1')
			add_call(&acc[k], cells + 5 * k + 1);
	return 0;
}

static void acc_merge(usage_acc *t, const usage_acc *a)
{
	size_t i;

	t->calls += a->calls;
	t->with_usage += a->with_usage;
	t->in += a->in;
	t->out += a->out;
	for (i = 0; i < a->nlat; i++)
		acc_latency(t, a->lat[i]);
	if (a->first < t->first)
		t->first = a->first;
	if (a->last > t->last)
		t->last = a->last;
	for (i = 0; i < a->nm; i++) {
		model_use *m = acc_model(t, a->m[i].name);

		m->calls += a->m[i].calls;
		m->with_usage += a->m[i].with_usage;
		m->in += a->m[i].in;
		m->out += a->m[i].out;
	}
}

static int cmp_model(const void *a, const void *b)
{
	return strcmp(((const model_use *)a)->name, ((const model_use *)b)->name);
}

/* a price of the prices object, or -1 */
static double price_of(const json_t *p, const char *key)
{
	const json_t *v = json_object_get(p, key);

	return json_is_number(v) && json_number_value(v) >= 0 ? json_number_value(v) : -1;
}

static json_t *cost_or_null(double cost, int known, double denom)
{
	return known && denom > 0 ? json_real(cost / denom) : json_null();
}

static json_t *acc_json(usage_acc *a, const json_t *prices, int64_t records, int64_t included,
			sra_bm_warn_fn warn, void *warn_payload)
{
	json_t *u = json_object(), *lat = json_object();
	double cost = 0;
	int known = prices != NULL && a->with_usage > 0;
	size_t i;

	/* qsort's array must not be NULL, even for no elements (UBSan) */
	if (a->nlat)
		qsort(a->lat, a->nlat, sizeof(*a->lat), cmp_i64);
	if (a->nm)
		qsort(a->m, a->nm, sizeof(*a->m), cmp_model);
	for (i = 0; i < a->nm && prices; i++) {
		const json_t *p = json_object_get(prices, a->m[i].name);
		double pin = price_of(p, "input_per_mtok"), pout = price_of(p, "output_per_mtok");

		if (pin < 0 || pout < 0) {
			known = 0;
			if (warn) {
				char msg[300];

				if (*a->m[i].name)
					snprintf(msg, sizeof(msg), "no price for model '%.200s' in the prices: "
						 "the cost is null", a->m[i].name);
				else
					snprintf(msg, sizeof(msg), "calls without a model name have no price: "
						 "the cost is null");
				warn(warn_payload, msg);
			}
			continue;
		}
		cost += ((double)a->m[i].in * pin + (double)a->m[i].out * pout) / 1e6;
	}
	json_object_set_new(u, "calls", json_integer(a->calls));
	json_object_set_new(u, "calls_with_usage", json_integer(a->with_usage));
	json_object_set_new(u, "input_tokens", a->with_usage ? json_integer(a->in) : json_null());
	json_object_set_new(u, "output_tokens", a->with_usage ? json_integer(a->out) : json_null());
	if (a->nlat) {
		json_object_set_new(lat, "p50", json_integer(sra_bm__nearest_rank(a->lat, a->nlat, 50)));
		json_object_set_new(lat, "p95", json_integer(sra_bm__nearest_rank(a->lat, a->nlat, 95)));
		json_object_set_new(lat, "max", json_integer(a->lat[a->nlat - 1]));
	} else {
		json_object_set_new(lat, "p50", json_null());
		json_object_set_new(lat, "p95", json_null());
		json_object_set_new(lat, "max", json_null());
	}
	json_object_set_new(u, "latency_ms", lat);
	json_object_set_new(u, "wall_ms", a->first <= a->last ? json_integer(a->last - a->first) : json_null());
	json_object_set_new(u, "cost_usd", known ? json_real(cost) : json_null());
	json_object_set_new(u, "cost_per_record_usd", cost_or_null(cost, known, (double)records));
	json_object_set_new(u, "cost_per_included_usd", cost_or_null(cost, known, (double)included));
	return u;
}

/*
 * The calls of the review's records, one row per record that links any:
 * for the conservative reviewer, the comprehensive one and the resolver in
 * turn, 1 when the record links a call (else 0), the call's model, start
 * and end (ms since the epoch) and response_metadata.  One pass over the
 * records instead of one per reviewer: the three took a quarter of a
 * 100,000-item run on SQLite.
 */
static void calls_sql(sra_buf *sql, int pg)
{
	static const char *const alias[3] = { "c", "m", "r" };
	int k;

	sra_buf_puts(sql, "SELECT ");
	for (k = 0; k < 3; k++) {
		const char *t = alias[k];

		if (k > 0)
			sra_buf_puts(sql, ", ");
		sra_buf_printf(sql, "CASE WHEN %s.id IS NULL THEN 0 ELSE 1 END, %s.%s, ", t, t,
			       k == 2 ? "resolver_model_name" : "model_name");
		if (pg)
			sra_buf_printf(sql, "CAST(round(extract(epoch FROM %s.start_time) * 1000) AS bigint),"
				       " CAST(round(extract(epoch FROM %s.end_time) * 1000) AS bigint),"
				       " CAST(%s.response_metadata AS text)", t, t, t);
		else
			sra_buf_printf(sql, "CAST(round((julianday(%s.start_time) - 2440587.5) * 86400000.0)"
				       " AS INTEGER), CAST(round((julianday(%s.end_time) - 2440587.5) * 86400000.0)"
				       " AS INTEGER), %s.response_metadata", t, t, t);
	}
	sra_buf_printf(sql,
		" FROM search_results sr"
		" LEFT JOIN screen_abstract_results c ON c.id = sr.conservative_result_id"
		" LEFT JOIN screen_abstract_results m ON m.id = sr.comprehensive_result_id"
		" LEFT JOIN screening_resolutions r ON r.id = sr.resolution_id"
		" WHERE sr.review_id = %s AND (sr.conservative_result_id IS NOT NULL"
		" OR sr.comprehensive_result_id IS NOT NULL OR sr.resolution_id IS NOT NULL)",
		pg ? "CAST($1 AS uuid)" : "$1");
}

struct sra_bm_usage {
	usage_acc acc[3];	/* conservative, comprehensive, resolver */
};

int sra_bm__usage_gather(sra_bm_usage **out, sra_db *db, const char *review_id)
{
	sra_bm_usage *u = sra__calloc(1, sizeof(*u));
	sra_value p[1] = { SRA_VAL_TEXT(review_id) };
	sra_buf sql = SRA_BUF_INIT;
	int k, error;

	for (k = 0; k < 3; k++)
		acc_init(&u->acc[k]);
	calls_sql(&sql, sra_db__is_pg(db));
	error = sra_db__query_each(db, sra_buf_cstr(&sql), p, 1, record_cb, u->acc);
	sra_buf_dispose(&sql);
	if (error < 0) {
		sra_bm__usage_free(u);
		return error;
	}
	*out = u;
	return 0;
}

void sra_bm__usage_free(sra_bm_usage *u)
{
	int k;

	if (!u)
		return;
	for (k = 0; k < 3; k++)
		acc_dispose(&u->acc[k]);
	free(u);
}

json_t *sra_bm__usage_json(sra_bm_usage *usage, const json_t *prices, int64_t records, int64_t included,
			   sra_bm_warn_fn warn, void *warn_payload)
{
	static const char *const who[3] = { "conservative", "comprehensive", "resolver" };
	usage_acc total;
	json_t *u = json_object(), *rv = json_object();
	int k;

	acc_init(&total);
	for (k = 0; k < 3; k++) {
		acc_merge(&total, &usage->acc[k]);
		json_object_set_new(rv, who[k], acc_json(&usage->acc[k], prices, records, included, NULL, NULL));
	}
	json_object_set_new(u, "reviewers", rv);
	/* the warnings once, from the total: it holds every model */
	json_object_set_new(u, "total", acc_json(&total, prices, records, included, warn, warn_payload));
	acc_dispose(&total);
	return u;
}
