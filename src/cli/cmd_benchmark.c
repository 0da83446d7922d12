/*
 * `sra benchmark run | list | show | items | export | compare | delete`
 * (benchmark.md, "Runs and what comes out").  Each command parses its
 * options, calls libsra and prints; the work is in the library.
 *
 * Exit codes: 0 ok, 1 failure (no such run or review, a database error),
 * 2 usage (bad options, an ambiguous run id).
 */
#include "cli.h"
#include "cmd_benchmark.h"

#include <sra/benchmark.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* the options of every benchmark command (not all use all of them) */
typedef struct bm_opts {
	const char *url, *review, *notes, *config, *uncertain, *threshold, *prices;
	const char *classification, *what, *format, *output;
	int json, quiet, timestamp, ids, rationale, disagreement, raw;
	char **args;	/* positional arguments (into argv, permuted by getopt) */
	int nargs;
} bm_opts;

enum { OPT_REVIEW = 256, OPT_NOTES, OPT_CONFIG, OPT_UNCERTAIN, OPT_THRESHOLD,
       OPT_CLASSIFICATION, OPT_WHAT, OPT_FORMAT, OPT_JSON, OPT_TIMESTAMP, OPT_IDS, OPT_LOCK_TIMEOUT, OPT_PRICES,
       OPT_RATIONALE, OPT_DISAGREEMENT, OPT_RAW };

static const struct option long_options[] = {
	{ "lock-timeout", required_argument, NULL, OPT_LOCK_TIMEOUT },
	{ "url",            required_argument, NULL, 'u' },
	{ "review",         required_argument, NULL, OPT_REVIEW },
	{ "notes",          required_argument, NULL, OPT_NOTES },
	{ "config",         required_argument, NULL, OPT_CONFIG },
	{ "uncertain",      required_argument, NULL, OPT_UNCERTAIN },
	{ "threshold",      required_argument, NULL, OPT_THRESHOLD },
	{ "prices",         required_argument, NULL, OPT_PRICES },
	{ "classification", required_argument, NULL, OPT_CLASSIFICATION },
	{ "what",           required_argument, NULL, OPT_WHAT },
	{ "format",         required_argument, NULL, OPT_FORMAT },
	{ "output",         required_argument, NULL, 'o' },
	{ "json",           no_argument,       NULL, OPT_JSON },
	{ "timestamp",      no_argument,       NULL, OPT_TIMESTAMP },
	{ "ids",            no_argument,       NULL, OPT_IDS },
	{ "rationale",      no_argument,       NULL, OPT_RATIONALE },
	{ "disagreement",   no_argument,       NULL, OPT_DISAGREEMENT },
	{ "raw",            no_argument,       NULL, OPT_RAW },
	{ "quiet",          no_argument,       NULL, 'q' },
	{ "help",           no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* -1: help printed (exit 0); 0: go on; else an exit code */
static int parse_opts(bm_opts *o, int argc, char **argv, const char *help)
{
	int c;

	memset(o, 0, sizeof(*o));
	optind = 0;	/* glibc: full re-initialisation */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "u:o:qh", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_LOCK_TIMEOUT:
			if (cli_parse_lock_timeout(optarg))
				return CLI_USAGE;
			break;
		case 'u': o->url = optarg; break;
		case OPT_REVIEW: o->review = optarg; break;
		case OPT_NOTES: o->notes = optarg; break;
		case OPT_CONFIG: o->config = optarg; break;
		case OPT_UNCERTAIN: o->uncertain = optarg; break;
		case OPT_THRESHOLD: o->threshold = optarg; break;
		case OPT_PRICES: o->prices = optarg; break;
		case OPT_CLASSIFICATION: o->classification = optarg; break;
		case OPT_WHAT: o->what = optarg; break;
		case OPT_FORMAT: o->format = optarg; break;
		case 'o':
			if (!*optarg)
				return cli_usage_error("%s: -o needs a file name ('-' for stdout)", argv[0]);
			o->output = optarg;
			break;
		case OPT_JSON: o->json = 1; break;
		case OPT_TIMESTAMP: o->timestamp = 1; break;
		case OPT_IDS: o->ids = 1; break;
		case OPT_RATIONALE: o->rationale = 1; break;
		case OPT_DISAGREEMENT: o->disagreement = 1; break;
		case OPT_RAW: o->raw = 1; break;
		case 'q': o->quiet = 1; break;
		case 'h':
			fputs(help, stdout);
			return -1;
		default:
			if (optopt && optopt < 256)
				return cli_usage_error("%s: unknown option or missing value '-%c' (see --help)",
						       argv[0], optopt);
			return cli_usage_error("%s: unknown option or missing value '%s' (see --help)",
					       argv[0], argv[optind - 1]);
		}
	}
	o->args = argv + optind;
	o->nargs = argc - optind;
	return 0;
}

