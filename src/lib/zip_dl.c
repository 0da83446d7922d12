/* Loading libzip on first use (see zip_dl.h for why). */
#include "common.h"
#include "zip_dl.h"
#include "dl.h"

sra_zip_api sra_zip;

static int loaded;

int sra_zip__load(void)
{
	static const sra__dl_sym syms[] = {
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

	return sra__dl_load(&loaded, &sra_zip, "libzip.so.4", "read XLSX files", "libzip4", SRA_ERROR_IMPORT,
			    syms, SRA_ARRAY_SIZE(syms));
}
