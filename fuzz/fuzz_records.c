/*
 * CSV and TSV records: the table reader (import_csv.c) and the records
 * import's row handling (import_records.c) end to end on SQLite in memory.
 * The first byte picks CSV or TSV; the rest is the file.
 */
#include "fuzz.h"
#include "fuzz_db.h"

#include <sra/sra.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sra_import_options opts = SRA_IMPORT_OPTIONS_INIT;
	sra_import_summary sum = SRA_IMPORT_SUMMARY_INIT;
	const char *review;
	sra_db *db = fuzz_db(&review);

	if (size < 1)
		return 0;
	opts.format = data[0] & 1 ? SRA_IMPORT_TSV : SRA_IMPORT_CSV;
	opts.skip_invalid = (data[0] >> 1) & 1;
	if (sra_import_records(&sum, db, review, fuzz_file("records.csv", data + 1, size - 1), &opts) == 0)
		sra_import_summary_dispose(&sum);
	return 0;
}