/* exactly `n` positional arguments */
static int want_args(const bm_opts *o, int n, const char *cmd, const char *what)
{
	if (o->nargs != n)
		return cli_usage_error("benchmark %s: expected %s (see --help)", cmd, what);
	return 0;
}

/* text for people is escaped (cli_put_text); JSON is escaped as JSON already */
static int print_and_free(char *text, int json)
{
	if (json)
		fputs(text, stdout);
	else
		cli_put_text(text, strlen(text));
	if (text[0] && text[strlen(text) - 1] != '\n')
		fputc('\n', stdout);
	free(text);
	return fflush(stdout) == 0 ? CLI_OK : cli_fail("cannot write the output: %s", strerror(errno));
}

/* ---- run ------------------------------------------------------------------ */

static const char run_help[] =
	"usage: sra benchmark run --review ID [--notes TEXT] [--config JSON]\n"
	"                         [--uncertain include|exclude|error] [--threshold X]\n"
	"                         [--prices FILE] [--url URL] [-q] [--lock-timeout S]\n"
	"\n"
	"Score the AI screening of a review against its human decisions: one item\n"
	"per record, the final decision by the rule (resolver when the reviewers\n"
	"disagree, both are uncertain or a confidence is below the threshold),\n"
	"classification, counts and every metric, stored in one transaction.\n"
	"Prints the new run's id on stdout.\n"
	"\n"
	"  --review ID        the review (required)\n"
	"  --notes TEXT       run_notes\n"
	"  --config JSON      a JSON object kept in config_details\n"
	"  --uncertain P      uncertain final decisions count as include (default),\n"
	"                     exclude, or error (always wrong)\n"
	"  --threshold X      confidence below X needs the resolver (default 0.7)\n"
	"  --prices FILE      JSON prices in USD per million tokens, kept in\n"
	"                     config_details.prices: {\"MODEL\": {\"input_per_mtok\": 2.5,\n"
	"                     \"output_per_mtok\": 10}}; without them costs are null\n"
	"  -q, --quiet        print only the id (no summary on stderr)\n"
	"  --lock-timeout S   wait at most S seconds for a lock another writer holds (60)\n";

static void print_warning(void *payload, const char *message)
{
	(void)payload;
	fprintf(stderr, "sra: warning: %s\n", message);
}

/* a whole small file (the prices); NULL with the error printed */
static char *read_small_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t size = 0, n;
	char chunk[4096];

	if (!f) {
		cli_fail("cannot read the prices '%s': %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (size + n > (16u << 20)) {
			cli_fail("the prices '%s' are larger than 16 MiB", path);
			free(text);
			fclose(f);
			return NULL;
		}
		text = realloc(text, size + n + 1);
		if (!text)
			abort();
		memcpy(text + size, chunk, n);
		size += n;
	}
	if (ferror(f)) {
		cli_fail("cannot read the prices '%s': %s", path, strerror(errno));
		free(text);
		fclose(f);
		return NULL;
	}
	fclose(f);
	if (!text)
		text = calloc(1, 1);
	else
		text[size] = '\0';
	return text;
}

typedef struct {
	struct timespec t0;
	int shown;
} progress_state;

static int show_progress(void *payload, int64_t done, int64_t total)
{
	progress_state *p = payload;
	struct timespec t1;
	double secs, rate;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - p->t0.tv_sec) + (double)(t1.tv_nsec - p->t0.tv_nsec) / 1e9;
	rate = secs > 0 ? (double)done / secs : 0;
	fprintf(stderr, "\rbenchmark: %lld of %lld records (%3.0f%%), %.0f records/s, ETA %.0f s   ",
		(long long)done, (long long)total, total ? 100.0 * (double)done / (double)total : 100.0,
		rate, rate > 0 ? (double)(total - done) / rate : 0.0);
	p->shown = 1;
	return 0;
}

