/*
 * The CSV and TSV reader of the imports, on libcsv (RFC 4180: quoted fields
 * with delimiters, quotes and newlines; CRLF or LF), and the format
 * detection shared by both imports.
 *
 * The file is read in 64 KiB chunks and fed to libcsv one physical line at
 * a time, so the line where each record starts is known for messages
 * (libcsv itself reports no positions).  Cells are kept exactly: no white
 * space is trimmed; a UTF-8 byte-order mark at the start is dropped.
 */
#include "import_int.h"

#include <csv.h>
#include <errno.h>
#include <sys/stat.h>

#define CHUNK (64 * 1024)
#define MAX_ROW_BYTES ((size_t)256 * 1024 * 1024)	/* a longer record is an error */

typedef struct csv_state {
	const sra_import__reader *r;
	sra_buf fields;		/* the current row's cells, each NUL-terminated */
	size_t *offs, *lens;	/* per cell: offset into fields, length */
	const char **cells;
	size_t ncells, cap;
	size_t line;		/* the physical line being fed (1-based) */
	size_t rec_line;	/* where the current record started */
	int rec_open;		/* a record has begun and not ended */
	int error;		/* a callback's error: stop */
} csv_state;

/* nothing counts as a space: fields are kept exactly as written */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void on_field(void *s, size_t len, void *data)
{
	csv_state *st = data;

	if (st->error)
		return;
	if (st->ncells == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 32;
		st->offs = sra__realloc(st->offs, st->cap * sizeof(*st->offs));
		st->lens = sra__realloc(st->lens, st->cap * sizeof(*st->lens));
		st->cells = sra__realloc(st->cells, st->cap * sizeof(*st->cells));
	}
	st->offs[st->ncells] = st->fields.size;
	st->lens[st->ncells] = len;
	sra_buf_put(&st->fields, s ? s : "", s ? len : 0);
	sra_buf_putc(&st->fields, '\0');
	st->ncells++;
}

static void on_row(int c, void *data)
{
	csv_state *st = data;
	size_t i;

	(void)c;
	st->rec_open = 0;
	if (st->error) {
		st->ncells = 0;
		sra_buf_clear(&st->fields);
		return;
	}
	for (i = 0; i < st->ncells; i++)
		st->cells[i] = st->fields.ptr + st->offs[i];
	st->error = st->r->row(st->r->payload, st->rec_line, st->ncells,
			       (const char *const *)st->cells, st->lens);
	st->ncells = 0;
	sra_buf_clear(&st->fields);
}

/* feed one piece of a physical line; `bol`: it starts the line */
static int feed(csv_state *st, struct csv_parser *p, const char *s, size_t len, int bol)
{
	size_t n;

	if (bol && !st->rec_open && len && s[0] != '\n' && s[0] != '\r') {
		st->rec_open = 1;
		st->rec_line = st->line;
	}
	n = csv_parse(p, s, len, on_field, on_row, st);
	if (st->error)
		return st->error;
	if (n != len)
		return sra_import__fail("%s:%zu: malformed %s (%s): a quote inside an unquoted field, or text after a closing quote",
					st->r->path, st->line, st->r->format == SRA_IMPORT_TSV ? "TSV" : "CSV",
					csv_strerror(csv_error(p)));
	if (csv_get_buffer_size(p) > MAX_ROW_BYTES || st->fields.size > MAX_ROW_BYTES)
		return sra_import__fail("%s:%zu: a record longer than %zu MiB (an unterminated quote?)",
					st->r->path, st->rec_line, MAX_ROW_BYTES >> 20);
	return 0;
}

