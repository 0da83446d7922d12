/*
 * This file holds the synthetic demo review (sra_demo_create): records with
 * human labels, two simulated AI reviewers with known error rates and
 * confidences, and a resolver for the records the final-decision rule sends
 * to it, written through the backend's bulk load (COPY on PostgreSQL).
 *
 * Everything follows from the seed through one xoshiro256** stream seeded
 * by splitmix64 -- the ids too -- so the same seed gives the same review,
 * byte for byte, on any machine and database.  The draws per record are a
 * fixed sequence, so record i does not depend on how many records follow.
 *
 * The simulation (per record):
 *   human      include with p = 0.20; 2 % have no human decision (unknown);
 *   screened   1 % of records were never screened (no AI decision at all);
 *   conservative  uncertain 6 %; else sensitivity 0.85, specificity 0.95;
 *   comprehensive uncertain 4 %; else sensitivity 0.95, specificity 0.85;
 *   confidence    right: 0.70-0.99; wrong or uncertain: 0.50-0.85 (two decimals);
 *   resolver   for the records the rule sends to it (disagreement, both
 *              uncertain, a confidence below 0.7): uncertain 5 %, else right
 *              with p = 0.90; confidence 0.60-0.99.
 */
#include "benchmark_int.h"
#include "final_decision.h"

/* the threshold the demo's resolver and final decisions follow (the default of benchmark run) */
#define DEMO_THRESHOLD 0.7

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <time.h>

/* ---- the generator -------------------------------------------------------- */

