/*
 * The RIS and MEDLINE reader (import_tagged.c) on memory, without a
 * database: records, tags, continuation lines, BOM and CRLF, text between
 * records, and the errors that name a line.  The expected values are written
 * from the format descriptions (RIS: refdb's manual and rispy; MEDLINE:
 * PubMed's help), not from the reader's output.
 */
#include "testutil.h"
#include "import_int.h"

#include <sra/sra.h>

#include <stdio.h>
#include <string.h>

/* every record as "line|index|TAG=value|TAG=value…" lines */
typedef struct seen {
	sra_buf out;
	int stop_at;		/* return an error at this record (0: never) */
} seen;

static int on_record(void *payload, size_t line, size_t index, size_t ntags, const sra_import__tag *tags)
{
	seen *s = payload;
	size_t i;

	if (s->stop_at && (int)index == s->stop_at)
		return -42;
	sra_buf_printf(&s->out, "%zu|%zu", line, index);
	for (i = 0; i < ntags; i++) {
		assert_int_equal(strlen(tags[i].value), tags[i].len);
		sra_buf_printf(&s->out, "|%s@%zu=%s", tags[i].name, tags[i].line, tags[i].value);
	}
	sra_buf_putc(&s->out, '\n');
	return 0;
}

/* parse `text` whole and in pieces of every size 1..7: the same records each time */
static char *parse(sra_import_format fmt, const char *text, size_t len, int *error)
{
	seen s;
	size_t piece;
	char *whole;

	memset(&s, 0, sizeof(s));
	*error = sra_import__tagged_parse("t.ris", fmt, text, len, on_record, &s);
	whole = sra_buf_detach(&s.out);
	for (piece = 1; piece <= 7; piece++) {
		sra_import__tagged t;
		size_t off;
		int e = 0;

		memset(&s, 0, sizeof(s));
		sra_import__tagged_init(&t, "t.ris", fmt, on_record, &s);
		for (off = 0; off < len && !e; off += piece)
			e = sra_import__tagged_feed(&t, text + off, len - off < piece ? len - off : piece);
		if (!e)
			e = sra_import__tagged_finish(&t);
		sra_import__tagged_dispose(&t);
		assert_int_equal(e, *error);
		assert_string_equal(sra_buf_cstr(&s.out), whole ? whole : "");
		sra_buf_dispose(&s.out);
	}
	return whole;
}

static void expect(sra_import_format fmt, const char *text, const char *want)
{
	int error;
	char *got = parse(fmt, text, strlen(text), &error);

	sra_assert_ok(error);
	assert_string_equal(got ? got : "", want);
	free(got);
}

#define expect_error(fmt, text, needle) expect_error_n(fmt, text, sizeof(text) - 1, needle)
static void expect_error_n(sra_import_format fmt, const char *text, size_t len, const char *needle)
{
	int error;
	char *got = parse(fmt, text, len, &error);

	assert_int_equal(error, SRA_EINVALID);
	if (!strstr(sra_error_last()->message, needle))
		fail_msg("message '%s' does not contain '%s'", sra_error_last()->message, needle);
	free(got);
}

static void test_ris__records_and_tags(void **state)
{
	(void)state;
	/* a banner, a BOM, CRLF, a continuation line, an empty tag, a blank line inside */
	expect(SRA_IMPORT_RIS,
	       "\xef\xbb\xbf\r\n"
	       "Record #1 of 2\r\n"
	       "TY  - JOUR\r\n"
	       "AU  - Smith, J.\r\n"
	       "AU  - Doe, A.\r\n"
	       "AB  - First part\r\n"
	       "   second part  \r\n"
	       "\r\n"
	       "N1  -\r\n"
	       "ER  - \r\n"
	       "\r\n"
	       "TY  - CHAP\n"
	       "T1  - Ünïcode title\n"
	       "ER  -\n",
	       "3|1|TY@3=JOUR|AU@4=Smith, J.|AU@5=Doe, A.|AB@6=First part second part|N1@9=\n"
	       "12|2|TY@12=CHAP|T1@13=Ünïcode title\n");
	/* no final line break; a record of only TY */
	expect(SRA_IMPORT_RIS, "TY  - GEN\nER  - ", "1|1|TY@1=GEN\n");
	/* not tags: one space, a lowercase tag, a single letter */
	expect(SRA_IMPORT_RIS, "TY  - JOUR\nTI  - a\nTI - b\nti  - c\nT  - d\nER  -\n",
	       "1|1|TY@1=JOUR|TI@2=a TI - b ti  - c T  - d\n");
	expect(SRA_IMPORT_RIS, "", "");
	expect(SRA_IMPORT_RIS, "just text\n", "");
}

