/*
 * This file draws the report's figures as inline SVG from plain numbers:
 * scales and ticks, interval clipping, and four kinds of figure (forest
 * plot, shaded table of counts, bars, calibration curves).  See svg.h.
 */
#include "svg.h"

#include <math.h>
#include <stdio.h>

/* ---- text and numbers ---------------------------------------------------- */

void sra_svg__escape(sra_buf *b, const char *s)
{
	const char *run;

	if (!s)
		return;
	while (*s) {
		run = s;
		while (*s && !strchr("&<>\"'", *s))
			s++;
		sra_buf_put(b, run, (size_t)(s - run));
		switch (*s) {
		case '&': sra_buf_puts(b, "&amp;"); break;
		case '<': sra_buf_puts(b, "&lt;"); break;
		case '>': sra_buf_puts(b, "&gt;"); break;
		case '"': sra_buf_puts(b, "&quot;"); break;
		case '\'': sra_buf_puts(b, "&#39;"); break;
		default: return;	/* the end */
		}
		s++;
	}
}

const char *sra_svg__fmt(char *buf, size_t size, double v, int defined)
{
	double a = fabs(v);

	if (!defined || !isfinite(v))
		snprintf(buf, size, "n/a");
	else if (a >= 1000)
		snprintf(buf, size, "%.4g", v);
	else if (a >= 100)
		snprintf(buf, size, "%.0f", v);
	else if (a >= 10)
		snprintf(buf, size, "%.2f", v);
	else
		snprintf(buf, size, "%.3f", v);
	if (strcmp(buf, "-0.000") == 0 || strcmp(buf, "-0.00") == 0 || strcmp(buf, "-0") == 0)
		memmove(buf, buf + 1, strlen(buf));
	return buf;
}

/* a coordinate, one decimal, never "-0.0" */
static void put_c(sra_buf *b, double v)
{
	if (fabs(v) < 0.05)
		v = 0;
	sra_buf_printf(b, "%.1f", v);
}

/* " name=\"v\"" for a coordinate */
static void attr_c(sra_buf *b, const char *name, double v)
{
	sra_buf_printf(b, " %s=\"", name);
	put_c(b, v);
	sra_buf_putc(b, '"');
}

static void svg_open(sra_buf *b, const char *title, int w, double h)
{
	sra_buf_printf(b, "<svg class=\"fig\" viewBox=\"0 0 %d ", w);
	put_c(b, h);
	sra_buf_printf(b, "\" width=\"%d\" height=\"", w);
	put_c(b, h);
	sra_buf_puts(b, "\" role=\"img\" font-size=\"11\"><title>");
	sra_svg__escape(b, title);
	sra_buf_puts(b, "</title>");
}

static void svg_close(sra_buf *b)
{
	sra_buf_puts(b, "</svg>\n");
}

static void line(sra_buf *b, double x1, double y1, double x2, double y2, const char *stroke,
		 const char *extra)
{
	sra_buf_puts(b, "<line");
	attr_c(b, "x1", x1);
	attr_c(b, "y1", y1);
	attr_c(b, "x2", x2);
	attr_c(b, "y2", y2);
	sra_buf_printf(b, " stroke=\"%s\"%s/>", stroke, extra ? extra : "");
}

/* <text> at (x, y); anchor "start", "middle" or "end"; s escaped */
static void text(sra_buf *b, double x, double y, const char *anchor, const char *extra, const char *s)
{
	sra_buf_puts(b, "<text");
	attr_c(b, "x", x);
	attr_c(b, "y", y);
	if (strcmp(anchor, "start") != 0)
		sra_buf_printf(b, " text-anchor=\"%s\"", anchor);
	if (extra)
		sra_buf_puts(b, extra);
	sra_buf_putc(b, '>');
	sra_svg__escape(b, s);
	sra_buf_puts(b, "</text>");
}

/* a tick label: the shortest of up to 6 significant digits ("0.2", "1000") */
static const char *tick_label(char *buf, size_t size, double v)
{
	snprintf(buf, size, "%g", fabs(v) < 1e-12 ? 0.0 : v);
	return buf;
}

