/* The string vector (see strv.h). */
#include "util/strv.h"
#include "util/alloc.h"
#include "util/buf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void sra_strv_push_owned(sra_strv *sv, char *s)
{
	if (sv->n == sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 8;
		sv->v = sra__realloc(sv->v, sv->cap * sizeof(char *));
	}
	sv->v[sv->n++] = s;
}

void sra_strv_push(sra_strv *sv, const char *s)
{
	sra_strv_push_owned(sv, sra__strdup(s));
}

void sra_strv_pushf(sra_strv *sv, const char *fmt, ...)
{
	sra_buf b = SRA_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sra_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	sra_strv_push_owned(sv, sra_buf_detach(&b));
}

long sra_strv_find(const sra_strv *sv, const char *s)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return (long)i;
	return -1;
}

void sra_strv_dispose(sra_strv *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}
