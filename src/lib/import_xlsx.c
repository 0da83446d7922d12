/*
 * A streaming XLSX (Office Open XML workbook) reader for the imports, on
 * libzip and expat.
 *
 * The sheet is found the way Excel does: xl/workbook.xml lists the sheets in
 * tab order with relationship ids, xl/_rels/workbook.xml.rels maps an id to
 * its part.  Shared strings (xl/sharedStrings.xml; rich-text runs joined,
 * phonetic runs left out) are loaded into memory, as every reader must; the
 * worksheet itself is parsed as it is inflated, row by row, and never held
 * whole.  Cells: t="s" (shared), "inlineStr", "str" (a formula's cached
 * string; a formula counts by its cached value, and one without is an error
 * naming the cell), "b" (TRUE/FALSE), "e" (the error text, e.g. #N/A), "d" and
 * numbers; a number holding a whole value is written without a decimal part.
 * Missing cells are placed by their reference (r="C5"); no <dimension> is
 * needed.  A truncated or corrupt archive, a bad CRC or malformed XML is an
 * error naming the file (and the part and line for XML).
 */
#include "import_int.h"

#include <errno.h>
#include <expat.h>
#include <math.h>
#include <zip.h>

#include "zip_dl.h"

#define MAX_COLS 16384		/* XFD, Excel's last column */
/* a longer cell is refused, as the CSV reader refuses a longer record */
#define MAX_CELL_BYTES ((size_t)256 * 1024 * 1024)

typedef struct xlsx xlsx;

typedef struct xml_handlers {
	XML_StartElementHandler start;
	XML_EndElementHandler end;
	XML_CharacterDataHandler text;
} xml_handlers;

struct xlsx {
	const sra_import__reader *r;
	zip_t *za;
	XML_Parser parser;
	const char *part;		/* the part being parsed */
	size_t max_cell;		/* MAX_CELL_BYTES, or SRA_TEST_MAX_CELL_BYTES in tests */
	int error;			/* set by a handler: stop */

	/* workbook.xml: the sheets in order */
	sra_strv sheet_names, sheet_rids;
	/* workbook.xml.rels */
	sra_strv rel_ids, rel_targets, rel_types;

	/* shared strings, all in one buffer */
	sra_buf sst;
	size_t *sst_off;
	size_t nsst, sst_cap;
	int in_si, in_t, in_rph;
	sra_buf text;			/* the text being collected */

	/* the worksheet */
	int in_data, in_cell, in_v, in_is;
	int has_f, has_v;		/* the cell has a formula, a cached value */
	size_t row, col;		/* current row (1-based), next column (0-based) */
	size_t cell_col;
	char cell_type[16];
	char cell_ref[16];
	sra_buf rowbuf;			/* the row's cell values, NUL-terminated */
	size_t *c_off, *c_len;		/* per column; c_off == SIZE_MAX: empty */
	size_t ncols, c_cap;
	const char **cells;
	size_t *lens;
};

static const char *local_name(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
	size_t i;

	for (i = 0; atts[i]; i += 2)
		if (strcmp(local_name(atts[i]), name) == 0)
			return atts[i + 1];
	return NULL;
}