typedef struct {
	uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** 1.0 (Blackman & Vigna) */
static uint64_t rng_next(rng *r)
{
	uint64_t *s = r->s, result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* uniform in [0, 1), 53 bits */
static double rng_unit(rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* uniform in [lo, hi], rounded to two decimals */
static double rng_conf(rng *r, double lo, double hi)
{
	return round((lo + (hi - lo) * rng_unit(r)) * 100) / 100;
}

static size_t rng_below(rng *r, size_t n)
{
	return (size_t)(rng_unit(r) * (double)n);
}

static void rng_uuid(rng *r, char out[37])
{
	uint64_t a = rng_next(r), b = rng_next(r);
	unsigned char x[16];
	int i;

	for (i = 0; i < 8; i++) {
		x[i] = (unsigned char)(a >> (56 - 8 * i));
		x[8 + i] = (unsigned char)(b >> (56 - 8 * i));
	}
	x[6] = (unsigned char)((x[6] & 0x0f) | 0x40);
	x[8] = (unsigned char)((x[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9], x[10], x[11], x[12],
		 x[13], x[14], x[15]);
}

/* ---- the simulation ------------------------------------------------------ */

static const char *const interventions[] = {
	"mindfulness training", "a text-message reminder", "early mobilisation", "telehealth follow-up",
	"a school-based exercise programme", "vitamin D supplementation", "peer support",
	"cognitive behavioural therapy", "a nurse-led clinic", "an online decision aid"
};
static const char *const outcomes[] = {
	"medication adherence", "depressive symptoms", "length of hospital stay", "quality of life",
	"physical activity", "blood pressure", "readmission", "self-efficacy", "pain", "fatigue"
};
static const char *const populations[] = {
	"older adults", "adolescents", "people with type 2 diabetes", "nursing home residents",
	"patients after stroke", "primary care patients", "pregnant women", "informal carers"
};
static const char *const designs[] = {
	"a randomised controlled trial", "a cohort study", "a qualitative study", "a pilot study",
	"a cross-sectional survey", "a systematic review"
};

enum { DEC_INCLUDE, DEC_EXCLUDE, DEC_UNCERTAIN };
static const char *const dec_name[3] = { "include", "exclude", "uncertain" };

typedef struct {
	int decision;
	double confidence;
} verdict;

/* a reviewer with the given sensitivity and specificity; human -1 = unknown */
static verdict simulate(rng *r, int human, double p_uncertain, double sens, double spec)
{
	verdict v;
	double u = rng_unit(r), w = rng_unit(r);
	int truth = human < 0 ? rng_unit(r) < 0.2 : human, right;

	if (u < p_uncertain) {
		v.decision = DEC_UNCERTAIN;
		v.confidence = rng_conf(r, 0.50, 0.85);
		return v;
	}
	right = truth ? w < sens : w < spec;
	v.decision = (truth == right) ? DEC_INCLUDE : DEC_EXCLUDE;
	v.confidence = right ? rng_conf(r, 0.70, 0.99) : rng_conf(r, 0.50, 0.85);
	return v;
}

static void put_number(char *buf, size_t size, double v)
{
	sra_buf b = SRA_BUF_INIT;

	sra_bm__put_double(&b, v);
	snprintf(buf, size, "%s", sra_buf_cstr(&b));
	sra_buf_dispose(&b);
}

/* ---- writing ------------------------------------------------------------- */

static const char *const result_cols[] = {
	"id", "decision", "confidence_score", "rationale", "screening_strategy", "model_name", "review_id",
	"start_time", "end_time", "response_metadata"
};
static const char *const record_cols[] = {
	"id", "review_id", "source_db", "source_id", "title", "abstract", "year", "source_metadata",
	"conservative_result_id", "comprehensive_result_id", "final_decision"
};
static const char *const resolution_cols[] = {
	"id", "search_result_id", "review_id", "resolver_decision", "resolver_reasoning",
	"resolver_confidence_score", "resolver_model_name", "start_time", "end_time", "response_metadata"
};

/*
 * Plausible usage of one call (k: 0 conservative, 1 comprehensive, 2
 * resolver): its times and response_metadata, drawn from a hash of the
 * call's id so the records' stream (and so every metric) is unchanged.
 * The calls follow each other from 2025-01-06 09:00 UTC; the three
 * reviewers write usage in three of the shapes the spec reads, and about
 * one call in thirty has none.
 */
static void demo_usage(const char *id, int64_t i, int k, char start[64], char end[64], char meta[200])
{
	uint64_t h = 1469598103934665603ULL, x;
	const char *p;
	int64_t t0, lat, in, out;
	time_t secs;
	struct tm tm;
	int j;

	for (p = id; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	x = h;
	h = splitmix64(&x);
	t0 = 1736154000000LL + i * 3000 + k * 1000;	/* 2025-01-06T09:00:00Z, ms */
	lat = (k == 2 ? 700 : 250) + (int64_t)(h % 600);
	in = (k == 2 ? 1400 : 900) + (int64_t)((h >> 16) % 500);
	out = (k == 2 ? 180 : 60) + (int64_t)((h >> 32) % 140);
	for (j = 0; j < 2; j++) {
		int64_t ms = t0 + (j ? lat : 0);

		secs = (time_t)(ms / 1000);
		gmtime_r(&secs, &tm);
		snprintf(j ? end : start, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
	}
	if ((h >> 48) % 30 == 0)
		snprintf(meta, 200, "{}");
	else if (k == 0)
		snprintf(meta, 200, "{\"token_usage\": {\"prompt_tokens\": %lld, \"completion_tokens\": %lld}}",
			 (long long)in, (long long)out);
	else if (k == 1)
		snprintf(meta, 200, "{\"usage_metadata\": {\"input_tokens\": %lld, \"output_tokens\": %lld}}",
			 (long long)in, (long long)out);
	else
		snprintf(meta, 200, "{\"usage\": {\"input_tokens\": %lld, \"output_tokens\": %lld}}",
			 (long long)in, (long long)out);
}

/* one record and what the AI made of it, all drawn before anything is written */
typedef struct {
	char id[37], cons_id[37], comp_id[37], res_id[37];
	int human;		/* 1, 0, -1 unknown */
	int screened;
	verdict cons, comp, res;
	int resolved;
	size_t topic[4];
	int year;
} demo_record;

static void draw_record(rng *r, demo_record *d)
{
	double u = rng_unit(r);

	rng_uuid(r, d->id);
	rng_uuid(r, d->cons_id);
	rng_uuid(r, d->comp_id);
	rng_uuid(r, d->res_id);
	d->human = rng_unit(r) < 0.02 ? -1 : u < 0.20;
	d->screened = rng_unit(r) >= 0.01;
	d->topic[0] = rng_below(r, SRA_ARRAY_SIZE(interventions));
	d->topic[1] = rng_below(r, SRA_ARRAY_SIZE(outcomes));
	d->topic[2] = rng_below(r, SRA_ARRAY_SIZE(populations));
	d->topic[3] = rng_below(r, SRA_ARRAY_SIZE(designs));
	d->year = 2005 + (int)rng_below(r, 20);
	d->cons = simulate(r, d->human, 0.06, 0.85, 0.95);
	d->comp = simulate(r, d->human, 0.04, 0.95, 0.85);
	/* the resolver is drawn for every record, used where the rule needs it */
	{
		verdict v;
		int truth = d->human < 0 ? rng_unit(r) < 0.2 : d->human;

		if (rng_unit(r) < 0.05) {
			v.decision = DEC_UNCERTAIN;
		} else {
			int right = rng_unit(r) < 0.90;
			v.decision = (truth == right) ? DEC_INCLUDE : DEC_EXCLUDE;
		}
		v.confidence = rng_conf(r, 0.60, 0.99);
		d->res = v;
	}
	/* the rule's own test (final_decision.c); the final decisions come from its recompute */
	d->resolved = d->screened &&
		sra_final__resolver_needed(dec_name[d->cons.decision], d->cons.confidence,
					   dec_name[d->comp.decision], d->comp.confidence, DEMO_THRESHOLD);
}

typedef struct {
	sra_db *db;
	const char *review;
	uint64_t seed;
	int64_t n;
} demo_ctx;

/* phase 1: reviewer results; 2: records; 3: resolutions; 4: link the resolutions */
static int write_phase(demo_ctx *c, int phase)
{
	sra_db *db = c->db;
	sra_stmt *link = NULL;
	demo_record d;
	rng r;
	char source_id[40], title[300], abstract[600], meta[80], year[8], conf[32], why[200];
	char t_start[64], t_end[64], usage[200];
	int64_t i;
	int error = 0, copying = 0;

	rng_seed(&r, c->seed);
	rng_next(&r);	/* the review id and the run id come first in the stream */
	rng_next(&r);
	rng_next(&r);
	rng_next(&r);
	switch (phase) {
	case 1:
		error = sra_db__copy_begin(db, "screen_abstract_results", result_cols, SRA_ARRAY_SIZE(result_cols));
		break;
	case 2:
		error = sra_db__copy_begin(db, "search_results", record_cols, SRA_ARRAY_SIZE(record_cols));
		break;
	case 3:
		error = sra_db__copy_begin(db, "screening_resolutions", resolution_cols,
					    SRA_ARRAY_SIZE(resolution_cols));
		break;
	default:
		error = sra_db__prepare(&link, db, sra_db__is_pg(db)
			? "UPDATE search_results SET resolution_id = CAST($1 AS uuid) WHERE id = CAST($2 AS uuid)"
			: "UPDATE search_results SET resolution_id = $1 WHERE id = $2");
		break;
	}
	if (error < 0)
		goto done;
	copying = phase <= 3;
	for (i = 0; i < c->n; i++) {
		draw_record(&r, &d);
		if (phase == 1 && d.screened) {
			const verdict *v[2] = { &d.cons, &d.comp };
			const char *ids[2] = { d.cons_id, d.comp_id };
			int k;

			for (k = 0; k < 2; k++) {
				const char *cells[10];

				put_number(conf, sizeof(conf), v[k]->confidence);
				demo_usage(ids[k], i, k, t_start, t_end, usage);
				snprintf(why, sizeof(why), "Simulated %s reviewer: %s (confidence %s).",
					 k ? "comprehensive" : "conservative", dec_name[v[k]->decision], conf);
				cells[0] = ids[k];
				cells[1] = dec_name[v[k]->decision];
				cells[2] = conf;
				cells[3] = why;
				cells[4] = k ? "comprehensive" : "conservative";
				cells[5] = k ? "demo-comprehensive-1" : "demo-conservative-1";
				cells[6] = c->review;
				cells[7] = t_start;
				cells[8] = t_end;
				cells[9] = usage;
				if ((error = sra_db__copy_row(db, cells, 10)) < 0)
					goto done;
			}
		} else if (phase == 2) {
			const char *cells[11];

			snprintf(source_id, sizeof(source_id), "demo-%07" PRId64, i + 1);
			snprintf(title, sizeof(title), "Effect of %s on %s in %s: %s",
				 interventions[d.topic[0]], outcomes[d.topic[1]], populations[d.topic[2]],
				 designs[d.topic[3]]);
			snprintf(abstract, sizeof(abstract),
				 "Background: %s is proposed to improve %s.\nMethods: %s among %s.\n"
				 "Results: synthetic record %" PRId64 " of the sra demo.",
				 interventions[d.topic[0]], outcomes[d.topic[1]], designs[d.topic[3]],
				 populations[d.topic[2]], i + 1);
			snprintf(year, sizeof(year), "%d", d.year);
			snprintf(meta, sizeof(meta), "{\"benchmark_human_decision\": %s}",
				 d.human < 0 ? "null" : d.human ? "true" : "false");
			cells[0] = d.id;
			cells[1] = c->review;
			cells[2] = "Other";
			cells[3] = source_id;
			cells[4] = title;
			cells[5] = abstract;
			cells[6] = year;
			cells[7] = meta;
			cells[8] = d.screened ? d.cons_id : NULL;
			cells[9] = d.screened ? d.comp_id : NULL;
			cells[10] = NULL;	/* sra_final__recompute() at the end */
			if ((error = sra_db__copy_row(db, cells, 11)) < 0)
				goto done;
		} else if (phase == 3 && d.resolved) {
			const char *cells[10];

			put_number(conf, sizeof(conf), d.res.confidence);
			demo_usage(d.res_id, i, 2, t_start, t_end, usage);
			snprintf(why, sizeof(why), "Simulated resolver: %s (confidence %s).",
				 dec_name[d.res.decision], conf);
			cells[0] = d.res_id;
			cells[1] = d.id;
			cells[2] = c->review;
			cells[3] = dec_name[d.res.decision];
			cells[4] = why;
			cells[5] = conf;
			cells[6] = "demo-resolver-1";
			cells[7] = t_start;
			cells[8] = t_end;
			cells[9] = usage;
			if ((error = sra_db__copy_row(db, cells, 10)) < 0)
				goto done;
		} else if (phase == 4 && d.resolved) {
			sra_value p[2] = { SRA_VAL_TEXT(d.res_id), SRA_VAL_TEXT(d.id) };

			if ((error = sra_db__execute(db, link, p, 2)) < 0)
				goto done;
		}
	}
done:
	if (copying) {
		int e2 = sra_db__copy_end(db, error == 0);

		if (!error)
			error = e2;
	}
	sra_db__finalize(db, link);
	return error;
}

int sra_demo_create(char **review_out, char **run_id_out, sra_db *db, const sra_demo_options *opts)
{
	char review[37], run[37], meta[160];
	sra_value p[6];
	rng r;
	demo_ctx c;
	int error, phase, pg;

	SRA_ASSERT_ARG(db && opts && opts->version == SRA_DEMO_OPTIONS_VERSION);
	if (opts->records < 1 || opts->records > INT64_C(100000000))
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
			"the demo makes between 1 and 100000000 records");
	pg = sra_db__is_pg(db);
	rng_seed(&r, opts->seed);
	rng_uuid(&r, review);
	rng_uuid(&r, run);
	c.db = db;
	c.review = review;
	c.seed = opts->seed;
	c.n = opts->records;

	if ((error = sra_db__begin(db)) < 0)
		return error;
	/* a demo of the same seed made before goes, with its runs */
	p[0] = SRA_VAL_TEXT(review);
	if ((error = sra_db__query(NULL, db, pg
			? "DELETE FROM systematic_reviews WHERE id = CAST($1 AS uuid)"
			: "DELETE FROM systematic_reviews WHERE id = $1", p, 1)) < 0)
		goto done;
	snprintf(meta, sizeof(meta), "{\"demo\": {\"seed\": %" PRIu64 ", \"records\": %" PRId64 "}}",
		 opts->seed, opts->records);
	p[1] = SRA_VAL_TEXT("Do behavioural and service interventions improve health outcomes in "
			    "adults and adolescents? (synthetic demo review)");
	p[2] = SRA_VAL_TEXT("Randomised controlled trials and cohort studies of a behavioural or "
			    "service intervention reporting a health outcome.");
	p[3] = SRA_VAL_TEXT("Qualitative studies, surveys, pilot studies without a comparison, "
			    "and reviews.");
	p[4] = SRA_VAL_TEXT(meta);
	if ((error = sra_db__query(NULL, db, pg
			? "INSERT INTO systematic_reviews (id, research_question, inclusion_criteria,"
			  " exclusion_criteria, criteria_framework, criteria_framework_answers, review_metadata)"
			  " VALUES (CAST($1 AS uuid), $2, $3, $4, 'PICO', '{}', CAST($5 AS jsonb))"
			: "INSERT INTO systematic_reviews (id, research_question, inclusion_criteria,"
			  " exclusion_criteria, criteria_framework, criteria_framework_answers, review_metadata)"
			  " VALUES ($1, $2, $3, $4, 'PICO', '{}', $5)", p, 5)) < 0)
		goto done;
	for (phase = 1; phase <= 4; phase++)
		if ((error = write_phase(&c, phase)) < 0)
			goto done;
	if ((error = sra_final__recompute(NULL, db, review, DEMO_THRESHOLD, NULL)) < 0)
		goto done;
	if ((error = sra_db__commit(db)) < 0)
		goto done;
	if (review_out)
		*review_out = sra__strdup(review);
	if (run_id_out)
		*run_id_out = sra__strdup(run);
done:
	if (error)
		sra_db__rollback(db);
	return error;
}
