/*
 * `sra review create | import | list | show`: review protocols
 * (benchmark.md, "Getting data in").  `create` and `import` print the
 * review's id alone on stdout, so a script can capture it.
 */
#include "cli.h"
#include "cmd_import.h"

#include <sra/review.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_QUESTION = 256, OPT_EXCLUSION, OPT_INCLUSION, OPT_BACKGROUND, OPT_FRAMEWORK, OPT_ANSWERS, OPT_ID, OPT_LOCK_TIMEOUT, OPT_THRESHOLD };

static const struct option long_options[] = {
	{ "question",   required_argument, NULL, OPT_QUESTION },
	{ "exclusion",  required_argument, NULL, OPT_EXCLUSION },
	{ "inclusion",  required_argument, NULL, OPT_INCLUSION },
	{ "background", required_argument, NULL, OPT_BACKGROUND },
	{ "framework",  required_argument, NULL, OPT_FRAMEWORK },
	{ "answers",    required_argument, NULL, OPT_ANSWERS },
	{ "id",         required_argument, NULL, OPT_ID },
	{ "lock-timeout", required_argument, NULL, OPT_LOCK_TIMEOUT },
	{ "threshold",  required_argument, NULL, OPT_THRESHOLD },
	{ "url",        required_argument, NULL, 'u' },
	{ "json",       no_argument,       NULL, 'j' },
	{ "quiet",      no_argument,       NULL, 'q' },
	{ "help",       no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

typedef struct rv_opts {
	sra_review_fields f;
	const char *url;
	const char *threshold;		/* recompute */
	int json, quiet;
	char **args;
	int nargs;
} rv_opts;

/* -1: help printed; 0: go on; else an exit code */
static int parse(rv_opts *o, int argc, char **argv, const char *help)
{
	sra_review_fields init = SRA_REVIEW_FIELDS_INIT;
	int c;

	memset(o, 0, sizeof(*o));
	o->f = init;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "u:jqh", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_QUESTION: o->f.research_question = optarg; break;
		case OPT_EXCLUSION: o->f.exclusion_criteria = optarg; break;
		case OPT_INCLUSION: o->f.inclusion_criteria = optarg; break;
		case OPT_BACKGROUND: o->f.background = optarg; break;
		case OPT_FRAMEWORK: o->f.criteria_framework = optarg; break;
		case OPT_ANSWERS: o->f.criteria_framework_answers = optarg; break;
		case OPT_ID: o->f.id = optarg; break;
		case OPT_LOCK_TIMEOUT:
			if (cli_parse_lock_timeout(optarg))
				return CLI_USAGE;
			break;
		case OPT_THRESHOLD: o->threshold = optarg; break;
		case 'u': o->url = optarg; break;
		case 'j': o->json = 1; break;
		case 'q': o->quiet = 1; break;
		case 'h': fputs(help, stdout); return -1;
		case ':':
			return cli_usage_error("review %s: option '%s' needs a value", argv[0], argv[optind - 1]);
		default:
			return cli_usage_error("review %s: unknown option '%s' (see --help)", argv[0], argv[optind - 1]);
		}
	}
	o->args = argv + optind;
	o->nargs = argc - optind;
	if (o->threshold && strcmp(argv[0], "recompute") != 0)
		return cli_usage_error("review %s: --threshold is an option of review recompute", argv[0]);
	return 0;
}

static const char create_help[] =
	"usage: sra review create --question TEXT --exclusion TEXT [--inclusion TEXT]\n"
	"                         [--background TEXT] [--framework PICO] [--answers JSON]\n"
	"                         [--id UUID] [--url URL] [-q] [--lock-timeout S]\n\n"
	"Create a review and print its id on stdout.\n\n"
	"  --framework F   ECLIPSE, PEO, PICO, PICOS, PICOT, PICOS/T, SPIDER or SPICE\n"
	"  --answers JSON  the framework's answers, a JSON object\n"
	"  --id UUID       the review's id (default: a new random one)\n"
	"  -q              print only the id\n"
	"  --lock-timeout S  wait at most S seconds for a lock another writer holds (60)\n";

