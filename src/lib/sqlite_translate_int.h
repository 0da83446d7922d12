/*
 * Internals of the PostgreSQL → SQLite translator, shared by its files,
 * each depending only on those above it:
 *
 *   sqlite_translate_model.c  the schema model: its structs, deep copies,
 *                             look-ups, PostgreSQL's rules for constraint
 *                             names
 *   sqlite_translate_expr.c   expressions and DML/SELECT, from libpg_query's
 *                             JSON parse tree to SQLite text
 *   sqlite_translate_sql.c    the SQLite text of the model: a table, a
 *                             column, a constraint, an index
 *   sqlite_translate_alter.c  ALTER TABLE and table rebuilds
 *   sqlite_translate.c        the public API, one handler per statement kind
 *
 * Parse-tree nodes are jansson values exactly as pg_query_parse() prints
 * them: a node is a one-key object {"TypeName": {fields}}, while a field
 * whose C type is a concrete struct (RangeVar, TypeName, SelectStmt larg …)
 * holds the fields directly.  Expressions kept in the model (DEFAULT, CHECK,
 * index keys) are such nodes, shared between model copies by reference
 * count and never modified in place: a change builds a new tree.
 */
#ifndef SRA_LIB_SQLITE_TRANSLATE_INT_H
#define SRA_LIB_SQLITE_TRANSLATE_INT_H

#include "common.h"
#include "sqlite_translate.h"

#include <jansson.h>

/* What a column holds, which fixes its SQLite type and generated CHECK. */
typedef enum {
	XK_TEXT,	/* text, varchar(n), char(n), time, interval → TEXT */
	XK_INTEGER,	/* smallint, integer, bigint, serial → INTEGER */
	XK_REAL,	/* real, double precision → REAL */
	XK_NUMERIC,	/* numeric(p,s) → NUMERIC */
	XK_BOOL,	/* boolean → INTEGER CHECK (c IN (0, 1)) */
	XK_UUID,	/* uuid → TEXT CHECK (c GLOB <8-4-4-4-12 lowercase hex>) */
	XK_TIMESTAMPTZ,	/* timestamptz → TEXT, ISO-8601 UTC */
	XK_TIMESTAMP,	/* timestamp → TEXT, ISO-8601 */
	XK_DATE,	/* date → TEXT, YYYY-MM-DD */
	XK_JSON,	/* json, jsonb → TEXT CHECK (json_valid(c)) */
	XK_ENUM,	/* an enum type → TEXT CHECK (c IN (labels)) */
	XK_ARRAY,	/* any T[] → TEXT CHECK (JSON array) */
	XK_BLOB		/* bytea → BLOB */
} xl_kind;

/* Where a column's value comes from when its table is rebuilt. */
typedef enum {
	XS_SAME = 0,	/* the old table's column of the same name */
	XS_NEW,		/* nothing: a new column, filled by its DEFAULT */
	XS_EXPR		/* zSrc, an SQLite expression over the old table */
} xl_src;

typedef struct xl_column {
	char *zName;
	char *zPgType;		/* the PostgreSQL type, e.g. "varchar(100)", "text[]" */
	xl_kind eKind;
	xl_kind eElem;		/* XK_ARRAY: the element's kind */
	char *zEnum;		/* XK_ENUM, or XK_ARRAY of an enum: the type */
	char *zCheckName;	/* name of the generated type CHECK, "ck_<table>_<col>_type" */
	bool notNull;
	bool bSerial;		/* serial/bigserial: allowed only as an INTEGER PRIMARY KEY */
	json_t *pDefault;	/* PostgreSQL expression node, or NULL */
	xl_src eSrc;		/* rebuild bookkeeping, reset after every statement */
	char *zSrc;		/* XS_EXPR: SQLite expression */
} xl_column;

typedef enum { XC_PRIMARY, XC_UNIQUE, XC_CHECK, XC_FOREIGN } xl_contype;

