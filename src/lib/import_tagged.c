/*
 * The reader of the tagged reference-manager formats (benchmark.md,
 * "Reference-manager files"): RIS and PubMed's MEDLINE (.nbib).  It knows
 * lines, tags and records, nothing of the database: a push parser that is
 * fed bytes and hands each record, as its tags in file order, to a callback.
 * The import maps records to search_results (import_refman.c); the fuzz
 * targets feed it memory.
 *
 * RIS: a record begins with `TY  - ` and ends with `ER  -`.  A tag line is
 * two characters (a capital letter, then a capital or digit), two spaces, a
 * hyphen and a space or the end of the line.  Inside a record a line that is
 * not a tag continues the previous tag's value (joined by one space, as
 * rispy does); blank lines are skipped.  Text outside records ("Record 1 of
 * 2", export banners) is skipped, as rispy does.  A `TY` before the previous
 * record's `ER`, and the end of the file inside a record, are errors naming
 * the record's first line: the file is truncated or two files were joined
 * badly.
 *
 * MEDLINE: a tag is four characters (a capital letter, then capitals, digits
 * or spaces that pad it), a hyphen and a space: `PMID- `, `TI  - `, `FAU - `.
 * A line beginning with a space continues the previous tag (six spaces in
 * PubMed's files), joined by one space.  Records are separated by blank
 * lines; a second PMID in a record also begins a new one.
 *
 * Both: a UTF-8 byte-order mark at the start is dropped, CRLF and LF are the
 * same, values are trimmed, every line must be valid UTF-8 without NUL bytes
 * (an error naming the line).  Memory is bounded by the longest record.
 */
#include "import_int.h"

#include <errno.h>
#include <sys/stat.h>

#define MAX_RECORD_BYTES ((size_t)64 * 1024 * 1024)	/* a longer record is an error */

void sra_import__tagged_init(sra_import__tagged *t, const char *path, sra_import_format format,
			     sra_import__record_fn fn, void *payload)
{
	memset(t, 0, sizeof(*t));
	t->path = path;
	t->format = format;
	t->record = fn;
	t->payload = payload;
	t->lineno = 0;
}

void sra_import__tagged_dispose(sra_import__tagged *t)
{
	if (!t)
		return;
	sra_buf_dispose(&t->pending);
	sra_buf_dispose(&t->vals);
	free(t->tags);
	free(t->out);
	memset(t, 0, sizeof(*t));
}

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* a RIS tag line: the tag's two characters into name, the value's offset */
static int ris_tag(const char *s, size_t n, char name[5], size_t *voff)
{
	if (n < 5 || !is_upper(s[0]) || !(is_upper(s[1]) || is_digit(s[1])) ||
	    s[2] != ' ' || s[3] != ' ' || s[4] != '-' || (n > 5 && s[5] != ' '))
		return 0;
	memset(name, 0, 5);
	name[0] = s[0];
	name[1] = s[1];
	*voff = n > 5 ? 6 : 5;
	return 1;
}

/* a MEDLINE tag line: up to four characters padded with spaces, "- " */
static int medline_tag(const char *s, size_t n, char name[5], size_t *voff)
{
	size_t i, k;

	if (n < 5 || !is_upper(s[0]) || s[4] != '-' || (n > 5 && s[5] != ' '))
		return 0;
	for (k = 1; k < 4 && (is_upper(s[k]) || is_digit(s[k])); k++)
		;
	for (i = k; i < 4; i++)
		if (s[i] != ' ')
			return 0;
	memset(name, 0, 5);
	memcpy(name, s, k);
	*voff = n > 5 ? 6 : 5;
	return 1;
}

static int fail_line(sra_import__tagged *t, size_t line, const char *what)
{
	return sra_import__fail("%s:%zu: %s", t->path, line, what);
}

/* append a tag with its value (trimmed) */
static int add_tag(sra_import__tagged *t, const char name[5], const char *v, size_t n)
{
	sra_import__trim(&v, &n);
	if (t->ntags == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->tags = sra__realloc(t->tags, t->cap * sizeof(*t->tags));
	}
	memcpy(t->tags[t->ntags].name, name, 5);
	t->tags[t->ntags].line = t->lineno;
	t->tags[t->ntags].off = t->vals.size;
	t->tags[t->ntags].len = n;
	t->ntags++;
	sra_buf_put(&t->vals, v, n);
	sra_buf_putc(&t->vals, '\0');
	if (t->vals.size > MAX_RECORD_BYTES)
		return sra_import__fail("%s:%zu: the record starting on this line is longer than %zu MiB",
					t->path, t->rec_line, MAX_RECORD_BYTES >> 20);
	return 0;
}

