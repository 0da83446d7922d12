/*
 * `sra demo [--records N] [--seed S] [--url URL]`: a synthetic review in
 * the configured database (the embedded SQLite file by default), a
 * benchmark run over it and its report (benchmark.md, last paragraph).
 * A fresh database is brought to head first.  The same seed gives the same
 * output, byte for byte: ids come from the seed, and the report leaves out
 * wall-clock times.
 *
 * It ends by writing the run's HTML report (sra benchmark report) to
 * demo-report.html in the current directory and printing its path.
 *
 * --no-run makes only the review (for bench/bench_benchmark.sh).
 */
#include "cli.h"
#include "cmd_benchmark.h"

#include <sra/benchmark.h>
#include <sra/migrate.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEMO_REPORT "demo-report.html"

static const char demo_help[] =
	"usage: sra demo [--records N] [--seed S] [--url URL] [--lock-timeout S]\n"
	"\n"
	"Make a synthetic review -- N records (default 500) with human labels\n"
	"(about 20% included), two simulated AI reviewers with known error rates\n"
	"and confidences, a resolver for the records they leave open -- run a\n"
	"benchmark over it and show the report.  The same seed (default 1) gives\n"
	"the same review, run and report; a demo of that seed made earlier in the\n"
	"same database is replaced.  A database without any revision is brought to\n"
	"head first.  The run's HTML report, with figures, is written to\n"
	"demo-report.html in the current directory.\n"
	"\n"
	"  --records N   records to make (1 to 100000000)\n"
	"  --seed S      the seed (0 to 2^64-1)\n"
	"  --url URL     the database (default: see 'sra help')\n"
	"  --lock-timeout S  wait at most S seconds for a lock another writer holds (60)\n";

/* a fresh database goes to head; one at another revision is the user's to upgrade */
static int ensure_head(sra_db *db)
{
	sra_migrate_options mo = SRA_MIGRATE_OPTIONS_INIT;
	sra_strarray current = { NULL, 0 }, heads = { NULL, 0 };
	sra_chain *chain = NULL;
	int error;

	if ((error = sra_chain_load(&chain, NULL)) < 0 ||
	    (error = sra_migrate_current(&current, db)) < 0 ||
	    (error = sra_chain_heads(&heads, chain)) < 0) {
		error = cli_error_lib(error);
		goto done;
	}
	if (current.count == 0) {
		fprintf(stderr, "sra: the database is empty: bringing it to head first\n");
		if ((error = sra_migrate_upgrade(db, chain, "head", &mo)) < 0)
			error = cli_error_lib(error);
	} else if (heads.count != 1 || current.count != 1 ||
		   strcmp(current.strings[0], heads.strings[0]) != 0) {
		error = cli_fail("the database is not at head ('sra db upgrade head' first)");
	}
done:
	sra_strarray_dispose(&current);
	sra_strarray_dispose(&heads);
	sra_chain_free(chain);
	return error;
}

int cmd_demo(int argc, char **argv)
{
	enum { OPT_RECORDS = 256, OPT_SEED, OPT_NO_RUN, OPT_LOCK_TIMEOUT };
	static const struct option longopts[] = {
		{ "records", required_argument, NULL, OPT_RECORDS },
		{ "seed",    required_argument, NULL, OPT_SEED },
		{ "url",     required_argument, NULL, 'u' },
		{ "lock-timeout", required_argument, NULL, OPT_LOCK_TIMEOUT },
		{ "no-run",  no_argument,       NULL, OPT_NO_RUN },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	sra_demo_options dopts = SRA_DEMO_OPTIONS_INIT;
	sra_benchmark_options bo = SRA_BENCHMARK_OPTIONS_INIT;
	const char *url = NULL;
	sra_db *db = NULL;
	char *review = NULL, *run = NULL, *report = NULL, *end;
	int c, rc, no_run = 0;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "u:h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_RECORDS:
			errno = 0;
			dopts.records = strtoll(optarg, &end, 10);
			if (!*optarg || *end || errno || dopts.records < 1 || dopts.records > 100000000)
				return cli_usage_error("demo: --records must be a whole number from 1 to 100000000");
			break;
		case OPT_SEED:
			errno = 0;
			dopts.seed = strtoull(optarg, &end, 10);
			if (!*optarg || *end || errno || optarg[0] == '-')
				return cli_usage_error("demo: --seed must be a whole number from 0 to 2^64-1");
			break;
		case OPT_LOCK_TIMEOUT:
			if (cli_parse_lock_timeout(optarg))
				return CLI_USAGE;
			break;
		case 'u':
			url = optarg;
			break;
		case OPT_NO_RUN:
			no_run = 1;
			break;
		case 'h':
			fputs(demo_help, stdout);
			return CLI_OK;
		default:
			return cli_usage_error("demo: unknown option or missing value '%s' (see --help)",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("demo: unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open_db(&db, url)) != CLI_OK)
		return rc;
	if ((rc = ensure_head(db)) != 0)
		goto done;
	if ((rc = sra_demo_create(&review, &run, db, &dopts)) < 0) {
		rc = cli_error_lib(rc);
		goto done;
	}
	printf("Demo review %s: %" PRId64 " synthetic records (seed %" PRIu64 ")\n",
	       review, dopts.records, dopts.seed);
	if (no_run) {
		rc = CLI_OK;
		goto done;
	}
	bo.review_id = review;
	bo.run_id = run;
	bo.notes = "sra demo";
	/* list prices of the kind the demo's simulated models would have (USD per million tokens) */
	bo.prices_json = "{\"demo-conservative-1\": {\"input_per_mtok\": 0.15, \"output_per_mtok\": 0.6},"
			 " \"demo-comprehensive-1\": {\"input_per_mtok\": 2.5, \"output_per_mtok\": 10},"
			 " \"demo-resolver-1\": {\"input_per_mtok\": 3, \"output_per_mtok\": 15}}";
	if ((rc = sra_benchmark_run(NULL, db, &bo)) < 0 ||
	    (rc = sra_benchmark_show(&report, db, run, SRA_BENCHMARK_TEXT, SRA_SHOW_NO_TIMES)) < 0) {
		rc = cli_error_lib(rc);
		goto done;
	}
	printf("\n$ sra benchmark show %.8s\n", run);
	fputs(report, stdout);
	{
		/* the page of figures, next to the database's user: the current directory */
		const char *runs[1] = { run };
		char cwd[4096];

		if ((rc = sra_benchmark_report_file(db, runs, 1, NULL, DEMO_REPORT)) < 0) {
			rc = cli_error_lib(rc);
			goto done;
		}
		if (getcwd(cwd, sizeof(cwd)))
			printf("\nThe report with figures: %s/%s\n", strcmp(cwd, "/") ? cwd : "", DEMO_REPORT);
		else
			printf("\nThe report with figures: %s\n", DEMO_REPORT);
	}
	rc = fflush(stdout) == 0 ? CLI_OK : cli_fail("cannot write the output: %s", strerror(errno));
done:
	free(report);
	free(review);
	free(run);
	sra_db_free(db);
	return rc;
}
