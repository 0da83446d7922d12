/*
 * AI decisions as JSON Lines, CSV or TSV (import_decisions.c), on SQLite in
 * memory whose review holds records "1", "2" and "3", so that well-formed
 * decisions reach the writing too.  The first byte picks the format.
 */
#include "fuzz.h"
#include "fuzz_db.h"

#include <sra/sra.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char records[] = "id,title,abstract,human\n1,A,Alpha,include\n2,B,Beta,exclude\n3,C,,\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const sra_import_format formats[] = { SRA_IMPORT_JSONL, SRA_IMPORT_CSV, SRA_IMPORT_TSV };
	static int seeded;
	sra_import_options opts = SRA_IMPORT_OPTIONS_INIT;
	sra_import_summary sum = SRA_IMPORT_SUMMARY_INIT;
	const char *review;
	sra_db *db = fuzz_db(&review);

	if (!seeded) {
		seeded = 1;
		opts.format = SRA_IMPORT_CSV;
		if (sra_import_records(&sum, db, review,
				       fuzz_file("seed.csv", (const uint8_t *)records, strlen(records)), &opts) < 0) {
			fprintf(stderr, "fuzz_decisions: %s\n", sra_error_last()->message);
			abort();
		}
		sra_import_summary_dispose(&sum);
		memset(&sum, 0, sizeof(sum));
	}
	if (size < 1)
		return 0;
	opts.format = formats[data[0] % 3];
	opts.skip_invalid = data[0] >= 128;
	if (sra_import_decisions(&sum, db, review, fuzz_file("decisions", data + 1, size - 1), &opts) == 0)
		sra_import_summary_dispose(&sum);
	return 0;
}
