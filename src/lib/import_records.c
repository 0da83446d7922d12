/*
 * `sra import records`: bibliographic records with the human title/abstract
 * decision, from CSV, TSV or XLSX, into search_results (benchmark.md,
 * "Records with human decisions").
 *
 * The work, in one transaction; rows stream from the reader and each is
 * checked and turned into the columns of search_results, then:
 *   PostgreSQL: the review's row is locked FOR NO KEY UPDATE, so records
 *      imports into one review take turns (other work on the review goes
 *      on).  A review without records yet gets the rows COPYed straight into
 *      search_results: every row is new, and a staging table would parse,
 *      compress and write every byte twice.  Otherwise COPY into a temporary
 *      table and one set-based upsert on (review_id, source_db, source_id)
 *      that writes only new and changed rows, counting them with RETURNING
 *      (xmax = 0).  New values are compressed with lz4 when the server has
 *      it (default_toast_compression, for this transaction only): pglz was a
 *      fifth of the server's time.
 *   SQLite: the review's existing keys are read into a set first; a new key
 *      is a plain prepared INSERT, an existing one a prepared UPDATE that
 *      writes only when a column differs, changes() after it.  Not an
 *      upsert: its DO UPDATE arm (and the updated_at trigger behind it) makes
 *      SQLite keep a statement journal, copying each of the ~15 pages a row
 *      touches to a temporary file before changing it: 33 writes per row,
 *      three quarters of the time.  A single-row INSERT needs no statement
 *      journal.
 * Either way an unchanged row is compared, not rewritten, so its updated_at
 * stays.
 * By default the first invalid row stops the import and the rollback leaves
 * the database as it was; with skip_invalid the row is listed and left out.
 */
#include "import_int.h"

#include <stdarg.h>
#include "util/uuid.h"

enum {
	F_SOURCE_ID, F_TITLE, F_ABSTRACT, F_DOI, F_JOURNAL, F_YEAR,
	F_AUTHORS, F_KEYWORDS, F_HUMAN, F_SOURCE_DB, NFIELDS
};

/* field names (for --map) and the headers each accepts, in priority order */
static const struct {
	const char *field;
	const char *alias;
	const char *headers[6];
} fields[NFIELDS] = {
	[F_SOURCE_ID] = { "source_id", NULL, { "source_id", "key", "record_id", "id", "pmid", "pubmed_id" } },
	[F_TITLE] = { "title", NULL, { "title" } },
	[F_ABSTRACT] = { "abstract", NULL, { "abstract" } },
	[F_DOI] = { "doi", NULL, { "doi" } },
	[F_JOURNAL] = { "journal", NULL, { "journal" } },
	[F_YEAR] = { "year", NULL, { "year", "publication_year" } },
	[F_AUTHORS] = { "authors", NULL, { "authors" } },
	[F_KEYWORDS] = { "keywords", NULL, { "keywords" } },
	[F_HUMAN] = { "human_decision", "human", { "human_decision", "Included after T&A screen",
		      "label_abstract_screening", "label_included", "included" } },
	[F_SOURCE_DB] = { "source_db", NULL, { "source_db" } },
};

/*
 * The columns of a row, in COPY order and as the SQLite statements number
 * their parameters ($1 review_id, $2 id, …): both search_results and the
 * staging table have them.
 */
#define STAGE_COLS "review_id", "id", "source_db", "source_id", "doi", "title", "abstract", \
	"journal", "year", "authors", "keywords", "raw_data", "source_metadata"
static const char *const stage_cols[] = { STAGE_COLS };
#define NSTAGE (sizeof(stage_cols) / sizeof(stage_cols[0]))

/*
 * SQLite: the bulk load also sets the timestamps, to one value taken when the
 * import starts (PostgreSQL's now() is the transaction's start too): the
 * columns' default would run strftime twice per row, 3-4 % of an import.
 */
static const char *const sqlite_load_cols[] = { STAGE_COLS, "created_at", "updated_at" };
#define NLOAD (sizeof(sqlite_load_cols) / sizeof(sqlite_load_cols[0]))

typedef struct sra_import__sink rec_ctx;

struct sra_import__sink {
	sra_db *db;
	int pg;
	const char *path;
	const char *review;
	const sra_import_options *opts;
	sra_import_summary *sum;
	const char *default_db;		/* --source-db label, or NULL */
	double t0, last_report;
	uint64_t bytes_done, bytes_total;

	int have_header;
	size_t ncols;			/* header width */
	char **keys;			/* raw_data keys: the header, made unique */
	long col[NFIELDS];		/* column of each field, -1 when absent */

