/*
 * Allocation helpers shared by libsra and the CLI.
 *
 * Out of memory is not a recoverable condition for sra (a migration or an
 * import cannot continue half-way): like Redis's zmalloc, these functions
 * print one line and abort() instead of returning NULL, so callers never
 * check their result.
 */
#ifndef SRA_UTIL_ALLOC_H
#define SRA_UTIL_ALLOC_H

#include <stddef.h>

void *sra__malloc(size_t n);
void *sra__calloc(size_t nmemb, size_t size);
void *sra__realloc(void *p, size_t n);
char *sra__strdup(const char *s);
char *sra__strndup(const char *s, size_t n);
/* printf into a fresh heap string; the caller frees it */
char *sra__sprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