int sra_import__read_csv(const sra_import__reader *r)
{
	struct csv_parser p;
	csv_state st;
	FILE *f = NULL;
	char *buf = NULL;
	struct stat sb;
	uint64_t done = 0, total = 0;
	int error = 0, bol = 1, first = 1, inited = 0, cr_pending = 0;

	memset(&st, 0, sizeof(st));
	st.r = r;
	st.line = 1;
	if (!(f = fopen(r->file ? r->file : r->path, "rb"))) {
		error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot open %s: %s", r->path, strerror(errno));
		goto done;
	}
	if (fstat(fileno(f), &sb) == 0)
		total = (uint64_t)sb.st_size;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot set up the CSV parser");
		goto done;
	}
	inited = 1;
	csv_set_space_func(&p, no_space);
	if (r->format == SRA_IMPORT_TSV)
		csv_set_delim(&p, '\t');
	buf = sra__malloc(CHUNK);
	for (;;) {
		size_t got = fread(buf, 1, CHUNK, f), off = 0;

		if (got == 0) {
			if (ferror(f)) {
				error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot read %s: %s",
						      r->path, strerror(errno));
				goto done;
			}
			break;
		}
		if (first) {
			first = 0;
			if ((error = sra_import__not_utf16(r->path, (const unsigned char *)buf, got)) < 0)
				goto done;
			if (got >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
				off = 3;
		}
		while (off < got) {
			/* a line ends at LF, CRLF or a lone CR (old Mac files): count each once */
			const char *nl = buf + off;
			size_t n;

			if (cr_pending && *nl == '\n') {	/* the LF of a CRLF split across reads */
				cr_pending = 0;
				if ((error = feed(&st, &p, nl, 1, 0)) < 0)
					goto done;
				off++;
				continue;
			}
			cr_pending = 0;
			while (nl < buf + got && *nl != '\n' && *nl != '\r')
				nl++;
			if (nl < buf + got && *nl == '\r') {
				if (nl + 1 < buf + got && nl[1] == '\n')
					nl++;
				else if (nl + 1 == buf + got)
					cr_pending = 1;
			}
			if (nl == buf + got)
				nl = NULL;
			n = nl ? (size_t)(nl - (buf + off)) + 1 : got - off;
			if ((error = feed(&st, &p, buf + off, n, bol)) < 0)
				goto done;
			off += n;
			bol = nl != NULL;
			if (nl)
				st.line++;
		}
		done += got;
		if (r->bytes)
			r->bytes(r->payload, done, total);
	}
	if (csv_fini(&p, on_field, on_row, &st) != 0) {
		if (st.error)
			error = st.error;
		else
			error = sra_import__fail("%s:%zu: unterminated quoted field: the record starting on this line never ends",
						 r->path, st.rec_line);
		goto done;
	}
	error = st.error;
done:
	if (inited)
		csv_free(&p);
	if (f)
		fclose(f);
	free(buf);
	sra_buf_dispose(&st.fields);
	free(st.offs);
	free(st.lens);
	free(st.cells);
	return error;
}

int sra_import__read_table(const sra_import__reader *r)
{
	if (r->format == SRA_IMPORT_XLSX)
		return sra_import__read_xlsx(r);
	return sra_import__read_csv(r);
}

int sra_import_detect_format(sra_import_format *out, const char *path, int allow_jsonl)
{
	SRA_ASSERT_ARG(out && path);
	return sra_import__detect(out, path, path, allow_jsonl);
}

int sra_import__detect(sra_import_format *out, const char *file, const char *path, int allow_jsonl)
{
	unsigned char buf[CHUNK];
	size_t got, i, start = 0;
	int quoted = 0, tabs = 0, commas = 0, error;
	FILE *f;

	if (!(f = fopen(file, "rb")))
		return sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot open %s: %s", path, strerror(errno));
	got = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (got >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0) {
		*out = SRA_IMPORT_XLSX;
		return 0;
	}
	if (got >= 4 && memcmp(buf, "\xd0\xcf\x11\xe0", 4) == 0)
		return sra_import__fail("%s: a legacy Excel (.xls) or other OLE file: save it as XLSX or CSV", path);
	if ((error = sra_import__not_utf16(path, buf, got)) < 0)
		return error;
	if (got >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		start = 3;
	while (start < got && (buf[start] == ' ' || buf[start] == '\t' || buf[start] == '\r' || buf[start] == '\n'))
		start++;
	if (start >= got)
		return sra_import__fail("%s: the file is empty", path);
	if (memchr(buf, '\0', got))
		return sra_import__fail("%s: a binary file, not CSV, TSV or XLSX", path);
	if ((*out = sra_import__tagged_detect((const char *)buf + start, got - start)) != SRA_IMPORT_AUTO)
		return 0;
	if (allow_jsonl && buf[start] == '{') {
		*out = SRA_IMPORT_JSONL;
		return 0;
	}
	/* the header line, up to the first newline outside quotes */
	for (i = start; i < got; i++) {
		if (buf[i] == '"')
			quoted = !quoted;
		else if (!quoted && (buf[i] == '\n' || buf[i] == '\r'))
			break;
		else if (!quoted && buf[i] == '\t')
			tabs++;
		else if (!quoted && buf[i] == ',')
			commas++;
	}
	*out = tabs && !commas ? SRA_IMPORT_TSV : SRA_IMPORT_CSV;
	return 0;
}