typedef struct xl_constraint {
	xl_contype eType;
	char *zName;
	sra_strv cols;		/* PRIMARY, UNIQUE, FOREIGN (the referencing columns) */
	json_t *pExpr;		/* CHECK: PostgreSQL expression node */
	char *zRefTable;	/* FOREIGN: the referenced table */
	sra_strv refCols;	/* FOREIGN: its columns, always spelled out */
	char cOnDelete;		/* FOREIGN: PostgreSQL's action letter a r c n d */
	char cOnUpdate;
	bool bDeferrable;	/* FOREIGN: DEFERRABLE */
	bool bInitDeferred;	/* FOREIGN: INITIALLY DEFERRED */
} xl_constraint;

typedef struct xl_table {
	char *zName;
	xl_column **aCol;
	size_t nCol;
	xl_constraint **aCon;
	size_t nCon;
} xl_table;

typedef struct xl_idxkey {
	char *zCol;		/* a plain column, or NULL */
	json_t *pExpr;		/* else an expression node */
	bool bDesc;
} xl_idxkey;

typedef struct xl_index {
	char *zName;
	char *zTable;
	char *zMethod;		/* "btree", "gin", … */
	bool bUnique;
	bool bSkipped;		/* not btree: remembered, never emitted */
	xl_idxkey *aKey;
	size_t nKey;
	json_t *pWhere;		/* partial index predicate, or NULL */
	char *zSql;		/* made by a sqlite block: its SQLite text, re-run as is */
} xl_index;

typedef struct xl_trigger {
	char *zName;
	char *zTable;
	char *zSql;		/* SQLite text as the sqlite block ran it */
} xl_trigger;

typedef struct xl_enum {
	char *zName;
	sra_strv labels;	/* in order */
} xl_enum;

typedef struct xl_model {
	xl_enum **aEnum;
	size_t nEnum;
	xl_table **aTab;
	size_t nTab;
	xl_index **aIdx;
	size_t nIdx;
	xl_trigger **aTrig;
	size_t nTrig;
} xl_model;

struct sra_xlate {
	xl_model m;
};

/* --- sqlite_translate_model.c --- */

void sra_xlate__model_dispose(xl_model *m);
/* a deep copy (expression nodes shared by reference count) */
void sra_xlate__model_copy(xl_model *dst, const xl_model *src);
xl_table *sra_xlate__table_copy(const xl_table *t);
void sra_xlate__table_free(xl_table *t);
void sra_xlate__column_free(xl_column *c);
void sra_xlate__constraint_free(xl_constraint *c);
void sra_xlate__index_free(xl_index *ix);
void sra_xlate__trigger_free(xl_trigger *tr);
void sra_xlate__enum_free(xl_enum *e);

/*
 * Arrays: XL_PUSH appends p to arr[0..n), XL_REMOVE removes arr[i] keeping
 * the order.  The capacity is implied by n (4, then powers of two).
 */
void *sra_xlate__grow(void *a, size_t n, size_t size);
#define XL_PUSH(arr, n, p) do { \
	(arr) = sra_xlate__grow((arr), (n), sizeof(*(arr))); \
	(arr)[(n)++] = (p); \
	} while (0)
#define XL_REMOVE(arr, n, i) do { \
	memmove((arr) + (i), (arr) + (i) + 1, ((n) - (i) - 1) * sizeof(*(arr))); \
	(n)--; \
	} while (0)

xl_enum *sra_xlate__find_enum(const xl_model *m, const char *name);
xl_table *sra_xlate__find_table(const xl_model *m, const char *name);
xl_column *sra_xlate__find_column(const xl_table *t, const char *name);
long sra_xlate__column_index(const xl_table *t, const char *name);
xl_constraint *sra_xlate__find_constraint(const xl_table *t, const char *name);
xl_constraint *sra_xlate__primary_key(const xl_table *t);
xl_index *sra_xlate__find_index(const xl_model *m, const char *name);
long sra_xlate__trigger_index(const xl_model *m, const char *name);

