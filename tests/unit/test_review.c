/*
 * Tests of review protocols (include/sra/review.h) on SQLite and, when
 * TEST_DATABASE_URL is set, PostgreSQL.
 */
#include "testutil.h"

#include <sra/sra.h>
#include <sra/review.h>
#include <sra/sys/backend.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sra_db *open_db(char **dir, char **url, int pg)
{
	sra_migrate_options mo = SRA_MIGRATE_OPTIONS_INIT;
	sra_chain *chain = NULL;
	sra_db *db = NULL;

	*dir = sra_test_tmpdir();
	*url = pg ? sra_test_pg_url() : sra_test_sqlite_url(*dir, "review.db");
	if (!*url)
		return NULL;
	sra_assert_ok(sra_db_open(&db, *url, NULL));
	sra_assert_ok(sra_chain_load(&chain, NULL));
	sra_assert_ok(sra_migrate_upgrade(db, chain, "head", &mo));
	sra_chain_free(chain);
	return db;
}

static void close_db(sra_db *db, char *dir, char *url, int pg)
{
	sra_db_free(db);
	if (pg && url)
		sra_test_pg_drop(url);
	sra_test_rmtree(dir);
	free(dir);
	free(url);
}

static void reviews(int pg)
{
	sra_review_fields f = SRA_REVIEW_FIELDS_INIT;
	char *dir, *url, *id = NULL, *id2 = NULL, path[4096];
	sra_review *review = NULL;
	sra_review_list *list = NULL;
	const sra_review *nudges;
	int changed = -1;
	sra_db *db = open_db(&dir, &url, pg);

	if (!db) {
		close_db(NULL, dir, url, pg);
		skip();
		return;
	}
	/* required fields */
	f.research_question = "Q";
	assert_int_equal(sra_review_create(&id, db, &f), SRA_EINVALID);
	assert_non_null(strstr(sra_error_last()->message, "exclusion"));
	f.exclusion_criteria = "E";
	f.criteria_framework = "pico";
	f.criteria_framework_answers = "{\"P\": \"adults\"}";
	f.id = "AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE";
	sra_assert_ok(sra_review_create(&id, db, &f));
	assert_string_equal(id, "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
	assert_int_equal(sra_review_create(&id2, db, &f), SRA_EEXISTS);
	/* bad values */
	f.id = NULL;
	f.criteria_framework = "PIZZA";
	assert_int_equal(sra_review_create(&id2, db, &f), SRA_EINVALID);
	f.criteria_framework = NULL;
	f.criteria_framework_answers = "[1]";
	assert_int_equal(sra_review_create(&id2, db, &f), SRA_EINVALID);
	f.criteria_framework_answers = NULL;
	f.id = "not-a-uuid";
	assert_int_equal(sra_review_create(&id2, db, &f), SRA_EINVALID);

	/* get */
	sra_assert_ok(sra_review_get(&review, db, id));
	assert_string_equal(sra_review_id(review), "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
	assert_string_equal(sra_review_question(review), "Q");
	assert_string_equal(sra_review_framework(review), "PICO");
	assert_null(sra_review_background(review));
	assert_int_equal(sra_review_count(review, SRA_REVIEW_RECORDS), 0);
	sra_review_free(review);
	review = NULL;
	assert_int_equal(sra_review_get(&review, db, "00000000-0000-4000-8000-000000000000"), SRA_ENOTFOUND);
	assert_null(review);

	/* import a protocol file: insert, then unchanged, then updated */
	snprintf(path, sizeof(path), "%s/protocol.json", dir);
	sra_test_write_file(path, "{\"id\": \"00000000-1111-2222-3333-444444444444\", \"question\": \"Nudges?\", "
				  "\"exclusion_criteria\": \"Not healthcare\", \"framework\": \"PICOS/T\", "
				  "\"answers\": {\"P\": \"professionals\"}, \"review_metadata\": {\"source\": \"test\"}}");
	sra_assert_ok(sra_review_import_file(&id2, &changed, db, path));
	assert_int_equal(changed, 1);
	assert_string_equal(id2, "00000000-1111-2222-3333-444444444444");
	free(id2);
	sra_assert_ok(sra_review_import_file(&id2, &changed, db, path));
	assert_int_equal(changed, 0);
	free(id2);
	sra_test_write_file(path, "{\"id\": \"00000000-1111-2222-3333-444444444444\", \"question\": \"Nudges, really?\", "
				  "\"exclusion_criteria\": \"Not healthcare\"}");
	sra_assert_ok(sra_review_import_file(&id2, &changed, db, path));
	assert_int_equal(changed, 2);
	free(id2);
	sra_test_write_file(path, "{\"id\": \"00000000-1111-2222-3333-444444444444\", \"qestion\": \"typo\"}");
	assert_int_equal(sra_review_import_file(&id2, &changed, db, path), SRA_EINVALID);
	assert_non_null(strstr(sra_error_last()->message, "qestion"));
	sra_test_write_file(path, "{\"id\": ");
	assert_int_equal(sra_review_import_file(&id2, &changed, db, path), SRA_EINVALID);

	/* list */
	sra_assert_ok(sra_review_list_new(&list, db));
	assert_int_equal(sra_review_list_count(list), 2);
	/* a list's reviews carry id, question, framework and record count only */
	nudges = sra_review_byindex(list, strcmp(sra_review_id(sra_review_byindex(list, 0)),
						 "00000000-1111-2222-3333-444444444444") == 0 ? 0 : 1);
	assert_string_equal(sra_review_id(nudges), "00000000-1111-2222-3333-444444444444");
	assert_string_equal(sra_review_question(nudges), "Nudges, really?");
	assert_null(sra_review_exclusion(nudges));
	assert_int_equal(sra_review_count(nudges, SRA_REVIEW_RECORDS), 0);
	assert_null(sra_review_byindex(list, 2));
	sra_review_list_free(list);
	free(id);
	close_db(db, dir, url, pg);
}

static void test_review__sqlite(void **state) { (void)state; reviews(0); }
static void test_review__pg(void **state) { (void)state; reviews(1); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_review__sqlite),
		cmocka_unit_test(test_review__pg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