/* append a continuation line to the last tag's value (the last in vals) */
static int continue_tag(sra_import__tagged *t, const char *v, size_t n)
{
	struct sra_import__tag_slot *last = &t->tags[t->ntags - 1];

	sra_import__trim(&v, &n);
	if (!n)
		return 0;
	sra_buf_truncate(&t->vals, t->vals.size - 1);	/* the NUL */
	if (last->len) {
		sra_buf_putc(&t->vals, ' ');
		last->len++;
	}
	sra_buf_put(&t->vals, v, n);
	sra_buf_putc(&t->vals, '\0');
	last->len += n;
	if (t->vals.size > MAX_RECORD_BYTES)
		return sra_import__fail("%s:%zu: the record starting on this line is longer than %zu MiB",
					t->path, t->rec_line, MAX_RECORD_BYTES >> 20);
	return 0;
}

static void begin_record(sra_import__tagged *t)
{
	t->in_rec = 1;
	t->rec_line = t->lineno;
	t->ntags = 0;
	sra_buf_clear(&t->vals);
}

/* hand the record to the callback */
static int end_record(sra_import__tagged *t)
{
	size_t i;

	t->in_rec = 0;
	t->nrec++;
	if (t->ntags > t->out_cap) {
		t->out_cap = t->ntags;
		t->out = sra__realloc(t->out, t->out_cap * sizeof(*t->out));
	}
	for (i = 0; i < t->ntags; i++) {
		memcpy(t->out[i].name, t->tags[i].name, 5);
		t->out[i].line = t->tags[i].line;
		t->out[i].value = t->vals.ptr + t->tags[i].off;
		t->out[i].len = t->tags[i].len;
	}
	return t->record ? t->record(t->payload, t->rec_line, t->nrec, t->ntags, t->out) : 0;
}

static int ris_line(sra_import__tagged *t, const char *s, size_t n)
{
	char name[5];
	size_t voff, k = 0;
	int tag = ris_tag(s, n, name, &voff);

	if (!t->in_rec) {
		if (!tag || strcmp(name, "TY") != 0)
			return 0;	/* text between records */
		begin_record(t);
		return add_tag(t, name, s + voff, n - voff);
	}
	if (tag && strcmp(name, "ER") == 0)
		return end_record(t);
	if (tag && strcmp(name, "TY") == 0) {
		char msg[160];
		snprintf(msg, sizeof(msg), "a new record (TY) begins before the record of line %zu ended (ER  -): the file is truncated or badly joined",
			 t->rec_line);
		return fail_line(t, t->lineno, msg);
	}
	if (tag)
		return add_tag(t, name, s + voff, n - voff);
	while (k < n && is_blank(s[k]))
		k++;
	if (k == n)
		return 0;	/* a blank line inside a record */
	return continue_tag(t, s, n);
}

static int medline_line(sra_import__tagged *t, const char *s, size_t n)
{
	char name[5];
	size_t voff, k = 0;
	int error;

	while (k < n && is_blank(s[k]))
		k++;
	if (k == n) {
		/* a blank line ends the record */
		return t->in_rec ? end_record(t) : 0;
	}
	if (medline_tag(s, n, name, &voff)) {
		if (t->in_rec && strcmp(name, "PMID") == 0) {
			size_t i;
			for (i = 0; i < t->ntags; i++)
				if (strcmp(t->tags[i].name, "PMID") == 0)
					break;
			if (i < t->ntags && (error = end_record(t)) < 0)
				return error;
		}
		if (!t->in_rec)
			begin_record(t);
		return add_tag(t, name, s + voff, n - voff);
	}
	if (!t->in_rec)
		return 0;	/* text between records */
	return continue_tag(t, s, n);
}

/* one physical line without its line break */
static int one_line(sra_import__tagged *t, const char *s, size_t n)
{
	t->lineno++;
	if (t->lineno == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		n -= 3;
	}
	if (n && s[n - 1] == '\r')
		n--;
	if (!sra_import__utf8_ok(s, n))
		return fail_line(t, t->lineno, "not valid UTF-8 text (a reference-manager file is read as UTF-8; re-export it as UTF-8)");
	return t->format == SRA_IMPORT_MEDLINE ? medline_line(t, s, n) : ris_line(t, s, n);
}

