/*
 * fuzz_db.h: one SQLite database in memory per fuzz process, migrated to
 * head with the chain compiled into libsra, holding one review -- what the
 * record and decision imports need to run end to end.
 */
#include "fuzz_db.h"

#include <sra/sra.h>
#include <stdio.h>
#include <stdlib.h>

static sra_db *db;
static char *review;

sra_db *fuzz_db(const char **review_id)
{
	if (!db) {
		sra_review_fields f = SRA_REVIEW_FIELDS_INIT;
		sra_chain *chain = NULL;

		f.research_question = "Does fuzzing find bugs?";
		f.exclusion_criteria = "Not about parsers";
		if (sra_db_open(&db, "sqlite://:memory:", NULL) < 0 || sra_chain_load(&chain, NULL) < 0 ||
		    sra_migrate_upgrade(db, chain, "head", NULL) < 0 || sra_review_create(&review, db, &f) < 0) {
			fprintf(stderr, "fuzz_db: %s\n", sra_error_last()->message);
			abort();
		}
		sra_chain_free(chain);
	}
	*review_id = review;
	return db;
}