	int ended;			/* an empty source id ended the data */
	uint64_t staged;
	sra_import__set seen;		/* source_db \t source_id → line */
	sra_import__copy copy;		/* new rows: search_results, or on PostgreSQL maybe the staging table */
	int direct;			/* PostgreSQL: the COPY goes straight into search_results */
	sra_import__set existing;	/* SQLite: the review's keys before the import */
	sra_import__stmt update;	/* SQLite: a row with an existing key, written if changed */
	uint64_t inserted, updated;	/* SQLite: rows the import inserted or changed */
	char stamp[40];			/* SQLite: created_at and updated_at of new rows */
	sra_buf dbkey;			/* SQLite: building a key of `existing` */
	sra_buf raw, meta, authors, keywords, tmp, key;
	char **norm;			/* per cell: normalised copy (year, source id: whole numbers) */
	size_t *nlen;
	size_t ncap;
	char *own[5];			/* copies of trimmed or shortened text cells */
	char *id_where;			/* "column 'key': ", for messages */
	long col_notes;			/* the `notes` column (Rayyan's decisions), -1 when absent */
	int rayyan_seen;		/* a notes cell held RAYYAN-INCLUSION */
	int human_override;		/* --decision: 1 include, 0 exclude, -1 none */
};

/* a problem with one row: an error (stop) or, with skip_invalid, a listed row */
#define bad_row sra_import__sink_bad
int sra_import__sink_bad(rec_ctx *c, size_t line, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = sra_import__problem(c->sum, c->opts->skip_invalid, c->path, line, fmt, ap);
	va_end(ap);
	return error;
}

static long find_header(const rec_ctx *c, size_t ncells, const char *const *cells, const size_t *lens,
			const char *name)
{
	size_t i;

	(void)c;
	for (i = 0; i < ncells; i++) {
		const char *s = cells[i];
		size_t n = lens[i];
		sra_import__trim(&s, &n);
		if (sra_import__eq(s, n, name))
			return (long)i;
	}
	return -1;
}

static int field_index(const char *name, size_t len)
{
	int f;

	for (f = 0; f < NFIELDS; f++)
		if (sra_import__eq(name, len, fields[f].field) ||
		    (fields[f].alias && sra_import__eq(name, len, fields[f].alias)))
			return f;
	return -1;
}

/*
 * The raw_data keys: the header names, trimmed; an empty one is column_N,
 * and the same name again gets _2, _3, … (a name taken already is skipped).
 * Linear in the columns: a set of the names given out, and for each name
 * the next suffix to try, so 3,000 copies of one name are not 3,000^2 tries.
 */
static int unique_keys(rec_ctx *c, size_t line, size_t ncells, const char *const *cells, const size_t *lens)
{
	sra_import__set used = { 0 }, first = { 0 };
	size_t *next = sra__calloc(ncells ? ncells : 1, sizeof(*next));	/* by a name's first column */
	size_t i;

	for (i = 0; i < ncells; i++) {
		const char *s = cells[i];
		size_t n = lens[i], j;
		char *k, *base;

		if (!sra_import__utf8_ok(cells[i], lens[i])) {
			sra_import__set_dispose(&used);
			sra_import__set_dispose(&first);
			free(next);
			return sra_import__fail("%s:%zu: header of column %zu is not valid UTF-8", c->path, line, i + 1);
		}
		sra_import__trim(&s, &n);
		base = n ? sra__strndup(s, n) : sra__sprintf("column_%zu", i + 1);
		if (sra_import__set_add(&first, base, strlen(base), i, &j) == 0) {
			j = i;	/* else j is the column where this name came first */
			next[i] = 2;
		}
		k = sra__strdup(base);
		while (sra_import__set_has(&used, k, strlen(k))) {
			free(k);
			k = sra__sprintf("%s_%zu", base, next[j]++);
		}
		free(base);
		sra_import__set_add(&used, k, strlen(k), i, NULL);
		c->keys[i] = k;
	}
	sra_import__set_dispose(&used);
	sra_import__set_dispose(&first);
	free(next);
	return 0;
}