static void test_ris__errors_name_the_line(void **state)
{
	(void)state;
	expect_error(SRA_IMPORT_RIS, "TY  - JOUR\nTI  - one\nER  -\n\nTY  - JOUR\nTI  - cut", "t.ris:5: the record starting on this line has no end");
	expect_error(SRA_IMPORT_RIS, "TY  - JOUR\nTI  - one\nTY  - JOUR\nER  -\n", "t.ris:3: a new record (TY) begins before the record of line 1 ended");
	expect_error(SRA_IMPORT_RIS, "TY  - JOUR\nTI  - caf\xe9\nER  -\n", "t.ris:2: not valid UTF-8");
	expect_error(SRA_IMPORT_RIS, "TY  - JOUR\nTI  - a\0b\nER  -\n", "t.ris:2: not valid UTF-8");
}

static void test_ris__callback_error_stops(void **state)
{
	seen s;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	assert_int_equal(sra_import__tagged_parse("t.ris", SRA_IMPORT_RIS,
						  "TY  - A\nER  -\nTY  - B\nER  -\nTY  - C\nER  -\n", 42, on_record, &s), -42);
	assert_string_equal(sra_buf_cstr(&s.out), "1|1|TY@1=A\n");
	sra_buf_dispose(&s.out);
}

static void test_medline__records_and_continuations(void **state)
{
	(void)state;
	expect(SRA_IMPORT_MEDLINE,
	       "\n"
	       "PMID- 31234567\n"
	       "OWN - NLM\n"
	       "TI  - A title that is long enough to be\n"
	       "      continued on a second line.\n"
	       "FAU - Smith, John\n"
	       "AU  - Smith J\n"
	       "AID - S0140-6736(19)30001-1 [pii]\n"
	       "AID - 10.1016/S0140-6736(19)30001-1 [doi]\n"
	       "\n"
	       "PMID- 2\n"
	       "TI  - Second\n"
	       "PMID- 3\n"
	       "TI  - Third, no blank line before it\n",
	       "2|1|PMID@2=31234567|OWN@3=NLM|TI@4=A title that is long enough to be continued on a second line.|FAU@6=Smith, John|AU@7=Smith J|AID@8=S0140-6736(19)30001-1 [pii]|AID@9=10.1016/S0140-6736(19)30001-1 [doi]\n"
	       "11|2|PMID@11=2|TI@12=Second\n"
	       "13|3|PMID@13=3|TI@14=Third, no blank line before it\n");
	/* CRLF and a BOM; a record without PMID is a record too */
	expect(SRA_IMPORT_MEDLINE, "\xef\xbb\xbfTI  - no id\r\nAB  - text\r\n\r\n",
	       "1|1|TI@1=no id|AB@2=text\n");
	expect_error(SRA_IMPORT_MEDLINE, "PMID- 1\nTI  - \xff\n", "t.ris:2: not valid UTF-8");
}

static void test_detect__ris_and_medline(void **state)
{
	(void)state;
	assert_int_equal(sra_import__tagged_detect("TY  - JOUR\n", 11), SRA_IMPORT_RIS);
	assert_int_equal(sra_import__tagged_detect("PMID- 1\n", 8), SRA_IMPORT_MEDLINE);
	assert_int_equal(sra_import__tagged_detect("Record 1\nTY  - JOUR\nER  - \n", 27), SRA_IMPORT_RIS);
	assert_int_equal(sra_import__tagged_detect("Record 1\nTY  - JOUR\n", 20), SRA_IMPORT_AUTO);
	assert_int_equal(sra_import__tagged_detect("id,title\n1,TY  - x\n", 19), SRA_IMPORT_AUTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ris__records_and_tags),
		cmocka_unit_test(test_ris__errors_name_the_line),
		cmocka_unit_test(test_ris__callback_error_stops),
		cmocka_unit_test(test_medline__records_and_continuations),
		cmocka_unit_test(test_detect__ris_and_medline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