static int cmd_create(int argc, char **argv)
{
	rv_opts o;
	sra_db *db = NULL;
	char *id = NULL;
	int rc, error;

	if ((rc = parse(&o, argc, argv, create_help)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (o.nargs)
		return cli_usage_error("review create: unexpected argument '%s'", o.args[0]);
	if (!o.f.research_question)
		return cli_usage_error("review create: --question is required");
	if (!o.f.exclusion_criteria)
		return cli_usage_error("review create: --exclusion is required");
	if ((rc = cli_open_db(&db, o.url)) != 0)
		return rc;
	if ((error = sra_review_create(&id, db, &o.f)) < 0) {
		rc = cli_error_lib(error);
		goto done;
	}
	printf("%s\n", id);
	if (!o.quiet)
		fprintf(stderr, "created review %s\n", id);
	rc = CLI_OK;
done:
	free(id);
	sra_db_free(db);
	return rc;
}

static const char import_help[] =
	"usage: sra review import PROTOCOL.json [--url URL] [-q] [--lock-timeout S]\n\n"
	"Insert or update (by \"id\") the review described by a JSON object with the\n"
	"keys id, research_question, exclusion_criteria, inclusion_criteria,\n"
	"background, criteria_framework, criteria_framework_answers, review_metadata\n"
	"(or create's option names: question, exclusion, inclusion, framework,\n"
	"answers).  Importing the same file again changes nothing.  Prints the id.\n\n"
	"  --lock-timeout S  wait at most S seconds for a lock another writer holds (60)\n";

static int cmd_rimport(int argc, char **argv)
{
	static const char *const what[] = { "unchanged", "created", "updated" };
	rv_opts o;
	sra_db *db = NULL;
	char *id = NULL;
	int rc, error, changed = 0;

	if ((rc = parse(&o, argc, argv, import_help)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (o.nargs != 1)
		return cli_usage_error("review import: one PROTOCOL.json file expected");
	if ((rc = cli_open_db(&db, o.url)) != 0)
		return rc;
	if ((error = sra_review_import_file(&id, &changed, db, o.args[0])) < 0) {
		rc = cli_error_lib(error);
		goto done;
	}
	printf("%s\n", id);
	if (!o.quiet)
		fprintf(stderr, "review %s %s\n", id, what[changed]);
	rc = CLI_OK;
done:
	free(id);
	sra_db_free(db);
	return rc;
}

/* "LABEL value[ value2]\n", the values escaped (cli_put_text) */
static void show_line(const char *label, const char *v, const char *v2)
{
	fputs(label, stdout);
	cli_put_text(v ? v : "", v ? strlen(v) : 0);
	if (v2) {
		putchar(' ');
		cli_put_text(v2, strlen(v2));
	}
	putchar('\n');
}

static const char list_help[] =
	"usage: sra review list [--json] [--url URL]\n\n"
	"The reviews, oldest first, with their number of records.\n";

static int cmd_list(int argc, char **argv)
{
	rv_opts o;
	sra_db *db = NULL;
	sra_review_list *list = NULL;
	char *text = NULL;
	size_t i;
	int rc, error;

	if ((rc = parse(&o, argc, argv, list_help)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (o.nargs)
		return cli_usage_error("review list: unexpected argument '%s'", o.args[0]);
	if ((rc = cli_open_db_read(&db, o.url)) != 0)
		return rc;
	if ((error = sra_review_list_new(&list, db)) < 0) {
		rc = cli_error_lib(error);
		goto done;
	}
	if (o.json) {
		json_t *a = json_array();
		for (i = 0; i < sra_review_list_count(list); i++) {
			const sra_review *r = sra_review_byindex(list, i);
			const char *fw = sra_review_framework(r);
			json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:I, s:s}",
				"id", sra_review_id(r),
				"research_question", sra_review_question(r),
				"criteria_framework", fw ? json_string(fw) : json_null(),
				"records", (json_int_t)sra_review_count(r, SRA_REVIEW_RECORDS),
				"created_at", sra_review_created_at(r)));
		}
		json_dumpf(a, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(a);
	} else {
		if ((error = sra_review_list_format(&text, list)) < 0) {
			rc = cli_error_lib(error);
			goto done;
		}
		cli_put_text(text, strlen(text));	/* questions from the database, escaped */
	}
	rc = CLI_OK;
done:
	free(text);
	sra_review_list_free(list);
	sra_db_free(db);
	return rc;
}

static const char show_help[] =
	"usage: sra review show ID [--json] [--url URL]\n\n"
	"One review: its protocol and how many records, screened records and human\n"
	"decisions it has.\n";

static json_t *json_or_text(const char *s)
{
	json_t *j;

	if (!s)
		return json_null();
	j = json_loads(s, JSON_DECODE_ANY, NULL);
	return j ? j : json_string(s);
}

static int cmd_show(int argc, char **argv)
{
	static const sra_review_count_kind counts[] = { SRA_REVIEW_RECORDS, SRA_REVIEW_SCREENED,
		SRA_REVIEW_HUMAN_INCLUDE, SRA_REVIEW_HUMAN_EXCLUDE, SRA_REVIEW_HUMAN_UNKNOWN };
	static const char *const count_labels[] = { "records", "screened", "human_include", "human_exclude",
						    "human_unknown" };
	rv_opts o;
	sra_db *db = NULL;
	sra_review *r = NULL;
	size_t i;
	int rc, error;

	if ((rc = parse(&o, argc, argv, show_help)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (o.nargs != 1)
		return cli_usage_error("review show: one review id expected");
	if ((rc = cli_open_db_read(&db, o.url)) != 0)
		return rc;
	if ((error = sra_review_get(&r, db, o.args[0])) < 0) {
		rc = cli_error_lib(error);
		goto done;
	}
	if (o.json) {
		const struct { const char *label; const char *value; } text[] = {
			{ "id", sra_review_id(r) },
			{ "research_question", sra_review_question(r) },
			{ "exclusion_criteria", sra_review_exclusion(r) },
			{ "inclusion_criteria", sra_review_inclusion(r) },
			{ "background", sra_review_background(r) },
			{ "criteria_framework", sra_review_framework(r) },
		};
		json_t *obj = json_object();
		for (i = 0; i < sizeof(text) / sizeof(text[0]); i++)
			json_object_set_new(obj, text[i].label, text[i].value ? json_string(text[i].value) : json_null());
		json_object_set_new(obj, "criteria_framework_answers", json_or_text(sra_review_framework_answers(r)));
		json_object_set_new(obj, "review_metadata", json_or_text(sra_review_metadata(r)));
		json_object_set_new(obj, "created_at", json_string(sra_review_created_at(r)));
		json_object_set_new(obj, "updated_at", sra_review_updated_at(r)
				    ? json_string(sra_review_updated_at(r)) : json_null());
		for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
			json_object_set_new(obj, count_labels[i], json_integer(sra_review_count(r, counts[i])));
		json_dumpf(obj, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(obj);
	} else {
		show_line("review      ", sra_review_id(r), NULL);
		show_line("question    ", sra_review_question(r), NULL);
		show_line("exclusion   ", sra_review_exclusion(r), NULL);
		if (sra_review_inclusion(r))
			show_line("inclusion   ", sra_review_inclusion(r), NULL);
		if (sra_review_background(r))
			show_line("background  ", sra_review_background(r), NULL);
		if (sra_review_framework(r))
			show_line("framework   ", sra_review_framework(r), sra_review_framework_answers(r));
		printf("created     %s\n", sra_review_created_at(r));
		printf("records     %" PRId64 " (screened by AI: %" PRId64 ")\n", sra_review_count(r, SRA_REVIEW_RECORDS),
		       sra_review_count(r, SRA_REVIEW_SCREENED));
		printf("human       include %" PRId64 ", exclude %" PRId64 ", unknown %" PRId64 "\n",
		       sra_review_count(r, SRA_REVIEW_HUMAN_INCLUDE), sra_review_count(r, SRA_REVIEW_HUMAN_EXCLUDE),
		       sra_review_count(r, SRA_REVIEW_HUMAN_UNKNOWN));
	}
	rc = CLI_OK;
done:
	sra_review_free(r);
	sra_db_free(db);
	return rc;
}

static const char recompute_help[] =
	"usage: sra review recompute ID [--threshold X] [--json] [-q] [--url URL]\n\n"
	"Recompute the stored final decision (search_results.final_decision) of every\n"
	"record of the review that has an AI decision, by the rule of sra benchmark\n"
	"run, in one transaction; print how many changed.\n\n"
	"  --threshold X   a reviewer confidence below X needs the resolver (default 0.7)\n";

static int cmd_recompute(int argc, char **argv)
{
	rv_opts o;
	sra_db *db = NULL;
	double threshold = 0.7;
	int64_t changed = 0;
	int rc, error;

	if ((rc = parse(&o, argc, argv, recompute_help)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (o.nargs != 1)
		return cli_usage_error("review recompute: one review id expected");
	if (o.threshold && (rc = cli_parse_threshold(&threshold, "review recompute", o.threshold)) != 0)
		return rc;
	if ((rc = cli_open_db(&db, o.url)) != 0)
		return rc;
	if ((error = sra_review_recompute(&changed, db, o.args[0], threshold)) < 0) {
		rc = cli_error_lib(error);
		goto done;
	}
	if (o.json)
		printf("{\"changed\": %" PRId64 "}\n", changed);
	else if (!o.quiet)
		printf("%" PRId64 " final decision%s changed\n", changed, changed == 1 ? "" : "s");
	rc = CLI_OK;
done:
	sra_db_free(db);
	return rc;
}

static const cli_command review_commands[] = {
	{ "create", cmd_create,  "Create a review; print its id" },
	{ "import", cmd_rimport, "Insert or update a review from a protocol JSON file" },
	{ "list",   cmd_list,    "List the reviews" },
	{ "show",   cmd_show,    "Show one review" },
	{ "recompute", cmd_recompute, "Recompute the stored final decisions of a review's records" },
	{ NULL, NULL, NULL }
};

int cmd_review(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: sra review COMMAND [ARGS]\n\n");
		cli_print_commands("sra review", review_commands);
		return CLI_OK;
	}
	return cli_dispatch("review", review_commands, argc, argv);
}
