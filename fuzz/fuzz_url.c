/*
 * Database URLs: the parser behind sra_db_open (db.c), the dialect lookup
 * and the password masking of everything that prints a URL.
 */
#include "fuzz.h"
#include "db_int.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *url = fuzz_cstr(data, size);
	const char *dialect;
	sra_url u;

	if (sra_db__parse_url(&u, url) == 0)
		sra_url__dispose(&u);
	(void)sra_db_dialect_of_url(&dialect, url);
	free(sra_db_mask_url(url));
	free(url);
	return 0;
}