static int bm_run(int argc, char **argv)
{
	sra_benchmark_options bo = SRA_BENCHMARK_OPTIONS_INIT;
	progress_state ps = { { 0, 0 }, 0 };
	bm_opts o;
	sra_db *db = NULL;
	sra_confusion table;
	char *run = NULL, *prices = NULL;
	int rc;

	if ((rc = parse_opts(&o, argc, argv, run_help)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = want_args(&o, 0, "run", "no arguments")) != 0)
		return rc;
	if (!o.review)
		return cli_usage_error("benchmark run: --review ID is required");
	if (o.uncertain && sra_uncertain_policy_parse(&bo.uncertain, o.uncertain) < 0)
		return cli_error_lib(SRA_EINVALID);
	if (o.threshold && (rc = cli_parse_threshold(&bo.threshold, "benchmark run", o.threshold)) != 0)
		return rc;
	bo.review_id = o.review;
	bo.notes = o.notes;
	bo.config_json = o.config;
	bo.warn = print_warning;
	if (o.prices && !(prices = read_small_file(o.prices)))
		return CLI_USAGE;
	bo.prices_json = prices;
	if (isatty(STDERR_FILENO) && !o.quiet) {
		clock_gettime(CLOCK_MONOTONIC, &ps.t0);
		bo.progress = show_progress;
		bo.progress_payload = &ps;
	}
	if ((rc = cli_open_db(&db, o.url)) != CLI_OK) {
		free(prices);
		return rc;
	}
	rc = sra_benchmark_run(&run, db, &bo);
	if (ps.shown)
		fputc('\n', stderr);
	if (rc < 0) {
		rc = cli_error_lib(rc);
		goto done;
	}
	printf("%s\n", run);
	fflush(stdout);
	if (!o.quiet && sra_benchmark_counts(&table, db, run) == 0)	/* one line for people */
		fprintf(stderr, "sra: run %.8s completed: TP %lld, FP %lld, FN %lld, TN %lld "
			"('sra benchmark show %.8s' for the report)\n", run, (long long)table.tp,
			(long long)table.fp, (long long)table.fn, (long long)table.tn, run);
	rc = CLI_OK;
done:
	free(run);
	free(prices);
	sra_db_free(db);
	return rc;
}

/* ---- list, show, items, export, compare, delete -------------------------- */

static const char list_help[] =
	"usage: sra benchmark list [--review ID] [--json | --ids] [--url URL]\n"
	"\n"
	"The benchmark runs, newest first: id prefix, start, status, items,\n"
	"sensitivity, specificity, uncertain policy and notes.  --ids prints\n"
	"only their full ids, one per line (for scripts and shell completion).\n";

static int bm_list(int argc, char **argv)
{
	bm_opts o;
	sra_db *db = NULL;
	char *text = NULL;
	int rc;

	if ((rc = parse_opts(&o, argc, argv, list_help)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = want_args(&o, 0, "list", "no arguments")) != 0)
		return rc;
	if ((rc = cli_open_db_read(&db, o.url)) != CLI_OK)
		return rc;
	rc = sra_benchmark_list(&text, db, o.review, o.ids ? SRA_BENCHMARK_IDS
				: o.json ? SRA_BENCHMARK_JSON : SRA_BENCHMARK_TEXT);
	rc = rc < 0 ? cli_error_lib(rc) : print_and_free(text, o.json);
	sra_db_free(db);
	return rc;
}

static const char show_help[] =
	"usage: sra benchmark show RUN [--json] [--url URL]\n"
	"\n"
	"The report of a run (RUN: its id or a unique prefix): the confusion\n"
	"matrix, every metric with its 95% confidence interval, each reviewer,\n"
	"their agreement and the uncertain-policy analysis.  --json prints the run\n"
	"with config_details and metrics_detail.\n";

