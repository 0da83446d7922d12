/*
 * sra_strv: a growable vector of heap strings owned by the vector.
 * Initialise with SRA_STRV_INIT; sra_strv_dispose() frees every string.
 */
#ifndef SRA_UTIL_STRV_H
#define SRA_UTIL_STRV_H

#include <stddef.h>

typedef struct sra_strv {
	char **v;	/* strings, each owned by the vector */
	size_t n;	/* strings in use */
	size_t cap;	/* slots allocated */
} sra_strv;

#define SRA_STRV_INIT { NULL, 0, 0 }

/* copies s */
void sra_strv_push(sra_strv *sv, const char *s);
/* takes ownership of s (a heap string) */
void sra_strv_push_owned(sra_strv *sv, char *s);
void sra_strv_pushf(sra_strv *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* index of s, or -1 */
long sra_strv_find(const sra_strv *sv, const char *s);
void sra_strv_dispose(sra_strv *sv);

#endif