/*
 * A free name made the way PostgreSQL makes one (makeObjectName and
 * ChooseConstraintName/ChooseRelationName): "<name1>_<name2>_<label>",
 * truncated to 63 bytes, with a number after the label until it is unused.
 * `relation`: the name also becomes an index (PRIMARY KEY, UNIQUE, CREATE
 * INDEX), so it must not clash with a table or index either.  Caller frees.
 */
char *sra_xlate__choose_name(const xl_model *m, const char *name1, const char *name2,
			     const char *label, bool relation);
/* "a_b_c" from column names, cut as PostgreSQL cuts it (ChooseIndexNameAddition) */
char *sra_xlate__join_names(const sra_strv *names);

/* --- sqlite_translate_sql.c --- */

/* the SQLite declared type of a kind: "TEXT", "INTEGER", … */
const char *sra_xlate__sqlite_type(xl_kind k);

/*
 * SQLite text of a table (CREATE TABLE `as_name` (…), the name defaulting to
 * the table's), of one column definition, of an index; each fails only when an
 * expression of the model cannot be translated.
 */
int sra_xlate__create_table_sql(sra_buf *out, const xl_model *m, const xl_table *t,
				const char *as_name, bool if_not_exists);
int sra_xlate__column_sql(sra_buf *out, const xl_model *m, const xl_table *t,
			  const xl_column *c);
/* a constraint clause; `column_level`: as a column constraint (one column) */
int sra_xlate__constraint_sql(sra_buf *out, const xl_model *m, const xl_table *t,
			      const xl_constraint *con, bool column_level);
int sra_xlate__index_sql(sra_buf *out, const xl_model *m, const xl_index *ix, bool if_not_exists);

/* --- sqlite_translate_expr.c --- */

/* What an expression is translated against. */
typedef struct xl_ectx {
	const xl_model *m;	/* enum types; tables for DEFAULT in VALUES */
	const xl_table *t;	/* the table unqualified columns belong to, or NULL */
	const char *zAlias;	/* t's alias in the statement, or NULL */
} xl_ectx;

/*
 * The kind of a TypeName's type (and of its elements for an array; the enum
 * type's name in *zEnum, borrowed from the model).  SRA_EINVALID, with the
 * message set, for a type that has no SQLite translation.
 */
int sra_xlate__type_kind(xl_kind *kind, xl_kind *elem, const char **zEnum,
			 const xl_model *m, json_t *typeName);

/* SQLite text of the expression node `node`. */
int sra_xlate__expr(sra_buf *out, const xl_ectx *cx, json_t *node);
/*
 * The same, for a value stored into column `col` (a DEFAULT, a VALUES item, a
 * SET): string literals become the column's SQLite representation
 * ('t' → 1 for booleans, '{a,b}' → '["a","b"]' for arrays, timestamps to
 * ISO-8601 UTC) and DEFAULT becomes the column's default.
 */
int sra_xlate__value(sra_buf *out, const xl_ectx *cx, const xl_column *col, json_t *node);
/* SQLite text of an InsertStmt, UpdateStmt, DeleteStmt or SelectStmt body */
int sra_xlate__dml(sra_buf *out, const xl_ectx *cx, const char *type, json_t *body);
/* true when `sql` is one literal: a number, a string or NULL */
bool sra_xlate__is_literal(const char *sql);

/* the SQLite text of now() and of gen_random_uuid() */
#define SRA_XLATE_NOW "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
extern const char sra_xlate__uuid_v4[];

/* --- parse-tree access (sqlite_translate_expr.c) --- */

/* the type of node {"Type": {…}} and its fields, or NULL */
const char *sra_xlate__node(json_t *node, json_t **fields);
/* a string, bool or int field, with protobuf's default when absent */
const char *sra_xlate__str(json_t *obj, const char *key);
bool sra_xlate__bool(json_t *obj, const char *key);
long sra_xlate__int(json_t *obj, const char *key);
/* a list field: its array, or NULL, which jansson's array calls take as empty */
json_t *sra_xlate__list(json_t *obj, const char *key);
/* the text of a String node ({"String": {"sval": …}}), or NULL */
const char *sra_xlate__sval(json_t *node);
/* the last name of a qualified name list ["pg_catalog", "int4"] */
const char *sra_xlate__last_name(json_t *names);

