/*
 * Helpers of the imports (see import_int.h): a string set for duplicate
 * keys, statement and bulk-load wrappers that use the backend's version-2
 * ops when it has them, and the small text routines every reader needs.
 */
#include "import_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- string set ----------------------------------------------------------- */

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void set_grow(sra_import__set *s)
{
	size_t ncap = s->cap ? s->cap * 2 : 1024, i;
	char **keys = sra__calloc(ncap, sizeof(*keys));
	size_t *vals = sra__calloc(ncap, sizeof(*vals));

	for (i = 0; i < s->cap; i++) {
		size_t j;
		if (!s->keys[i])
			continue;
		j = hash(s->keys[i], strlen(s->keys[i])) & (ncap - 1);
		while (keys[j])
			j = (j + 1) & (ncap - 1);
		keys[j] = s->keys[i];
		vals[j] = s->vals[i];
	}
	free(s->keys);
	free(s->vals);
	s->keys = keys;
	s->vals = vals;
	s->cap = ncap;
}

int sra_import__set_add(sra_import__set *s, const char *key, size_t len, size_t val, size_t *prev)
{
	size_t j;

	if ((s->n + 1) * 2 > s->cap)
		set_grow(s);
	j = hash(key, len) & (s->cap - 1);
	while (s->keys[j]) {
		if (strlen(s->keys[j]) == len && memcmp(s->keys[j], key, len) == 0) {
			if (prev)
				*prev = s->vals[j];
			return 1;
		}
		j = (j + 1) & (s->cap - 1);
	}
	s->keys[j] = sra__strndup(key, len);
	s->vals[j] = val;
	s->n++;
	return 0;
}

int sra_import__set_has(const sra_import__set *s, const char *key, size_t len)
{
	size_t j;

	if (!s->n)
		return 0;
	j = hash(key, len) & (s->cap - 1);
	while (s->keys[j]) {
		if (strlen(s->keys[j]) == len && memcmp(s->keys[j], key, len) == 0)
			return 1;
		j = (j + 1) & (s->cap - 1);
	}
	return 0;
}

void sra_import__set_dispose(sra_import__set *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->keys[i]);
	free(s->keys);
	free(s->vals);
	memset(s, 0, sizeof(*s));
}

/* ---- statements ------------------------------------------------------------ */

int sra_import__prepare(sra_import__stmt *s, sra_db *db, const char *sql)
{
	s->db = db;
	s->stmt = NULL;
	return sra_db__prepare(&s->stmt, db, sql);
}

int sra_import__execute(sra_import__stmt *s, const sra_value *params, size_t nparams)
{
	return sra_db__execute(s->db, s->stmt, params, nparams);
}

void sra_import__finalize(sra_import__stmt *s)
{
	if (s->db)
		sra_db__finalize(s->db, s->stmt);
	memset(s, 0, sizeof(*s));
}

int sra_import__copy_begin(sra_import__copy *c, sra_db *db, const char *table,
			   const char *const *columns, size_t ncols)
{
	int error;

	memset(c, 0, sizeof(*c));
	c->db = db;
	c->ncols = ncols;
	if ((error = sra_db__copy_begin(db, table, columns, ncols)) < 0)
		return error;
	c->open = 1;
	return 0;
}

int sra_import__copy_row(sra_import__copy *c, const char *const *cells)
{
	return sra_db__copy_row(c->db, cells, c->ncols);
}

int sra_import__copy_end(sra_import__copy *c, int ok)
{
	if (!c->open)
		return 0;
	c->open = 0;
	return sra_db__copy_end(c->db, ok);
}

/* ---- text ------------------------------------------------------------------ */

/*
 * Whether any of the 8 bytes of w needs an escape in a JSON string: below
 * 0x20, '"' or '\\' (the "has less" and "has zero" word tricks of Sean
 * Anderson's Bit Twiddling Hacks; bytes of 0x80 and above never match).
 * An abstract is ~1 KB of text without one, so this checks 8 bytes a step.
 */
static uint64_t needs_escape8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');

	return (((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) | ((slash - ones) & ~slash)) & highs;
}

void sra_import__json_string(sra_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, start = 0;

	sra_buf_grow(b, len + 2);
	sra_buf_putc(b, '"');
	while (i < len) {
		unsigned char ch;
		char esc[7];

		if (len - i >= 8) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if (!needs_escape8(w)) {
				i += 8;
				continue;
			}
		}
		ch = (unsigned char)s[i++];
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		sra_buf_put(b, s + start, i - 1 - start);
		start = i;
		switch (ch) {
		case '"': sra_buf_put(b, "\\\"", 2); break;
		case '\\': sra_buf_put(b, "\\\\", 2); break;
		case '\n': sra_buf_put(b, "\\n", 2); break;
		case '\r': sra_buf_put(b, "\\r", 2); break;
		case '\t': sra_buf_put(b, "\\t", 2); break;
		case '\b': sra_buf_put(b, "\\b", 2); break;
		case '\f': sra_buf_put(b, "\\f", 2); break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[ch >> 4];
			esc[5] = hex[ch & 15];
			sra_buf_put(b, esc, 6);
		}
	}
	sra_buf_put(b, s + start, len - start);
	sra_buf_putc(b, '"');
}

