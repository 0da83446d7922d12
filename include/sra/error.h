/*
 * libsra: error reporting.
 *
 * Functions return 0 or a negative sra_error_code; the human-readable message
 * of the last failure on this thread is kept in thread-local state
 * (libgit2's git_error_last()).  Messages never contain passwords.
 */
#ifndef SRA_ERROR_H
#define SRA_ERROR_H

#include "common.h"

/** Which part of sra an error came from. */
typedef enum {
	SRA_ERROR_NONE = 0,
	SRA_ERROR_OS,		/* a file or system call */
	SRA_ERROR_INVALID,	/* a bad argument or value */
	SRA_ERROR_CONFIG,	/* choosing the database: URL, ENVIRONMENT, .env */
	SRA_ERROR_DB,		/* the database connection or a statement */
	SRA_ERROR_MIGRATE,	/* running a migration */
	SRA_ERROR_CHAIN,	/* the revision chain or a migration file */
	SRA_ERROR_SQL,		/* parsing or translating SQL */
	SRA_ERROR_IMPORT,	/* importing records or decisions */
	SRA_ERROR_BENCHMARK	/* building or reading a benchmark run */
} sra_error_class;

typedef struct sra_error {
	const char *message;	/* one line, no trailing newline */
	int klass;		/* an sra_error_class */
} sra_error;

/**
 * The last error set on this thread, or NULL when none is set.  The pointer is
 * borrowed: it stays valid until the next libsra call on this thread.
 */
SRA_EXTERN(const sra_error *) sra_error_last(void);

/** Forget the last error. */
SRA_EXTERN(void) sra_error_clear(void);

#endif
