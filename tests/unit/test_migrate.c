/*
 * The migration engine through the library API, on SQLite and PostgreSQL:
 * the online trace equals the offline script, the shipped chain has one
 * head and validates, targets resolve as documented.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sra/sra.h>
#include <sra/sys/backend.h>

typedef struct {
	char *buf;
	size_t len;
} trace_buf;

/* collect the trace; the log row's duration (online only) is blanked */
static void collect(const char *sql, void *payload)
{
	trace_buf *t = payload;
	const char *p = strstr(sql, "INSERT INTO sra_migration_log");
	size_t n = strlen(sql);
	char *line = strdup(sql);

	if (p) {
		/* "... VALUES (…, 'user', 12.5, '0.1.0')": the 5th value becomes NULL */
		char *v = strstr(line, "VALUES (");
		int commas = 0;
		char *q, *start = NULL, *end = NULL;
		int in_str = 0;
		for (q = v + 8; *q; q++) {
			if (*q == '\'')
				in_str = !in_str;
			if (!in_str && *q == ',') {
				commas++;
				if (commas == 4)
					start = q + 2;
				if (commas == 5)
					end = q;
			}
		}
		assert_non_null(start);
		assert_non_null(end);
		memmove(start + 4, end, strlen(end) + 1);
		memcpy(start, "NULL", 4);
		n = strlen(line);
	}
	t->buf = realloc(t->buf, t->len + n + 2);
	memcpy(t->buf + t->len, line, n);
	t->len += n;
	t->buf[t->len++] = '\n';
	t->buf[t->len] = '\0';
	free(line);
}

/* the offline script without its comment lines */
static char *strip_comments(const char *script)
{
	char *out = calloc(1, strlen(script) + 1), *w = out;
	const char *p = script;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
		if (strncmp(p, "-- ", 3) != 0) {
			memcpy(w, p, len);
			w += len;
		}
		p += len;
	}
	*w = '\0';
	return out;
}

/* equal texts, or fail naming the first line that differs (cmocka cuts long strings) */
static void assert_text_equal(const char *got, const char *want)
{
	int line = 1;
	const char *g = got, *w = want;

	while (*g && *g == *w) {
		if (*g == '\n')
			line++;
		g++;
		w++;
	}
	if (*g == *w)
		return;
	while (g > got && g[-1] != '\n')
		g--;
	while (w > want && w[-1] != '\n')
		w--;
	print_error("texts differ at line %d:\n  online:  %.*s\n  offline: %.*s\n", line,
		    (int)strcspn(g, "\n"), g, (int)strcspn(w, "\n"), w);
	fail();
}

static void trace_equals_script(const char *url, const char *dialect)
{
	sra_migrate_options mo = SRA_MIGRATE_OPTIONS_INIT;
	sra_chain *chain = NULL;
	sra_db *db = NULL;
	trace_buf t = { NULL, 0 };
	char *script = NULL, *plain;

	mo.applied_by = "tester";
	mo.trace = collect;
	mo.payload = &t;
	sra_assert_ok(sra_chain_load(&chain, NULL));
	sra_assert_ok(sra_db_open(&db, url, NULL));
	sra_assert_ok(sra_migrate_upgrade(db, chain, "head", &mo));
	assert_non_null(t.buf);

	mo.trace = NULL;
	sra_assert_ok(sra_migrate_script(&script, chain, dialect, 1, NULL, "head", &mo));
	plain = strip_comments(script);
	assert_text_equal(t.buf, plain);

	/* and down again: online downgrade to base equals the offline FROM:TO script */
	free(t.buf);
	t.buf = NULL;
	t.len = 0;
	mo.trace = collect;
	sra_assert_ok(sra_migrate_downgrade(db, chain, "base", &mo));
	free(script);
	free(plain);
	{
		sra_strarray heads;
		sra_chain_heads(&heads, chain);
		mo.trace = NULL;
		sra_assert_ok(sra_migrate_script(&script, chain, dialect, 0, heads.strings[0], "base", &mo));
		sra_strarray_dispose(&heads);
	}
	plain = strip_comments(script);
	assert_text_equal(t.buf, plain);

	free(plain);
	free(script);
	free(t.buf);
	sra_db_free(db);
	sra_chain_free(chain);
}

