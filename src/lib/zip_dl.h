/*
 * libzip, loaded with dlopen() the first time an XLSX file is read.
 *
 * Linking libzip would load it and libcrypto (≈ 4 MB of relocations) into
 * every sra process, `sra --version` included; only `sra import` of a
 * workbook needs it.  A file that includes this header after <zip.h> calls
 * the functions below through the table; it calls sra_zip__load() once
 * before the first of them.
 */
#ifndef SRA_LIB_ZIP_DL_H
#define SRA_LIB_ZIP_DL_H

#include <zip.h>

typedef struct sra_zip_api {
	zip_t *(*open)(const char *, int, int *);
	int (*discard)(zip_t *);
	void (*error_init_with_code)(zip_error_t *, int);
	void (*error_fini)(zip_error_t *);
	const char *(*error_strerror)(zip_error_t *);
	const char *(*strerror)(zip_t *);
	zip_file_t *(*fopen)(zip_t *, const char *, zip_flags_t);
	zip_int64_t (*fread)(zip_file_t *, void *, zip_uint64_t);
	int (*fclose)(zip_file_t *);
	const char *(*file_strerror)(zip_file_t *);
	int (*stat)(zip_t *, const char *, zip_flags_t, zip_stat_t *);
	void (*stat_init)(zip_stat_t *);
} sra_zip_api;

extern sra_zip_api sra_zip;

/* load libzip.so.4 and resolve the table; 0, or SRA_EBACKEND with a message */
int sra_zip__load(void);

#define zip_open(a, b, c)                 sra_zip.open(a, b, c)
#define zip_discard(a)                    sra_zip.discard(a)
#define zip_error_init_with_code(a, b)    sra_zip.error_init_with_code(a, b)
#define zip_error_fini(a)                 sra_zip.error_fini(a)
#define zip_error_strerror(a)             sra_zip.error_strerror(a)
#define zip_strerror(a)                   sra_zip.strerror(a)
#define zip_fopen(a, b, c)                sra_zip.fopen(a, b, c)
#define zip_fread(a, b, c)                sra_zip.fread(a, b, c)
#define zip_fclose(a)                     sra_zip.fclose(a)
#define zip_file_strerror(a)              sra_zip.file_strerror(a)
#define zip_stat(a, b, c, d)              sra_zip.stat(a, b, c, d)
#define zip_stat_init(a)                  sra_zip.stat_init(a)

#endif