static int on_header(rec_ctx *c, size_t line, size_t ncells, const char *const *cells, const size_t *lens)
{
	size_t i, j;
	int f, error;

	/* trailing empty header cells are not columns */
	while (ncells && lens[ncells - 1] == 0)
		ncells--;
	c->ncols = ncells;
	c->keys = sra__calloc(ncells ? ncells : 1, sizeof(*c->keys));
	if ((error = unique_keys(c, line, ncells, cells, lens)) < 0)
		return error;
	for (f = 0; f < NFIELDS; f++) {
		c->col[f] = -1;
		for (j = 0; j < SRA_ARRAY_SIZE(fields[f].headers) && fields[f].headers[j] && c->col[f] < 0; j++)
			c->col[f] = find_header(c, ncells, cells, lens, fields[f].headers[j]);
	}
	/* --human, then --map, override */
	if (c->opts->human_column) {
		c->col[F_HUMAN] = find_header(c, ncells, cells, lens, c->opts->human_column);
		if (c->col[F_HUMAN] < 0)
			return sra_import__fail("%s:%zu: --human: no column '%s' in the header", c->path, line,
						c->opts->human_column);
	}
	for (i = 0; c->opts->map && c->opts->map[i]; i++) {
		const char *m = c->opts->map[i], *eq = strchr(m, '=');
		if (!eq || eq == m || !eq[1])
			return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
					     "--map '%s': expected FIELD=COLUMN", m);
		if ((f = field_index(m, (size_t)(eq - m))) < 0)
			return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
					     "--map '%s': unknown field '%.*s' (source_id, title, abstract, doi, journal, year, authors, keywords, human_decision, source_db)",
					     m, (int)(eq - m), m);
		c->col[f] = find_header(c, ncells, cells, lens, eq + 1);
		if (c->col[f] < 0)
			return sra_import__fail("%s:%zu: --map %s: no column '%s' in the header", c->path, line,
						m, eq + 1);
	}
	if (c->col[F_SOURCE_ID] < 0)
		return sra_import__fail("%s:%zu: no source id column: the header needs one of source_id, key, record_id, id, pmid, pubmed_id (or --map source_id=COLUMN)",
					c->path, line);
	if (c->col[F_TITLE] < 0)
		return sra_import__fail("%s:%zu: no title column: the header needs 'title' (or --map title=COLUMN)",
					c->path, line);
	c->sum->source_id_column = sra__strdup(c->keys[c->col[F_SOURCE_ID]]);
	c->id_where = sra__sprintf("column '%s': ", c->keys[c->col[F_SOURCE_ID]]);
	c->col_notes = find_header(c, ncells, cells, lens, "notes");
	if (c->col[F_HUMAN] >= 0)
		c->sum->human_column = sra__strdup(c->keys[c->col[F_HUMAN]]);
	c->have_header = 1;
	return 0;
}

/* the cell of a field, trimmed when `trim`; "" when absent */
static void cell_of(rec_ctx *c, int f, int trim, const char **s, size_t *n, size_t ncells)
{
	long k = c->col[f];

	if (k < 0 || (size_t)k >= ncells) {
		*s = "";
		*n = 0;
		return;
	}
	*s = c->norm[k];
	*n = c->nlen[k];
	if (trim)
		sra_import__trim(s, n);
}

/* 1 include, 0 exclude, -1 unknown, -2 not in the vocabulary */
static int parse_decision(const char *s, size_t n)
{
	static const char *const yes[] = { "y", "yes", "true", "1", "include", "included" };
	static const char *const no[] = { "n", "no", "false", "0", "exclude", "excluded" };
	static const char *const unk[] = { "", "na", "unknown" };
	size_t i;

	for (i = 0; i < SRA_ARRAY_SIZE(yes); i++)
		if (sra_import__eq(s, n, yes[i]))
			return 1;
	for (i = 0; i < SRA_ARRAY_SIZE(no); i++)
		if (sra_import__eq(s, n, no[i]))
			return 0;
	for (i = 0; i < SRA_ARRAY_SIZE(unk); i++)
		if (sra_import__eq(s, n, unk[i]))
			return -1;
	return -2;
}

/* split s on `;` (and ` and ` when `and`) into an array literal of the dialect */
static void split_list(rec_ctx *c, sra_buf *out, const char *s, size_t n, int and)
{
	size_t i = 0, start = 0;

	sra_import__array_begin(out, c->pg);
	while (i <= n) {
		size_t sep = 0;
		if (i == n || s[i] == ';')
			sep = 1;
		else if (and && n - i >= 5 && memcmp(s + i, " and ", 5) == 0)
			sep = 5;
		if (!sep) {
			i++;
			continue;
		}
		sra_import__array_add(out, c->pg, s + start, i - start);
		i += sep;
		start = i;
	}
	sra_import__array_end(out, c->pg);
}

static const char *cell_name(rec_ctx *c, int f)
{
	return c->keys[c->col[f]];
}

static void report(rec_ctx *c, int force)
{
	sra_import__report(c->opts, c->t0, &c->last_report, c->staged, c->bytes_done, c->bytes_total, force);
}

static void on_bytes(void *payload, uint64_t done, uint64_t total)
{
	rec_ctx *c = payload;

	c->bytes_done = done;
	c->bytes_total = total;
	report(c, 0);
}

