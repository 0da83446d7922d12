/*
 * Review protocols: creating, upserting (also from a JSON file), listing
 * and reading rows of systematic_reviews (see include/sra/review.h).
 */
#include "common.h"
#include "db_int.h"
#include "import_int.h"
#include "sra/review.h"
#include "util/uuid.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>

static const char *const frameworks[] = {
	"ECLIPSE", "PEO", "PICO", "PICOS", "PICOT", "PICOS/T", "SPIDER", "SPICE"
};

int sra_review_normalize_id(char out[37], const char *id)
{
	if (sra__uuid_norm(out, id) < 0)
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "'%s' is not a review id (a UUID)",
				     id ? id : "");
	return 0;
}

/* a JSON object as compact text; NULL text gives "{}" */
static int json_object_text(char **out, const char *text, const char *what)
{
	json_error_t jerr;
	json_t *j;

	if (!text) {
		*out = sra__strdup("{}");
		return 0;
	}
	if (!(j = json_loads(text, JSON_REJECT_DUPLICATES, &jerr)))
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "%s: invalid JSON: %s", what, jerr.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "%s: expected a JSON object", what);
	}
	*out = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	return 0;
}

/* the checked values, ready to bind */
typedef struct checked {
	char id[37];
	const char *framework;
	char *answers, *metadata;
} checked;

static int check_fields(checked *c, const sra_review_fields *f)
{
	size_t i;
	int error;

	memset(c, 0, sizeof(*c));
	if (!f || f->version != SRA_REVIEW_FIELDS_VERSION)
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "review fields: bad or missing version");
	if (!f->research_question || !*f->research_question)
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "a review needs a research question (--question)");
	if (!f->exclusion_criteria || !*f->exclusion_criteria)
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "a review needs exclusion criteria (--exclusion)");
	if (f->id) {
		if ((error = sra_review_normalize_id(c->id, f->id)) < 0)
			return error;
	} else {
		sra__uuid_v4(c->id);
	}
	if (f->criteria_framework && *f->criteria_framework) {
		for (i = 0; i < SRA_ARRAY_SIZE(frameworks) && !c->framework; i++)
			if (sra_import__eq(f->criteria_framework, strlen(f->criteria_framework), frameworks[i]))
				c->framework = frameworks[i];
		if (!c->framework)
			return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
				"unknown criteria framework '%s' (ECLIPSE, PEO, PICO, PICOS, PICOT, PICOS/T, SPIDER, SPICE)",
				f->criteria_framework);
	}
	if ((error = json_object_text(&c->answers, f->criteria_framework_answers, "criteria framework answers")) < 0)
		return error;
	if ((error = json_object_text(&c->metadata, f->review_metadata, "review metadata")) < 0)
		return error;
	return 0;
}

static void checked_dispose(checked *c)
{
	free(c->answers);
	free(c->metadata);
	c->answers = c->metadata = NULL;
}

static void bind(sra_value p[8], const checked *c, const sra_review_fields *f)
{
	p[0] = SRA_VAL_TEXT(c->id);
	p[1] = SRA_VAL_TEXT(f->research_question);
	p[2] = SRA_VAL_TEXT(f->exclusion_criteria);
	p[3] = SRA_VAL_TEXT(f->inclusion_criteria);
	p[4] = SRA_VAL_TEXT(f->background);
	p[5] = SRA_VAL_TEXT(c->framework);
	p[6] = SRA_VAL_TEXT(c->answers);
	p[7] = SRA_VAL_TEXT(c->metadata);
}

#define COLS "id, research_question, exclusion_criteria, inclusion_criteria, background, " \
	"criteria_framework, criteria_framework_answers, review_metadata"

static const char pg_insert[] =
	"INSERT INTO systematic_reviews AS t (" COLS ") VALUES ($1::uuid, $2, $3, $4, $5, "
	"$6::criteriaframework_enum, $7::jsonb, $8::jsonb)";
static const char sqlite_insert[] =
	"INSERT INTO systematic_reviews AS t (" COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

