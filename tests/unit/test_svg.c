/*
 * The report's figures (src/lib/svg.c): scales, ticks, clipping of
 * intervals that leave the axis, and each kind of figure, including the
 * empty and the one-row cases.  Expected coordinates are worked out here by
 * hand from the geometry that svg.h documents (e.g. a forest plot maps
 * [0, 1] onto x 134 .. 318, so 0.8 lands at 134 + 0.8 * 184 = 281.2), not
 * taken from the code's output.  Every figure must be well-formed XML
 * (expat) with a <title> as its first child.
 */
#include "testutil.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "svg.h"

/* the figure parses as XML, is one <svg>, and its first child is a <title> */
typedef struct {
	int depth, svgs, first_child_title, seen_first;
} xml_state;

static void XMLCALL on_start(void *p, const XML_Char *name, const XML_Char **attrs)
{
	xml_state *s = p;

	(void)attrs;
	if (s->depth == 0 && strcmp(name, "svg") == 0)
		s->svgs++;
	if (s->depth == 1 && !s->seen_first) {
		s->seen_first = 1;
		s->first_child_title = strcmp(name, "title") == 0;
	}
	s->depth++;
}

static void XMLCALL on_end(void *p, const XML_Char *name)
{
	(void)name;
	((xml_state *)p)->depth--;
}

static void assert_figure(const sra_buf *b)
{
	XML_Parser p = XML_ParserCreate("UTF-8");
	xml_state s = { 0, 0, 0, 0 };
	int ok;

	XML_SetUserData(p, &s);
	XML_SetElementHandler(p, on_start, on_end);
	ok = XML_Parse(p, b->ptr, (int)b->size, 1) == XML_STATUS_OK;
	if (!ok)
		print_error("not well-formed (%s, line %lu): %s\n", XML_ErrorString(XML_GetErrorCode(p)),
			    (unsigned long)XML_GetCurrentLineNumber(p), b->ptr);
	XML_ParserFree(p);
	assert_true(ok);
	assert_int_equal(s.svgs, 1);
	assert_true(s.first_child_title);
}

static void assert_has(const sra_buf *b, const char *needle)
{
	if (!strstr(sra_buf_cstr(b), needle)) {
		print_error("missing [%s] in:\n%s\n", needle, sra_buf_cstr(b));
		fail();
	}
}

static void assert_lacks(const sra_buf *b, const char *needle)
{
	if (strstr(sra_buf_cstr(b), needle)) {
		print_error("unexpected [%s] in:\n%s\n", needle, sra_buf_cstr(b));
		fail();
	}
}