/* ---- scales, ticks, clipping ------------------------------------------- */

double sra_svg__map(const sra_svg_scale *s, double v)
{
	double t = s->log ? (log10(v) - log10(s->lo)) / (log10(s->hi) - log10(s->lo))
			  : (v - s->lo) / (s->hi - s->lo);

	return s->px0 + t * (s->px1 - s->px0);
}

/* the 1-2-5 step for about `target` intervals over `span` */
static double nice_step(double span, size_t target)
{
	double raw = span / (double)(target ? target : 1), mag = pow(10, floor(log10(raw))), f = raw / mag;

	return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

size_t sra_svg__ticks(double *out, size_t max, const sra_svg_scale *s, size_t target)
{
	size_t n = 0;
	long long k, k0, k1;

	if (!(s->hi > s->lo))
		return 0;
	if (s->log) {
		if (!(s->lo > 0))
			return 0;
		k0 = (long long)ceil(log10(s->lo) - 1e-9);
		k1 = (long long)floor(log10(s->hi) + 1e-9);
		for (k = k0; k <= k1 && n < max; k++)
			out[n++] = pow(10, (double)k);
	} else {
		double step = nice_step(s->hi - s->lo, target);

		/* tick k * step, k an integer, so no error accumulates */
		k0 = (long long)ceil(s->lo / step - 1e-9);
		k1 = (long long)floor(s->hi / step + 1e-9);
		for (k = k0; k <= k1 && n < max; k++)
			out[n++] = (double)k * step;
	}
	return n;
}

unsigned int sra_svg__clip(double *a, double *b, double lo, double hi)
{
	unsigned int cut = 0;

	if (*a < lo) {
		*a = lo;
		cut |= SRA_SVG_CLIP_LOW;
	}
	if (*b > hi) {
		*b = hi;
		cut |= SRA_SVG_CLIP_HIGH;
	}
	if (*b < lo) {		/* wholly below */
		*b = lo;
		cut = SRA_SVG_CLIP_LOW;
	}
	if (*a > hi) {		/* wholly above */
		*a = hi;
		cut = SRA_SVG_CLIP_HIGH;
	}
	return cut;
}

/* ---- forest plot ------------------------------------------------------- */

/* an arrowhead at x pointing left (dir -1) or right (+1): a value cut off */
static void arrow(sra_buf *b, double x, double y, int dir, const char *color)
{
	sra_buf_puts(b, "<path d=\"M");
	put_c(b, x);
	sra_buf_putc(b, ' ');
	put_c(b, y);
	sra_buf_puts(b, "l");
	put_c(b, -7.0 * dir);
	sra_buf_puts(b, " -4.5v9z\"");
	sra_buf_printf(b, " fill=\"%s\"/>", color);
}

void sra_svg__forest(sra_buf *b, const char *title, const sra_svg_interval *rows, size_t n,
		     double lo, double hi, int log)
{
	const sra_svg_scale s = { lo, hi, SRA_SVG_FOREST_X0, SRA_SVG_FOREST_X1, log };
	const double top = SRA_SVG_FOREST_TOP, rh = SRA_SVG_FOREST_ROW;
	double ticks[16], axis = top + rh * (double)(n ? n : 1) + 2;
	size_t nt = sra_svg__ticks(ticks, 16, &s, 5), i;
	char v[32], l[32], h[32];
	sra_buf t = SRA_BUF_INIT;

	svg_open(b, title, SRA_SVG_FOREST_W, axis + SRA_SVG_FOREST_BOTTOM - 2);
	for (i = 0; i < nt; i++) {
		double x = sra_svg__map(&s, ticks[i]);

		line(b, x, top, x, axis, "#d9d9d9", NULL);
		text(b, x, axis + 14, "middle", " fill=\"#444\"", tick_label(v, sizeof(v), ticks[i]));
	}
	line(b, SRA_SVG_FOREST_X0, axis, SRA_SVG_FOREST_X1, axis, "#444", NULL);
	if (n == 0)
		text(b, SRA_SVG_FOREST_X0 + 8, top + rh / 2 + 4, "start", " fill=\"#444\"", "nothing to show");
	for (i = 0; i < n; i++) {
		const sra_svg_interval *r = &rows[i];
		double cy = top + rh * (double)i + rh / 2;
		int val = r->value_defined && isfinite(r->value);

		if (i % 2)
			sra_buf_printf(b, "<rect x=\"0\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#f3f3f3\"/>",
				       cy - rh / 2, SRA_SVG_FOREST_W, rh);
		text(b, 4, cy + 4, "start", NULL, r->label);
		if (r->ci_defined && isfinite(r->ci_low) && isfinite(r->ci_high)) {
			double a = r->ci_low, c = r->ci_high;
			unsigned int cut;

			if (log) {	/* compare in log space; <= 0 is below any log scale */
				a = a > 0 ? a : lo / 10;
				c = c > 0 ? c : lo / 10;
			}
			cut = sra_svg__clip(&a, &c, lo, hi);
			line(b, sra_svg__map(&s, a), cy, sra_svg__map(&s, c), cy, r->color, " stroke-width=\"2\"");
			if (cut & SRA_SVG_CLIP_LOW)
				arrow(b, SRA_SVG_FOREST_X0, cy, -1, r->color);
			if (cut & SRA_SVG_CLIP_HIGH)
				arrow(b, SRA_SVG_FOREST_X1, cy, 1, r->color);
		}
		if (val) {
			double x = r->value;

			if (x < lo || (log && !(x > 0)))	/* <= 0 is off a log scale's left */
				arrow(b, SRA_SVG_FOREST_X0, cy, -1, r->color);
			else if (x > hi)
				arrow(b, SRA_SVG_FOREST_X1, cy, 1, r->color);
			else {
				sra_buf_puts(b, "<circle");
				attr_c(b, "cx", sra_svg__map(&s, x));
				attr_c(b, "cy", cy);
				sra_buf_printf(b, " r=\"4\" fill=\"%s\"/>", r->color);
			}
		}
		sra_buf_clear(&t);
		sra_buf_puts(&t, sra_svg__fmt(v, sizeof(v), r->value, val));
		if (r->ci_defined)
			sra_buf_printf(&t, " [%s, %s]", sra_svg__fmt(l, sizeof(l), r->ci_low, 1),
				       sra_svg__fmt(h, sizeof(h), r->ci_high, 1));
		text(b, SRA_SVG_FOREST_X1 + 10, cy + 4, "start", NULL, sra_buf_cstr(&t));
	}
	sra_buf_dispose(&t);
	svg_close(b);
}

/* ---- a table of counts ------------------------------------------------- */

#define GRID_LW 120	/* row labels */
#define GRID_CW 120	/* a cell */
#define GRID_CH 52
#define GRID_HEAD 44

void sra_svg__grid(sra_buf *b, const char *title, const char *rows_name, const char *cols_name,
		   const char *const *row_labels, size_t nr, const char *const *col_labels, size_t nc,
		   const int64_t *cells, const int *kind, const char *const *tags)
{
	static const char *const fills[3] = { "#999999", SRA_SVG_BLUE, SRA_SVG_VERMILION };
	int w = GRID_LW + GRID_CW * (int)nc;
	int64_t total = 0, max = 0;
	size_t i, j;
	char buf[64];

	for (i = 0; i < nr * nc; i++) {
		total += cells[i];
		if (cells[i] > max)
			max = cells[i];
	}
	svg_open(b, title, w, GRID_HEAD + GRID_CH * (double)nr + 4);
	text(b, GRID_LW + GRID_CW * (double)nc / 2, 14, "middle", " font-weight=\"bold\"", cols_name);
	text(b, 4, 36, "start", " font-weight=\"bold\"", rows_name);
	for (j = 0; j < nc; j++)
		text(b, GRID_LW + GRID_CW * (double)j + GRID_CW / 2.0 - 2, 36, "middle", NULL, col_labels[j]);
	for (i = 0; i < nr; i++) {
		double y = GRID_HEAD + GRID_CH * (double)i;

		text(b, 4, y + GRID_CH / 2.0 + 2, "start", NULL, row_labels[i]);
		for (j = 0; j < nc; j++) {
			int64_t c = cells[i * nc + j];
			int k = kind ? kind[i * nc + j] : 0;
			double x = GRID_LW + GRID_CW * (double)j, op = max ? 0.12 + 0.78 * (double)c / (double)max : 0.12;
			const char *ink = op > 0.55 ? "#ffffff" : "#000000";

			sra_buf_puts(b, "<rect");
			attr_c(b, "x", x);
			attr_c(b, "y", y);
			sra_buf_printf(b, " width=\"%d\" height=\"%d\" fill=\"%s\" fill-opacity=\"%.2f\"/>",
				       GRID_CW - 4, GRID_CH - 4, fills[k < 0 || k > 2 ? 0 : k], op);
			if (tags && tags[i * nc + j])
				snprintf(buf, sizeof(buf), "%s %lld", tags[i * nc + j], (long long)c);
			else
				snprintf(buf, sizeof(buf), "%lld", (long long)c);
			sra_buf_printf(b, "<g fill=\"%s\">", ink);
			text(b, x + (GRID_CW - 4) / 2.0, y + 22, "middle", " font-weight=\"bold\" font-size=\"13\"", buf);
			if (total)
				snprintf(buf, sizeof(buf), "%.1f %%", 100.0 * (double)c / (double)total);
			else
				snprintf(buf, sizeof(buf), "n/a");
			text(b, x + (GRID_CW - 4) / 2.0, y + 38, "middle", NULL, buf);
			sra_buf_puts(b, "</g>");
		}
	}
	svg_close(b);
}

/* ---- bars -------------------------------------------------------------- */

/* a legend in one line at the top: a square and a name per entry */
static void legend(sra_buf *b, double x, const char *const *names, const char *const *colors, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		sra_buf_puts(b, "<rect");
		attr_c(b, "x", x);
		sra_buf_printf(b, " y=\"6\" width=\"10\" height=\"10\" fill=\"%s\"/>", colors[i]);
		text(b, x + 14, 15, "start", NULL, names[i]);
		x += 14 + 6.5 * (double)strlen(names[i]) + 14;
	}
}