/* an SQL identifier, quoted when it needs to be or is an SQLite keyword */
void sra_xlate__ident(sra_buf *out, const char *name);

/*
 * Errors.  unsupported: "<what> has no SQLite translation; give this
 * revision a '-- +upgrade sqlite' … block".  invalid: the statement is wrong
 * against the schema model (what PostgreSQL itself would refuse).
 */
int sra_xlate__unsupported(const char *fmt, ...) SRA_PRINTF(1, 2);
int sra_xlate__invalid(const char *fmt, ...) SRA_PRINTF(1, 2);

/*
 * A copy of `node` with every reference to column `from` (bare, or qualified
 * by `table`) renamed `to`; a new reference the caller owns (NULL for NULL).
 */
json_t *sra_xlate__rename_column_refs(json_t *node, const char *table, const char *from, const char *to);
/* distinct column names an expression references (not inside subqueries) */
void sra_xlate__column_refs(sra_strv *out, json_t *node);

/*
 * --- sqlite_translate.c and sqlite_translate_alter.c: the statement
 * handlers.  Each function's comment is at its definition.
 */

/* One statement being translated. */
typedef struct xl_stmt {
	xl_model *m;		/* the working copy of the model */
	const xl_model *pOld;	/* the model as the database is now */
	sra_strv out;		/* SQLite statements produced */
	bool bDeferred;		/* PRAGMA defer_foreign_keys emitted */
	bool bObserve;		/* replaying a sqlite block: model only, lenient */
	const char *zRaw;	/* bObserve: the SQLite text */
} xl_stmt;

int sra_xlate__set_column_type(xl_column *c, const xl_model *m, json_t *tn);
int sra_xlate__add_constraints(xl_stmt *st, xl_table *t, xl_constraint **pend, size_t npend);
bool sra_xlate__same_name_set(const sra_strv *a, const sra_strv *b);
int sra_xlate__constraint_from_node(xl_constraint **out, json_t *f, const char *column);
int sra_xlate__check_default(xl_stmt *st, const xl_table *t, const xl_column *c);
void sra_xlate__emitf(xl_stmt *st, const char *fmt, ...) SRA_PRINTF(2, 3);
void sra_xlate__emit(xl_stmt *st, sra_buf *b);
int sra_xlate__drop_referencing(xl_stmt *st, const char *table, const sra_strv *cols, bool cascade,
			    const sra_strv *skip, sra_strv *rebuild, const char *what);
int sra_xlate__check_serials(const xl_table *t);
const char *sra_xlate__relname(json_t *rv, int *error);
int sra_xlate__column_from_def(xl_column **out, xl_stmt *st, xl_table *t, json_t *cd,
			   xl_constraint ***pend, size_t *npend);
int sra_xlate__emit_rebuilds(xl_stmt *st, const sra_strv *tables);
int sra_xlate__alter_table(xl_stmt *st, json_t *f);
int sra_xlate__emit_rebuild(xl_stmt *st, xl_table *t);
bool sra_xlate__relation_exists(const xl_model *m, const char *name);
int sra_xlate__emit_index(xl_stmt *st, const xl_index *ix, bool if_not_exists);
void sra_xlate__add_once(sra_strv *sv, const char *s);

/* parse-tree access, as every file of the translator writes it */
#define NODE(n, f) sra_xlate__node((n), (f))
#define STR(o, k) sra_xlate__str((o), (k))
#define BOOL(o, k) sra_xlate__bool((o), (k))
#define LIST(o, k) sra_xlate__list((o), (k))
#define GET(o, k) json_object_get((o), (k))
#define IS(t, name) ((t) && strcmp((t), (name)) == 0)

#endif