/* Turn the OOXML escapes _xHHHH_ back into characters (in place). */
static void unescape_ooxml(sra_buf *b)
{
	size_t i, o = 0;

	if (!b->size || !memchr(b->ptr, '_', b->size))
		return;
	for (i = 0; i < b->size;) {
		unsigned cp;
		if (b->size - i >= 7 && b->ptr[i] == '_' && b->ptr[i + 1] == 'x' && b->ptr[i + 6] == '_' &&
		    sscanf(b->ptr + i + 2, "%4x", &cp) == 1 && strspn(b->ptr + i + 2, "0123456789abcdefABCDEF") >= 4) {
			/* encode cp as UTF-8; it is at most 3 bytes, shorter than the 7 it replaces */
			if (cp < 0x80) {
				b->ptr[o++] = (char)cp;
			} else if (cp < 0x800) {
				b->ptr[o++] = (char)(0xc0 | (cp >> 6));
				b->ptr[o++] = (char)(0x80 | (cp & 0x3f));
			} else {
				b->ptr[o++] = (char)(0xe0 | (cp >> 12));
				b->ptr[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
				b->ptr[o++] = (char)(0x80 | (cp & 0x3f));
			}
			i += 7;
		} else {
			b->ptr[o++] = b->ptr[i++];
		}
	}
	sra_buf_truncate(b, o);
}

/* ---- reading one part ----------------------------------------------------- */

static int zip_fail(xlsx *x, const char *what)
{
	return sra_import__fail("%s: not a readable XLSX file (%s): the file is truncated or corrupt",
				x->r->path, what);
}

/*
 * Parse the part `name` with the handlers.  `required` = 0: a missing part is
 * not an error (1 is returned).  `progress`: report bytes of this part.
 */
static int parse_part(xlsx *x, const char *name, const xml_handlers *h, int required, int progress)
{
	zip_stat_t zs;
	zip_file_t *zf = NULL;
	char *buf = NULL;
	uint64_t done = 0, total = 0;
	int error = 0;

	zip_stat_init(&zs);
	if (zip_stat(x->za, name, 0, &zs) < 0) {
		if (!required)
			return 1;
		return sra_import__fail("%s: not an XLSX workbook: it has no %s", x->r->path, name);
	}
	if (zs.valid & ZIP_STAT_SIZE)
		total = zs.size;
	if (!(zf = zip_fopen(x->za, name, 0))) {
		error = zip_fail(x, zip_strerror(x->za));
		goto done;
	}
	x->part = name;
	x->parser = XML_ParserCreate(NULL);
	XML_SetUserData(x->parser, x);
	XML_SetElementHandler(x->parser, h->start, h->end);
	XML_SetCharacterDataHandler(x->parser, h->text);
	buf = sra__malloc(64 * 1024);
	for (;;) {
		zip_int64_t n = zip_fread(zf, buf, 64 * 1024);
		enum XML_Status st;

		if (n < 0) {
			error = sra_import__fail("%s: cannot read %s (%s): the file is truncated or corrupt",
						 x->r->path, name, zip_file_strerror(zf));
			goto done;
		}
		st = XML_Parse(x->parser, buf, (int)n, n == 0);
		if (x->error) {
			error = x->error;
			goto done;
		}
		if (st != XML_STATUS_OK) {
			error = sra_import__fail("%s: %s line %lu: malformed XML (%s): the file is corrupt",
						 x->r->path, name,
						 (unsigned long)XML_GetCurrentLineNumber(x->parser),
						 XML_ErrorString(XML_GetErrorCode(x->parser)));
			goto done;
		}
		done += (uint64_t)n;
		if (progress && x->r->bytes)
			x->r->bytes(x->r->payload, done, total);
		if (n == 0)
			break;
	}
done:
	if (x->parser)
		XML_ParserFree(x->parser);
	x->parser = NULL;
	if (zf)
		zip_fclose(zf);
	free(buf);
	return error;
}

static void stop(xlsx *x, int error)
{
	if (!x->error)
		x->error = error;
	XML_StopParser(x->parser, XML_FALSE);
}

static void no_text(void *data, const XML_Char *s, int len)
{
	(void)data;
	(void)s;
	(void)len;
}

static void no_end(void *data, const XML_Char *name)
{
	(void)data;
	(void)name;
}

/* ---- workbook and relationships -------------------------------------------- */

static void wb_start(void *data, const XML_Char *name, const XML_Char **atts)
{
	xlsx *x = data;

	if (strcmp(local_name(name), "sheet") == 0) {
		const char *n = attr(atts, "name"), *id = attr(atts, "id");
		sra_strv_push(&x->sheet_names, n ? n : "");
		sra_strv_push(&x->sheet_rids, id ? id : "");
	}
}

static void rels_start(void *data, const XML_Char *name, const XML_Char **atts)
{
	xlsx *x = data;

	if (strcmp(local_name(name), "Relationship") == 0) {
		const char *id = attr(atts, "Id"), *t = attr(atts, "Target"), *ty = attr(atts, "Type");
		sra_strv_push(&x->rel_ids, id ? id : "");
		sra_strv_push(&x->rel_targets, t ? t : "");
		sra_strv_push(&x->rel_types, ty ? ty : "");
	}
}

/* the part a relationship target names, relative to xl/ */
static char *part_path(const char *target)
{
	if (target[0] == '/')
		return sra__strdup(target + 1);
	while (strncmp(target, "./", 2) == 0)
		target += 2;
	if (strncmp(target, "../", 3) == 0)
		return sra__strdup(target + 3);
	return sra__sprintf("xl/%s", target);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* ---- shared strings ------------------------------------------------------ */

static void sst_start(void *data, const XML_Char *name, const XML_Char **atts)
{
	xlsx *x = data;
	const char *n = local_name(name);

	(void)atts;
	if (strcmp(n, "si") == 0) {
		x->in_si = 1;
		sra_buf_clear(&x->text);
	} else if (x->in_si && strcmp(n, "rPh") == 0) {
		x->in_rph = 1;
	} else if (x->in_si && strcmp(n, "t") == 0) {
		x->in_t = 1;
	}
}

static void sst_end(void *data, const XML_Char *name)
{
	xlsx *x = data;
	const char *n = local_name(name);

	if (strcmp(n, "t") == 0) {
		x->in_t = 0;
	} else if (strcmp(n, "rPh") == 0) {
		x->in_rph = 0;
	} else if (strcmp(n, "si") == 0 && x->in_si) {
		x->in_si = 0;
		unescape_ooxml(&x->text);
		if (x->nsst == x->sst_cap) {
			x->sst_cap = x->sst_cap ? x->sst_cap * 2 : 1024;
			x->sst_off = sra__realloc(x->sst_off, x->sst_cap * sizeof(*x->sst_off));
		}
		x->sst_off[x->nsst++] = x->sst.size;
		sra_buf_put(&x->sst, x->text.ptr ? x->text.ptr : "", x->text.size);
		sra_buf_putc(&x->sst, '\0');
	}
}

/* append to the text being collected, or stop past the cap (bounded memory) */
static void add_text(xlsx *x, const XML_Char *s, int len)
{
	if (x->error)
		return;
	if (x->text.size + (size_t)len > x->max_cell) {
		if (x->in_cell)
			stop(x, sra_import__fail("%s: %s, cell %s: a text longer than %zu bytes",
						 x->r->path, x->part, x->cell_ref, x->max_cell));
		else
			stop(x, sra_import__fail("%s: %s, shared string %zu: a text longer than %zu bytes",
						 x->r->path, x->part, x->nsst, x->max_cell));
		return;
	}
	sra_buf_put(&x->text, s, (size_t)len);
}

static void collect_text(void *data, const XML_Char *s, int len)
{
	xlsx *x = data;

	if (x->in_t && !x->in_rph)
		add_text(x, s, len);
}

/* ---- the worksheet ------------------------------------------------------- */

/* "C5" → column 2; 0 and *ok = 0 when there are no letters */
static size_t ref_col(const char *ref, int *ok)
{
	size_t col = 0, n = 0;

	while (*ref >= 'A' && *ref <= 'Z' && n < 4) {
		col = col * 26 + (size_t)(*ref - 'A' + 1);
		ref++;
		n++;
	}
	*ok = n > 0 && col <= MAX_COLS;
	return col ? col - 1 : 0;
}

static void row_reset(xlsx *x)
{
	sra_buf_clear(&x->rowbuf);
	x->ncols = 0;
	x->col = 0;
}

static void put_cell(xlsx *x, size_t col, const char *s, size_t len)
{
	size_t i;

	if (col >= x->c_cap) {
		size_t ncap = x->c_cap ? x->c_cap : 32;
		while (ncap <= col)
			ncap *= 2;
		x->c_off = sra__realloc(x->c_off, ncap * sizeof(*x->c_off));
		x->c_len = sra__realloc(x->c_len, ncap * sizeof(*x->c_len));
		x->cells = sra__realloc(x->cells, ncap * sizeof(*x->cells));
		x->lens = sra__realloc(x->lens, ncap * sizeof(*x->lens));
		x->c_cap = ncap;
	}
	for (i = x->ncols; i <= col; i++)
		x->c_off[i] = SIZE_MAX;
	if (col + 1 > x->ncols)
		x->ncols = col + 1;
	x->c_off[col] = x->rowbuf.size;
	x->c_len[col] = len;
	sra_buf_put(&x->rowbuf, s, len);
	sra_buf_putc(&x->rowbuf, '\0');
}

static void sheet_start(void *data, const XML_Char *name, const XML_Char **atts)
{
	xlsx *x = data;
	const char *n = local_name(name);

	if (strcmp(n, "sheetData") == 0) {
		x->in_data = 1;
	} else if (!x->in_data) {
		return;
	} else if (strcmp(n, "row") == 0) {
		const char *r = attr(atts, "r");
		size_t next = x->row + 1;
		if (r) {
			char *end;
			unsigned long v = strtoul(r, &end, 10);
			if (*end || v == 0) {
				stop(x, sra_import__fail("%s: sheet row after %zu has a bad number r=\"%s\": the file is corrupt",
							 x->r->path, x->row, r));
				return;
			}
			next = (size_t)v;
		}
		x->row = next;
		row_reset(x);
	} else if (strcmp(n, "c") == 0) {
		const char *r = attr(atts, "r"), *t = attr(atts, "t");
		int ok = 1;

		x->in_cell = 1;
		x->cell_col = r ? ref_col(r, &ok) : x->col;
		if (!ok) {
			stop(x, sra_import__fail("%s: sheet row %zu has a bad cell reference r=\"%s\": the file is corrupt",
						 x->r->path, x->row, r));
			return;
		}
		snprintf(x->cell_ref, sizeof(x->cell_ref), "%s", r ? r : "?");
		snprintf(x->cell_type, sizeof(x->cell_type), "%s", t ? t : "n");
		x->col = x->cell_col + 1;
		x->has_f = x->has_v = 0;
		sra_buf_clear(&x->text);
	} else if (x->in_cell && strcmp(n, "f") == 0) {
		x->has_f = 1;
	} else if (x->in_cell && strcmp(n, "v") == 0) {
		x->in_v = 1;
		x->in_t = 1;
		x->has_v = 1;
	} else if (x->in_cell && strcmp(n, "is") == 0) {
		x->in_is = 1;
	} else if (x->in_is && strcmp(n, "rPh") == 0) {
		x->in_rph = 1;
	} else if (x->in_is && strcmp(n, "t") == 0) {
		x->in_t = 1;
	}
}

/* the value of the cell just closed, into x->text */
static int cell_value(xlsx *x)
{
	const char *t = x->cell_type;

	/*
	 * A formula counts by its cached value; none (no <v>, or an empty one
	 * where only a string may be empty) means the workbook was written by a
	 * program that never calculated it.
	 */
	if (x->has_f && (!x->has_v || (!x->text.size && strcmp(t, "str") != 0)))
		return sra_import__fail("%s: sheet row %zu, cell %s: a formula without a cached value (open and save the workbook in a spreadsheet program, which stores the values)",
					x->r->path, x->row, x->cell_ref);

	if (strcmp(t, "s") == 0) {
		char *end;
		unsigned long i = strtoul(x->text.ptr ? x->text.ptr : "", &end, 10);
		const char *s;

		if (!x->text.size || *end || i >= x->nsst)
			return sra_import__fail("%s: sheet row %zu, cell %s: shared string '%s' does not exist: the file is corrupt",
						x->r->path, x->row, x->cell_ref, sra_buf_cstr(&x->text));
		s = x->sst.ptr + x->sst_off[i];
		sra_buf_clear(&x->text);
		sra_buf_puts(&x->text, s);
	} else if (strcmp(t, "b") == 0) {
		int v = x->text.size && x->text.ptr[0] == '1';
		if (x->text.size) {
			sra_buf_clear(&x->text);
			sra_buf_puts(&x->text, v ? "TRUE" : "FALSE");
		}
	} else if (strcmp(t, "n") == 0) {
		char *end;
		double d;

		if (!x->text.size)
			return 0;
		errno = 0;
		d = strtod(x->text.ptr, &end);
		if (*end == '\0' && isfinite(d) && d == floor(d) && fabs(d) < 1e15) {
			sra_buf_clear(&x->text);
			sra_buf_printf(&x->text, "%.0f", d);
		} else {
			sra_buf_truncate(&x->text, sra_import__whole_len(x->text.ptr, x->text.size));
		}
	} else if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0) {
		unescape_ooxml(&x->text);
	}
	/* "e", "d": the text as written */
	return 0;
}

static void sheet_end(void *data, const XML_Char *name)
{
	xlsx *x = data;
	const char *n = local_name(name);
	size_t i;
	int error;

	if (!x->in_data)
		return;
	if (strcmp(n, "v") == 0) {
		x->in_v = 0;
		x->in_t = 0;
	} else if (strcmp(n, "t") == 0) {
		x->in_t = 0;
	} else if (strcmp(n, "rPh") == 0) {
		x->in_rph = 0;
	} else if (strcmp(n, "is") == 0) {
		x->in_is = 0;
	} else if (strcmp(n, "c") == 0) {
		x->in_cell = 0;
		if ((error = cell_value(x)) < 0) {
			stop(x, error);
			return;
		}
		if (x->text.size)
			put_cell(x, x->cell_col, x->text.ptr, x->text.size);
	} else if (strcmp(n, "row") == 0) {
		for (i = 0; i < x->ncols; i++) {
			if (x->c_off[i] == SIZE_MAX) {
				x->cells[i] = "";
				x->lens[i] = 0;
			} else {
				x->cells[i] = x->rowbuf.ptr + x->c_off[i];
				x->lens[i] = x->c_len[i];
			}
		}
		if (x->ncols && (error = x->r->row(x->r->payload, x->row, x->ncols,
						   (const char *const *)x->cells, x->lens)) != 0)
			stop(x, error);
		row_reset(x);
	} else if (strcmp(n, "sheetData") == 0) {
		x->in_data = 0;
	}
}

static void sheet_text(void *data, const XML_Char *s, int len)
{
	xlsx *x = data;

	if (x->in_cell && x->in_t && !x->in_rph)
		add_text(x, s, len);
}

/* ---- the whole -------------------------------------------------------------- */

int sra_import__read_xlsx(const sra_import__reader *r)
{
	static const xml_handlers wb = { wb_start, no_end, no_text };
	static const xml_handlers rels = { rels_start, no_end, no_text };
	static const xml_handlers sst = { sst_start, sst_end, collect_text };
	static const xml_handlers sheet = { sheet_start, sheet_end, sheet_text };
	xlsx x;
	char *sheet_part = NULL, *sst_part = NULL;
	const char *rid = NULL, *sheet_name = NULL;
	size_t i;
	int zerr = 0, error = 0;

	memset(&x, 0, sizeof(x));
	x.r = r;
	x.max_cell = MAX_CELL_BYTES;
	{	/* a test hook, so a test of the cap needs no 256 MiB */
		const char *cap = getenv("SRA_TEST_MAX_CELL_BYTES");
		if (cap && strtoull(cap, NULL, 10) > 0)
			x.max_cell = (size_t)strtoull(cap, NULL, 10);
	}
	if ((error = sra_zip__load()) < 0)
		return error;
	if (!(x.za = zip_open(r->file ? r->file : r->path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr))) {
		zip_error_t ze;
		if (zerr == ZIP_ER_OPEN || zerr == ZIP_ER_NOENT || zerr == ZIP_ER_READ) {
			error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot open %s: %s", r->path, strerror(errno));
			goto done;
		}
		zip_error_init_with_code(&ze, zerr);
		error = zip_fail(&x, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		goto done;
	}
	if ((error = parse_part(&x, "xl/workbook.xml", &wb, 1, 0)) < 0 ||
	    (error = parse_part(&x, "xl/_rels/workbook.xml.rels", &rels, 1, 0)) < 0)
		goto done;
	for (i = 0; i < x.sheet_names.n; i++) {
		if (r->sheet ? strcmp(x.sheet_names.v[i], r->sheet) == 0 : 1) {
			rid = x.sheet_rids.v[i];
			sheet_name = x.sheet_names.v[i];
			break;
		}
	}
	if (!rid) {
		sra_buf names = SRA_BUF_INIT;
		for (i = 0; i < x.sheet_names.n; i++)
			sra_buf_printf(&names, "%s'%s'", i ? ", " : "", x.sheet_names.v[i]);
		if (r->sheet)
			error = sra_import__fail("%s: no sheet named '%s' (the sheets: %s)", r->path, r->sheet,
						 names.size ? names.ptr : "none");
		else
			error = sra_import__fail("%s: the workbook has no sheets", r->path);
		sra_buf_dispose(&names);
		goto done;
	}
	for (i = 0; i < x.rel_ids.n; i++) {
		if (!sheet_part && strcmp(x.rel_ids.v[i], rid) == 0)
			sheet_part = part_path(x.rel_targets.v[i]);
		if (!sst_part && ends_with(x.rel_types.v[i], "/sharedStrings"))
			sst_part = part_path(x.rel_targets.v[i]);
	}
	if (!sheet_part) {
		error = sra_import__fail("%s: sheet '%s' has no part in xl/_rels/workbook.xml.rels: the file is corrupt",
					 r->path, sheet_name);
		goto done;
	}
	if ((error = parse_part(&x, sst_part ? sst_part : "xl/sharedStrings.xml", &sst, sst_part != NULL, 0)) < 0)
		goto done;
	x.in_t = x.in_rph = 0;
	error = parse_part(&x, sheet_part, &sheet, 1, 1);
	if (error > 0)
		error = 0;
done:
	if (x.za)
		zip_discard(x.za);	/* read-only: nothing to write back */
	free(sheet_part);
	free(sst_part);
	sra_strv_dispose(&x.sheet_names);
	sra_strv_dispose(&x.sheet_rids);
	sra_strv_dispose(&x.rel_ids);
	sra_strv_dispose(&x.rel_targets);
	sra_strv_dispose(&x.rel_types);
	sra_buf_dispose(&x.sst);
	free(x.sst_off);
	sra_buf_dispose(&x.text);
	sra_buf_dispose(&x.rowbuf);
	free(x.c_off);
	free(x.c_len);
	free(x.cells);
	free(x.lens);
	return error;
}
