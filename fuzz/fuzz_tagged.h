#ifndef SRA_FUZZ_TAGGED_H
#define SRA_FUZZ_TAGGED_H

#include "import_int.h"

/*
 * The RIS/MEDLINE targets' shared part: the tagged reader on the whole
 * buffer, and again fed in pieces of 1 to 8 bytes; both must give the same
 * records (a digest of every tag) and the same success or failure, or this
 * aborts.  Then the records import of the file on the fuzz database.
 */
void fuzz_tagged(sra_import_format format, const char *file_name, const uint8_t *data, size_t size);

#endif
