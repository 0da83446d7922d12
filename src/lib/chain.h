/*
 * The revision chain: migration files parsed and validated (chain.c).
 * What migrate.c needs beyond the public getters.
 */
#ifndef SRA_LIB_CHAIN_H
#define SRA_LIB_CHAIN_H

#include "common.h"
#include "sra/migrate.h"

/* One section of a file: `-- +upgrade [dialect]` or `-- +downgrade [dialect]`. */
typedef struct sra_section {
	int upgrade;		/* 1 for +upgrade, 0 for +downgrade */
	char *dialect;		/* NULL: portable; else "postgresql" or "sqlite" */
	char *text;		/* the SQL, line endings normalised to \n */
	int line;		/* line of the file where text starts (1-based) */
} sra_section;

struct sra_revision {
	char *id;
	sra_strv parents;	/* down_revision ids; empty for a base */
	char *message;
	char *created;
	char *path;		/* file name as shown to people */
	int transactional;	/* `-- transactional: false` clears it */
	sra_section *sections;	/* in file order */
	size_t nsections;
	size_t index;		/* position in chain->order */
};

struct sra_chain {
	sra_revision **order;	/* dependency order, base first; owns the revisions */
	size_t n;
};

/* the parts of a direction for a dialect, in file order (borrowed) */
size_t sra_revision__sections(const sra_section **out, size_t max, const sra_revision *rev,
			      int upgrade, const char *dialect);

/* SHA-256 (hex) of what a direction runs on a dialect; 65 bytes */
void sra_revision__checksum(char out[65], const sra_revision *rev, int upgrade, const char *dialect);

/* ids of the Python application's Alembic chain that sra does not ship */
const char *sra_chain__alembic_only(const char *id);

#endif