void sra_import__pg_array_elem(sra_buf *b, const char *s, size_t len)
{
	size_t i;

	sra_buf_putc(b, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			sra_buf_putc(b, '\\');
		sra_buf_putc(b, s[i]);
	}
	sra_buf_putc(b, '"');
}

int sra_import__utf8_ok(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + len;

	while (s < end) {
		unsigned char c = *s;
		size_t n, k;
		uint32_t cp;

		if (c >= 0x01 && c < 0x80) {
			/* ASCII: eight bytes at a time while none is NUL or has the high bit */
			for (s++; end - s >= 8; s += 8) {
				uint64_t w;
				memcpy(&w, s, 8);
				if ((w & 0x8080808080808080ULL) ||
				    ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL))
					break;
			}
			continue;
		}
		if (c == 0)
			return 0;
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if ((size_t)(end - s) <= n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[k] & 0x3f);
		}
		/* overlong forms, surrogates, beyond U+10FFFF */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		s += n + 1;
	}
	return 1;
}

void sra_import__trim(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)(*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

int sra_import__eq(const char *s, size_t len, const char *w)
{
	return strlen(w) == len && strncasecmp(s, w, len) == 0;
}

size_t sra_import__whole_len(const char *s, size_t len)
{
	size_t i = 0, digits = 0, dot;

	if (len && (s[0] == '-' || s[0] == '+'))
		i++;
	while (i < len && s[i] >= '0' && s[i] <= '9') {
		i++;
		digits++;
	}
	if (!digits || i >= len || s[i] != '.')
		return len;
	dot = i++;
	if (i == len)
		return len;	/* "12." is left alone */
	while (i < len && s[i] == '0')
		i++;
	return i == len ? dot : len;
}

void sra_import__array_begin(sra_buf *b, int pg)
{
	sra_buf_clear(b);
	sra_buf_putc(b, pg ? '{' : '[');
}

void sra_import__array_add(sra_buf *b, int pg, const char *s, size_t len)
{
	sra_import__trim(&s, &len);
	if (!len)
		return;
	if (b->size > 1)
		sra_buf_putc(b, ',');
	if (pg)
		sra_import__pg_array_elem(b, s, len);
	else
		sra_import__json_string(b, s, len);
}

void sra_import__array_end(sra_buf *b, int pg)
{
	if (b->size <= 1)
		sra_buf_clear(b);
	else
		sra_buf_putc(b, pg ? '}' : ']');
}

const char *sra_import__source_db_label(const char *s, size_t len)
{
	static const char *const labels[] = { "PubMed", "Scopus", "Embase", "Other", "benchmark_csv" };
	size_t i;

	for (i = 0; i < SRA_ARRAY_SIZE(labels); i++)
		if (sra_import__eq(s, len, labels[i]))
			return labels[i];
	return NULL;
}

double sra_import__now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- public bits ------------------------------------------------------------ */

void sra_import_summary_dispose(sra_import_summary *s)
{
	uint64_t i;

	if (!s)
		return;
	for (i = 0; s->problems && i < s->invalid; i++)
		free(s->problems[i].message);
	free(s->problems);
	free(s->human_column);
	free(s->source_id_column);
	memset(s, 0, sizeof(*s));
}

const char *sra_import_format_name(sra_import_format f)
{
	switch (f) {
	case SRA_IMPORT_CSV: return "csv";
	case SRA_IMPORT_TSV: return "tsv";
	case SRA_IMPORT_XLSX: return "xlsx";
	case SRA_IMPORT_JSONL: return "jsonl";
	case SRA_IMPORT_RIS: return "ris";
	case SRA_IMPORT_MEDLINE: return "medline";
	default: return "auto";
	}
}

int sra_import__problem(sra_import_summary *sum, int skip_invalid, const char *path, size_t line,
			const char *fmt, va_list ap)
{
	sra_buf msg = SRA_BUF_INIT;

	sra_buf_printf(&msg, "%s:%zu: ", path, line);
	sra_buf_vprintf(&msg, fmt, ap);
	if (!skip_invalid) {
		int e = sra_import__fail("%s", sra_buf_cstr(&msg));
		sra_buf_dispose(&msg);
		return e;
	}
	sum->problems = sra__realloc(sum->problems, (size_t)(sum->invalid + 1) * sizeof(*sum->problems));
	sum->problems[sum->invalid].line = line;
	sum->problems[sum->invalid].message = sra_buf_detach(&msg);
	sum->invalid++;
	return 0;
}

void sra_import__report(const sra_import_options *opts, double t0, double *last, uint64_t rows,
			uint64_t bytes_done, uint64_t bytes_total, int force)
{
	sra_import_progress p;
	double now;

	if (!opts->progress)
		return;
	now = sra_import__now();
	if (!force && now - *last < 0.25)
		return;
	*last = now;
	p.rows = rows;
	p.bytes_done = bytes_done;
	p.bytes_total = bytes_total;
	p.elapsed_s = now - t0;
	opts->progress(&p, opts->payload);
}

/* ---- encodings -------------------------------------------------------------- */

int sra_import__not_utf16(const char *path, const unsigned char *buf, size_t len)
{
	size_t i, even = 0, odd = 0;

	if (len >= 2 && ((buf[0] == 0xff && buf[1] == 0xfe) || (buf[0] == 0xfe && buf[1] == 0xff)))
		goto utf16;
	/* no byte order mark, but ASCII text with every other byte NUL */
	for (i = 0; i + 1 < len && i < 512; i += 2) {
		even += buf[i] == 0 && buf[i + 1] != 0;
		odd += buf[i + 1] == 0 && buf[i] != 0;
	}
	if (i >= 8 && (even * 4 >= i || odd * 4 >= i))
		goto utf16;
	return 0;
utf16:
	return sra_import__fail("%s: a UTF-16 file: sra reads UTF-8 (convert it: iconv -f UTF-16 -t UTF-8 %s > %s.utf8)",
				path, path, path);
}

/* ---- inputs read once ----------------------------------------------------- */

int sra_import__options(sra_import_options *out, const sra_import_options *opts)
{
	/* where each version's struct ends; index: version */
	static const size_t ends[] = {
		0, offsetof(sra_import_options, decision), offsetof(sra_import_options, threshold),
		sizeof(sra_import_options)
	};
	sra_import_options defaults = SRA_IMPORT_OPTIONS_INIT;

	_Static_assert(sizeof(ends) / sizeof(ends[0]) == SRA_IMPORT_OPTIONS_VERSION + 1,
			  "a new sra_import_options version needs its end here");
	*out = defaults;
	if (!opts)
		return 0;
	if (opts->version < 1 || opts->version > SRA_IMPORT_OPTIONS_VERSION)
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
				     "sra_import_options version %u is not one this libsra knows (1 to %d)",
				     opts->version, SRA_IMPORT_OPTIONS_VERSION);
	memcpy(out, opts, ends[opts->version]);
	out->version = SRA_IMPORT_OPTIONS_VERSION;
	return 0;
}

