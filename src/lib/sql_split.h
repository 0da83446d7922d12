/*
 * Splitting a section of SQL into statements, each with the line of the file
 * where it starts, so an error can name file and line.
 */
#ifndef SRA_LIB_SQL_SPLIT_H
#define SRA_LIB_SQL_SPLIT_H

#include "common.h"

/* one statement of a file's section (not sys/backend.h's prepared sra_stmt) */
typedef struct sra_split_stmt {
	char *sql;	/* one statement, trimmed, no trailing ';' */
	int line;	/* line in the file where it starts */
} sra_split_stmt;

typedef struct sra_stmtv {
	sra_split_stmt *v;
	size_t n;
} sra_stmtv;

#define SRA_STMTV_INIT { NULL, 0 }

void sra_stmtv_push(sra_stmtv *sv, const char *sql, int line);
void sra_stmtv_dispose(sra_stmtv *sv);

/*
 * PostgreSQL SQL, split by the real parser (so a section that does not parse
 * fails here, before anything runs).  `path` and `first_line` only serve the
 * error message: "<path>:<line>: syntax error at or near …".
 */
int sra_sql__split_pg(sra_stmtv *out, const char *text, const char *path, int first_line);

/* SQLite SQL (a `-- +upgrade sqlite` block), split with sqlite3_complete() */
int sra_sql__split_sqlite(sra_stmtv *out, const char *text, const char *path, int first_line);

/*
 * p past white space, line comments ("--" to the end of the line) and block
 * comments (an unclosed one runs to the end of the text): for the small
 * tokenizers of SQL text in catalog.c and sqlite_translate.c.
 */
const char *sra_sql__skip_blanks(const char *p);

/*
 * The one tokenizer of SQLite DDL text, shared by catalog.c (the stored
 * CREATE text) and the translator's trigger observer: a word (letters,
 * digits, '_', '$', UTF-8), a quoted identifier ("…", `…`, […], doubled
 * quotes inside), a '…' string, or one other character.
 */
typedef enum { SRA_TK_END, SRA_TK_WORD, SRA_TK_QUOTED, SRA_TK_STRING, SRA_TK_OTHER } sra_tk_type;

typedef struct sra_token {
	sra_tk_type type;
	const char *z;	/* the token's text, quotes included (borrowed) */
	size_t n;
} sra_token;

/* the token after blanks and comments at p into *t; returns where it ends */
const char *sra_sql__next_token(sra_token *t, const char *p);

/* whether t is the unquoted word `word`, in any case */
bool sra_sql__token_is(const sra_token *t, const char *word);

/* append t's name: a quoted identifier without its quotes, else its text */
void sra_sql__token_name(sra_buf *b, const sra_token *t);

#endif
