/*
 * Private umbrella header of libsra (SQLite's sqliteInt.h): every .c file
 * of the library includes this first.
 */
#ifndef SRA_LIB_COMMON_H
#define SRA_LIB_COMMON_H

#ifndef _POSIX_C_SOURCE
# define _POSIX_C_SOURCE 200809L
#endif
#ifndef _DEFAULT_SOURCE
# define _DEFAULT_SOURCE
#endif

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sra/common.h"
#include "sra/error.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/strv.h"

/*
 * Set this thread's error message (printf-style) and return `code`, so a
 * failure reads `return sra_error_set(SRA_ERROR_CHAIN, SRA_EINVALID, "…", …);`.
 */
int sra_error_set(int klass, int code, const char *fmt, ...) SRA_PRINTF(3, 4);

/* sra_error_set with a va_list: where every message is formatted */
int sra_error_vset(int klass, int code, const char *fmt, va_list ap) SRA_PRINTF(3, 0);

/* Prefix the current error message: "<prefix>: <old message>". */
void sra_error_prefix(const char *fmt, ...) SRA_PRINTF(1, 2);

#define SRA_ASSERT_ARG(expr) do { \
	if (!(expr)) \
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, \
				     "invalid argument: %s", #expr); \
	} while (0)

#define SRA_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
