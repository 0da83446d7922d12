/*
 * RIS and MEDLINE records into search_results (benchmark.md,
 * "Reference-manager files"): the field table, raw_data, the content id of a
 * record without an identifier, and the human decisions that asreview and
 * Rayyan leave in the notes.  Records come from import_tagged.c and go to
 * the records import's sink (import_records.c), which does the upsert.
 *
 * raw_data is the record as a JSON object, tag → value in the order the tags
 * first appear; a tag that occurs more than once (AU, KW, N1, MH, FAU, …)
 * becomes an array of its values in file order.
 *
 * A record without an identifier (RIS: no AN, ID or DO; MEDLINE: no PMID)
 * gets the content id `<file name>#<n>`: the file's name without its
 * directory and the record's position in the file (1-based), e.g.
 * `included.ris#12`.  Importing the same file again gives the same ids, and
 * two files of one review have different names, so their ids never collide.
 * Input read from a pipe ("-", /dev/stdin, <(…)) has no such name: a record
 * without an identifier is refused there, never given an id that a second
 * piped file would share.
 * Every record is kept, also one without a title (title '') or an abstract.
 */
#include "import_int.h"

#include <ctype.h>

typedef struct refman {
	sra_import__sink *sink;
	void (*bytes)(void *payload, uint64_t done, uint64_t total);	/* the caller's progress */
	void *bytes_payload;
	const char *base;		/* the file's name, for content ids */
	int streamed;			/* read from a pipe: no name to derive content ids from */
	sra_import_format format;
	int pg;
	int labelled;			/* a record had a decision in its notes */
	sra_buf raw, authors, keywords, year, doi, id;
	/* grouping the tags of one record by name */
	struct group { uint32_t key; size_t first, last, count; } *groups;
	size_t ngroups, gcap;
	size_t *next;			/* per tag: the next tag of its group, SIZE_MAX at the end */
	uint32_t *slots;		/* open addressing: group index + 1, 0 empty */
	size_t nslots, ncap;
} refman;

/* the first `w` (wn bytes) in s[0..n), or NULL (memmem is a GNU extension) */
static const char *find_bytes(const char *s, size_t n, const char *w, size_t wn)
{
	const char *p = s, *end = s + n;

	while ((size_t)(end - p) >= wn && (p = memchr(p, w[0], (size_t)(end - p) - wn + 1)) != NULL) {
		if (memcmp(p, w, wn) == 0)
			return p;
		p++;
	}
	return NULL;
}

static uint32_t tag_key(const char name[5])
{
	return (uint32_t)(unsigned char)name[0] | (uint32_t)(unsigned char)name[1] << 8 |
	       (uint32_t)(unsigned char)name[2] << 16 | (uint32_t)(unsigned char)name[3] << 24;
}

/* raw_data: tag → value, or tag → [values] for a repeated tag */
static void build_raw(refman *m, size_t ntags, const sra_import__tag *tags)
{
	size_t i, g;

	if (ntags > m->ncap) {
		m->ncap = ntags;
		m->next = sra__realloc(m->next, ntags * sizeof(*m->next));
		m->groups = sra__realloc(m->groups, ntags * sizeof(*m->groups));
	}
	if (m->nslots < 2 * ntags) {
		m->nslots = 64;
		while (m->nslots < 2 * ntags)
			m->nslots *= 2;
		free(m->slots);
		m->slots = sra__malloc(m->nslots * sizeof(*m->slots));
	}
	memset(m->slots, 0, m->nslots * sizeof(*m->slots));
	m->ngroups = 0;
	for (i = 0; i < ntags; i++) {
		uint32_t key = tag_key(tags[i].name);
		size_t h = (size_t)(key * 2654435761u) & (m->nslots - 1);

		while (m->slots[h] && m->groups[m->slots[h] - 1].key != key)
			h = (h + 1) & (m->nslots - 1);
		m->next[i] = SIZE_MAX;
		if (!m->slots[h]) {
			g = m->ngroups++;
			m->slots[h] = (uint32_t)(g + 1);
			m->groups[g].key = key;
			m->groups[g].first = m->groups[g].last = i;
			m->groups[g].count = 1;
		} else {
			g = m->slots[h] - 1;
			m->next[m->groups[g].last] = i;
			m->groups[g].last = i;
			m->groups[g].count++;
		}
	}
	sra_buf_clear(&m->raw);
	sra_buf_putc(&m->raw, '{');
	for (g = 0; g < m->ngroups; g++) {
		const sra_import__tag *t = &tags[m->groups[g].first];
		if (g)
			sra_buf_putc(&m->raw, ',');
		sra_import__json_string(&m->raw, t->name, strlen(t->name));
		sra_buf_putc(&m->raw, ':');
		if (m->groups[g].count == 1) {
			sra_import__json_string(&m->raw, t->value, t->len);
			continue;
		}
		sra_buf_putc(&m->raw, '[');
		for (i = m->groups[g].first; i != SIZE_MAX; i = m->next[i]) {
			if (i != m->groups[g].first)
				sra_buf_putc(&m->raw, ',');
			sra_import__json_string(&m->raw, tags[i].value, tags[i].len);
		}
		sra_buf_putc(&m->raw, ']');
	}
	sra_buf_putc(&m->raw, '}');
}