int sra_import__sink_put(rec_ctx *c, size_t line, const sra_import__record *r)
{
	const char *stage[NLOAD];	/* stage_cols, then on SQLite the timestamps */
	const char *source_db = r->source_db;
	const char *s = r->source_id;
	size_t n = r->source_id_len, i, prev;
	char id[37];
	int exists = 0, hd = c->human_override >= 0 ? c->human_override : r->human, error;

	/* source_db: the file's, else --source-db, else inferred from the id */
	if (!source_db && c->default_db) {
		source_db = c->default_db;
	} else if (!source_db) {
		size_t k = 0;
		while (k < n && s[k] >= '0' && s[k] <= '9')
			k++;
		source_db = (k == n || (n > 5 && sra_import__eq(s, 5, "pmid_"))) ? "PubMed" : "Other";
	}

	/* a source id twice in the file */
	sra_buf_clear(&c->tmp);
	sra_buf_puts(&c->tmp, source_db);
	sra_buf_putc(&c->tmp, '\t');
	sra_buf_put(&c->tmp, s, n);
	if (sra_import__set_add(&c->seen, c->tmp.ptr, c->tmp.size, line, &prev))
		return bad_row(c, line, "%ssource id '%.*s' (%s) is already on line %zu",
			       r->id_where ? r->id_where : "", (int)n, s, source_db, prev);
	if (!c->pg)
		exists = sra_import__set_has(&c->existing, c->tmp.ptr, c->tmp.size);
	sra_buf_clear(&c->key);
	sra_buf_put(&c->key, s, n);

	sra_buf_clear(&c->meta);
	sra_buf_printf(&c->meta, "{\"benchmark_human_decision\":%s}",
		       hd == 1 ? "true" : hd == 0 ? "false" : "null");

	sra__uuid_v7(id);
	stage[0] = c->review;
	stage[1] = id;
	stage[2] = source_db;
	stage[3] = c->key.ptr;
	for (i = 0; i < 5; i++)
		stage[4 + i] = r->text[i];
	if (!stage[5])
		stage[5] = "";		/* the title is NOT NULL */
	if (!*stage[5])
		c->sum->untitled++;
	stage[9] = r->authors;
	stage[10] = r->keywords;
	stage[11] = r->raw;
	stage[12] = c->meta.ptr;
	stage[13] = stage[14] = c->stamp;
	if (!exists) {
		if ((error = sra_import__copy_row(&c->copy, stage)) < 0)
			return error;
		c->inserted++;		/* SQLite's count; PostgreSQL counts after the upsert */
	} else {
		sra_value p[NSTAGE];
		sra_rows *rows = NULL;

		for (i = 0; i < NSTAGE; i++)
			p[i] = SRA_VAL_TEXT(stage[i]);
		/* SQLite: the UPDATE compares first: an unchanged row is not written, and changes() says 0 */
		if ((error = sra_import__execute(&c->update, p, NSTAGE)) < 0 ||
		    (error = sra_db__query(&rows, c->db, "SELECT changes()", NULL, 0)) < 0)
			return error;
		c->updated += strtoull(sra_rows_get(rows, 0, 0), NULL, 10);
		sra_rows_free(rows);
	}
	c->staged++;
	report(c, 0);
	return 0;
}

int sra_import__sink_pg(const rec_ctx *c)
{
	return c->pg;
}

const sra_import_options *sra_import__sink_opts(const rec_ctx *c)
{
	return c->opts;
}

sra_import_summary *sra_import__sink_summary(rec_ctx *c)
{
	return c->sum;
}

/* whether every cell of a row is empty after trimming (such rows are skipped) */
static int row_is_blank(size_t ncells, const char *const *cells, const size_t *lens)
{
	size_t i;

	for (i = 0; i < ncells; i++) {
		const char *s = cells[i];
		size_t n = lens[i];

		sra_import__trim(&s, &n);
		if (n)
			return 0;
	}
	return 1;
}

/* a cell of field f, trimmed; "" when the row is shorter */
static void trimmed_cell(const rec_ctx *c, int f, size_t ncells, const char *const *cells, const size_t *lens,
			 const char **s, size_t *n)
{
	*s = (size_t)c->col[f] < ncells ? cells[c->col[f]] : "";
	*n = (size_t)c->col[f] < ncells ? lens[c->col[f]] : 0;
	sra_import__trim(s, n);
}

/*
 * The end of the data, before any check of the row's width: a totals block
 * below the records may reach past the header's last column.  1 when the
 * row is at or after the end (*error says whether that is wrong), else 0.
 */
static int row_past_end(int *error, rec_ctx *c, size_t line, const char *id, size_t idn)
{
	*error = 0;
	if (c->ended) {
		if (idn)
			*error = bad_row(c, line, "column '%s': source id '%.*s' below the end of the data (line %zu has an empty %s): a gap in the records, not a totals block",
					 cell_name(c, F_SOURCE_ID), (int)(idn < 60 ? idn : 60), id, c->sum->end_line,
					 cell_name(c, F_SOURCE_ID));
		else
			c->sum->ignored++;
		return 1;
	}
	if (!idn) {
		c->ended = 1;
		c->sum->end_line = line;
		c->sum->ignored++;
		return 1;
	}
	return 0;
}

/*
 * The checks and fields of a record below return 1 when the row stops there
 * (*error: bad_row's answer, 0 when --skip-invalid lists the row), else 0.
 */