static size_t count(const sra_buf *b, const char *needle)
{
	size_t n = 0;
	const char *p = sra_buf_cstr(b);

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/* ---- scales, ticks, clipping ---- */

static void test_svg_scale__linear_and_log(void **state)
{
	const sra_svg_scale lin = { 0, 1, 150, 360, 0 };
	const sra_svg_scale rev = { 0, 4, 196, 34, 0 };	/* y grows downwards */
	const sra_svg_scale lg = { 0.01, 1000, 150, 360, 1 };

	(void)state;
	assert_true(fabs(sra_svg__map(&lin, 0.8) - 318.0) < 1e-9);
	assert_true(fabs(sra_svg__map(&lin, 0) - 150.0) < 1e-9);
	assert_true(fabs(sra_svg__map(&lin, -0.5) - 45.0) < 1e-9);	/* not clamped */
	assert_true(fabs(sra_svg__map(&rev, 3) - 74.5) < 1e-9);	/* 196 - 3/4 * 162 */
	/* log10: -2 .. 3 over 210 px, 42 px a decade */
	assert_true(fabs(sra_svg__map(&lg, 1) - 234.0) < 1e-9);
	assert_true(fabs(sra_svg__map(&lg, 10) - 276.0) < 1e-9);
	assert_true(fabs(sra_svg__map(&lg, 0.1) - 192.0) < 1e-9);
}

static void test_svg_ticks__nice_values(void **state)
{
	const sra_svg_scale unit = { 0, 1, 0, 1, 0 };
	const sra_svg_scale big = { 0, 8000, 0, 1, 0 };
	const sra_svg_scale off = { -0.3, 1.7, 0, 1, 0 };
	const sra_svg_scale lg = { 0.01, 1000, 0, 1, 1 };
	const sra_svg_scale empty = { 1, 1, 0, 1, 0 };
	double t[16];
	size_t n;

	(void)state;
	n = sra_svg__ticks(t, 16, &unit, 5);
	assert_int_equal(n, 6);	/* 0, 0.2, ..., 1 */
	assert_true(t[0] == 0 && fabs(t[3] - 0.6) < 1e-12 && t[5] == 1);
	n = sra_svg__ticks(t, 16, &big, 4);
	assert_int_equal(n, 5);	/* step 2000 */
	assert_true(t[1] == 2000 && t[4] == 8000);
	n = sra_svg__ticks(t, 16, &off, 5);	/* 2 / 5 = 0.4 -> step 0.5: 0, 0.5, 1, 1.5 */
	assert_int_equal(n, 4);
	assert_true(t[0] == 0 && t[3] == 1.5);
	n = sra_svg__ticks(t, 16, &lg, 5);
	assert_int_equal(n, 6);
	assert_true(t[0] == 0.01 && t[2] == 1 && t[5] == 1000);
	assert_int_equal(sra_svg__ticks(t, 16, &empty, 5), 0);
	assert_int_equal(sra_svg__ticks(t, 3, &unit, 5), 3);	/* never more than max */
}

static void test_svg_clip__intervals_leaving_the_axis(void **state)
{
	double a, b;

	(void)state;
	a = 0.2, b = 0.4;
	assert_int_equal(sra_svg__clip(&a, &b, 0, 1), 0);
	assert_true(a == 0.2 && b == 0.4);
	a = -0.2, b = 0.4;	/* a kappa interval below 0 */
	assert_int_equal(sra_svg__clip(&a, &b, 0, 1), SRA_SVG_CLIP_LOW);
	assert_true(a == 0 && b == 0.4);
	a = 0.9, b = 1.3;
	assert_int_equal(sra_svg__clip(&a, &b, 0, 1), SRA_SVG_CLIP_HIGH);
	assert_true(a == 0.9 && b == 1);
	a = -1.1, b = 1.2;
	assert_int_equal(sra_svg__clip(&a, &b, 0, 1), SRA_SVG_CLIP_LOW | SRA_SVG_CLIP_HIGH);
	assert_true(a == 0 && b == 1);
	a = -0.5, b = -0.1;	/* wholly below: onto the lower bound */
	assert_int_equal(sra_svg__clip(&a, &b, 0, 1), SRA_SVG_CLIP_LOW);
	assert_true(a == 0 && b == 0);
	a = 1.2, b = 1.5;
	assert_int_equal(sra_svg__clip(&a, &b, 0, 1), SRA_SVG_CLIP_HIGH);
	assert_true(a == 1 && b == 1);
}

static void test_svg_text__escaped_and_formatted(void **state)
{
	sra_buf b = SRA_BUF_INIT;
	char buf[32];

	(void)state;
	sra_svg__escape(&b, "a<b & \"c\" 'd' </script>");
	assert_string_equal(sra_buf_cstr(&b), "a&lt;b &amp; &quot;c&quot; &#39;d&#39; &lt;/script&gt;");
	sra_buf_dispose(&b);
	assert_string_equal(sra_svg__fmt(buf, sizeof(buf), 0.8, 1), "0.800");
	assert_string_equal(sra_svg__fmt(buf, sizeof(buf), 19.06547, 1), "19.07");
	assert_string_equal(sra_svg__fmt(buf, sizeof(buf), 246.4, 1), "246");
	assert_string_equal(sra_svg__fmt(buf, sizeof(buf), -0.0001, 1), "0.000");
	assert_string_equal(sra_svg__fmt(buf, sizeof(buf), NAN, 1), "n/a");
	assert_string_equal(sra_svg__fmt(buf, sizeof(buf), 0.5, 0), "n/a");
}

/* ---- forest plot ---- */

static void test_svg_forest__one_row(void **state)
{
	/* the spec's 40/60/10/890 sensitivity */
	const sra_svg_interval r = { "Run 1 final", SRA_SVG_BLACK, 0.8, 0.669629, 0.887562, 1, 1 };
	sra_buf b = SRA_BUF_INIT;

	(void)state;
	sra_svg__forest(&b, "sensitivity <all runs>", &r, 1, 0, 1, 0);
	assert_figure(&b);
	assert_has(&b, "<title>sensitivity &lt;all runs&gt;</title>");
	/* height: top 8 + one row 18 + 2 + bottom 24 = 52 */
	assert_has(&b, "viewBox=\"0 0 452 52.0\"");
	/* the row's centre y = 8 + 9 = 17; 134 + 0.669629 * 184 = 257.212, 134 + 0.887562 * 184 = 297.311 */
	assert_has(&b, "<line x1=\"257.2\" y1=\"17.0\" x2=\"297.3\" y2=\"17.0\"");
	assert_has(&b, "<circle cx=\"281.2\" cy=\"17.0\"");
	assert_has(&b, ">0.800 [0.670, 0.888]</text>");
	assert_has(&b, ">Run 1 final</text>");
	assert_lacks(&b, "<path");	/* nothing cut */
	/* axis at y = 28 with six ticks; the label of 0.6 at x = 134 + 110.4 = 244.4, y = 42 */
	assert_has(&b, "<text x=\"244.4\" y=\"42.0\" text-anchor=\"middle\" fill=\"#444\">0.6</text>");
	assert_int_equal(count(&b, "fill=\"#444\">"), 6);
	sra_buf_dispose(&b);
}

static void test_svg_forest__clipped_and_undefined(void **state)
{
	const sra_svg_interval rows[4] = {
		/* kappa with an interval below 0 */
		{ "kappa", SRA_SVG_BLUE, 0.1, -0.2, 0.4, 1, 1 },
		/* MCC below the axis altogether */
		{ "mcc", SRA_SVG_ORANGE, -0.1, 0, 0, 1, 0 },
		/* undefined */
		{ "ppv", SRA_SVG_GREEN, NAN, NAN, NAN, 0, 0 },
		/* an interval beyond 1 */
		{ "wide", SRA_SVG_BLACK, 0.95, 0.8, 1.1, 1, 1 },
	};
	sra_buf b = SRA_BUF_INIT;

	(void)state;
	sra_svg__forest(&b, "clipped", rows, 4, 0, 1, 0);
	assert_figure(&b);
	/* row 0, y 17: the line from the axis' start to 134 + 0.4 * 184 = 207.6, an arrow at 134 pointing left */
	assert_has(&b, "<line x1=\"134.0\" y1=\"17.0\" x2=\"207.6\" y2=\"17.0\" stroke=\"#0072B2\"");
	assert_has(&b, "<path d=\"M134.0 17.0l7.0 -4.5v9z\" fill=\"#0072B2\"/>");
	assert_has(&b, "<circle cx=\"152.4\" cy=\"17.0\"");
	assert_has(&b, ">0.100 [-0.200, 0.400]</text>");
	/* row 1, y 35: no point, an arrow, the value printed */
	assert_has(&b, "<path d=\"M134.0 35.0l7.0 -4.5v9z\" fill=\"#E69F00\"/>");
	assert_has(&b, ">-0.100</text>");
	/* row 2, y 53: n/a and nothing drawn in its colour */
	assert_has(&b, ">n/a</text>");
	assert_lacks(&b, SRA_SVG_GREEN);
	/* row 3, y 71: line from 134 + 0.8 * 184 = 281.2 to the axis' end (318), arrow pointing right, point at 308.8 */
	assert_has(&b, "<line x1=\"281.2\" y1=\"71.0\" x2=\"318.0\" y2=\"71.0\"");
	assert_has(&b, "<path d=\"M318.0 71.0l-7.0 -4.5v9z\" fill=\"#000000\"/>");
	assert_has(&b, "<circle cx=\"308.8\" cy=\"71.0\"");
	assert_int_equal(count(&b, "<circle"), 2);
	sra_buf_dispose(&b);
}

static void test_svg_forest__log_scale(void **state)
{
	/* the spec's LR+ 12.666667 [9.559833, 16.783184]: log10 from -2 to 3 over 184 px, 36.8 a decade */
	const sra_svg_interval rows[2] = {
		{ "LR+", SRA_SVG_BLACK, 12.666667, 9.559833, 16.783184, 1, 1 },
		{ "LR-", SRA_SVG_BLACK, 0, 0, 0.5, 1, 1 },	/* 0 is off a log scale */
	};
	sra_buf b = SRA_BUF_INIT;
	char want[128];

	(void)state;
	sra_svg__forest(&b, "likelihood ratios", rows, 2, 0.01, 1000, 1);
	assert_figure(&b);
	snprintf(want, sizeof(want), "<circle cx=\"%.1f\"", 134 + (log10(12.666667) + 2) * 36.8);
	assert_has(&b, want);	/* 248.2 */
	assert_has(&b, "<circle cx=\"248.2\"");
	assert_has(&b, ">1000</text>");
	assert_has(&b, ">0.01</text>");
	/* row 1: an arrow for the value and for the interval's lower end; the line to log10(0.5) */
	assert_has(&b, "<line x1=\"134.0\" y1=\"35.0\" x2=\"196.5\"");	/* 134 + 1.69897 * 36.8 = 196.522 */
	assert_int_equal(count(&b, "<path d=\"M134.0 35.0"), 2);
	assert_has(&b, ">0.000 [0.000, 0.500]</text>");
	sra_buf_dispose(&b);
}

static void test_svg_forest__empty(void **state)
{
	sra_buf b = SRA_BUF_INIT;

	(void)state;
	sra_svg__forest(&b, "nothing", NULL, 0, 0, 1, 0);
	assert_figure(&b);
	assert_has(&b, "nothing to show");
	assert_has(&b, "viewBox=\"0 0 452 52.0\"");
	assert_lacks(&b, "<circle");
	sra_buf_dispose(&b);
}

/* ---- the table of counts ---- */

static void test_svg_grid__two_by_two(void **state)
{
	static const char *const rows[2] = { "AI include", "AI exclude" };
	static const char *const cols[2] = { "human include", "human exclude" };
	static const char *const tags[4] = { "TP", "FP", "FN", "TN" };
	const int64_t cells[4] = { 40, 60, 10, 890 };
	const int kind[4] = { 1, 2, 2, 1 };
	sra_buf b = SRA_BUF_INIT;

	(void)state;
	sra_svg__grid(&b, "2x2 <final>", "AI", "Human", rows, 2, cols, 2, cells, kind, tags);
	assert_figure(&b);
	/* 120 + 2 * 120 wide; 44 + 2 * 52 + 4 high */
	assert_has(&b, "viewBox=\"0 0 360 152.0\"");
	assert_has(&b, ">TP 40</text>");
	assert_has(&b, ">4.0 %</text>");
	assert_has(&b, ">FP 60</text>");
	assert_has(&b, ">6.0 %</text>");
	assert_has(&b, ">TN 890</text>");
	assert_has(&b, ">89.0 %</text>");
	/* TN, the largest, fully shaded (0.12 + 0.78 = 0.90) at x 240, y 96; TP at 0.12 + 0.78 * 40/890 */
	assert_has(&b, "<rect x=\"240.0\" y=\"96.0\" width=\"116\" height=\"48\" fill=\"#0072B2\" fill-opacity=\"0.90\"/>");
	assert_has(&b, "<rect x=\"120.0\" y=\"44.0\" width=\"116\" height=\"48\" fill=\"#0072B2\" fill-opacity=\"0.16\"/>");
	assert_has(&b, "fill=\"#D55E00\"");
	sra_buf_dispose(&b);
}

static void test_svg_grid__all_zero(void **state)
{
	static const char *const l[2] = { "a", "b" };
	const int64_t cells[4] = { 0, 0, 0, 0 };
	sra_buf b = SRA_BUF_INIT;

	(void)state;
	sra_svg__grid(&b, "empty", "r", "c", l, 2, l, 2, cells, NULL, NULL);
	assert_figure(&b);
	assert_int_equal(count(&b, ">n/a</text>"), 4);
	assert_lacks(&b, "nan");
	sra_buf_dispose(&b);
}

/* ---- bars ---- */

static void test_svg_bars__stacked(void **state)
{
	static const char *const cats[2] = { "0.0", "0.1" };
	const double right[2] = { 3, 0 }, wrong[2] = { 1, 2 };
	const sra_svg_series s[2] = { { "agrees", SRA_SVG_BLUE, right }, { "differs", SRA_SVG_VERMILION, wrong } };
	sra_buf b = SRA_BUF_INIT;

	(void)state;
	sra_svg__bars(&b, "histogram", cats, 2, s, 2, 1);
	assert_figure(&b);
	/*
	 * max stack 4 -> y axis 0..4 over 196 .. 34 (40.5 px a unit); groups
	 * 212 wide from x 48; bars 0.7 * 212 = 148.4 wide from 48 + 31.8 = 79.8.
	 * Category 0: blue 0..3 (y 74.5, height 121.5), vermilion 3..4 (y 34, 40.5).
	 */
	assert_has(&b, "<rect x=\"79.8\" y=\"74.5\" width=\"148.4\" height=\"121.5\" fill=\"#0072B2\"/>");
	assert_has(&b, "<rect x=\"79.8\" y=\"34.0\" width=\"148.4\" height=\"40.5\" fill=\"#D55E00\"/>");
	/* category 1: no blue bar (0), vermilion 0..2 at x 48 + 212 + 31.8 = 291.8, y 115, height 81 */
	assert_has(&b, "<rect x=\"291.8\" y=\"115.0\" width=\"148.4\" height=\"81.0\" fill=\"#D55E00\"/>");
	assert_int_equal(count(&b, "fill=\"#0072B2\"/>"), 2);	/* one bar and the legend's square */
	/* totals printed above the stacks */
	assert_has(&b, "<text x=\"154.0\" y=\"31.0\" text-anchor=\"middle\" font-size=\"9\">4</text>");
	assert_has(&b, ">agrees</text>");
	sra_buf_dispose(&b);
}

static void test_svg_bars__side_by_side_and_empty(void **state)
{
	static const char *const cats[1] = { "tokens" };
	const double a[1] = { 1500 }, c[1] = { 250 };
	const sra_svg_series s[2] = { { "input", SRA_SVG_BLUE, a }, { "output", SRA_SVG_ORANGE, c } };
	sra_buf b = SRA_BUF_INIT;

	(void)state;
	sra_svg__bars(&b, "usage", cats, 1, s, 2, 0);
	assert_figure(&b);
	/*
	 * axis 0..1500 (step 375 -> 500, and 1500 is a step); bars 0.8 * 424 / 2
	 * = 169.6 wide from 48 + 42.4; input up to the top, output 250 of 1500:
	 * y 196 - 27 = 169
	 */
	assert_has(&b, "<rect x=\"90.4\" y=\"34.0\" width=\"169.6\" height=\"162.0\" fill=\"#0072B2\"/>");
	assert_has(&b, "<rect x=\"260.0\" y=\"169.0\" width=\"169.6\" height=\"27.0\" fill=\"#E69F00\"/>");
	assert_has(&b, ">250</text>");
	assert_int_equal(count(&b, ">1500</text>"), 2);	/* the tick and the bar's value */
	assert_has(&b, ">500</text>");
	assert_lacks(&b, ">2000</text>");
	sra_buf_dispose(&b);
	{
		/* large counts: steps of 200,000 (258,139 a quarter) up to 1.2M, read 200k ... 1.2M */
		const double big[1] = { 1032555 };
		const sra_svg_series one = { "tokens", SRA_SVG_BLUE, big };

		sra_svg__bars(&b, "big", cats, 1, &one, 1, 1);
		assert_figure(&b);
		assert_has(&b, ">200k</text>");
		assert_has(&b, ">1M</text>");
		assert_has(&b, ">1.2M</text>");
		assert_has(&b, ">1032555</text>");
		sra_buf_dispose(&b);
	}
	sra_svg__bars(&b, "none", NULL, 0, NULL, 0, 1);
	assert_figure(&b);
	assert_has(&b, "nothing to show");
	sra_buf_dispose(&b);
}

/* ---- calibration ---- */

static void test_svg_calibration__points(void **state)
{
	const sra_svg_band bands[3] = { { 0.5, 0.6, 0, 0 }, { 0.7, 0.8, 10, 9 }, { 0.9, 1.0, 4, 4 } };
	const sra_svg_curve c[2] = { { "conservative <x>", SRA_SVG_BLUE, bands, 3 },
				     { "comprehensive", SRA_SVG_ORANGE, bands, 0 } };
	sra_buf b = SRA_BUF_INIT;

	(void)state;
	sra_svg__calibration(&b, "calibration", c, 2);
	assert_figure(&b);
	/* x: 48 + 0.75 * 292 = 267, 48 + 0.95 * 292 = 325.4; y: 262 - 0.9 * 228 = 56.8, 262 - 228 = 34 */
	assert_has(&b, "points=\"267.0,56.8 325.4,34.0\"");
	assert_has(&b, "<circle cx=\"267.0\" cy=\"56.8\"");
	assert_has(&b, "9 of 10 agree (0.900)");
	assert_has(&b, "conservative &lt;x&gt;");
	/* the empty band draws nothing; the second curve has an empty polyline and its legend square */
	assert_int_equal(count(&b, "<circle"), 3);	/* legend + 2 points */
	assert_has(&b, "points=\"\"");
	/* the diagonal */
	assert_has(&b, "<line x1=\"48.0\" y1=\"262.0\" x2=\"340.0\" y2=\"34.0\" stroke=\"#777\"");
	sra_buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svg_scale__linear_and_log),
		cmocka_unit_test(test_svg_ticks__nice_values),
		cmocka_unit_test(test_svg_clip__intervals_leaving_the_axis),
		cmocka_unit_test(test_svg_text__escaped_and_formatted),
		cmocka_unit_test(test_svg_forest__one_row),
		cmocka_unit_test(test_svg_forest__clipped_and_undefined),
		cmocka_unit_test(test_svg_forest__log_scale),
		cmocka_unit_test(test_svg_forest__empty),
		cmocka_unit_test(test_svg_grid__two_by_two),
		cmocka_unit_test(test_svg_grid__all_zero),
		cmocka_unit_test(test_svg_bars__stacked),
		cmocka_unit_test(test_svg_bars__side_by_side_and_empty),
		cmocka_unit_test(test_svg_calibration__points),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
