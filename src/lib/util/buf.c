/* The growable byte string (see buf.h). */
#include "util/buf.h"
#include "util/alloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sra_buf_grow(sra_buf *b, size_t extra)
{
	size_t need = b->size + extra + 1;

	if (need <= b->asize)
		return;
	if (need < b->asize * 2)
		need = b->asize * 2;
	if (need < 64)
		need = 64;
	b->ptr = sra__realloc(b->ptr, need);
	b->asize = need;
}

void sra_buf_put(sra_buf *b, const char *data, size_t len)
{
	sra_buf_grow(b, len);
	if (len)
		memcpy(b->ptr + b->size, data, len);
	b->size += len;
	b->ptr[b->size] = '\0';
}

void sra_buf_puts(sra_buf *b, const char *s)
{
	sra_buf_put(b, s, strlen(s));
}

void sra_buf_putc(sra_buf *b, char c)
{
	sra_buf_put(b, &c, 1);
}

void sra_buf_vprintf(sra_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int len;

	va_copy(ap2, ap);
	len = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (len <= 0) {
		sra_buf_grow(b, 0);
		return;
	}
	sra_buf_grow(b, (size_t)len);
	vsnprintf(b->ptr + b->size, (size_t)len + 1, fmt, ap);
	b->size += (size_t)len;
}

void sra_buf_printf(sra_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sra_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void sra_buf_clear(sra_buf *b)
{
	sra_buf_truncate(b, 0);
}

void sra_buf_truncate(sra_buf *b, size_t len)
{
	if (len < b->size) {
		b->size = len;
		b->ptr[len] = '\0';
	}
}

const char *sra_buf_cstr(const sra_buf *b)
{
	return b->ptr ? b->ptr : "";
}

char *sra_buf_detach(sra_buf *b)
{
	char *p = b->ptr ? b->ptr : sra__strdup("");

	b->ptr = NULL;
	b->size = b->asize = 0;
	return p;
}

void sra_buf_dispose(sra_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->size = b->asize = 0;
}

void sra_buf_put_sql_literal(sra_buf *b, const char *s)
{
	sra_buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sra_buf_putc(b, '\'');
		sra_buf_putc(b, *s);
	}
	sra_buf_putc(b, '\'');
}

void sra_buf_put_sql_ident(sra_buf *b, const char *s)
{
	int plain = (*s && (islower((unsigned char)*s) || *s == '_'));
	const char *p;

	for (p = s; plain && *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_'))
			plain = 0;
	if (plain) {
		sra_buf_puts(b, s);
		return;
	}
	sra_buf_putc(b, '"');
	for (p = s; *p; p++) {
		if (*p == '"')
			sra_buf_putc(b, '"');
		sra_buf_putc(b, *p);
	}
	sra_buf_putc(b, '"');
}

void sra_buf_put_clipped(sra_buf *b, const char *s, size_t w)
{
	size_t cols = 0, i, end, cut = 0;

	if (!s)
		s = "";
	for (i = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (cols == w - 1)
			cut = i;
		cols++;
	}
	end = cols <= w ? i : cut;
	for (i = 0; i < end; i++)	/* line breaks and tabs would break the table */
		sra_buf_putc(b, s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i]);
	if (cols > w)
		sra_buf_puts(b, "\xe2\x80\xa6");
}

size_t sra__utf8_cut(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}