static int bm_show(int argc, char **argv)
{
	bm_opts o;
	sra_db *db = NULL;
	char *text = NULL;
	int rc;

	if ((rc = parse_opts(&o, argc, argv, show_help)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = want_args(&o, 1, "show", "one run id")) != 0)
		return rc;
	if ((rc = cli_open_db_read(&db, o.url)) != CLI_OK)
		return rc;
	rc = sra_benchmark_show(&text, db, o.args[0], o.json ? SRA_BENCHMARK_JSON : SRA_BENCHMARK_TEXT, 0);
	rc = rc < 0 ? cli_error_lib(rc) : print_and_free(text, o.json);
	sra_db_free(db);
	return rc;
}

static const char items_help[] =
	"usage: sra benchmark items RUN [--classification LIST] [--disagreement]\n"
	"                               [--rationale] [--json] [--url URL]\n"
	"\n"
	"The items of a run, by source id.  --classification FP,FN keeps those\n"
	"classes (TP, FP, FN, TN, UNKNOWN).  --disagreement keeps the items whose\n"
	"two reviewers both decided and decided differently (uncertain counts as a\n"
	"decision; an item a reviewer did not decide is left out); with\n"
	"--classification both must hold.  --rationale adds each reviewer's\n"
	"rationale, quotes and exclusion reasons, in full (under each row of the\n"
	"table; as fields with --json).  The table shortens titles; --json and\n"
	"'sra benchmark export' give them whole.\n";

/* the filter and rationale options shared by items and export; 0 or an exit code */
static int items_options(sra_items_options *io, const bm_opts *o)
{
	int rc;

	if (o->classification && (rc = sra_benchmark_parse_classes(&io->classes, o->classification)) < 0)
		return cli_error_lib(rc);
	io->disagreement = o->disagreement;
	io->rationale = o->rationale;
	io->raw = o->raw;
	return 0;
}

static int bm_items(int argc, char **argv)
{
	sra_items_options io = SRA_ITEMS_OPTIONS_INIT;
	bm_opts o;
	sra_db *db = NULL;
	int rc;

	if ((rc = parse_opts(&o, argc, argv, items_help)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = want_args(&o, 1, "items", "one run id")) != 0)
		return rc;
	if (o.raw)
		return cli_usage_error("benchmark items: --raw applies to CSV ('sra benchmark export')");
	if ((rc = items_options(&io, &o)) != 0)
		return rc;
	if ((rc = cli_open_db_read(&db, o.url)) != CLI_OK)
		return rc;
	rc = sra_benchmark_items_opt(db, o.args[0], &io, o.json ? SRA_BENCHMARK_JSON : SRA_BENCHMARK_TEXT,
				     o.json ? cli_write_stdout : cli_write_text, NULL);
	if (rc < 0)
		rc = cli_error_lib(rc);
	else if (fflush(stdout) != 0)
		rc = cli_fail("cannot write the output: %s", strerror(errno));
	sra_db_free(db);
	return rc;
}

static const char export_help[] =
	"usage: sra benchmark export RUN --what items|summary [--format csv|json|xlsx]\n"
	"                            [--classification LIST] [--disagreement]\n"
	"                            [--rationale] [--raw] [-o FILE] [--url URL]\n"
	"       sra benchmark export RUN --format ris [-o FILE] [--url URL]\n"
	"\n"
	"Export a run, full text, to stdout or (atomically) to FILE.  Items CSV:\n"
	"search_result_source_id, title, human_decision, conservative_decision,\n"
	"conservative_confidence, comprehensive_decision, comprehensive_confidence,\n"
	"resolver_decision, resolver_confidence, final_decision, classification;\n"
	"--rationale adds conservative_rationale, conservative_quotes,\n"
	"conservative_exclusion_reasons, the same three for comprehensive, and\n"
	"resolver_rationale (quotes and reasons as JSON text).  --classification\n"
	"and --disagreement filter the items as in 'sra benchmark items'.\n"
	"Summary CSV: metric, value, ci_low, ci_high.  The format defaults to csv.\n"
	"CSV text cells starting with = + - @, a tab or a CR get a leading ' so a\n"
	"spreadsheet shows them as text; --raw writes them as stored (numbers are\n"
	"never prefixed).  xlsx: a workbook with one sheet, numbers as numbers,\n"
	"text as strings; it needs -o FILE or a redirected stdout, not a terminal.\n"
	"RIS: the run's records with the classification (N1 sra:TP), the human and\n"
	"AI decisions in N1, for a reference manager; `sra import records` reads it.\n";

