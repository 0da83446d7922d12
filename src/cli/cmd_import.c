/*
 * `sra import records | decisions`: records with human decisions (CSV, TSV,
 * XLSX) and AI decisions (JSON Lines, CSV) into a review (benchmark.md,
 * "Getting data in").  The summary goes to stderr (stdout with --json);
 * progress is shown only when stderr is a terminal.
 */
#include "cli.h"
#include "cmd_import.h"

#include <sra/import.h>

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum { OPT_REVIEW = 256, OPT_MAP, OPT_HUMAN, OPT_SOURCE_DB, OPT_SHEET, OPT_SKIP_INVALID, OPT_FORMAT, OPT_DECISION, OPT_LOCK_TIMEOUT, OPT_THRESHOLD };

static const struct option long_options[] = {
	{ "review",       required_argument, NULL, OPT_REVIEW },
	{ "map",          required_argument, NULL, OPT_MAP },
	{ "human",        required_argument, NULL, OPT_HUMAN },
	{ "source-db",    required_argument, NULL, OPT_SOURCE_DB },
	{ "sheet",        required_argument, NULL, OPT_SHEET },
	{ "skip-invalid", no_argument,       NULL, OPT_SKIP_INVALID },
	{ "format",       required_argument, NULL, OPT_FORMAT },
	{ "decision",     required_argument, NULL, OPT_DECISION },
	{ "lock-timeout", required_argument, NULL, OPT_LOCK_TIMEOUT },
	{ "threshold",    required_argument, NULL, OPT_THRESHOLD },
	{ "url",          required_argument, NULL, 'u' },
	{ "json",         no_argument,       NULL, 'j' },
	{ "quiet",        no_argument,       NULL, 'q' },
	{ "help",         no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static const char records_help[] =
	"usage: sra import records --review ID FILE [--map FIELD=COLUMN]... [--human COLUMN]\n"
	"                          [--decision include|exclude] [--source-db DB] [--sheet NAME]\n"
	"                          [--skip-invalid] [--format csv|tsv|xlsx|ris|medline]\n"
	"                          [--json] [-q] [--url URL] [--lock-timeout S]\n\n"
	"Import bibliographic records with the human title/abstract decision from a\n"
	"CSV, TSV, XLSX, RIS or MEDLINE (.nbib) file (found from the content).\n"
	"Spreadsheets: headers are matched without regard to case:\n"
	"source_id/key/record_id/id/pmid/pubmed_id, title, abstract, doi, journal,\n"
	"year/publication_year, authors, keywords, source_db, and the decision:\n"
	"human_decision, 'Included after T&A screen', label_abstract_screening,\n"
	"label_included, included (else Rayyan's RAYYAN-INCLUSION in a notes column).\n"
	"Decisions: Y/yes/true/1/include(d), N/no/false/0/exclude(d), empty/NA/unknown.\n"
	"The records end at the first row with an empty source id.  RIS and MEDLINE:\n"
	"every record is kept; the decision comes from --decision, else from asreview's\n"
	"ASReview_relevant/irrelevant/not_seen or Rayyan's RAYYAN-INCLUSION in N1.\n"
	"An upsert on (review, source_db, source_id): the same file twice changes\n"
	"nothing.  All or nothing, unless --skip-invalid.\n\n"
	"  --map F=C       take field F (source_id, title, abstract, doi, journal, year,\n"
	"                  authors, keywords, human_decision, source_db) from column C\n"
	"  --human C       the human decision's column\n"
	"  --decision D    include or exclude: every record of the file (asreview's\n"
	"                  included.ris and excluded.ris)\n"
	"  --source-db DB  PubMed, Scopus, Embase, Other or benchmark_csv, when the file\n"
	"                  does not say (default: PubMed for pmid_… or digits; RIS: Other)\n"
	"  --sheet NAME    XLSX: the sheet (default: the first)\n"
	"  --skip-invalid  import the valid rows and list the others\n"
	"  --json          the summary as JSON on stdout\n"
	"  -q              no summary\n"
	"  --lock-timeout S  wait at most S seconds for a lock another writer holds\n"
	"                  (60); after 1 s it says who holds it\n";

static const char decisions_help[] =
	"usage: sra import decisions --review ID FILE [--threshold X] [--skip-invalid] [--json] [-q]\n"
	"                            [--url URL] [--lock-timeout S]\n\n"
	"Import AI decisions, one per line of a JSON Lines file (or per row of a CSV\n"
	"with the same column names):\n"
	"  {\"source_id\": \"…\", \"reviewer\": \"conservative\"|\"comprehensive\"|\"resolver\",\n"
	"   \"decision\": \"include\"|\"exclude\"|\"uncertain\", \"confidence\": 0.0-1.0,\n"
	"   \"rationale\", \"model\", \"quotes\", \"exclusion_reasons\", \"trace_id\", \"run_id\",\n"
	"   \"start_time\", \"end_time\", \"response_metadata\"}\n"
	"Each is linked from its record; then the final decision of every record of\n"
	"the review is recomputed (the rule of sra benchmark run).  All or nothing,\n"
	"unless --skip-invalid.  An impossible start_time or end_time (2024-02-31,\n"
	"hour 25, offset +99:99) is refused naming its line.\n\n"
	"  --threshold X     a reviewer confidence below X needs the resolver (default 0.7)\n"
	"  --skip-invalid    import the valid lines and list the others\n"
	"  --lock-timeout S  wait at most S seconds for a lock another writer holds\n"
	"                    (60); after 1 s it says who holds it\n";

typedef struct im_opts {
	sra_import_options io;
	const char *review, *url;
	int json, quiet;
	const char **map;
	size_t nmap;
	char **args;
	int nargs;
	double start;
} im_opts;

static int parse(im_opts *o, int argc, char **argv, const char *help)
{
	sra_import_options init = SRA_IMPORT_OPTIONS_INIT;
	int c;

	memset(o, 0, sizeof(*o));
	o->io = init;
	o->map = calloc((size_t)argc + 1, sizeof(*o->map));
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "u:jqh", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_REVIEW: o->review = optarg; break;
		case OPT_MAP: o->map[o->nmap++] = optarg; break;
		case OPT_HUMAN: o->io.human_column = optarg; break;
		case OPT_SOURCE_DB: o->io.source_db = optarg; break;
		case OPT_SHEET: o->io.sheet = optarg; break;
		case OPT_SKIP_INVALID: o->io.skip_invalid = 1; break;
		case OPT_FORMAT:
			if (strcasecmp(optarg, "csv") == 0)
				o->io.format = SRA_IMPORT_CSV;
			else if (strcasecmp(optarg, "tsv") == 0)
				o->io.format = SRA_IMPORT_TSV;
			else if (strcasecmp(optarg, "xlsx") == 0)
				o->io.format = SRA_IMPORT_XLSX;
			else if (strcasecmp(optarg, "jsonl") == 0)
				o->io.format = SRA_IMPORT_JSONL;
			else if (strcasecmp(optarg, "ris") == 0)
				o->io.format = SRA_IMPORT_RIS;
			else if (strcasecmp(optarg, "medline") == 0 || strcasecmp(optarg, "nbib") == 0)
				o->io.format = SRA_IMPORT_MEDLINE;
			else
				return cli_usage_error("import %s: --format must be csv, tsv, xlsx, ris, medline or jsonl", argv[0]);
			break;
		case OPT_DECISION:
			if (strcasecmp(optarg, "include") != 0 && strcasecmp(optarg, "exclude") != 0)
				return cli_usage_error("import %s: --decision must be include or exclude", argv[0]);
			o->io.decision = optarg;
			break;
		case OPT_LOCK_TIMEOUT:
			if (cli_parse_lock_timeout(optarg))
				return CLI_USAGE;
			break;
		case OPT_THRESHOLD: {
			int rc;

			if (help != decisions_help)
				return cli_usage_error("import %s: --threshold is an option of import decisions", argv[0]);
			if ((rc = cli_parse_threshold(&o->io.threshold, "import decisions", optarg)) != 0)
				return rc;
			break;
		}
		case 'u': o->url = optarg; break;
		case 'j': o->json = 1; break;
		case 'q': o->quiet = 1; break;
		case 'h': fputs(help, stdout); return -1;
		case ':':
			return cli_usage_error("import %s: option '%s' needs a value", argv[0], argv[optind - 1]);
		default:
			return cli_usage_error("import %s: unknown option '%s' (see --help)", argv[0], argv[optind - 1]);
		}
	}
	o->io.map = o->nmap ? o->map : NULL;
	o->args = argv + optind;
	o->nargs = argc - optind;
	if (!o->review)
		return cli_usage_error("import %s: --review ID is required", argv[0]);
	if (o->nargs != 1)
		return cli_usage_error("import %s: one FILE expected", argv[0]);
	return 0;
}

