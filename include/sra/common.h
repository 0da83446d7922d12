/*
 * libsra: common definitions.
 *
 * Ownership rule for the whole API (stated once, as jq does): a function
 * that returns an object through `sra_x **out` hands it to the caller, who
 * releases it with the NULL-safe `sra_x_free()`; a getter that returns a
 * `const` pointer lends it, valid until the owning object is freed or
 * changed.  Strings returned as `char *` are heap strings the caller
 * releases with free().
 */
#ifndef SRA_COMMON_H
#define SRA_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
# define SRA_EXTERN(type) extern __attribute__((visibility("default"))) type
# define SRA_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
# define SRA_EXTERN(type) extern type
# define SRA_PRINTF(fmt, args)
#endif

#define SRA_VERSION "0.1.0"
#define SRA_VERSION_MAJOR 0
#define SRA_VERSION_MINOR 1
#define SRA_VERSION_PATCH 0

/*
 * Return codes.  Every libsra function that can fail returns 0 on success or
 * one of these negative values; the message is in sra_error_last().
 */
typedef enum {
	SRA_OK = 0,		/* no error */
	SRA_ERROR = -1,		/* generic failure */
	SRA_ENOTFOUND = -3,	/* the object asked for does not exist */
	SRA_EEXISTS = -4,	/* the object to create exists already */
	SRA_EINVALID = -5,	/* bad input: a value, a file, a URL */
	SRA_ECONFLICT = -6,	/* the revision chain: several heads, unknown revision, cycle */
	SRA_EBACKEND = -7,	/* the database refused or could not be reached */
	SRA_ELOCKED = -8,	/* another migrator holds the lock past the timeout */
	SRA_EUSER = -9		/* a callback asked to stop, or a confirmation was refused */
} sra_error_code;

/** The library's version string, e.g. "0.1.0". */
SRA_EXTERN(const char *) sra_version(void);

#endif