static const char pg_upsert_tail[] =
	" ON CONFLICT (id) DO UPDATE SET research_question = EXCLUDED.research_question, "
	"exclusion_criteria = EXCLUDED.exclusion_criteria, inclusion_criteria = EXCLUDED.inclusion_criteria, "
	"background = EXCLUDED.background, criteria_framework = EXCLUDED.criteria_framework, "
	"criteria_framework_answers = EXCLUDED.criteria_framework_answers, review_metadata = EXCLUDED.review_metadata "
	"WHERE (t.research_question, t.exclusion_criteria, t.inclusion_criteria, t.background, t.criteria_framework, "
	"t.criteria_framework_answers, t.review_metadata) IS DISTINCT FROM (EXCLUDED.research_question, "
	"EXCLUDED.exclusion_criteria, EXCLUDED.inclusion_criteria, EXCLUDED.background, EXCLUDED.criteria_framework, "
	"EXCLUDED.criteria_framework_answers, EXCLUDED.review_metadata) RETURNING id";
static const char sqlite_upsert_tail[] =
	" ON CONFLICT (id) DO UPDATE SET research_question = excluded.research_question, "
	"exclusion_criteria = excluded.exclusion_criteria, inclusion_criteria = excluded.inclusion_criteria, "
	"background = excluded.background, criteria_framework = excluded.criteria_framework, "
	"criteria_framework_answers = excluded.criteria_framework_answers, review_metadata = excluded.review_metadata "
	"WHERE NOT (t.research_question IS excluded.research_question AND t.exclusion_criteria IS excluded.exclusion_criteria "
	"AND t.inclusion_criteria IS excluded.inclusion_criteria AND t.background IS excluded.background "
	"AND t.criteria_framework IS excluded.criteria_framework "
	"AND json(t.criteria_framework_answers) IS json(excluded.criteria_framework_answers) "
	"AND json(t.review_metadata) IS json(excluded.review_metadata)) RETURNING id";

static int write_review(char **out, int *changed, sra_db *db, const sra_review_fields *f, int upsert)
{
	checked c;
	sra_value p[8];
	sra_rows *rows = NULL;
	sra_buf sql = SRA_BUF_INIT;
	int error, pg = sra_db__is_pg(db), had = 0, in_txn = 0;

	SRA_ASSERT_ARG(db);
	if ((error = check_fields(&c, f)) < 0)
		goto done;
	if ((error = sra_db__begin(db)) < 0)
		goto done;
	in_txn = 1;
	if ((error = sra_import__review_found(&had, db, c.id)) < 0)
		goto done;
	if (had && !upsert) {
		error = sra_error_set(SRA_ERROR_IMPORT, SRA_EEXISTS, "a review with id %s exists already", c.id);
		goto done;
	}
	sra_buf_puts(&sql, pg ? pg_insert : sqlite_insert);
	if (upsert)
		sra_buf_puts(&sql, pg ? pg_upsert_tail : sqlite_upsert_tail);
	bind(p, &c, f);
	if ((error = sra_db__query(&rows, db, sra_buf_cstr(&sql), p, 8)) < 0)
		goto done;
	if ((error = sra_db__commit(db)) < 0)
		goto done;
	in_txn = 0;
	if (changed)
		*changed = !had ? 1 : rows->nrows ? 2 : 0;
	if (out)
		*out = sra__strdup(c.id);
done:
	if (in_txn)
		sra_db__rollback(db);
	sra_rows_free(rows);
	sra_buf_dispose(&sql);
	checked_dispose(&c);
	return error;
}

int sra_review_create(char **out, sra_db *db, const sra_review_fields *fields)
{
	return write_review(out, NULL, db, fields, 0);
}

int sra_review_upsert(char **out, int *changed, sra_db *db, const sra_review_fields *fields)
{
	return write_review(out, changed, db, fields, 1);
}

/* the value of one of `names` in obj, as text (objects dumped); NULL when absent or null */
static int protocol_field(const char **out, char **own, json_t *obj, const char *const *names,
			  const char *path, int want_object)
{
	size_t i;

	*out = NULL;
	for (i = 0; names[i]; i++) {
		json_t *v = json_object_get(obj, names[i]);
		if (!v || json_is_null(v))
			continue;
		if (want_object) {
			if (!json_is_object(v))
				return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
						     "%s: \"%s\" must be a JSON object", path, names[i]);
			*own = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
			*out = *own;
		} else {
			if (!json_is_string(v))
				return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
						     "%s: \"%s\" must be a string", path, names[i]);
			*out = json_string_value(v);
		}
		return 0;
	}
	return 0;
}