/* the first non-empty tag among `names` (in their priority), or NULL */
static const sra_import__tag *first_of(size_t ntags, const sra_import__tag *tags, const char *const *names)
{
	size_t i, k;

	for (k = 0; names[k]; k++)
		for (i = 0; i < ntags; i++)
			if (tags[i].len && strcmp(tags[i].name, names[k]) == 0)
				return &tags[i];
	return NULL;
}

static int name_in(const char *name, const char *const *names)
{
	size_t k;

	for (k = 0; names[k]; k++)
		if (strcmp(name, names[k]) == 0)
			return 1;
	return 0;
}

/* every tag named in `names`, in file order, into an array literal; the count */
static size_t collect(refman *m, sra_buf *out, size_t ntags, const sra_import__tag *tags, const char *const *names)
{
	size_t i, n = 0;

	sra_import__array_begin(out, m->pg);
	for (i = 0; i < ntags; i++) {
		if (tags[i].len && name_in(tags[i].name, names)) {
			sra_import__array_add(out, m->pg, tags[i].value, tags[i].len);
			n++;
		}
	}
	sra_import__array_end(out, m->pg);
	return n;
}

/*
 * The year: the first run of exactly four digits (2019 in "2019/05/01/",
 * "2019 May 3") of the first of `names` that has one, into m->year.  A value
 * without one ("20245", "banana", "-5") is kept as the text it is, never cut
 * to a number: NULL only when no such tag has any text.
 */
static const char *year_of(refman *m, size_t ntags, const sra_import__tag *tags, const char *const *names)
{
	const char *text = NULL;
	size_t k, i, j, textn = 0;

	for (k = 0; names[k]; k++) {
		for (i = 0; i < ntags; i++) {
			const char *v = tags[i].value;
			size_t n = tags[i].len;
			if (strcmp(tags[i].name, names[k]) != 0)
				continue;
			for (j = 0; j < n; j++) {
				size_t e = j;
				if (!isdigit((unsigned char)v[j]) || (j && isdigit((unsigned char)v[j - 1])))
					continue;
				while (e < n && isdigit((unsigned char)v[e]))
					e++;
				if (e - j == 4) {
					sra_buf_clear(&m->year);
					sra_buf_put(&m->year, v + j, 4);
					return sra_buf_cstr(&m->year);
				}
				j = e;
			}
			if (!text) {
				text = v;
				textn = n;
				sra_import__trim(&text, &textn);
				if (!textn)
					text = NULL;
			}
		}
	}
	if (!text)
		return NULL;
	sra_buf_clear(&m->year);
	sra_buf_put(&m->year, text, textn);
	return sra_buf_cstr(&m->year);
}

/* a DOI (10.NNNN/…) inside s, up to white space and trailing punctuation, into m->doi */
static const char *find_doi(refman *m, const char *s, size_t n)
{
	size_t i, j, k;

	for (i = 0; i + 8 <= n; i++) {
		if (s[i] != '1' || s[i + 1] != '0' || s[i + 2] != '.' ||
		    (i && isalnum((unsigned char)s[i - 1])))
			continue;
		for (j = i + 3; j < n && isdigit((unsigned char)s[j]); j++)
			;
		if (j - (i + 3) < 4 || j >= n || s[j] != '/')
			continue;
		for (k = j + 1; k < n && !isspace((unsigned char)s[k]); k++)
			;
		while (k > j + 1 && strchr(".,;:)]}>\"'", s[k - 1]))
			k--;
		if (k == j + 1)
			continue;
		sra_buf_clear(&m->doi);
		sra_buf_put(&m->doi, s + i, k - i);
		return sra_buf_cstr(&m->doi);
	}
	return NULL;
}

