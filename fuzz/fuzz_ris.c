/*
 * RIS: the tagged reader (import_tagged.c) whole and in pieces, its format
 * detection, and the records import (import_refman.c: fields, Rayyan and
 * asreview decisions) on SQLite in memory (fuzz_tagged.h).
 */
#include "fuzz.h"
#include "fuzz_tagged.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_tagged(SRA_IMPORT_RIS, "records.ris", data, size);
	return 0;
}
