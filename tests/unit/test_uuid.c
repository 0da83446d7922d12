/*
 * Tests of the UUID generators (src/lib/util/uuid.c): the layout RFC 9562
 * gives versions 4 and 7, the timestamp of version 7 against the clock read
 * here, and the order and uniqueness that make version 7 worth having.
 */
#include "testutil.h"

#include "util/uuid.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MANY 200000

/* 8-4-4-4-12 lowercase hex digits */
static void assert_layout(const char *u, char version)
{
	size_t i;

	assert_int_equal(strlen(u), 36);
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			assert_int_equal(u[i], '-');
		else
			assert_non_null(strchr("0123456789abcdef", u[i]));
	}
	assert_int_equal(u[14], version);		/* the version nibble */
	assert_non_null(strchr("89ab", u[19]));	/* variant 10xx */
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void test_v4_layout_and_uniqueness(void **state)
{
	char (*ids)[37] = malloc(MANY * sizeof(*ids));
	int seen[16] = { 0 };
	size_t i;

	(void)state;
	assert_non_null(ids);
	for (i = 0; i < MANY; i++) {
		sra__uuid_v4(ids[i]);
		assert_layout(ids[i], '4');
		seen[strchr("0123456789abcdef", ids[i][0]) - "0123456789abcdef"]++;
	}
	/* random: every first digit turns up, none far from 1/16 of the ids */
	for (i = 0; i < 16; i++)
		assert_true(seen[i] > MANY / 16 * 9 / 10 && seen[i] < MANY / 16 * 11 / 10);
	qsort(ids, MANY, sizeof(*ids), cmp_str);
	for (i = 1; i < MANY; i++)
		assert_true(strcmp(ids[i - 1], ids[i]) < 0);
	free(ids);
}

/* the first 48 bits of a version 7 UUID: milliseconds since 1970 */
static uint64_t v7_ms(const char *u)
{
	char hex[13];

	memcpy(hex, u, 8);
	memcpy(hex + 8, u + 9, 4);
	hex[12] = '\0';
	return strtoull(hex, NULL, 16);
}

static void test_v7_layout_clock_and_order(void **state)
{
	char (*ids)[37] = malloc(MANY * sizeof(*ids));
	uint64_t before, after;
	size_t i;

	(void)state;
	assert_non_null(ids);
	before = (uint64_t)time(NULL) * 1000;
	for (i = 0; i < MANY; i++)
		sra__uuid_v7(ids[i]);
	after = ((uint64_t)time(NULL) + 1) * 1000;
	for (i = 0; i < MANY; i++) {
		assert_layout(ids[i], '7');
		/* each id made after the one before it: strictly increasing as text */
		if (i)
			assert_true(strcmp(ids[i - 1], ids[i]) < 0);
	}
	/* the timestamp is the clock's; 200,000 ids borrow at most ~50 ms ahead */
	assert_true(v7_ms(ids[0]) >= before);
	assert_true(v7_ms(ids[MANY - 1]) <= after + 100);
	/* and the bits after the counter are not all the same */
	assert_true(strcmp(ids[0] + 19, ids[1] + 19) != 0);
	free(ids);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4_layout_and_uniqueness),
		cmocka_unit_test(test_v7_layout_clock_and_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
