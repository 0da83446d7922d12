/*
 * Statement splitting for migration sections: PostgreSQL text through
 * libpg_query's parser, SQLite text through sqlite3_complete().
 */
#include "common.h"
#include "sql_split.h"

#include <ctype.h>
#include <strings.h>
#include <pg_query.h>
#include <sqlite3.h>

void sra_stmtv_push(sra_stmtv *sv, const char *sql, int line)
{
	sv->v = sra__realloc(sv->v, (sv->n + 1) * sizeof(*sv->v));
	sv->v[sv->n].sql = sra__strdup(sql);
	sv->v[sv->n].line = line;
	sv->n++;
}

void sra_stmtv_dispose(sra_stmtv *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i].sql);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

static int line_at(const char *text, size_t off, int first_line)
{
	int line = first_line;
	size_t i;

	for (i = 0; i < off && text[i]; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/*
 * Push text[from, to) as one statement: leading blank lines and comments are
 * skipped for the line number, surrounding space and a trailing ';' dropped.
 */
static void push_range(sra_stmtv *out, const char *text, size_t from, size_t to, int first_line)
{
	size_t s = from, e = to;

	for (;;) {
		while (s < e && isspace((unsigned char)text[s]))
			s++;
		if (s + 1 < e && text[s] == '-' && text[s + 1] == '-') {
			while (s < e && text[s] != '\n')
				s++;
			continue;
		}
		break;
	}
	while (e > s && (isspace((unsigned char)text[e - 1]) || text[e - 1] == ';'))
		e--;
	if (e <= s)
		return;
	{
		char *sql = sra__strndup(text + s, e - s);
		sra_stmtv_push(out, sql, line_at(text, s, first_line));
		free(sql);
	}
}

int sra_sql__split_pg(sra_stmtv *out, const char *text, const char *path, int first_line)
{
	PgQuerySplitResult r = pg_query_split_with_parser(text);
	int i, error = 0;

	if (r.error) {
		int pos = r.error->cursorpos > 0 ? r.error->cursorpos - 1 : 0;
		error = sra_error_set(SRA_ERROR_SQL, SRA_EINVALID, "%s:%d: %s", path,
				      line_at(text, (size_t)pos, first_line), r.error->message);
		goto done;
	}
	for (i = 0; i < r.n_stmts; i++) {
		size_t from = (size_t)r.stmts[i]->stmt_location;
		push_range(out, text, from, from + (size_t)r.stmts[i]->stmt_len, first_line);
	}
done:
	pg_query_free_split_result(r);
	return error;
}

int sra_sql__split_sqlite(sra_stmtv *out, const char *text, const char *path, int first_line)
{
	sra_buf cur = SRA_BUF_INIT;
	size_t start = 0, i, len = strlen(text);

	/* grow the candidate one ';' at a time until SQLite says it is complete */
	for (i = 0; i < len; i++) {
		if (text[i] != ';')
			continue;
		sra_buf_clear(&cur);
		sra_buf_put(&cur, text + start, i + 1 - start);
		if (sqlite3_complete(sra_buf_cstr(&cur))) {
			push_range(out, text, start, i + 1, first_line);
			start = i + 1;
		}
	}
	sra_buf_dispose(&cur);
	for (i = start; i < len; i++) {
		if (isspace((unsigned char)text[i]))
			continue;
		if (text[i] == '-' && i + 1 < len && text[i + 1] == '-') {
			while (i < len && text[i] != '\n')
				i++;
			continue;
		}
		return sra_error_set(SRA_ERROR_SQL, SRA_EINVALID,
				     "%s:%d: incomplete SQLite statement (missing ';' or END)", path,
				     line_at(text, i, first_line));
	}
	return 0;
}

const char *sra_sql__skip_blanks(const char *p)
{
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");

			p = e ? e + 2 : p + strlen(p);
		} else {
			return p;
		}
	}
}

static bool is_word_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

const char *sra_sql__next_token(sra_token *t, const char *p)
{
	p = sra_sql__skip_blanks(p);
	t->z = p;
	if (!*p) {
		t->type = SRA_TK_END;
	} else if (*p == '"' || *p == '`' || *p == '[' || *p == '\'') {
		char close = *p == '[' ? ']' : *p;

		t->type = *p == '\'' ? SRA_TK_STRING : SRA_TK_QUOTED;
		for (p++; *p; p++)
			if (*p == close) {
				if (close != ']' && p[1] == close)
					p++;
				else
					break;
			}
		if (*p)
			p++;
	} else if (is_word_char((unsigned char)*p)) {
		t->type = SRA_TK_WORD;
		while (is_word_char((unsigned char)*p))
			p++;
	} else {
		t->type = SRA_TK_OTHER;
		p++;
	}
	t->n = (size_t)(p - t->z);
	return p;
}

bool sra_sql__token_is(const sra_token *t, const char *word)
{
	return t->type == SRA_TK_WORD && strlen(word) == t->n && strncasecmp(t->z, word, t->n) == 0;
}

void sra_sql__token_name(sra_buf *b, const sra_token *t)
{
	size_t i;

	if (t->type != SRA_TK_QUOTED || t->n < 2) {
		sra_buf_put(b, t->z, t->n);
		return;
	}
	{
		char close = t->z[0] == '[' ? ']' : t->z[0];
		size_t end = t->z[t->n - 1] == close ? t->n - 1 : t->n;	/* unterminated: to the end */

		for (i = 1; i < end; i++) {
			sra_buf_putc(b, t->z[i]);
			if (t->z[i] == close && close != ']' && i + 1 < end && t->z[i + 1] == close)
				i++;
		}
	}
}