/* a record needs a title or an abstract (a totals row has neither, and may be wider than the header) */
static int check_title_or_abstract(int *error, rec_ctx *c, size_t line, size_t ncells, const char *const *cells,
				   const size_t *lens, const char *id, size_t idn)
{
	static const int ta[] = { F_TITLE, F_ABSTRACT };
	size_t i;

	for (i = 0; i < 2; i++) {
		const char *v;
		size_t vn;

		trimmed_cell(c, ta[i], ncells, cells, lens, &v, &vn);
		if (vn)
			return 0;
	}
	*error = bad_row(c, line, "column '%s': source id '%.*s' has neither a title nor an abstract (a totals row? the records end at the first empty %s)",
		       cell_name(c, F_SOURCE_ID), (int)(idn < 60 ? idn : 60), id, cell_name(c, F_SOURCE_ID));
	return 1;
}

/* normalise the cells (a year or source id loses a decimal part of zeros); UTF-8 and the row's width checked */
static int normalise_cells(int *error, rec_ctx *c, size_t line, size_t ncells, const char *const *cells, const size_t *lens)
{
	size_t i;

	if (ncells > c->ncap) {
		c->ncap = ncells;
		c->norm = sra__realloc(c->norm, ncells * sizeof(*c->norm));
		c->nlen = sra__realloc(c->nlen, ncells * sizeof(*c->nlen));
	}
	for (i = 0; i < ncells; i++) {
		c->norm[i] = (char *)cells[i];
		/* only the year and the source id lose a ".0" ("2019.0", "31234567.0", as a
		 * spreadsheet saved them); every other text ("2.000" as a title) is kept
		 * as written.  An XLSX numeric cell is whole already (import_xlsx.c). */
		c->nlen[i] = (long)i == c->col[F_YEAR] || (long)i == c->col[F_SOURCE_ID]
			     ? sra_import__whole_len(cells[i], lens[i]) : lens[i];
		if (!sra_import__utf8_ok(cells[i], lens[i])) {
			*error = bad_row(c, line, "column '%s': not valid UTF-8 text",
					 i < c->ncols ? c->keys[i] : "(beyond the header)");
			return 1;
		}
	}
	for (i = c->ncols; i < ncells; i++)
		if (lens[i]) {
			*error = bad_row(c, line, "%zu cells, but the header has %zu columns (cell %zu: '%.60s')",
					 ncells, c->ncols, i + 1, cells[i]);
			return 1;
		}
	return 0;
}

/* the record's key: its source id, and source_db from a column (else --source-db, else inferred by the sink) */
static int record_key(int *error, rec_ctx *c, size_t line, sra_import__record *r, size_t ncells)
{
	const char *d;
	size_t dn;

	cell_of(c, F_SOURCE_ID, 1, &r->source_id, &r->source_id_len, ncells);
	r->id_where = c->id_where;
	cell_of(c, F_SOURCE_DB, 1, &d, &dn, ncells);
	if (dn && !(r->source_db = sra_import__source_db_label(d, dn))) {
		*error = bad_row(c, line, "column '%s': unknown source database '%.*s' (PubMed, Scopus, Embase, Other, benchmark_csv)",
				 cell_name(c, F_SOURCE_DB), (int)dn, d);
		return 1;
	}
	return 0;
}

/* the human decision: its column, else Rayyan's RAYYAN-INCLUSION in the notes */
static int record_human(int *error, rec_ctx *c, size_t line, sra_import__record *r, size_t ncells)
{
	r->human = -1;
	if (c->col[F_HUMAN] >= 0) {
		const char *d;
		size_t dn;

		cell_of(c, F_HUMAN, 1, &d, &dn, ncells);
		if ((r->human = parse_decision(d, dn)) == -2) {
			*error = bad_row(c, line, "column '%s': unknown decision '%.*s' (expected Y/N, yes/no, true/false, 1/0, include(d)/exclude(d), or empty/NA/unknown)",
					 cell_name(c, F_HUMAN), (int)dn, d);
			return 1;
		}
	} else if (c->col_notes >= 0 && (size_t)c->col_notes < ncells) {
		int found = 0;

		if (sra_import__rayyan_decision(&r->human, &found, c->norm[c->col_notes], c->nlen[c->col_notes]) < 0) {
			*error = bad_row(c, line, "column '%s': RAYYAN-INCLUSION is not {\"name\"=>\"Included|Excluded|Maybe\", …}",
					 c->keys[c->col_notes]);
			return 1;
		}
		c->rayyan_seen |= found;
	}
	return 0;
}

/* raw_data: the whole row, header → cell */
static void record_raw(rec_ctx *c, sra_import__record *r, size_t ncells)
{
	size_t i;

	sra_buf_clear(&c->raw);
	sra_buf_putc(&c->raw, '{');
	for (i = 0; i < c->ncols; i++) {
		if (i)
			sra_buf_putc(&c->raw, ',');
		sra_import__json_string(&c->raw, c->keys[i], strlen(c->keys[i]));
		sra_buf_putc(&c->raw, ':');
		if (i < ncells)
			sra_import__json_string(&c->raw, c->norm[i], c->nlen[i]);
		else
			sra_buf_put(&c->raw, "\"\"", 2);
	}
	sra_buf_putc(&c->raw, '}');
	r->raw = c->raw.ptr;
}

