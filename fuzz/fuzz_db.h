#ifndef SRA_FUZZ_DB_H
#define SRA_FUZZ_DB_H

#include <sra/db.h>

/* the process's database (SQLite in memory, migrated) and its review's id; borrowed */
sra_db *fuzz_db(const char **review_id);

#endif
