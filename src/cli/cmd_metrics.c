/*
 * `sra metrics --tp N --fp N --fn N --tn N [--json] [-q]`: every statistic
 * of a bare 2x2 table (benchmark.md, "Metrics"), as a table for people or,
 * with --json, the object stored in metrics_detail.
 *
 * Exit codes: 0 ok, 1 failure, 2 usage (a missing, negative or non-integer
 * count, an unknown option); errors go through cli.c as every command's do.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sra/metrics.h>

static const char usage_text[] =
	"usage: sra metrics --tp N --fp N --fn N --tn N [--json] [-q]\n"
	"\n"
	"Accuracy and agreement statistics of a 2x2 table (positive = include,\n"
	"reference = the human decision): sensitivity, specificity, PPV, NPV,\n"
	"accuracy (Wilson 95% CIs), F1, MCC, Cohen's kappa (SE and CI of Fleiss,\n"
	"Cohen & Everitt), PABAK, Gwet's AC1, LR+ and LR- (log-method CIs),\n"
	"work saved and WSS.  Undefined values are n/a (null in JSON).\n"
	"\n"
	"  --tp N     AI include, human include\n"
	"  --fp N     AI include, human exclude\n"
	"  --fn N     AI exclude, human include\n"
	"  --tn N     AI exclude, human exclude\n"
	"  --json     print JSON: {\"counts\": {...}, \"metrics\": {...}}\n"
	"  -q         only the metric lines of the table\n"
	"  -h, --help show this help\n";

/* a count: a whole, non-negative decimal number that fits in 64 bits */
static int parse_count(int64_t *out, const char *opt, const char *arg)
{
	const char *p = arg + (arg[0] == '+');
	char *end = NULL;
	long long v;

	errno = 0;
	v = *p >= '0' && *p <= '9' ? strtoll(p, &end, 10) : -1;
	if (v < 0 || *end != '\0' || errno == ERANGE) {
		return cli_usage_error("metrics: invalid value for --%s: '%s' "
				       "(expected a non-negative whole number)", opt, arg);
	}
	*out = (int64_t)v;
	return 0;
}

/* print everything between the counts header and the notes (for -q) */
static void print_metric_lines(const char *text)
{
	const char *start = strstr(text, "\nmetric ");
	const char *end;

	if (!start) {
		fputs(text, stdout);
		return;
	}
	start++;
	end = strstr(start, "\n\n");
	fwrite(start, 1, end ? (size_t)(end - start) + 1 : strlen(start), stdout);
}

int cmd_metrics(int argc, char **argv)
{
	enum { OPT_TP = 256, OPT_FP, OPT_FN, OPT_TN, OPT_JSON };
	static const struct option longopts[] = {
		{ "tp", required_argument, NULL, OPT_TP },
		{ "fp", required_argument, NULL, OPT_FP },
		{ "fn", required_argument, NULL, OPT_FN },
		{ "tn", required_argument, NULL, OPT_TN },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const names[4] = { "tp", "fp", "fn", "tn" };
	int64_t count[4] = { 0 };
	int given[4] = { 0 };
	int json = 0, quiet = 0, c, i, error;
	char missing[64] = "";
	sra_confusion table;
	sra_metrics m;
	char *out = NULL;

	opterr = 0;
	optind = 0;	/* glibc: a full reset, whatever parsed argv before */
	while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_TP: case OPT_FP: case OPT_FN: case OPT_TN:
			i = c - OPT_TP;
			if (parse_count(&count[i], names[i], optarg) != 0)
				return CLI_USAGE;
			given[i] = 1;
			break;
		case OPT_JSON:
			json = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case ':':
			return cli_usage_error("metrics: option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt)
				return cli_usage_error("metrics: unknown option '-%c' (see sra metrics --help)", optopt);
			return cli_usage_error("metrics: unknown option '%s' (see sra metrics --help)",
					       argv[optind - 1]);
		}
	}
	if (optind < argc) {
		return cli_usage_error("metrics: unexpected argument '%s' (see sra metrics --help)",
				       argv[optind]);
	}
	for (i = 0; i < 4; i++) {
		if (!given[i]) {
			strcat(missing, missing[0] ? ", --" : "--");
			strcat(missing, names[i]);
		}
	}
	if (missing[0]) {
		return cli_usage_error("metrics: missing %s (usage: sra metrics --tp N --fp N --fn N --tn N)",
				       missing);
	}

	table.tp = count[0];
	table.fp = count[1];
	table.fn = count[2];
	table.tn = count[3];
	if ((error = sra_metrics_compute(&m, &table)) < 0)
		return error == SRA_EINVALID ? cli_usage_error("metrics: %s", sra_error_last()->message)
					     : cli_error_lib(error);
	if ((error = json ? sra_metrics_to_json(&out, &m) : sra_metrics_format_text(&out, &m)) < 0)
		return cli_error_lib(error);
	if (json)
		printf("%s\n", out);
	else if (quiet)
		print_metric_lines(out);
	else
		fputs(out, stdout);
	free(out);
	if (fflush(stdout) != 0)
		return cli_fail("metrics: stdout: %s", strerror(errno));
	return CLI_OK;
}