/* RIS DB → a source_db label: a label itself, else containing MEDLINE/PubMed, Scopus, Embase; anything else Other */
static const char *db_label(const char *v, size_t n)
{
	static const struct { const char *word, *label; } dbs[] = {
		{ "medline", "PubMed" }, { "pubmed", "PubMed" }, { "scopus", "Scopus" }, { "embase", "Embase" },
	};
	char low[128];
	const char *exact = sra_import__source_db_label(v, n);
	size_t i;

	if (exact)
		return exact;	/* also benchmark_csv, as sra's own export writes it */
	if (n >= sizeof(low))
		n = sizeof(low) - 1;
	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)v[i]);
	low[n] = '\0';
	for (i = 0; i < SRA_ARRAY_SIZE(dbs); i++)
		if (strstr(low, dbs[i].word))
			return dbs[i].label;
	return "Other";
}

/*
 * asreview's labels in the notes (\bASReview_\w+\b, as asreview reads them):
 * relevant → 1, irrelevant → 0, not_seen → -1; *found when one is there;
 * -2 when a record has two different ones.
 */
static int asreview_label(int *found, size_t ntags, const sra_import__tag *tags)
{
	static const char pre[] = "ASReview_";
	int label = -1;
	size_t i;

	*found = 0;
	for (i = 0; i < ntags; i++) {
		const char *v = tags[i].value, *p = v, *end = v + tags[i].len;

		if (strcmp(tags[i].name, "N1") != 0)
			continue;
		while ((p = find_bytes(p, (size_t)(end - p), pre, sizeof(pre) - 1)) != NULL) {
			const char *w = p + sizeof(pre) - 1, *e = w;
			int l = -3;

			while (e < end && (isalnum((unsigned char)*e) || *e == '_'))
				e++;
			if (p == v || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) {
				if (e - w == 8 && memcmp(w, "relevant", 8) == 0)
					l = 1;
				else if (e - w == 10 && memcmp(w, "irrelevant", 10) == 0)
					l = 0;
				else if (e - w == 8 && memcmp(w, "not_seen", 8) == 0)
					l = -1;
			}
			if (l != -3) {
				if (*found && l != label)
					return -2;
				*found = 1;
				label = l;
			}
			p = e;
		}
	}
	return label;
}

static int skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	return (int)i;
}

/* a "…" string at s[i] (backslash escapes skipped); the index after it, or 0 when there is none */
static size_t quoted(const char *s, size_t n, size_t i, size_t *start, size_t *len)
{
	if (i >= n || s[i] != '"')
		return 0;
	*start = ++i;
	while (i < n && s[i] != '"') {
		if (s[i] == '\\')
			i++;
		i++;
	}
	if (i >= n)
		return 0;
	*len = i - *start;
	return i + 1;
}

int sra_import__rayyan_decision(int *out, int *found, const char *s, size_t n)
{
	static const char key[] = "RAYYAN-INCLUSION:";
	const char *p = find_bytes(s, n, key, sizeof(key) - 1);
	size_t i, vs, vl, inc = 0, exc = 0, total = 0;

	*out = -1;
	*found = p != NULL;
	if (!p)
		return 0;
	i = (size_t)skip_ws(s, n, (size_t)(p - s) + sizeof(key) - 1);
	if (i >= n || s[i] != '{')
		return -1;
	i = (size_t)skip_ws(s, n, i + 1);
	while (i < n && s[i] != '}') {
		if (!(i = quoted(s, n, i, &vs, &vl)))	/* the reviewer */
			return -1;
		i = (size_t)skip_ws(s, n, i);
		if (n - i < 2 || s[i] != '=' || s[i + 1] != '>')
			return -1;
		i = (size_t)skip_ws(s, n, i + 2);
		if (!(i = quoted(s, n, i, &vs, &vl)))	/* the decision */
			return -1;
		total++;
		if (sra_import__eq(s + vs, vl, "Included"))
			inc++;
		else if (sra_import__eq(s + vs, vl, "Excluded"))
			exc++;
		i = (size_t)skip_ws(s, n, i);
		if (i < n && s[i] == ',')
			i = (size_t)skip_ws(s, n, i + 1);
		else if (i >= n || s[i] != '}')
			return -1;
	}
	if (i >= n)
		return -1;
	if (total && inc == total)
		*out = 1;
	else if (total && exc == total)
		*out = 0;
	return 0;
}

