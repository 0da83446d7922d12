/*
 * sra_buf: a growable, always NUL-terminated byte string owned by the
 * caller (libgit2's git_str).  Initialise with SRA_BUF_INIT, release with
 * sra_buf_dispose(); sra_buf_detach() hands the bytes to the caller, who
 * then frees them with free().
 */
#ifndef SRA_UTIL_BUF_H
#define SRA_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct sra_buf {
	char *ptr;	/* bytes, NUL-terminated; never NULL after first write */
	size_t size;	/* bytes used, not counting the NUL */
	size_t asize;	/* bytes allocated */
} sra_buf;

#define SRA_BUF_INIT { NULL, 0, 0 }

void sra_buf_grow(sra_buf *b, size_t extra);
void sra_buf_put(sra_buf *b, const char *data, size_t len);
void sra_buf_puts(sra_buf *b, const char *s);
void sra_buf_putc(sra_buf *b, char c);
void sra_buf_printf(sra_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sra_buf_vprintf(sra_buf *b, const char *fmt, va_list ap);
void sra_buf_clear(sra_buf *b);
void sra_buf_truncate(sra_buf *b, size_t len);
/* "" when nothing was written yet, so it is always safe to print */
const char *sra_buf_cstr(const sra_buf *b);
/* hands the bytes to the caller (free() them); the buffer is reset */
char *sra_buf_detach(sra_buf *b);
void sra_buf_dispose(sra_buf *b);

/* append s as a SQL string literal ('…' with quotes doubled) */
void sra_buf_put_sql_literal(sra_buf *b, const char *s);
/* append s as a SQL identifier, quoted only when it needs to be */
void sra_buf_put_sql_ident(sra_buf *b, const char *s);

/*
 * The one UTF-8 column clipper: append s (NULL as "") in at most w display
 * columns, "…" marking a cut; line breaks and tabs become spaces so a table
 * row stays one line.
 */
void sra_buf_put_clipped(sra_buf *b, const char *s, size_t w);

/* n, or less so that s cut to n bytes ends on a whole UTF-8 character */
size_t sra__utf8_cut(const char *s, size_t n);

#endif