static void test_migrate__trace_equals_script_sqlite(void **state)
{
	char *dir = sra_test_tmpdir();
	char *url = sra_test_sqlite_url(dir, "t.db");

	(void)state;
	trace_equals_script(url, "sqlite");
	free(url);
	sra_test_rmtree(dir);
	free(dir);
}

static void test_migrate__trace_equals_script_pg(void **state)
{
	char *url = sra_test_pg_url();

	(void)state;
	if (!url)
		skip();
	trace_equals_script(url, "postgresql");
	sra_test_pg_drop(url);
	free(url);
}

static void test_migrate__shipped_chain(void **state)
{
	sra_chain *chain = NULL;
	sra_strarray heads;
	const sra_revision *rev;
	size_t i;

	(void)state;
	sra_assert_ok(sra_chain_load(&chain, NULL));
	sra_assert_ok(sra_chain_heads(&heads, chain));
	assert_int_equal(heads.count, 1);
	sra_strarray_dispose(&heads);
	/* schema.md: revisions 1-3 keep the Python application's ids, in order */
	assert_true(sra_chain_count(chain) >= 3);
	assert_string_equal(sra_revision_id(sra_chain_at(chain, 0)), "1e530067ad44");
	assert_int_equal(sra_revision_parent_count(sra_chain_at(chain, 0)), 0);
	assert_string_equal(sra_revision_id(sra_chain_at(chain, 1)), "9cd2f7e24c87");
	assert_string_equal(sra_revision_parent(sra_chain_at(chain, 1), 0), "1e530067ad44");
	assert_string_equal(sra_revision_id(sra_chain_at(chain, 2)), "ad42aea13565");
	for (i = 1; i < sra_chain_count(chain); i++)
		assert_string_equal(sra_revision_parent(sra_chain_at(chain, i), 0),
				    sra_revision_id(sra_chain_at(chain, i - 1)));
	/* a unique prefix finds, an Alembic-only id explains itself */
	sra_assert_ok(sra_chain_lookup(&rev, chain, "9cd2"));
	assert_string_equal(sra_revision_id(rev), "9cd2f7e24c87");
	assert_int_equal(sra_chain_lookup(&rev, chain, "39a7520b10c2"), SRA_ENOTFOUND);
	assert_non_null(strstr(sra_error_last()->message, "Alembic"));
	sra_chain_free(chain);
}

static void test_migrate__offline_targets(void **state)
{
	sra_chain *chain = NULL;
	char *script = NULL;

	(void)state;
	sra_assert_ok(sra_chain_load(&chain, NULL));
	/* +1 from base runs exactly the base revision */
	sra_assert_ok(sra_migrate_script(&script, chain, "postgresql", 1, NULL, "+1", NULL));
	assert_non_null(strstr(script, "INSERT INTO alembic_version (version_num) VALUES ('1e530067ad44')"));
	assert_null(strstr(script, "9cd2f7e24c87"));
	free(script);
	/* downgrade -1 from ad42 runs only its downgrade */
	sra_assert_ok(sra_migrate_script(&script, chain, "postgresql", 0, "ad42aea13565", "-1", NULL));
	assert_non_null(strstr(script, "UPDATE alembic_version SET version_num = '9cd2f7e24c87' WHERE alembic_version.version_num = 'ad42aea13565'"));
	assert_null(strstr(script, "DROP TABLE benchmark_runs"));
	free(script);
	/* going below base is an error, not a silent stop */
	assert_int_equal(sra_migrate_script(&script, chain, "postgresql", 0, "9cd2f7e24c87", "-3", NULL), SRA_EINVALID);
	assert_int_equal(sra_migrate_script(&script, chain, "oracle", 1, NULL, "head", NULL), SRA_EINVALID);
	sra_chain_free(chain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate__shipped_chain),
		cmocka_unit_test(test_migrate__offline_targets),
		cmocka_unit_test(test_migrate__trace_equals_script_sqlite),
		cmocka_unit_test(test_migrate__trace_equals_script_pg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
