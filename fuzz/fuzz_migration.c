/*
 * Migration files: the header (`-- key: value`) and section parser of
 * chain.c through sra_chain_load on a directory holding the input as one
 * revision file, then the SQL and checksum of each direction and dialect.
 */
#include "fuzz.h"

#include <sra/sra.h>
#include <stdlib.h>
#include <stdio.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const dialects[] = { "postgresql", "sqlite" };
	static char dir[4096];
	sra_chain *chain = NULL;
	size_t i;
	int d, up;

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "%s/migrations", fuzz_dir());
		mkdir(dir, 0700);
	}
	fuzz_file("migrations/0001_1e530067ad44_fuzz.sql", data, size);
	if (sra_chain_load(&chain, dir) < 0)
		return 0;
	for (i = 0; i < sra_chain_count(chain); i++)
		for (d = 0; d < 2; d++)
			for (up = 0; up < 2; up++)
				free(sra_revision_sql(sra_chain_at(chain, i), up, dialects[d]));
	sra_chain_free(chain);
	return 0;
}