int sra_import__tagged_feed(sra_import__tagged *t, const char *buf, size_t len)
{
	size_t off = 0;
	int error;

	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (buf + off)) : len - off;

		if (!nl) {
			/* a partial line: keep it for the next piece */
			sra_buf_put(&t->pending, buf + off, n);
			if (t->pending.size > MAX_RECORD_BYTES)
				return fail_line(t, t->lineno + 1, "a line longer than 64 MiB: not a RIS or MEDLINE file");
			return 0;
		}
		if (t->pending.size) {
			sra_buf_put(&t->pending, buf + off, n);
			error = one_line(t, t->pending.ptr, t->pending.size);
			sra_buf_clear(&t->pending);
		} else {
			error = one_line(t, buf + off, n);
		}
		if (error)
			return error;
		off += n + 1;
	}
	return 0;
}

int sra_import__tagged_finish(sra_import__tagged *t)
{
	int error;

	if (t->pending.size) {
		error = one_line(t, t->pending.ptr, t->pending.size);
		sra_buf_clear(&t->pending);
		if (error)
			return error;
	}
	if (!t->in_rec)
		return 0;
	if (t->format == SRA_IMPORT_MEDLINE)
		return end_record(t);
	{
		char msg[200];
		snprintf(msg, sizeof(msg), "the record starting on this line has no end (ER  -) before the end of the file at line %zu: the file is truncated",
			 t->lineno);
		return fail_line(t, t->rec_line, msg);
	}
}

int sra_import__tagged_parse(const char *path, sra_import_format format, const char *buf, size_t len,
			     sra_import__record_fn fn, void *payload)
{
	sra_import__tagged t;
	int error;

	sra_import__tagged_init(&t, path, format, fn, payload);
	if ((error = sra_import__tagged_feed(&t, buf, len)) == 0)
		error = sra_import__tagged_finish(&t);
	sra_import__tagged_dispose(&t);
	return error;
}

int sra_import__read_tagged(const sra_import__reader *r, sra_import__record_fn fn)
{
	sra_import__tagged t;
	FILE *f;
	char *buf;
	struct stat sb;
	uint64_t done = 0, total = 0;
	int error = 0;

	if (!(f = fopen(r->file ? r->file : r->path, "rb")))
		return sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot open %s: %s", r->path, strerror(errno));
	if (fstat(fileno(f), &sb) == 0)
		total = (uint64_t)sb.st_size;
	sra_import__tagged_init(&t, r->path, r->format, fn, r->payload);
	buf = sra__malloc(64 * 1024);
	for (;;) {
		size_t got = fread(buf, 1, 64 * 1024, f);

		if (got == 0) {
			if (ferror(f))
				error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot read %s: %s", r->path, strerror(errno));
			break;
		}
		if ((error = sra_import__tagged_feed(&t, buf, got)) != 0)
			break;
		done += got;
		if (r->bytes)
			r->bytes(r->payload, done, total);
	}
	if (!error)
		error = sra_import__tagged_finish(&t);
	sra_import__tagged_dispose(&t);
	free(buf);
	fclose(f);
	return error;
}

/* whether s[0..n) begins with a line starting `p` */
static int line_starts(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);
	return n >= k && memcmp(s, p, k) == 0;
}

sra_import_format sra_import__tagged_detect(const char *s, size_t n)
{
	size_t off = 0;
	int ty = 0;

	/* the first non-blank line says it; else a TY line and an ER line in the first block (a banner first) */
	if (line_starts(s, n, "TY  -"))
		return SRA_IMPORT_RIS;
	if (line_starts(s, n, "PMID-"))
		return SRA_IMPORT_MEDLINE;
	while (off < n) {
		const char *nl = memchr(s + off, '\n', n - off);
		size_t len = nl ? (size_t)(nl - (s + off)) : n - off;

		if (line_starts(s + off, len, "TY  - "))
			ty = 1;
		else if (ty && line_starts(s + off, len, "ER  -"))
			return SRA_IMPORT_RIS;
		off += len + 1;
	}
	return SRA_IMPORT_AUTO;
}