/* a value axis from 0: its top, the first nice tick at or above max; *intervals between ticks */
static double nice_top(double max, size_t *intervals)
{
	double step, top;

	if (!(max > 0)) {
		*intervals = 1;
		return 1;
	}
	step = nice_step(max, 4);
	top = ceil(max / step - 1e-9) * step;
	*intervals = (size_t)llround(top / step);
	return top;
}

static const char *count_label(char *buf, size_t size, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, size, "%.0f", v);
	else
		sra_svg__fmt(buf, size, v, 1);
	return buf;
}

/* a value axis' tick: 20k, 1.5M from ten thousand up, so it fits left of the axis */
static const char *axis_label(char *buf, size_t size, double v)
{
	if (fabs(v) >= 1e6)
		snprintf(buf, size, "%gM", v / 1e6);
	else if (fabs(v) >= 1e4)
		snprintf(buf, size, "%gk", v / 1e3);
	else
		count_label(buf, size, v);
	return buf;
}

void sra_svg__bars(sra_buf *b, const char *title, const char *const *categories, size_t ncat,
		   const sra_svg_series *series, size_t ns, int stacked)
{
	double max = 0, gw, ticks[16];
	sra_svg_scale y = { 0, 1, SRA_SVG_BARS_Y0, SRA_SVG_BARS_Y1, 0 };
	size_t i, k, nt, intervals;
	char buf[32];

	for (i = 0; i < ncat; i++) {
		double sum = 0;

		for (k = 0; k < ns; k++) {
			double v = series[k].values[i] > 0 ? series[k].values[i] : 0;

			sum += v;
			if (!stacked && v > max)
				max = v;
		}
		if (stacked && sum > max)
			max = sum;
	}
	y.hi = nice_top(max, &intervals);
	svg_open(b, title, SRA_SVG_BARS_W, SRA_SVG_BARS_H);
	if (ns > 1) {
		const char *names[8], *colors[8];

		for (k = 0; k < ns && k < 8; k++) {
			names[k] = series[k].name;
			colors[k] = series[k].color;
		}
		legend(b, SRA_SVG_BARS_X0, names, colors, k);
	}
	nt = sra_svg__ticks(ticks, 16, &y, intervals);	/* the same step, so the top is a tick */
	for (i = 0; i < nt; i++) {
		double py = sra_svg__map(&y, ticks[i]);

		line(b, SRA_SVG_BARS_X0, py, SRA_SVG_BARS_X1, py, i ? "#d9d9d9" : "#444", NULL);
		text(b, SRA_SVG_BARS_X0 - 4, py + 4, "end", " fill=\"#444\"", axis_label(buf, sizeof(buf), ticks[i]));
	}
	if (ncat == 0) {
		text(b, SRA_SVG_BARS_X0 + 8, SRA_SVG_BARS_Y0 - 8, "start", " fill=\"#444\"", "nothing to show");
		svg_close(b);
		return;
	}
	gw = (double)(SRA_SVG_BARS_X1 - SRA_SVG_BARS_X0) / (double)ncat;
	for (i = 0; i < ncat; i++) {
		double gx = SRA_SVG_BARS_X0 + gw * (double)i, base = 0;
		double bw = stacked || ns == 0 ? gw * 0.7 : gw * 0.8 / (double)ns;

		text(b, gx + gw / 2, SRA_SVG_BARS_Y0 + 14, "middle", " font-size=\"10\"", categories[i]);
		for (k = 0; k < ns; k++) {
			double v = series[k].values[i] > 0 ? series[k].values[i] : 0;
			double x = stacked ? gx + gw * 0.15 : gx + gw * 0.1 + bw * (double)k;
			double y0 = sra_svg__map(&y, base), y1 = sra_svg__map(&y, base + v);

			if (v > 0) {
				sra_buf_puts(b, "<rect");
				attr_c(b, "x", x);
				attr_c(b, "y", y1);
				attr_c(b, "width", bw);
				attr_c(b, "height", y0 - y1);
				sra_buf_printf(b, " fill=\"%s\"/>", series[k].color);
			}
			if (!stacked)
				text(b, x + bw / 2, y1 - 3, "middle", " font-size=\"9\"",
				     count_label(buf, sizeof(buf), series[k].values[i]));
			else
				base += v;
		}
		if (stacked)
			text(b, gx + gw / 2, sra_svg__map(&y, base) - 3, "middle", " font-size=\"9\"",
			     count_label(buf, sizeof(buf), base));
	}
	svg_close(b);
}

