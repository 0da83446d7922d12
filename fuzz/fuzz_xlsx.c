/*
 * XLSX workbooks: libzip and expat under the sheet reader (import_xlsx.c),
 * and the records import behind it, on SQLite in memory.
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

	opts.format = SRA_IMPORT_XLSX;
	if (sra_import_records(&sum, db, review, fuzz_file("records.xlsx", data, size), &opts) == 0)
		sra_import_summary_dispose(&sum);
	return 0;
}
