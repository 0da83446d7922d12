/*
 * Loading a shared library on first use, for the libraries that only some
 * commands need (libzip: zip_dl.c; libxlsxwriter: export_xlsx.c), so that
 * the rest never pay for loading them.  libpq keeps its own loader in
 * backend_pg.c: it loads once per process under pthread_once and keeps the
 * error for every later open.
 */
#ifndef SRA_LIB_DL_H
#define SRA_LIB_DL_H

#include "common.h"

/* a function of the library and where its pointer goes in the caller's table */
typedef struct sra__dl_sym {
	const char *name;
	size_t offset;		/* offsetof(the table's type, its member) */
} sra__dl_sym;

/*
 * Unless *loaded: dlopen(soname) and fill the function pointers of the table
 * api from syms, then set *loaded.  The handle stays open for the life of the
 * process.  On failure *loaded stays 0 (the table must not be used) and the
 * error, of klass, says "cannot load SONAME to PURPOSE (apt-get install
 * PACKAGE): <dlerror>" or "SONAME has no NAME".
 */
int sra__dl_load(int *loaded, void *api, const char *soname, const char *purpose, const char *package,
		 int klass, const sra__dl_sym *syms, size_t nsyms);

#endif