/* ---- calibration ------------------------------------------------------- */

/* a marker: circle, square or triangle by index, so shape tells them apart too */
static void marker(sra_buf *b, size_t shape, double x, double y, const char *color)
{
	switch (shape % 3) {
	case 0:
		sra_buf_puts(b, "<circle");
		attr_c(b, "cx", x);
		attr_c(b, "cy", y);
		sra_buf_printf(b, " r=\"4\" fill=\"%s\">", color);
		return;
	case 1:
		sra_buf_puts(b, "<rect");
		attr_c(b, "x", x - 3.5);
		attr_c(b, "y", y - 3.5);
		sra_buf_printf(b, " width=\"7\" height=\"7\" fill=\"%s\">", color);
		return;
	default:
		sra_buf_puts(b, "<path d=\"M");
		put_c(b, x);
		sra_buf_putc(b, ' ');
		put_c(b, y - 5);
		sra_buf_printf(b, "l4.5 8h-9z\" fill=\"%s\">", color);
		return;
	}
}

static const char *const marker_end[3] = { "</circle>", "</rect>", "</path>" };

void sra_svg__calibration(sra_buf *b, const char *title, const sra_svg_curve *curves, size_t n)
{
	const sra_svg_scale x = { 0, 1, SRA_SVG_CAL_X0, SRA_SVG_CAL_X1, 0 };
	const sra_svg_scale y = { 0, 1, SRA_SVG_CAL_Y0, SRA_SVG_CAL_Y1, 0 };
	double ticks[16], lx = SRA_SVG_CAL_X0;
	size_t nt = sra_svg__ticks(ticks, 16, &x, 5), i, k;
	char buf[160], l1[32];

	svg_open(b, title, SRA_SVG_CAL_W, SRA_SVG_CAL_H);
	for (i = 0; i < nt; i++) {
		double px = sra_svg__map(&x, ticks[i]), py = sra_svg__map(&y, ticks[i]);

		line(b, px, SRA_SVG_CAL_Y1, px, SRA_SVG_CAL_Y0, "#d9d9d9", NULL);
		line(b, SRA_SVG_CAL_X0, py, SRA_SVG_CAL_X1, py, "#d9d9d9", NULL);
		text(b, px, SRA_SVG_CAL_Y0 + 14, "middle", " fill=\"#444\"", tick_label(buf, sizeof(buf), ticks[i]));
		text(b, SRA_SVG_CAL_X0 - 4, py + 4, "end", " fill=\"#444\"", tick_label(buf, sizeof(buf), ticks[i]));
	}
	line(b, SRA_SVG_CAL_X0, SRA_SVG_CAL_Y0, SRA_SVG_CAL_X1, SRA_SVG_CAL_Y1, "#777",
	     " stroke-dasharray=\"4 3\"");
	text(b, (SRA_SVG_CAL_X0 + SRA_SVG_CAL_X1) / 2.0, SRA_SVG_CAL_H - 4, "middle", NULL,
	     "confidence of the decision");
	sra_buf_printf(b, "<text transform=\"translate(12 %.1f) rotate(-90)\" text-anchor=\"middle\">"
		       "share agreeing with the human decision</text>", (SRA_SVG_CAL_Y0 + SRA_SVG_CAL_Y1) / 2.0);
	for (k = 0; k < n; k++) {
		const sra_svg_curve *c = &curves[k];
		int first = 1;

		/* the legend: marker and name */
		marker(b, k, lx + 5, 12, c->color);
		sra_buf_puts(b, marker_end[k % 3]);
		text(b, lx + 14, 16, "start", NULL, c->name);
		lx += 14 + 6.5 * (double)strlen(c->name) + 14;
		sra_buf_puts(b, "<polyline fill=\"none\" stroke-width=\"1.5\"");
		sra_buf_printf(b, " stroke=\"%s\" points=\"", c->color);
		for (i = 0; i < c->nbands; i++) {
			const sra_svg_band *bd = &c->bands[i];

			if (bd->n <= 0)
				continue;
			if (!first)
				sra_buf_putc(b, ' ');
			first = 0;
			put_c(b, sra_svg__map(&x, (bd->lo + bd->hi) / 2));
			sra_buf_putc(b, ',');
			put_c(b, sra_svg__map(&y, (double)bd->correct / (double)bd->n));
		}
		sra_buf_puts(b, "\"/>");
		for (i = 0; i < c->nbands; i++) {
			const sra_svg_band *bd = &c->bands[i];
			double share;

			if (bd->n <= 0)
				continue;
			share = (double)bd->correct / (double)bd->n;
			marker(b, k, sra_svg__map(&x, (bd->lo + bd->hi) / 2), sra_svg__map(&y, share), c->color);
			snprintf(buf, sizeof(buf), "%s, confidence %g to %g: %lld of %lld agree (%s)", c->name,
				 bd->lo, bd->hi, (long long)bd->correct, (long long)bd->n,
				 sra_svg__fmt(l1, sizeof(l1), share, 1));
			sra_buf_puts(b, "<title>");
			sra_svg__escape(b, buf);
			sra_buf_puts(b, "</title>");
			sra_buf_puts(b, marker_end[k % 3]);
		}
	}
	svg_close(b);
}