/* text fields (NULL when empty), authors and keywords */
static void record_texts(rec_ctx *c, sra_import__record *r, size_t ncells)
{
	static const int textf[] = { F_DOI, F_TITLE, F_ABSTRACT, F_JOURNAL, F_YEAR };
	const char *v;
	size_t vn, k;

	for (k = 0; k < 5; k++) {
		int trim = textf[k] == F_DOI || textf[k] == F_YEAR;

		cell_of(c, textf[k], trim, &v, &vn, ncells);
		free(c->own[k]);
		c->own[k] = NULL;
		if (!vn) {
			r->text[k] = NULL;
		} else if (v[vn] == '\0') {
			r->text[k] = v;
		} else {
			c->own[k] = sra__strndup(v, vn);
			r->text[k] = c->own[k];
		}
	}
	cell_of(c, F_AUTHORS, 0, &v, &vn, ncells);
	split_list(c, &c->authors, v, vn, 1);
	r->authors = c->authors.size ? c->authors.ptr : NULL;
	cell_of(c, F_KEYWORDS, 0, &v, &vn, ncells);
	split_list(c, &c->keywords, v, vn, 0);
	r->keywords = c->keywords.size ? c->keywords.ptr : NULL;
}

/* a table row: the header, a record, or a row at or after the end of the data */
static int on_row(void *payload, size_t line, size_t ncells, const char *const *cells, const size_t *lens)
{
	rec_ctx *c = payload;
	sra_import__record r;
	const char *id;
	size_t idn;
	int error = 0;

	if (row_is_blank(ncells, cells, lens))
		return 0;
	if (!c->have_header)
		return on_header(c, line, ncells, cells, lens);
	trimmed_cell(c, F_SOURCE_ID, ncells, cells, lens, &id, &idn);
	if (row_past_end(&error, c, line, id, idn))
		return error;
	memset(&r, 0, sizeof(r));
	if (check_title_or_abstract(&error, c, line, ncells, cells, lens, id, idn) ||
	    normalise_cells(&error, c, line, ncells, cells, lens) ||
	    record_key(&error, c, line, &r, ncells) ||
	    record_human(&error, c, line, &r, ncells))
		return error;
	record_raw(c, &r, ncells);
	record_texts(c, &r, ncells);
	return sra_import__sink_put(c, line, &r);
}

/* ---- SQL ------------------------------------------------------------------ */

#define PG_COLS "doi, title, abstract, journal, year, authors, keywords, raw_data, source_metadata"

/* one records import per review at a time; decisions, runs and readers go on */
static const char pg_lock_sql[] = "SELECT 1 FROM systematic_reviews WHERE id = $1::uuid FOR NO KEY UPDATE";

/* a statement of its own, after the lock: its snapshot sees what a previous holder committed */
static const char pg_any_sql[] = "SELECT EXISTS (SELECT 1 FROM search_results WHERE review_id = $1::uuid)";

/* lz4 for the values this transaction stores, when the server was built with it (PostgreSQL 14+) */
static const char pg_lz4_sql[] =
	"SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings "
	"WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)";

static const char pg_stage_sql[] =
	"CREATE TEMP TABLE sra_import_stage (review_id uuid, id uuid, source_db text, source_id text, "
	"doi text, title text, abstract text, journal text, year text, authors text[], keywords text[], "
	"raw_data jsonb, source_metadata jsonb) ON COMMIT DROP";

/*
 * No ORDER BY: sorting the whole stage spilled it to disk (work_mem), and a
 * temporary table's scan returns the rows in COPY order anyway.
 */
static const char pg_upsert_sql[] =
	"WITH up AS (INSERT INTO search_results AS t (review_id, id, source_db, source_id, " PG_COLS ") "
	"SELECT s.review_id, s.id, s.source_db::searchdatabasesource_enum, s.source_id, s.doi, s.title, "
	"s.abstract, s.journal, s.year, s.authors, s.keywords, s.raw_data, s.source_metadata "
	"FROM sra_import_stage s "
	"ON CONFLICT (review_id, source_db, source_id) DO UPDATE SET doi = EXCLUDED.doi, "
	"title = EXCLUDED.title, abstract = EXCLUDED.abstract, journal = EXCLUDED.journal, "
	"year = EXCLUDED.year, authors = EXCLUDED.authors, keywords = EXCLUDED.keywords, "
	"raw_data = EXCLUDED.raw_data, source_metadata = EXCLUDED.source_metadata "
	"WHERE (t.doi, t.title, t.abstract, t.journal, t.year, t.authors, t.keywords, t.raw_data, t.source_metadata) "
	"IS DISTINCT FROM (EXCLUDED.doi, EXCLUDED.title, EXCLUDED.abstract, EXCLUDED.journal, EXCLUDED.year, "
	"EXCLUDED.authors, EXCLUDED.keywords, EXCLUDED.raw_data, EXCLUDED.source_metadata) "
	"RETURNING (xmax = 0) AS inserted) "
	"SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up";

