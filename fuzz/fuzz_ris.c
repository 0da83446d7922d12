/*
 * RIS: the tagged reader (import_tagged.c) on the whole buffer, its
 * format detection, and the records import (import_refman.c: fields,
 * Rayyan and asreview decisions) on SQLite in memory.
 */
#include "fuzz.h"
#include "fuzz_db.h"
#include "import_int.h"

static int on_record(void *payload, size_t line, size_t index, size_t ntags, const sra_import__tag *tags)
{
	size_t i, *sum = payload;

	(void)line;
	(void)index;
	for (i = 0; i < ntags; i++)	/* touch every byte, for ASan */
		*sum += strlen(tags[i].name) + strlen(tags[i].value) + tags[i].len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sra_import_options opts = SRA_IMPORT_OPTIONS_INIT;
	sra_import_summary isum = SRA_IMPORT_SUMMARY_INIT;
	const char *review;
	sra_db *db = fuzz_db(&review);
	size_t sum = 0;

	(void)sra_import__tagged_detect((const char *)data, size);
	(void)sra_import__tagged_parse("fuzz.ris", SRA_IMPORT_RIS, (const char *)data, size, on_record, &sum);
	opts.format = SRA_IMPORT_RIS;
	if (sra_import_records(&isum, db, review, fuzz_file("records.ris", data, size), &opts) == 0)
		sra_import_summary_dispose(&isum);
	return 0;
}
