/*
 * The catalog model shared by catalog.c (reading, comparing) and inspect.c
 * (showing it to people and as JSON).
 */
#ifndef SRA_LIB_CATALOG_INT_H
#define SRA_LIB_CATALOG_INT_H

#include "common.h"
#include "sra/catalog.h"
#include "sra/db.h"

typedef struct cat_column {
	char *name;
	char *type;		/* format_type() on PostgreSQL; the declared type on SQLite */
	char *dflt;		/* the default expression, or NULL */
	bool nullable;
} cat_column;

typedef struct cat_constraint {
	char kind;		/* 'p' primary key, 'u' unique, 'f' foreign key, 'c' check */
	char *name;		/* "" when the database keeps none (SQLite foreign keys) */
	sra_strv cols;		/* p, u, f: the columns in order */
	char *ref_table;	/* f: the referenced table */
	sra_strv ref_cols;	/* f: its columns */
	char *on_delete;	/* f: "NO ACTION", "CASCADE", "SET NULL", … */
	char *on_update;
	char *expr;		/* c: the expression inside CHECK ( … ) */
} cat_constraint;

typedef struct cat_index {
	char *name;
	char *method;		/* "btree", "gin", … */
	sra_strv keys;		/* columns or expressions, with DESC / operator class */
	bool unique;
	char *predicate;	/* partial index: the WHERE expression, or NULL */
} cat_index;

typedef struct cat_trigger {
	char *name;
	char *timing;		/* "BEFORE", "AFTER", "INSTEAD OF" */
	char *events;		/* "UPDATE", "INSERT OR DELETE", … */
	char *def;		/* the rest of the definition, compared as a whole */
} cat_trigger;

typedef struct cat_table {
	char *name;
	cat_column *cols;
	size_t ncols, ccols;
	cat_constraint *cons;
	size_t ncons, ccons;
	cat_index *idx;
	size_t nidx, cidx;
	cat_trigger *trg;
	size_t ntrg, ctrg;
} cat_table;

typedef struct cat_enum {
	char *name;
	sra_strv labels;	/* in sort order */
} cat_enum;

struct sra_catalog {
	const char *dialect;	/* static */
	cat_table *tables;	/* sorted by name */
	size_t ntables, ctables;
	cat_enum *enums;	/* sorted by name */
	size_t nenums, cenums;
};

/* the table named `name`, or NULL (borrowed) */
cat_table *sra_catalog__find_table(const sra_catalog *c, const char *name);

/* append the strings of v separated by sep */
void sra_catalog__join(sra_buf *b, const sra_strv *v, const char *sep);

/* ---- for the readers (catalog_pg.c, catalog_sqlite.c) ---- */

int sra_catalog__read_pg(sra_catalog *c, sra_db *db, const char *schema);
int sra_catalog__read_sqlite(sra_catalog *c, sra_db *db);

/* a zeroed new slot at the end of arr[0..*n), growing *cap */
void *sra_catalog__push(void *arrp, size_t *n, size_t *cap, size_t size);
#define PUSH(arr, n, cap) sra_catalog__push(&(arr), &(n), &(cap), sizeof(*(arr)))

/* the table named `name`, appended when new (rows arrive sorted by table) */
cat_table *sra_catalog__table_for(sra_catalog *c, const char *name);
void sra_catalog__constraint_dispose(cat_constraint *k);
char *sra_catalog__dup_or_null(const char *s);
/* a boolean cell: "t", "1" or "true" */
bool sra_catalog__truthy(const char *v);
/* split s at the separator into `out` (nothing for NULL or "") */
void sra_catalog__split_sep(sra_strv *out, const char *s, char sep);

/* SQL text: quotes, comments and balanced parentheses known */
/* s[0..n) with white space normalised (see catalog.c); caller frees */
char *sra_catalog__norm_ws(const char *s, size_t n);
/* the position of the ')' matching the '(' at s, or NULL */
const char *sra_catalog__match_paren(const char *s);
/* split s[0..n) at top-level commas, each part normalised */
void sra_catalog__split_list(sra_strv *out, const char *s, size_t n);

#endif