static int bm_export(int argc, char **argv)
{
	sra_items_options io = SRA_ITEMS_OPTIONS_INIT;
	bm_opts o;
	sra_db *db = NULL;
	sra_export_what what;
	sra_benchmark_format fmt = SRA_BENCHMARK_CSV;
	int rc, to_stdout;

	if ((rc = parse_opts(&o, argc, argv, export_help)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = want_args(&o, 1, "export", "one run id")) != 0)
		return rc;
	if (!o.what && o.format && strcmp(o.format, "ris") == 0)
		o.what = "items";
	if (!o.what)
		return cli_usage_error("benchmark export: --what items|summary is required");
	if (strcmp(o.what, "items") == 0)
		what = SRA_EXPORT_ITEMS;
	else if (strcmp(o.what, "summary") == 0)
		what = SRA_EXPORT_SUMMARY;
	else
		return cli_usage_error("benchmark export: --what is items or summary, not '%s'", o.what);
	if (o.json || (o.format && strcmp(o.format, "json") == 0))
		fmt = SRA_BENCHMARK_JSON;
	else if (o.format && strcmp(o.format, "ris") == 0 && what == SRA_EXPORT_ITEMS)
		fmt = SRA_BENCHMARK_RIS;
	else if (o.format && strcmp(o.format, "xlsx") == 0)
		fmt = SRA_BENCHMARK_XLSX;
	else if (o.format && strcmp(o.format, "csv") != 0)
		return cli_usage_error("benchmark export: --format is csv, json or xlsx (items also ris), not '%s'",
				       o.format);
	if (o.raw && fmt != SRA_BENCHMARK_CSV)
		return cli_usage_error("benchmark export: --raw applies to CSV only (JSON and XLSX are never changed)");
	if ((o.classification || o.disagreement || o.rationale) && (what != SRA_EXPORT_ITEMS || fmt == SRA_BENCHMARK_RIS))
		return cli_usage_error("benchmark export: --classification, --disagreement and --rationale apply to "
				       "items as csv, json or xlsx");
	to_stdout = !o.output || strcmp(o.output, "-") == 0;
	if (fmt == SRA_BENCHMARK_XLSX && to_stdout && isatty(STDOUT_FILENO))
		return cli_usage_error("benchmark export: an xlsx workbook is not for a terminal; give -o FILE "
				       "or redirect stdout");
	if ((rc = items_options(&io, &o)) != 0)
		return rc;
	if ((rc = cli_open_db_read(&db, o.url)) != CLI_OK)
		return rc;
	if (!to_stdout)
		rc = sra_benchmark_export_file_opt(db, o.args[0], what, fmt, &io, o.output);
	else
		rc = sra_benchmark_export_opt(db, o.args[0], what, fmt, &io, cli_write_stdout, NULL);
	if (rc < 0)
		rc = cli_error_lib(rc);
	else if (fflush(stdout) != 0)
		rc = cli_fail("cannot write the output: %s", strerror(errno));
	sra_db_free(db);
	return rc;
}

static const char compare_help[] =
	"usage: sra benchmark compare RUN_A RUN_B [RUN...] [--json] [--url URL]\n"
	"\n"
	"A leaderboard of runs of one review: each run's settings (config_details\n"
	"keys as columns), its table and every metric with its 95% CI, and an exact\n"
	"McNemar test (two-sided, binomial on the discordant pairs) of each run\n"
	"against RUN_A on the records both decided with a known human decision,\n"
	"the p-values Holm-adjusted.  Runs of different reviews are refused.\n";

