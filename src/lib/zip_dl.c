/* Loading libzip on first use (see zip_dl.h for why). */
#include "common.h"
#include "zip_dl.h"

#include <dlfcn.h>

sra_zip_api sra_zip;

static int loaded;

int sra_zip__load(void)
{
	static const struct {
		const char *name;
		size_t offset;
	} syms[] = {
		{ "zip_open", offsetof(sra_zip_api, open) },
		{ "zip_discard", offsetof(sra_zip_api, discard) },
		{ "zip_error_init_with_code", offsetof(sra_zip_api, error_init_with_code) },
		{ "zip_error_fini", offsetof(sra_zip_api, error_fini) },
		{ "zip_error_strerror", offsetof(sra_zip_api, error_strerror) },
		{ "zip_strerror", offsetof(sra_zip_api, strerror) },
		{ "zip_fopen", offsetof(sra_zip_api, fopen) },
		{ "zip_fread", offsetof(sra_zip_api, fread) },
		{ "zip_fclose", offsetof(sra_zip_api, fclose) },
		{ "zip_file_strerror", offsetof(sra_zip_api, file_strerror) },
		{ "zip_stat", offsetof(sra_zip_api, stat) },
		{ "zip_stat_init", offsetof(sra_zip_api, stat_init) },
	};
	void *lib;
	size_t i;

	if (loaded)
		return 0;
	if (!(lib = dlopen("libzip.so.4", RTLD_NOW | RTLD_LOCAL)))
		return sra_error_set(SRA_ERROR_IMPORT, SRA_EBACKEND,
				     "cannot load libzip.so.4 to read XLSX files (apt-get install libzip4): %s",
				     dlerror());
	for (i = 0; i < SRA_ARRAY_SIZE(syms); i++) {
		void *fn = dlsym(lib, syms[i].name);
		if (!fn)
			return sra_error_set(SRA_ERROR_IMPORT, SRA_EBACKEND, "libzip.so.4 has no %s", syms[i].name);
		/* POSIX guarantees that object and function pointers convert */
		memcpy((char *)&sra_zip + syms[i].offset, &fn, sizeof(fn));
	}
	loaded = 1;	/* the library stays loaded for the life of the process */
	return 0;
}