/* "12,345" */
static void commas(char *out, size_t size, uint64_t v)
{
	char tmp[32];
	size_t n, i, o = 0;

	snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
	n = strlen(tmp);
	for (i = 0; i < n && o + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = tmp[i];
	}
	out[o] = '\0';
}

static void on_progress(const sra_import_progress *p, void *payload)
{
	char rows[32];
	double rate = p->elapsed_s > 0 ? (double)p->rows / p->elapsed_s : 0;

	(void)payload;
	commas(rows, sizeof(rows), p->rows);
	fprintf(stderr, "\r\033[K%s rows, %.0f rows/s", rows, rate);
	if (p->bytes_total && p->bytes_done && p->bytes_done <= p->bytes_total) {
		double frac = (double)p->bytes_done / (double)p->bytes_total;
		double eta = frac > 0 ? p->elapsed_s * (1 - frac) / frac : 0;
		fprintf(stderr, ", %.0f%%, ETA %.0fs", frac * 100, eta);
	}
	fflush(stderr);
}

static void print_summary(const im_opts *o, const sra_import_summary *s, int records)
{
	uint64_t i;

	if (o->json) {
		json_t *obj = json_object(), *probs = json_array();
		json_object_set_new(obj, "file", json_string(o->args[0]));
		json_object_set_new(obj, "format", json_string(sra_import_format_name(s->format)));
		json_object_set_new(obj, "inserted", json_integer((json_int_t)s->inserted));
		json_object_set_new(obj, "updated", json_integer((json_int_t)s->updated));
		json_object_set_new(obj, "unchanged", json_integer((json_int_t)s->unchanged));
		json_object_set_new(obj, "invalid", json_integer((json_int_t)s->invalid));
		if (records) {
			json_object_set_new(obj, "ignored", json_integer((json_int_t)s->ignored));
			json_object_set_new(obj, "end_line", s->end_line ? json_integer((json_int_t)s->end_line) : json_null());
			json_object_set_new(obj, "source_id_column", s->source_id_column ? json_string(s->source_id_column) : json_null());
			json_object_set_new(obj, "human_column", s->human_column ? json_string(s->human_column) : json_null());
			json_object_set_new(obj, "untitled", json_integer((json_int_t)s->untitled));
			json_object_set_new(obj, "generated_ids", json_integer((json_int_t)s->generated_ids));
		}
		for (i = 0; i < s->invalid; i++)
			json_array_append_new(probs, json_pack("{s:I, s:s}", "line", (json_int_t)s->problems[i].line,
							       "message", s->problems[i].message));
		json_object_set_new(obj, "problems", probs);
		json_dumpf(obj, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(obj);
	}
	if (o->quiet)
		return;
	for (i = 0; i < s->invalid; i++)
		fprintf(stderr, "skipped: %s\n", s->problems[i].message);
	if (records && s->ignored)
		fprintf(stderr, "note: the records end at line %zu (empty %s); %llu non-empty row%s from there on ignored\n",
			s->end_line, s->source_id_column ? s->source_id_column : "source id",
			(unsigned long long)s->ignored, s->ignored == 1 ? "" : "s");
	if (records && s->untitled)
		fprintf(stderr, "note: %llu record%s without a title (kept with title '')\n",
			(unsigned long long)s->untitled, s->untitled == 1 ? "" : "s");
	if (records && s->generated_ids)
		fprintf(stderr, "note: %llu record%s without an identifier got a content id (<file name>#<position>)\n",
			(unsigned long long)s->generated_ids, s->generated_ids == 1 ? "" : "s");
	if (records && !s->human_column && !o->io.decision)
		fprintf(stderr, "note: no human decision column: every record's human decision is unknown (see --human, --decision)\n");
	fprintf(stderr, "inserted %llu, updated %llu, unchanged %llu, invalid %llu\n",
		(unsigned long long)s->inserted, (unsigned long long)s->updated,
		(unsigned long long)s->unchanged, (unsigned long long)s->invalid);
}

static int run(int argc, char **argv, int records)
{
	sra_import_summary sum = SRA_IMPORT_SUMMARY_INIT;
	im_opts o;
	sra_db *db = NULL;
	int rc, error, progress;

	if ((rc = parse(&o, argc, argv, records ? records_help : decisions_help)) != 0) {
		rc = rc < 0 ? CLI_OK : rc;
		goto done;
	}
	if ((rc = cli_open_db(&db, o.url)) != 0)
		goto done;
	progress = !o.quiet && isatty(STDERR_FILENO);
	if (progress) {
		o.io.progress = on_progress;
		o.io.payload = &o;
	}
	error = records ? sra_import_records(&sum, db, o.review, o.args[0], &o.io)
			: sra_import_decisions(&sum, db, o.review, o.args[0], &o.io);
	if (progress)
		fputs("\r\033[K", stderr);
	if (error < 0) {
		rc = cli_error_lib(error);	/* all or nothing: the one line says why */
		goto done;
	}
	print_summary(&o, &sum, records);
	rc = CLI_OK;
done:
	sra_import_summary_dispose(&sum);
	sra_db_free(db);
	free(o.map);
	return rc;
}

static int cmd_records(int argc, char **argv) { return run(argc, argv, 1); }
static int cmd_decisions(int argc, char **argv) { return run(argc, argv, 0); }

static const cli_command import_commands[] = {
	{ "records",   cmd_records,   "Records with human decisions (CSV, TSV, XLSX, RIS, MEDLINE)" },
	{ "decisions", cmd_decisions, "AI decisions (JSON Lines, CSV)" },
	{ NULL, NULL, NULL }
};

int cmd_import(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: sra import COMMAND --review ID FILE [OPTIONS]\n\n");
		cli_print_commands("sra import", import_commands);
		return CLI_OK;
	}
	return cli_dispatch("import", import_commands, argc, argv);
}
