/* Allocation helpers that abort on out-of-memory (see alloc.h). */
#include "util/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
	fprintf(stderr, "sra: out of memory allocating %zu bytes\n", n);
	abort();
}

void *sra__malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *sra__calloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		oom(nmemb * size);
	return p;
}

void *sra__realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *sra__strdup(const char *s)
{
	return s ? sra__strndup(s, strlen(s)) : NULL;
}

char *sra__strndup(const char *s, size_t n)
{
	char *p = sra__malloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *sra__sprintf(const char *fmt, ...)
{
	va_list ap, ap2;
	int len;
	char *p;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		len = 0;
	p = sra__malloc((size_t)len + 1);
	vsnprintf(p, (size_t)len + 1, fmt, ap2);
	va_end(ap2);
	return p;
}