int sra_review_import_file(char **out, int *changed, sra_db *db, const char *path)
{
	static const char *const known[] = {
		"id", "research_question", "question", "exclusion_criteria", "exclusion", "inclusion_criteria",
		"inclusion", "background", "criteria_framework", "framework", "criteria_framework_answers",
		"answers", "review_metadata", "created_at", "updated_at", NULL
	};
	static const char *const k_id[] = { "id", NULL };
	static const char *const k_q[] = { "research_question", "question", NULL };
	static const char *const k_ex[] = { "exclusion_criteria", "exclusion", NULL };
	static const char *const k_in[] = { "inclusion_criteria", "inclusion", NULL };
	static const char *const k_bg[] = { "background", NULL };
	static const char *const k_fw[] = { "criteria_framework", "framework", NULL };
	static const char *const k_ans[] = { "criteria_framework_answers", "answers", NULL };
	static const char *const k_meta[] = { "review_metadata", NULL };
	sra_review_fields f = SRA_REVIEW_FIELDS_INIT;
	char *ans = NULL, *meta = NULL;
	json_error_t jerr;
	json_t *obj = NULL, *v;
	const char *key;
	int error;

	SRA_ASSERT_ARG(db && path);
	/* "-" is stdin; a pipe or /dev/stdin is read as a stream anyway */
	if (!(obj = strcmp(path, "-") == 0 ? json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr)
					   : json_load_file(path, JSON_REJECT_DUPLICATES, &jerr))) {
		if (jerr.line <= 0)
			return sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot read %s: %s", path, jerr.text);
		return sra_error_set(SRA_ERROR_IMPORT, SRA_EINVALID, "%s:%d: invalid JSON: %s", path, jerr.line, jerr.text);
	}
	if (!json_is_object(obj)) {
		error = sra_error_set(SRA_ERROR_IMPORT, SRA_EINVALID, "%s: expected a JSON object", path);
		goto done;
	}
	json_object_foreach(obj, key, v) {
		size_t i;
		int ok = 0;
		for (i = 0; known[i] && !ok; i++)
			ok = strcmp(key, known[i]) == 0;
		if (!ok) {
			error = sra_error_set(SRA_ERROR_IMPORT, SRA_EINVALID,
				"%s: unknown key \"%s\" (id, research_question, exclusion_criteria, inclusion_criteria, background, criteria_framework, criteria_framework_answers, review_metadata)",
				path, key);
			goto done;
		}
	}
	if ((error = protocol_field(&f.id, NULL, obj, k_id, path, 0)) < 0 ||
	    (error = protocol_field(&f.research_question, NULL, obj, k_q, path, 0)) < 0 ||
	    (error = protocol_field(&f.exclusion_criteria, NULL, obj, k_ex, path, 0)) < 0 ||
	    (error = protocol_field(&f.inclusion_criteria, NULL, obj, k_in, path, 0)) < 0 ||
	    (error = protocol_field(&f.background, NULL, obj, k_bg, path, 0)) < 0 ||
	    (error = protocol_field(&f.criteria_framework, NULL, obj, k_fw, path, 0)) < 0 ||
	    (error = protocol_field(&f.criteria_framework_answers, &ans, obj, k_ans, path, 1)) < 0 ||
	    (error = protocol_field(&f.review_metadata, &meta, obj, k_meta, path, 1)) < 0)
		goto done;
	if ((error = sra_review_upsert(out, changed, db, &f)) < 0)
		sra_error_prefix("%s", path);
done:
	free(ans);
	free(meta);
	json_decref(obj);
	return error;
}

/* ---- reading: typed reviews ------------------------------------------------ */

enum { RV_ID, RV_QUESTION, RV_EXCLUSION, RV_INCLUSION, RV_BACKGROUND, RV_FRAMEWORK, RV_ANSWERS,
       RV_METADATA, RV_CREATED, RV_UPDATED, RV_NTEXT };
