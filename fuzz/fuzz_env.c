/*
 * `.env` files: the URL resolution of db.c reading .env and
 * .env.<ENVIRONMENT> from a directory.  The input is split at its first NUL
 * byte: before it .env, after it .env.test (read when .env sets
 * ENVIRONMENT=test).  The process's own variables are cleared first.
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz.h"

#include <sra/sra.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const vars[] = { "ENVIRONMENT", "SRA_ENVIRONMENT", "SRA_DATABASE_URL",
					    "TEST_DATABASE_URL", "DEV_DATABASE_URL", "PROD_DATABASE_URL" };
	sra_resolve_options opts = SRA_RESOLVE_OPTIONS_INIT;
	const uint8_t *nul = memchr(data, 0, size);
	size_t first = nul ? (size_t)(nul - data) : size, i;
	char *url = NULL, *env = NULL;

	for (i = 0; i < sizeof(vars) / sizeof(*vars); i++)
		unsetenv(vars[i]);
	fuzz_file(".env", data, first);
	fuzz_file(".env.test", nul ? nul + 1 : data, nul ? size - first - 1 : 0);
	opts.dotenv_dir = fuzz_dir();
	if (sra_db_resolve_url(&url, &env, &opts) == 0) {
		free(sra_db_mask_url(url));
		free(url);
		free(env);
	}
	return 0;
}