static int on_record(void *payload, size_t line, size_t index, size_t ntags, const sra_import__tag *tags)
{
	static const char *const ris_title[] = { "TI", "T1", "CT", "BT", NULL };
	static const char *const ris_abstract[] = { "AB", "N2", NULL };
	static const char *const ris_authors[] = { "AU", "A1", NULL };
	static const char *const ris_year[] = { "PY", "Y1", "DA", NULL };
	static const char *const ris_journal[] = { "JO", "JF", "T2", "J2", NULL };
	static const char *const ris_doi_in[] = { "UR", "M3", "N1", NULL };
	static const char *const ris_keywords[] = { "KW", NULL };
	static const char *const ris_ids[] = { "AN", "ID", NULL };
	static const char *const med_title[] = { "TI", NULL };
	static const char *const med_abstract[] = { "AB", NULL };
	static const char *const med_fau[] = { "FAU", NULL };
	static const char *const med_au[] = { "AU", NULL };
	static const char *const med_year[] = { "DP", NULL };
	static const char *const med_journal[] = { "JT", "TA", NULL };
	static const char *const med_keywords[] = { "MH", "OT", NULL };
	static const char *const med_ids[] = { "PMID", NULL };
	static const char *const db_tag[] = { "DB", NULL };
	refman *m = payload;
	sra_import__record r;
	const sra_import__tag *t;
	const char *doi = NULL;
	size_t i;
	int ris = m->format == SRA_IMPORT_RIS;

	memset(&r, 0, sizeof(r));
	build_raw(m, ntags, tags);
	r.raw = m->raw.ptr;
	r.human = -1;
	t = first_of(ntags, tags, ris ? ris_title : med_title);
	r.text[1] = t ? t->value : NULL;
	t = first_of(ntags, tags, ris ? ris_abstract : med_abstract);
	r.text[2] = t ? t->value : NULL;
	t = first_of(ntags, tags, ris ? ris_journal : med_journal);
	r.text[3] = t ? t->value : NULL;
	r.text[4] = year_of(m, ntags, tags, ris ? ris_year : med_year);
	collect(m, &m->keywords, ntags, tags, ris ? ris_keywords : med_keywords);
	if (ris)
		collect(m, &m->authors, ntags, tags, ris_authors);
	else if (!collect(m, &m->authors, ntags, tags, med_fau))
		collect(m, &m->authors, ntags, tags, med_au);
	r.authors = m->authors.size ? m->authors.ptr : NULL;
	r.keywords = m->keywords.size ? m->keywords.ptr : NULL;

	/* the DOI; RIS: DO (its 10.… part), else a 10.… in UR, M3 or N1; MEDLINE: AID, else LID, marked [doi] */
	if (ris) {
		static const char *const do_tag[] = { "DO", NULL };
		if ((t = first_of(ntags, tags, do_tag)) != NULL && !(doi = find_doi(m, t->value, t->len))) {
			sra_buf_clear(&m->doi);
			sra_buf_put(&m->doi, t->value, t->len);
			doi = sra_buf_cstr(&m->doi);
		}
		for (i = 0; i < ntags && !doi; i++)
			if (name_in(tags[i].name, ris_doi_in))
				doi = find_doi(m, tags[i].value, tags[i].len);
	} else {
		static const char *const aid[] = { "AID", "LID", NULL };
		size_t k;
		for (k = 0; aid[k] && !doi; k++) {
			for (i = 0; i < ntags && !doi; i++) {
				const char *v = tags[i].value;
				size_t n = tags[i].len;
				if (strcmp(tags[i].name, aid[k]) != 0 || n < 6 || memcmp(v + n - 5, "[doi]", 5) != 0)
					continue;
				n -= 5;
				sra_import__trim(&v, &n);
				if (!n)
					continue;
				sra_buf_clear(&m->doi);
				sra_buf_put(&m->doi, v, n);
				doi = sra_buf_cstr(&m->doi);
			}
		}
	}
	r.text[0] = doi;

	/* the source id and database */
	if ((t = first_of(ntags, tags, ris ? ris_ids : med_ids)) != NULL) {
		r.source_id = t->value;
		r.source_id_len = t->len;
	} else if (ris && doi) {
		r.source_id = doi;
		r.source_id_len = strlen(doi);
	} else if (m->streamed) {
		/* "-", /dev/stdin or <(…) have no name that tells two inputs apart:
		 * a content id from it would let a second piped file overwrite the first */
		return sra_import__sink_bad(m->sink, line, "a record without an identifier (%s) gets its content id "
					    "from the file's name, and input from a pipe or descriptor has none: save it to a file first",
					    ris ? "AN, ID or DO" : "PMID");
	} else {
		sra_buf_clear(&m->id);
		sra_buf_printf(&m->id, "%s#%zu", m->base, index);
		r.source_id = m->id.ptr;
		r.source_id_len = m->id.size;
		sra_import__sink_summary(m->sink)->generated_ids++;
	}
	if (!ris)
		r.source_db = "PubMed";
	else if ((t = first_of(ntags, tags, db_tag)) != NULL)
		r.source_db = db_label(t->value, t->len);
	else if (!sra_import__sink_opts(m->sink)->source_db)
		r.source_db = "Other";

	/* the human decision: asreview's label, else Rayyan's, in the notes (--decision overrides both) */
	if (ris) {
		int found = 0, l = asreview_label(&found, ntags, tags);
		if (l == -2)
			return sra_import__sink_bad(m->sink, line, "two different ASReview_ labels in the notes (N1) of one record");
		for (i = 0; i < ntags && !found; i++) {
			if (strcmp(tags[i].name, "N1") != 0)
				continue;
			if (sra_import__rayyan_decision(&l, &found, tags[i].value, tags[i].len) < 0)
				return sra_import__sink_bad(m->sink, tags[i].line,
							    "N1: RAYYAN-INCLUSION is not {\"name\"=>\"Included|Excluded|Maybe\", …}");
		}
		r.human = l;
		m->labelled |= found;
	}
	return sra_import__sink_put(m->sink, line, &r);
}