#define RV_NCOUNT (SRA_REVIEW_HUMAN_UNKNOWN + 1)

struct sra_review {
	char *text[RV_NTEXT];		/* owned; NULL for SQL NULL or not read */
	int64_t count[RV_NCOUNT];
};

struct sra_review_list {
	size_t n;
	sra_review *v;			/* owned: n reviews */
};

/* where a query's columns go: a text field, else a count (RV_NTEXT + k) */
static void review_fill(sra_review *r, const sra_rows *rows, size_t row, const int *to, size_t ncols)
{
	size_t i;

	for (i = 0; i < ncols; i++) {
		const char *v = sra_rows_get(rows, row, i);

		if (to[i] < RV_NTEXT)
			r->text[to[i]] = v ? sra__strdup(v) : NULL;
		else
			r->count[to[i] - RV_NTEXT] = v ? strtoll(v, NULL, 10) : 0;
	}
}

static void review_dispose(sra_review *r)
{
	size_t i;

	for (i = 0; i < RV_NTEXT; i++)
		free(r->text[i]);
}

int sra_review_list_new(sra_review_list **out, sra_db *db)
{
	static const int to[] = { RV_ID, RV_QUESTION, RV_FRAMEWORK, RV_NTEXT + SRA_REVIEW_RECORDS, RV_CREATED };
	sra_review_list *list;
	sra_rows *rows = NULL;
	size_t i;
	int error;

	SRA_ASSERT_ARG(out && db);
	if ((error = sra_db__query(&rows, db,
		"SELECT r.id, r.research_question, r.criteria_framework, "
		"(SELECT count(*) FROM search_results s WHERE s.review_id = r.id) AS records, r.created_at "
		"FROM systematic_reviews r ORDER BY r.created_at, r.id", NULL, 0)) < 0)
		return error;
	list = sra__calloc(1, sizeof(*list));
	list->n = rows->nrows;
	list->v = sra__calloc(rows->nrows ? rows->nrows : 1, sizeof(*list->v));
	for (i = 0; i < rows->nrows; i++)
		review_fill(&list->v[i], rows, i, to, SRA_ARRAY_SIZE(to));
	sra_rows_free(rows);
	*out = list;
	return 0;
}

size_t sra_review_list_count(const sra_review_list *list)
{
	return list ? list->n : 0;
}

const sra_review *sra_review_byindex(const sra_review_list *list, size_t i)
{
	return list && i < list->n ? &list->v[i] : NULL;
}

int sra_review_list_format(char **out, const sra_review_list *list)
{
	sra_buf b = SRA_BUF_INIT;
	size_t i;

	SRA_ASSERT_ARG(out && list);
	if (!list->n) {
		sra_buf_puts(&b, "no reviews (create one with 'sra review create')\n");
	} else {
		sra_buf_printf(&b, "%-36s %7s %-8s %s\n", "id", "records", "frame", "question");
		for (i = 0; i < list->n; i++) {
			const sra_review *r = &list->v[i];
			const char *fw = r->text[RV_FRAMEWORK];

			sra_buf_printf(&b, "%-36s %7" PRId64 " %-8s ", r->text[RV_ID], r->count[SRA_REVIEW_RECORDS],
				       fw ? fw : "-");
			sra_buf_put_clipped(&b, r->text[RV_QUESTION], 80 - 54);
			sra_buf_putc(&b, '\n');
		}
	}
	*out = sra_buf_detach(&b);
	return 0;
}

void sra_review_list_free(sra_review_list *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->n; i++)
		review_dispose(&list->v[i]);
	free(list->v);
	free(list);
}