static int bm_compare(int argc, char **argv)
{
	bm_opts o;
	sra_db *db = NULL;
	char *text = NULL;
	int rc;

	if ((rc = parse_opts(&o, argc, argv, compare_help)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (o.nargs < 2)
		return cli_usage_error("benchmark compare: expected two or more run ids (see --help)");
	if ((rc = cli_open_db_read(&db, o.url)) != CLI_OK)
		return rc;
	rc = sra_benchmark_compare(&text, db, (const char *const *)o.args, (size_t)o.nargs,
				   o.json ? SRA_BENCHMARK_JSON : SRA_BENCHMARK_TEXT);
	rc = rc < 0 ? cli_error_lib(rc) : print_and_free(text, o.json);
	sra_db_free(db);
	return rc;
}

static const char report_help[] =
	"usage: sra benchmark report RUN [RUN...] [-o FILE] [--timestamp] [--url URL]\n"
	"\n"
	"One self-contained HTML page (to stdout, or atomically to FILE): the\n"
	"review, each run's settings, the 2x2 tables, a forest plot of every metric\n"
	"with its 95% interval, agreement, the uncertain policies, calibration,\n"
	"usage, with several runs (of one review) the leaderboard, and every false\n"
	"negative and positive with the reviewers' rationales.  The data is\n"
	"embedded as JSON (id sra-report-data).  The page holds no clock reading\n"
	"unless --timestamp: the same data gives the same page.\n";

static int bm_report(int argc, char **argv)
{
	sra_report_options ro = SRA_REPORT_OPTIONS_INIT;
	bm_opts o;
	sra_db *db = NULL;
	const char *const *runs;
	int rc;

	if ((rc = parse_opts(&o, argc, argv, report_help)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (o.nargs < 1)
		return cli_usage_error("benchmark report: expected one or more run ids (see --help)");
	if ((rc = cli_open_db_read(&db, o.url)) != CLI_OK)
		return rc;
	ro.timestamp = o.timestamp;
	runs = (const char *const *)o.args;
	if (o.output && strcmp(o.output, "-") != 0)
		rc = sra_benchmark_report_file(db, runs, (size_t)o.nargs, &ro, o.output);
	else
		rc = sra_benchmark_report(db, runs, (size_t)o.nargs, &ro, cli_write_stdout, NULL);
	if (rc < 0)
		rc = cli_error_lib(rc);
	else if (fflush(stdout) != 0)
		rc = cli_fail("cannot write the output: %s", strerror(errno));
	sra_db_free(db);
	return rc;
}

static const char delete_help[] =
	"usage: sra benchmark delete RUN [--url URL] [-q] [--lock-timeout S]\n"
	"\n"
	"Delete a run and its items.\n"
	"\n"
	"  --lock-timeout S  wait at most S seconds for a lock another writer holds (60)\n";

static int bm_delete(int argc, char **argv)
{
	bm_opts o;
	sra_db *db = NULL;
	char *id = NULL;
	int rc;

	if ((rc = parse_opts(&o, argc, argv, delete_help)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = want_args(&o, 1, "delete", "one run id")) != 0)
		return rc;
	if ((rc = cli_open_db(&db, o.url)) != CLI_OK)
		return rc;
	if ((rc = sra_benchmark_find(&id, db, o.args[0])) == 0)
		rc = sra_benchmark_delete(db, id);
	if (rc < 0) {
		rc = cli_error_lib(rc);
	} else {
		if (!o.quiet)
			fprintf(stderr, "sra: deleted benchmark run %s\n", id);
		rc = CLI_OK;
	}
	free(id);
	sra_db_free(db);
	return rc;
}

static int bm_help(int argc, char **argv);

static const cli_command commands[] = {
	{ "run",     bm_run,     "Score a review's AI screening against its human decisions" },
	{ "list",    bm_list,    "List the runs" },
	{ "show",    bm_show,    "The report of one run" },
	{ "items",   bm_items,   "The items of a run (--classification FP,FN)" },
	{ "export",  bm_export,  "Export items or the summary as CSV or JSON" },
	{ "compare", bm_compare, "A leaderboard of runs, with McNemar's exact test" },
	{ "report",  bm_report,  "One HTML page of one or more runs, with figures" },
	{ "delete",  bm_delete,  "Delete a run and its items" },
	{ "help",    bm_help,    "Print this help" },
	{ NULL, NULL, NULL }
};

static int bm_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("usage: sra benchmark COMMAND [ARGS]\n\n");
	cli_print_commands("sra benchmark", commands);
	printf("\nRUN is a run id or a unique prefix of it (at least 4 characters).\n"
	       "'sra benchmark COMMAND --help' describes each.\n");
	return CLI_OK;
}

int cmd_benchmark(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return bm_help(argc - 1, argv + 1);
	return cli_dispatch("sra benchmark", commands, argc, argv);
}