static void on_bytes(void *payload, uint64_t done, uint64_t total)
{
	refman *m = payload;

	if (m->bytes)
		m->bytes(m->bytes_payload, done, total);
}

int sra_import__read_refman(sra_import__sink *s, const sra_import__reader *r)
{
	sra_import__reader rd = *r;
	refman m;
	int error;

	memset(&m, 0, sizeof(m));
	m.sink = s;
	m.bytes = r->bytes;
	m.bytes_payload = r->payload;
	m.base = strrchr(r->path, '/') ? strrchr(r->path, '/') + 1 : r->path;
	/* copied from a pipe by sra_import__input, or named by a descriptor
	 * (/dev/stdin, /dev/fd/N, /proc/self/fd/N: the same name for any file) */
	m.streamed = (r->file && strcmp(r->file, r->path) != 0) || strcmp(r->path, "-") == 0 ||
		     strncmp(r->path, "/dev/", 5) == 0 || strncmp(r->path, "/proc/", 6) == 0;
	m.format = r->format;
	m.pg = sra_import__sink_pg(s);
	rd.payload = &m;
	rd.bytes = on_bytes;
	error = sra_import__read_tagged(&rd, on_record);
	if (error == 0 && m.labelled && !sra_import__sink_summary(s)->human_column)
		sra_import__sink_summary(s)->human_column = sra__strdup("N1");
	sra_buf_dispose(&m.raw);
	sra_buf_dispose(&m.authors);
	sra_buf_dispose(&m.keywords);
	sra_buf_dispose(&m.year);
	sra_buf_dispose(&m.doi);
	sra_buf_dispose(&m.id);
	free(m.groups);
	free(m.next);
	free(m.slots);
	return error;
}
