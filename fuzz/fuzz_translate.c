/*
 * The PostgreSQL -> SQLite translator (sqlite_translate*.c): the input is
 * split into statements by libpg_query (sql_split.c) and each is translated
 * in order by one translator, so a CREATE TABLE earlier in the input gives
 * the ALTERs after it a table to rebuild.  Each statement is also shown to
 * the model as SQLite (sra_xlate_observe_sqlite).
 */
#include "fuzz.h"
#include "sql_split.h"
#include "sqlite_translate.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	sra_stmtv stmts = SRA_STMTV_INIT;
	sra_xlate *x = NULL;
	size_t i;

	if (sra_sql__split_pg(&stmts, text, "fuzz.sql", 1) == 0 && sra_xlate_new(&x) == 0) {
		for (i = 0; i < stmts.n; i++) {
			sra_strv out = SRA_STRV_INIT;
			(void)sra_xlate_statement(&out, x, stmts.v[i].sql);
			sra_strv_dispose(&out);
			(void)sra_xlate_observe_sqlite(x, stmts.v[i].sql);
		}
	}
	sra_xlate_free(x);
	sra_stmtv_dispose(&stmts);
	free(text);
	return 0;
}