int sra_review_get(sra_review **out, sra_db *db, const char *id)
{
	static const int to[] = { RV_ID, RV_QUESTION, RV_EXCLUSION, RV_INCLUSION, RV_BACKGROUND, RV_FRAMEWORK,
				  RV_ANSWERS, RV_METADATA, RV_CREATED, RV_UPDATED,
				  RV_NTEXT + SRA_REVIEW_RECORDS, RV_NTEXT + SRA_REVIEW_SCREENED,
				  RV_NTEXT + SRA_REVIEW_HUMAN_INCLUDE, RV_NTEXT + SRA_REVIEW_HUMAN_EXCLUDE,
				  RV_NTEXT + SRA_REVIEW_HUMAN_UNKNOWN };
	char norm[37];
	sra_value p;
	sra_rows *rows = NULL;
	sra_review *r;
	int error, pg;

	SRA_ASSERT_ARG(out && db);
	if ((error = sra_review_normalize_id(norm, id)) < 0)
		return error;
	pg = sra_db__is_pg(db);
	p = SRA_VAL_TEXT(norm);
	error = sra_db__query(&rows, db, pg
		? "SELECT r.id, r.research_question, r.exclusion_criteria, r.inclusion_criteria, r.background, "
		  "r.criteria_framework, r.criteria_framework_answers, r.review_metadata, r.created_at, r.updated_at, "
		  "count(s.id) AS records, count(s.final_decision) AS screened, "
		  "count(*) FILTER (WHERE s.source_metadata->'benchmark_human_decision' = 'true'::jsonb) AS human_include, "
		  "count(*) FILTER (WHERE s.source_metadata->'benchmark_human_decision' = 'false'::jsonb) AS human_exclude, "
		  "count(s.id) FILTER (WHERE coalesce(s.source_metadata->'benchmark_human_decision', 'null'::jsonb) = 'null'::jsonb) AS human_unknown "
		  "FROM systematic_reviews r LEFT JOIN search_results s ON s.review_id = r.id "
		  "WHERE r.id = $1::uuid GROUP BY r.id"
		: "SELECT r.id, r.research_question, r.exclusion_criteria, r.inclusion_criteria, r.background, "
		  "r.criteria_framework, r.criteria_framework_answers, r.review_metadata, r.created_at, r.updated_at, "
		  "count(s.id) AS records, count(s.final_decision) AS screened, "
		  "coalesce(sum(json_type(s.source_metadata, '$.benchmark_human_decision') = 'true'), 0) AS human_include, "
		  "coalesce(sum(json_type(s.source_metadata, '$.benchmark_human_decision') = 'false'), 0) AS human_exclude, "
		  "coalesce(sum(s.id IS NOT NULL AND coalesce(json_type(s.source_metadata, '$.benchmark_human_decision'), 'null') = 'null'), 0) AS human_unknown "
		  "FROM systematic_reviews r LEFT JOIN search_results s ON s.review_id = r.id "
		  "WHERE r.id = $1 GROUP BY r.id",
		&p, 1);
	if (error < 0)
		return error;
	if (!rows->nrows) {
		sra_rows_free(rows);
		return sra_error_set(SRA_ERROR_IMPORT, SRA_ENOTFOUND, "no review with id %s", norm);
	}
	r = sra__calloc(1, sizeof(*r));
	review_fill(r, rows, 0, to, SRA_ARRAY_SIZE(to));
	sra_rows_free(rows);
	*out = r;
	return 0;
}

void sra_review_free(sra_review *review)
{
	if (!review)
		return;
	review_dispose(review);
	free(review);
}

const char *sra_review_id(const sra_review *r) { return r->text[RV_ID]; }
const char *sra_review_question(const sra_review *r) { return r->text[RV_QUESTION]; }
const char *sra_review_exclusion(const sra_review *r) { return r->text[RV_EXCLUSION]; }
const char *sra_review_inclusion(const sra_review *r) { return r->text[RV_INCLUSION]; }
const char *sra_review_background(const sra_review *r) { return r->text[RV_BACKGROUND]; }
const char *sra_review_framework(const sra_review *r) { return r->text[RV_FRAMEWORK]; }
const char *sra_review_framework_answers(const sra_review *r) { return r->text[RV_ANSWERS]; }
const char *sra_review_metadata(const sra_review *r) { return r->text[RV_METADATA]; }
const char *sra_review_created_at(const sra_review *r) { return r->text[RV_CREATED]; }
const char *sra_review_updated_at(const sra_review *r) { return r->text[RV_UPDATED]; }

int64_t sra_review_count(const sra_review *r, sra_review_count_kind what)
{
	return (unsigned)what < RV_NCOUNT ? r->count[what] : 0;
}