/* SQLite: the parameters are the columns of stage_cols; $2 (a fresh id) is not used: the row keeps its own */
static const char sqlite_update_sql[] =
	"UPDATE main.search_results SET doi = $5, title = $6, abstract = $7, journal = $8, year = $9, "
	"authors = $10, keywords = $11, raw_data = $12, source_metadata = $13 "
	"WHERE review_id = $1 AND source_db = $3 AND source_id = $4 "
	"AND NOT (doi IS $5 AND title IS $6 AND abstract IS $7 AND journal IS $8 AND year IS $9 "
	"AND authors IS $10 AND keywords IS $11 AND raw_data IS $12 AND source_metadata IS $13)";

static const char sqlite_keys_sql[] =
	"SELECT source_db, source_id FROM main.search_results WHERE review_id = $1";

static uint64_t cell_u64(const sra_rows *rows, size_t col)
{
	const char *v = sra_rows_get(rows, 0, col);
	return v ? strtoull(v, NULL, 10) : 0;
}

/* one key of the review before the import, into `existing` */
static int on_existing(void *payload, size_t ncols, const char *const *cells)
{
	rec_ctx *c = payload;

	if (ncols < 2 || !cells[0] || !cells[1])
		return 0;
	sra_buf_clear(&c->dbkey);
	sra_buf_puts(&c->dbkey, cells[0]);
	sra_buf_putc(&c->dbkey, '\t');
	sra_buf_puts(&c->dbkey, cells[1]);
	sra_import__set_add(&c->existing, c->dbkey.ptr, c->dbkey.size, 0, NULL);
	return 0;
}

/* SQLite: the keys the review has now, streamed */
static int load_existing(rec_ctx *c, const sra_value *review)
{
	return sra_db__query_each(c->db, sqlite_keys_sql, review, 1, on_existing, c);
}

int sra_import__review_found(int *out, sra_db *db, const char *review)
{
	sra_value p = SRA_VAL_TEXT(review);
	sra_rows *rows = NULL;
	int error;

	if ((error = sra_db__query(&rows, db, sra_db__is_pg(db)
				   ? "SELECT 1 FROM systematic_reviews WHERE id = $1::uuid"
				   : "SELECT 1 FROM systematic_reviews WHERE id = $1", &p, 1)) < 0)
		return error;
	*out = rows->nrows > 0;
	sra_rows_free(rows);
	return 0;
}

int sra_import__review_exists(sra_db *db, const char *review)
{
	int found, error;

	if ((error = sra_import__review_found(&found, db, review)) < 0)
		return error;
	return found ? 0 : sra_error_set(SRA_ERROR_IMPORT, SRA_ENOTFOUND, "no review with id %s", review);
}

