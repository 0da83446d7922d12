/*
 * Figures as inline SVG, drawn from plain numbers (no database, no JSON),
 * for the HTML report (report.c; benchmark.md, "The report").
 *
 * Every figure is one <svg> with a <title> (and the numbers it draws
 * printed in it, not only drawn), sized by its viewBox so that CSS can
 * shrink it to a phone's width.  Coordinates are written with one decimal,
 * so the same numbers give the same bytes.  Colours are the Okabe-Ito
 * palette (Okabe & Ito 2008), safe for the common colour-vision
 * deficiencies.  Every text is escaped; the caller's strings are borrowed.
 */
#ifndef SRA_LIB_SVG_H
#define SRA_LIB_SVG_H

#include "common.h"

/* Okabe-Ito */
#define SRA_SVG_BLACK     "#000000"
#define SRA_SVG_ORANGE    "#E69F00"
#define SRA_SVG_SKYBLUE   "#56B4E9"
#define SRA_SVG_GREEN     "#009E73"
#define SRA_SVG_YELLOW    "#F0E442"
#define SRA_SVG_BLUE      "#0072B2"
#define SRA_SVG_VERMILION "#D55E00"
#define SRA_SVG_PURPLE    "#CC79A7"

/* append s with & < > " ' as character references (text and attribute values) */
void sra_svg__escape(sra_buf *b, const char *s);

/*
 * A value for a figure or a table: 3 decimals, fewer digits after the
 * point from 10 up ("19.07", "246"), "n/a" when not defined.  Returns buf.
 */
const char *sra_svg__fmt(char *buf, size_t size, double v, int defined);

/* A map from data to pixels: linear, or (log != 0) linear in log10. */
typedef struct sra_svg_scale {
	double lo, hi;		/* the domain; lo < hi (both > 0 when log) */
	double px0, px1;	/* where lo and hi land */
	int log;
} sra_svg_scale;

/* where v lands; not clamped */
double sra_svg__map(const sra_svg_scale *s, double v);

/*
 * "Nice" tick values in [lo, hi]: multiples of 1, 2 or 5 times a power of
 * ten, about `target` of them (linear), or the powers of ten (log).  At
 * most `max` are written to out; returns how many.
 */
size_t sra_svg__ticks(double *out, size_t max, const sra_svg_scale *s, size_t target);

/* what sra_svg__clip() cut */
#define SRA_SVG_CLIP_LOW  1u
#define SRA_SVG_CLIP_HIGH 2u

/*
 * Clip the interval [*a, *b] to [lo, hi] and say which ends were cut.  An
 * interval wholly outside collapses onto the nearer bound (cut on that side).
 */
unsigned int sra_svg__clip(double *a, double *b, double lo, double hi);

/* One row of a forest plot: a value with its interval. */
typedef struct sra_svg_interval {
	const char *label;	/* row label */
	const char *color;	/* marker colour (one of the above) */
	double value, ci_low, ci_high;
	int value_defined;
	int ci_defined;		/* both bounds defined */
} sra_svg_interval;

/*
 * A forest plot: one row per interval, a point for the value and a line for
 * its interval on the scale [lo, hi] (log10 when `log`), the value and
 * interval printed at the right.  Intervals and values leaving the scale
 * are cut at its edge and marked with an arrow; an undefined value reads
 * "n/a" and draws nothing.  Geometry: SRA_SVG_FOREST_*.
 */
#define SRA_SVG_FOREST_W      452	/* narrow enough for a phone without shrinking much */
#define SRA_SVG_FOREST_X0     134	/* the scale starts here ... */
#define SRA_SVG_FOREST_X1     318	/* ... and ends here */
#define SRA_SVG_FOREST_TOP    8
#define SRA_SVG_FOREST_ROW    18	/* row i's centre: TOP + ROW * i + ROW / 2 */
#define SRA_SVG_FOREST_BOTTOM 26	/* the axis */
void sra_svg__forest(sra_buf *b, const char *title, const sra_svg_interval *rows, size_t n,
		     double lo, double hi, int log);

/*
 * A table of counts drawn as shaded cells (the 2x2 table, the reviewers'
 * agreement): nr x nc cells, row-major, each with its count and its share of
 * the total.  kind[i] colours cell i: 0 neutral, 1 agreement/correct
 * (blue), 2 disagreement/error (vermilion); kind may be NULL.  tags[i], when
 * not NULL, prefixes the count ("TP").
 */
void sra_svg__grid(sra_buf *b, const char *title, const char *rows_name, const char *cols_name,
		   const char *const *row_labels, size_t nr, const char *const *col_labels, size_t nc,
		   const int64_t *cells, const int *kind, const char *const *tags);

/* A series of bars. */
typedef struct sra_svg_series {
	const char *name;
	const char *color;
	const double *values;	/* one per category */
} sra_svg_series;

/*
 * Vertical bars: one group per category, the series stacked (the total
 * printed above each stack) or side by side (each value printed above its
 * bar).  The y scale starts at 0 and ends at a nice value above the
 * largest bar.  A legend names the series when there are several.
 */
#define SRA_SVG_BARS_W      480
#define SRA_SVG_BARS_H      220
#define SRA_SVG_BARS_X0     48	/* plot area, left */
#define SRA_SVG_BARS_X1     472	/* plot area, right */
#define SRA_SVG_BARS_Y0     196	/* plot area, bottom (y = 0) */
#define SRA_SVG_BARS_Y1     34	/* plot area, top */
void sra_svg__bars(sra_buf *b, const char *title, const char *const *categories, size_t ncat,
		   const sra_svg_series *series, size_t ns, int stacked);

/* One band of a calibration curve. */
typedef struct sra_svg_band {
	double lo, hi;		/* the confidence band [lo, hi) */
	int64_t n;		/* decisions in it */
	int64_t correct;	/* of which agree with the human decision */
} sra_svg_band;

/* One reviewer's calibration curve. */
typedef struct sra_svg_curve {
	const char *name;
	const char *color;
	const sra_svg_band *bands;
	size_t nbands;
} sra_svg_curve;

/*
 * Calibration: share correct (y) against confidence (x), a point at each
 * band's middle (none for an empty band), joined per reviewer, over the
 * dashed diagonal of perfect calibration.  Both axes [0, 1].
 */
#define SRA_SVG_CAL_W  360
#define SRA_SVG_CAL_H  300
#define SRA_SVG_CAL_X0 48
#define SRA_SVG_CAL_X1 340
#define SRA_SVG_CAL_Y0 262	/* y = 0 */
#define SRA_SVG_CAL_Y1 34	/* y = 1 */
void sra_svg__calibration(sra_buf *b, const char *title, const sra_svg_curve *curves, size_t n);

#endif