int sra_import__input_open(sra_import__input *in, const char *path)
{
	struct stat st;
	const char *dir = getenv("TMPDIR");
	char *tmpl;
	char buf[65536];
	int src, error = 0;

	in->fd = -1;
	in->proc[0] = '\0';
	in->file = path;
	if (strcmp(path, "-") == 0) {
		src = STDIN_FILENO;
	} else {
		if (stat(path, &st) < 0)
			return sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot open %s: %s", path, strerror(errno));
		if (S_ISDIR(st.st_mode))
			return sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot read %s: it is a directory", path);
		if (S_ISREG(st.st_mode))
			return 0;
		if ((src = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot open %s: %s", path, strerror(errno));
	}
	tmpl = sra__sprintf("%s/sra-input.XXXXXX", dir && *dir ? dir : "/tmp");
	in->fd = mkstemp(tmpl);
	if (in->fd >= 0)
		unlink(tmpl);	/* nothing is left behind, whatever happens */
	free(tmpl);
	if (in->fd < 0) {
		error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot copy %s to a temporary file: %s",
				      path, strerror(errno));
		goto done;
	}
	for (;;) {
		ssize_t n = read(src, buf, sizeof(buf)), w = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot read %s: %s", path, strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		while (w < n) {
			ssize_t k = write(in->fd, buf + w, (size_t)(n - w));
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot copy %s to a temporary file: %s",
						      path, strerror(errno));
				goto done;
			}
			w += k;
		}
	}
	snprintf(in->proc, sizeof(in->proc), "/proc/self/fd/%d", in->fd);
	in->file = in->proc;
done:
	if (src != STDIN_FILENO)
		close(src);
	if (error)
		sra_import__input_close(in);
	return error;
}

void sra_import__input_close(sra_import__input *in)
{
	if (in->fd >= 0)
		close(in->fd);
	in->fd = -1;
}