int sra_import_records(sra_import_summary *out, sra_db *db, const char *review_id,
		       const char *path, const sra_import_options *opts)
{
	sra_import_options o;
	sra_import_summary sum = SRA_IMPORT_SUMMARY_INIT;
	sra_import__reader rd;
	sra_import__input in = { -1, "", NULL };
	rec_ctx c;
	sra_rows *rows = NULL;
	char review[37];
	sra_value p;
	size_t i;
	int error, in_txn = 0, tagged;

	SRA_ASSERT_ARG(out && db && review_id && path);
	if ((error = sra_import__options(&o, opts)) < 0)
		return error;
	opts = &o;	/* from here on, this library's version of the caller's options */
	memset(&c, 0, sizeof(c));
	if (sra__uuid_norm(review, review_id) < 0)
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "'%s' is not a review id (a UUID)", review_id);
	c.db = db;
	c.pg = sra_db__is_pg(db);
	c.path = path;
	c.review = review;
	c.opts = opts;
	c.sum = &sum;
	c.t0 = c.last_report = sra_import__now();
	if (opts->source_db && !(c.default_db = sra_import__source_db_label(opts->source_db, strlen(opts->source_db)))) {
		error = sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
				      "--source-db '%s': expected PubMed, Scopus, Embase, Other or benchmark_csv",
				      opts->source_db);
		goto done;
	}
	c.human_override = -1;
	if (opts->decision) {
		if ((c.human_override = parse_decision(opts->decision, strlen(opts->decision))) < 0) {
			error = sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
					      "--decision '%s': expected include or exclude", opts->decision);
			goto done;
		}
	}
	sum.format = opts->format;
	if ((error = sra_import__input_open(&in, path)) < 0)
		goto done;
	if (sum.format == SRA_IMPORT_AUTO && (error = sra_import__detect(&sum.format, in.file, path, 0)) < 0)
		goto done;
	if (sum.format == SRA_IMPORT_JSONL) {
		error = sra_import__fail("%s: records come as CSV, TSV, XLSX, RIS or MEDLINE, not JSON Lines", path);
		goto done;
	}
	if (opts->sheet && (sum.format == SRA_IMPORT_CSV || sum.format == SRA_IMPORT_TSV)) {
		error = sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "%s: --sheet is for XLSX workbooks; this is %s",
				      path, sum.format == SRA_IMPORT_CSV ? "CSV" : "TSV");
		goto done;
	}
	tagged = sum.format == SRA_IMPORT_RIS || sum.format == SRA_IMPORT_MEDLINE;
	if (tagged && (opts->map || opts->human_column || opts->sheet)) {
		error = sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
				      "%s: --map, --human and --sheet are for CSV, TSV and XLSX files; this is %s (see --decision)",
				      path, sum.format == SRA_IMPORT_RIS ? "RIS" : "MEDLINE");
		goto done;
	}

	if ((error = sra_db__begin(db)) < 0)
		goto done;
	in_txn = 1;
	if ((error = sra_import__review_exists(db, review)) < 0)
		goto done;
	p = SRA_VAL_TEXT(review);
	if (c.pg) {
		if ((error = sra_db__query(NULL, db, pg_lock_sql, &p, 1)) < 0 ||
		    (error = sra_db__query(&rows, db, pg_any_sql, &p, 1)) < 0 ||
		    (error = sra_db__exec(db, pg_lz4_sql)) < 0)
			goto done;
		c.direct = !sra_rows_get(rows, 0, 0) || strcmp(sra_rows_get(rows, 0, 0), "t") != 0;
		sra_rows_free(rows);
		rows = NULL;
		if ((!c.direct && (error = sra_db__exec(db, pg_stage_sql)) < 0) ||
		    (error = sra_import__copy_begin(&c.copy, db, c.direct ? "search_results" : "sra_import_stage",
						    stage_cols, NSTAGE)) < 0)
			goto done;
	} else {
		/*
		 * New keys go straight in by the bulk load (a staging table would
		 * write every byte twice); existing keys by an UPDATE between its
		 * rows, which SQLite allows and PostgreSQL's COPY would not.
		 */
		if ((error = sra_db__bulk_hint(db, 1)) < 0 ||
		    (error = sra_db__query(&rows, db, "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", NULL, 0)) < 0)
			goto done;
		snprintf(c.stamp, sizeof(c.stamp), "%s", sra_rows_get(rows, 0, 0));
		sra_rows_free(rows);
		rows = NULL;
		if ((error = load_existing(&c, &p)) < 0 ||
		    (error = sra_import__prepare(&c.update, db, sqlite_update_sql)) < 0 ||
		    (error = sra_import__copy_begin(&c.copy, db, "search_results", sqlite_load_cols, NLOAD)) < 0)
			goto done;
	}

	memset(&rd, 0, sizeof(rd));
	rd.path = path;
	rd.file = in.file;
	rd.format = sum.format;
	rd.sheet = opts->sheet;
	rd.row = on_row;
	rd.payload = &c;
	rd.bytes = on_bytes;
	if (tagged) {
		error = sra_import__read_refman(&c, &rd);
	} else {
		error = sra_import__read_table(&rd);
		if (error == 0 && c.rayyan_seen)
			sum.human_column = sra__strdup(c.keys[c.col_notes]);
	}
	if (error == 0 && !tagged && !c.have_header)
		error = sra_import__fail("%s: no header row: the file has no rows", path);
	if (error < 0) {
		sra_import__copy_end(&c.copy, 0);
		goto done;
	}
	if ((error = sra_import__copy_end(&c.copy, 1)) < 0)
		goto done;
	report(&c, 1);

	if (c.pg && c.direct) {
		sum.inserted = c.staged;
	} else if (c.pg) {
		if ((error = sra_db__query(&rows, db, pg_upsert_sql, NULL, 0)) < 0)
			goto done;
		sum.inserted = cell_u64(rows, 0);
		sum.updated = cell_u64(rows, 1);
	} else {
		sum.inserted = c.inserted;
		sum.updated = c.updated;
	}
	sum.unchanged = c.staged - sum.inserted - sum.updated;
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
	sra_import__finalize(&c.update);
	sra_import__input_close(&in);
	if (!c.pg)
		sra_db__bulk_hint(db, 0);
	sra_rows_free(rows);
	sra_import_summary_dispose(&sum);
	sra_import__set_dispose(&c.seen);
	sra_import__set_dispose(&c.existing);
	sra_buf_dispose(&c.dbkey);
	for (i = 0; c.keys && i < c.ncols; i++)
		free(c.keys[i]);
	free(c.keys);
	free(c.id_where);
	free(c.norm);
	free(c.nlen);
	for (i = 0; i < SRA_ARRAY_SIZE(c.own); i++)
		free(c.own[i]);
	sra_buf_dispose(&c.raw);
	sra_buf_dispose(&c.meta);
	sra_buf_dispose(&c.authors);
	sra_buf_dispose(&c.keywords);
	sra_buf_dispose(&c.tmp);
	sra_buf_dispose(&c.key);
	return error;
}
