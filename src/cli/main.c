/*
 * sra: the command-line front of libsra.  Setup, then dispatch on the
 * first word (curl's tool_main.c).
 */
#include "cli.h"
#include "cmd_benchmark.h"
#include "cmd_import.h"

#include <stdio.h>
#include <string.h>

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const cli_command commands[] = {
	{ "db",      cmd_db,      "Migrate and inspect the database (upgrade, downgrade, current, ...)" },
	{ "review",  cmd_review,  "Create, import, list and show review protocols" },
	{ "import",  cmd_import,  "Import records with human decisions, or AI decisions" },
	{ "benchmark", cmd_benchmark, "Run, show, export and compare benchmark runs" },
	{ "metrics", cmd_metrics, "Accuracy and agreement statistics of a 2x2 table" },
	{ "demo",    cmd_demo,    "A synthetic review, benchmarked and shown" },
	{ "version", cmd_version, "Print the version" },
	{ "help",    cmd_help,    "Print this help" },
	{ NULL, NULL, NULL }
};

/*
 * sra's version, then SQLite's (linked) and libpq's when it is loaded.  libpq
 * is loaded on the first PostgreSQL URL, never for --version (start-up
 * time): `sra version --libpq` loads it to tell.
 */
static int cmd_version(int argc, char **argv)
{
	int load = 0, v;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--libpq") != 0))
		return cli_usage_error("usage: sra version [--libpq]");
	load = argc == 2;
	printf("sra %s\nSQLite %s\n", sra_version(), sra_db_sqlite_version());
	if ((v = sra_db_libpq_version(load)) > 0)
		printf("libpq %d.%d\n", v / 10000, v % 10000);
	else if (load)
		printf("libpq not installed (apt-get install libpq5)\n");
	return CLI_OK;
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("usage: sra COMMAND [ARGS]\n\n"
	       "sra keeps the screening schema of an AI-assisted systematic review and\n"
	       "benchmarks its screening against human decisions, on PostgreSQL or an\n"
	       "embedded SQLite file.\n\n");
	cli_print_commands("sra", commands);
	printf("\nThe database: --url URL, else the variable ENVIRONMENT chooses\n"
	       "(test: TEST_DATABASE_URL; dev, local, prototype, prod, production:\n"
	       "SRA_DATABASE_URL), else SRA_DATABASE_URL, else sqlite:///sra.db.\n"
	       "Unset variables are read from .env.<ENVIRONMENT> and .env.\n\n"
	       "Exit codes: 0 ok, 1 failure or drift, 2 usage, 3 migration chain conflict.\n"
	       "'sra db --help' lists the migration commands.\n");
	return CLI_OK;
}

int main(int argc, char **argv)
{
	int rc;

	if (argc < 2)
		return cmd_help(argc, argv) == CLI_OK ? CLI_USAGE : CLI_USAGE;
	cli_set_app_name(argc, argv);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		rc = cmd_version(argc - 1, argv + 1);
	else if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		rc = cmd_help(argc - 1, argv + 1);
	else
		rc = cli_dispatch("sra", commands, argc, argv);
	/* every command that prints: a failed write (> /dev/full) is a failure */
	return cli_finish_stdout(rc);
}
