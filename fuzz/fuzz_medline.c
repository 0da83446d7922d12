/*
 * MEDLINE: the tagged reader (import_tagged.c) whole and in pieces, its
 * format detection, and the records import (import_refman.c) on SQLite in
 * memory (fuzz_tagged.h).
 */
#include "fuzz.h"
#include "fuzz_tagged.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_tagged(SRA_IMPORT_MEDLINE, "records.medline", data, size);
	return 0;
}
