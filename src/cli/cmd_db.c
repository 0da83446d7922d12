/*
 * `sra db …`: the migration commands (migrations.md, "Commands").
 * Each command parses its options, opens what it needs through libsra and
 * prints; all the work is in the library.
 */
#include "cli.h"
#include <sra/catalog.h>

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* the options every `sra db` command accepts (not all use all of them) */
typedef struct db_opts {
	const char *url;
	const char *migrations;
	const char *message;
	int quiet, json, sql, atomic, verbose, yes;
	int lock_timeout_ms, ddl_lock_timeout_ms;
	char **args;		/* positional arguments (into argv) */
	int nargs;
	char **argv;		/* owned copy of the command's argv, permuted by getopt */
	int argc;
} db_opts;

enum { OPT_SQL = 256, OPT_ATOMIC, OPT_LOCK_TIMEOUT, OPT_DDL_LOCK_TIMEOUT, OPT_MIGRATIONS };

static const struct option long_options[] = {
	{ "url",              required_argument, NULL, 'u' },
	{ "migrations",       required_argument, NULL, OPT_MIGRATIONS },
	{ "message",          required_argument, NULL, 'm' },
	{ "quiet",            no_argument,       NULL, 'q' },
	{ "json",             no_argument,       NULL, 'j' },
	{ "sql",              no_argument,       NULL, OPT_SQL },
	{ "atomic",           no_argument,       NULL, OPT_ATOMIC },
	{ "lock-timeout",     required_argument, NULL, OPT_LOCK_TIMEOUT },
	{ "ddl-lock-timeout", required_argument, NULL, OPT_DDL_LOCK_TIMEOUT },
	{ "verbose",          no_argument,       NULL, 'v' },
	{ "yes",              no_argument,       NULL, 'y' },
	{ "help",             no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int parse_seconds(int *out_ms, const char *opt, const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (!*s || *end || v < 0 || v > 86400)
		return cli_usage_error("%s: '%s' is not a number of seconds (0 to 86400)", opt, s);
	*out_ms = (int)(v * 1000 + 0.5);
	return 0;
}

/*
 * Parse options (they may come before or after the positional arguments).
 * A target like "-1" is a positional argument, not an option: it is hidden
 * from getopt behind a \001 byte and restored afterwards.  Returns -1 when
 * help was printed (exit 0), 0 to go on, or an exit code.
 */
static int parse_opts(db_opts *o, int argc, char **argv, const char *help)
{
	int c, i;

	memset(o, 0, sizeof(*o));
	o->lock_timeout_ms = 60000;
	o->ddl_lock_timeout_ms = 5000;
	o->migrations = getenv("SRA_MIGRATIONS_DIR");
	if (o->migrations && !*o->migrations)
		o->migrations = NULL;
	o->argv = calloc((size_t)argc + 1, sizeof(char *));
	o->argc = argc;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (i > 0 && a[0] == '-' && a[1] >= '0' && a[1] <= '9' && strspn(a + 1, "0123456789") == strlen(a + 1)) {
			size_t n = strlen(a);
			o->argv[i] = malloc(n + 2);
			o->argv[i][0] = '\001';
			memcpy(o->argv[i] + 1, a, n + 1);
		} else {
			o->argv[i] = strdup(a);
		}
	}
	optind = 0;	/* glibc: full re-initialisation */
	opterr = 0;
	while ((c = getopt_long(argc, o->argv, "u:m:qjvyh", long_options, NULL)) != -1) {
		switch (c) {
		case 'u': o->url = optarg; break;
		case OPT_MIGRATIONS: o->migrations = optarg; break;
		case 'm': o->message = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'j': o->json = 1; break;
		case OPT_SQL: o->sql = 1; break;
		case OPT_ATOMIC: o->atomic = 1; break;
		case 'v': o->verbose = 1; break;
		case 'y': o->yes = 1; break;
		case OPT_LOCK_TIMEOUT:
			if (parse_seconds(&o->lock_timeout_ms, "--lock-timeout", optarg))
				return CLI_USAGE;
			break;
		case OPT_DDL_LOCK_TIMEOUT:
			if (parse_seconds(&o->ddl_lock_timeout_ms, "--ddl-lock-timeout", optarg))
				return CLI_USAGE;
			break;
		case 'h':
			fputs(help, stdout);
			return -1;
		case ':':
			return cli_usage_error("%s: option '%s' needs a value", argv[0], o->argv[optind - 1]);
		default:
			if (optopt && optopt < 256)
				return cli_usage_error("%s: unknown option '-%c' (see --help)", argv[0], optopt);
			return cli_usage_error("%s: unknown option '%s' (see --help)", argv[0], o->argv[optind - 1]);
		}
	}
	o->args = o->argv + optind;
	o->nargs = argc - optind;
	for (i = 0; i < o->nargs; i++)
		if (o->args[i][0] == '\001')
			memmove(o->args[i], o->args[i] + 1, strlen(o->args[i]));
	return 0;
}

static void opts_dispose(db_opts *o)
{
	int i;

	for (i = 0; o->argv && i < o->argc; i++)
		free(o->argv[i]);
	free(o->argv);
	o->argv = NULL;
}

/* ---- shared set-up ------------------------------------------------------- */

/* what a command has opened; released by ctx_dispose */
typedef struct db_ctx {
	char *url;		/* resolved URL (secret: never printed as is) */
	char *masked;		/* printable */
	char *environment;	/* "" when unset */
	sra_chain *chain;
	sra_db *db;
} db_ctx;

static void ctx_dispose(db_ctx *c)
{
	sra_db_free(c->db);
	sra_chain_free(c->chain);
	free(c->url);
	free(c->masked);
	free(c->environment);
	memset(c, 0, sizeof(*c));
}

enum { NEED_CHAIN = 1, NEED_DB = 2, READ_ONLY = 4 };	/* READ_ONLY: a missing SQLite file is not created */

/*
 * Resolve the URL and load or open what `need` asks for and `c` does not
 * have yet, so a command can resolve first, confirm, and open after.  `c`
 * starts zeroed; ctx_dispose releases it.
 */
static int ctx_open(db_ctx *c, const db_opts *o, int need)
{
	sra_resolve_options ro = SRA_RESOLVE_OPTIONS_INIT;
	int error;

	ro.url = o->url;
	if (!c->url) {
		if ((error = sra_db_resolve_url(&c->url, &c->environment, &ro)) < 0)
			return cli_error_lib(error);
		c->masked = sra_db_mask_url(c->url);
	}
	if ((need & NEED_CHAIN) && !c->chain && (error = sra_chain_load(&c->chain, o->migrations)) < 0)
		return cli_error_lib(error);
	if ((need & NEED_DB) && !c->db) {
		sra_open_options oo = SRA_OPEN_OPTIONS_INIT;
		oo.busy_timeout_ms = o->lock_timeout_ms;
		oo.lock_timeout_ms = o->lock_timeout_ms;	/* PostgreSQL: no statement waits forever */
		oo.must_exist = (need & READ_ONLY) != 0;
		oo.application_name = cli_app_name;
		oo.lock_wait = cli_lock_wait;
		oo.lock_wait_payload = (void *)&o->lock_timeout_ms;	/* read only */
		if ((error = sra_db_open(&c->db, c->url, &oo)) < 0)
			return cli_error_lib(error);
	}
	return 0;
}

static int is_head(const sra_chain *chain, const char *id)
{
	sra_strarray heads;
	size_t i;
	int found = 0;

	sra_chain_heads(&heads, chain);
	for (i = 0; i < heads.count; i++)
		found |= strcmp(heads.strings[i], id) == 0;
	sra_strarray_dispose(&heads);
	return found;
}

/*
 * Production guard: in prototype, prod and production, a command that can
 * lose data asks on a terminal, and needs --yes otherwise.
 */
static int confirm(const db_ctx *c, const db_opts *o, const char *what)
{
	char answer[16];

	if (o->yes)
		return 0;
	if (strcmp(c->environment, "prototype") != 0 && strcmp(c->environment, "prod") != 0 &&
	    strcmp(c->environment, "production") != 0)
		return 0;
	if (!isatty(STDIN_FILENO))
		return cli_usage_error("ENVIRONMENT=%s: %s on %s needs --yes when not run from a terminal",
				       c->environment, what, c->masked);
	fprintf(stderr, "ENVIRONMENT=%s: %s on %s. Type 'yes' to go on: ", c->environment, what, c->masked);
	if (!fgets(answer, sizeof(answer), stdin) || strncmp(answer, "yes", 3) != 0)
		return cli_fail("not confirmed; nothing was changed");
	return 0;
}

/*
 * No unasked data loss, in every environment: a downgrade (or a stamp below
 * the current revision) that drops tables holding rows asks on a terminal
 * and needs --yes otherwise.
 */
static int confirm_loss(const db_ctx *c, const db_opts *o, const char *what, const char *target)
{
	sra_strarray lost = { NULL, 0 };
	char *list;
	char answer[16];
	size_t i, len = 0;
	int error, rc = 0;

	if (o->yes)
		return 0;
	if ((error = sra_migrate_loss(&lost, c->db, c->chain, target)) < 0)
		return cli_error_lib(error);
	if (!lost.count)
		return 0;
	for (i = 0; i < lost.count; i++)
		len += strlen(lost.strings[i]) + 2;
	if (!(list = calloc(1, len + 1))) {
		sra_strarray_dispose(&lost);
		return cli_fail("out of memory");
	}
	for (i = 0; i < lost.count; i++) {
		if (i)
			strcat(list, ", ");
		strcat(list, lost.strings[i]);
	}
	if (!isatty(STDIN_FILENO)) {
		rc = cli_usage_error("%s to %s would drop tables holding rows: %s; add --yes to go on",
				     what, target, list);
	} else {
		fprintf(stderr, "%s to %s drops tables holding rows: %s. Type 'yes' to go on: ",
			what, target, list);
		if (!fgets(answer, sizeof(answer), stdin) || strncmp(answer, "yes", 3) != 0)
			rc = cli_fail("not confirmed; nothing was changed");
	}
	free(list);
	sra_strarray_dispose(&lost);
	return rc;
}

static void print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(j);
}

/* ---- upgrade / downgrade -------------------------------------------------- */

static void on_progress(const sra_migrate_event *ev, void *payload)
{
	const db_opts *o = payload;

	if (o->quiet)
		return;
	if (!ev->done)
		fprintf(stderr, "Running %s %s -> %s, %s\n", ev->upgrade ? "upgrade" : "downgrade",
			*ev->from ? ev->from : "base", *ev->to ? ev->to : "base", ev->message);
	else if (o->verbose)
		fprintf(stderr, "  done in %.1f ms\n", ev->duration_ms);
}

static const char upgrade_help[] =
	"usage: sra db upgrade [TARGET] [--sql] [--atomic] [--url URL] [-q] [--lock-timeout S]\n\n"
	"Apply migrations up to TARGET (default head): head, heads, a revision id or\n"
	"unique prefix, +N, REV+N.  Each revision and its version change commit\n"
	"together; --atomic runs the whole plan in one transaction.\n\n"
	"  --sql                print the statements instead of running them (offline;\n"
	"                       FROM:TO sets the start, the dialect comes from --url)\n"
	"  --lock-timeout S     wait at most S seconds for another migrator or writer (60)\n"
	"  --ddl-lock-timeout S PostgreSQL lock_timeout for the DDL (5; 0 = none)\n"
	"  --migrations DIR     run the revision files in DIR instead of the built-in chain\n";

static const char downgrade_help[] =
	"usage: sra db downgrade TARGET [--sql] [--atomic] [--yes] [--url URL] [-q]\n"
	"                         [--lock-timeout S]\n\n"
	"Revert migrations down to TARGET: -N, REV-N, a revision, or base.\n"
	"With --sql the start must be given: FROM:TO.  In ENVIRONMENT prototype, prod\n"
	"or production it asks for confirmation, or needs --yes.\n\n"
	"  --lock-timeout S     wait at most S seconds for another migrator or writer (60)\n"
	"  --ddl-lock-timeout S PostgreSQL lock_timeout for the DDL (5; 0 = none)\n";

static int migrate_cmd(int argc, char **argv, int upgrade)
{
	sra_migrate_options mo = SRA_MIGRATE_OPTIONS_INIT;
	db_opts o;
	db_ctx c;
	const char *target;
	int rc, error;

	memset(&c, 0, sizeof(c));
	if ((rc = parse_opts(&o, argc, argv, upgrade ? upgrade_help : downgrade_help)) != 0)
		goto done;
	if (o.nargs > 1) {
		rc = cli_usage_error("%s: one target expected, got %d", argv[0], o.nargs);
		goto done;
	}
	if (!upgrade && o.nargs == 0) {
		rc = cli_usage_error("downgrade: a target is needed (-1, a revision, or base)");
		goto done;
	}
	target = o.nargs ? o.args[0] : "head";
	mo.atomic = o.atomic;
	mo.lock_timeout_ms = o.lock_timeout_ms;
	mo.ddl_lock_timeout_ms = o.ddl_lock_timeout_ms;
	mo.progress = on_progress;
	mo.payload = &o;

	if (o.sql) {
		const char *dialect, *colon = strchr(target, ':');
		char *from = NULL, *script = NULL;

		if ((rc = ctx_open(&c, &o, NEED_CHAIN)))
			goto done;
		if ((error = sra_db_dialect_of_url(&dialect, c.url)) < 0) {
			rc = cli_error_lib(error);
			goto done;
		}
		if (colon) {
			from = strndup(target, (size_t)(colon - target));
			target = colon + 1;
		}
		error = sra_migrate_script(&script, c.chain, dialect, upgrade, from, target, &mo);
		free(from);
		if (error < 0) {
			rc = cli_error_lib(error);
			goto done;
		}
		fputs(script, stdout);
		free(script);
		rc = CLI_OK;
		goto done;
	}
	if ((rc = ctx_open(&c, &o, NEED_CHAIN)))
		goto done;
	if (!upgrade && (rc = confirm(&c, &o, "downgrade")))
		goto done;
	if ((rc = ctx_open(&c, &o, NEED_CHAIN | NEED_DB)))
		goto done;
	if (!upgrade && (rc = confirm_loss(&c, &o, "downgrade", target)))
		goto done;
	error = upgrade ? sra_migrate_upgrade(c.db, c.chain, target, &mo)
			: sra_migrate_downgrade(c.db, c.chain, target, &mo);
	rc = error < 0 ? cli_error_lib(error) : CLI_OK;
done:
	ctx_dispose(&c);
	opts_dispose(&o);
	return rc < 0 ? CLI_OK : rc;
}

static int cmd_upgrade(int argc, char **argv) { return migrate_cmd(argc, argv, 1); }
static int cmd_downgrade(int argc, char **argv) { return migrate_cmd(argc, argv, 0); }

/* ---- current ----------------------------------------------------------------- */

static const char current_help[] =
	"usage: sra db current [--json] [--url URL] [-q]\n\n"
	"The revision(s) in the database and whether each is a head; warns about\n"
	"applied revisions whose file changed since (see sra db repair).\n";

static int cmd_current(int argc, char **argv)
{
	sra_strarray cur = { NULL, 0 }, edited = { NULL, 0 };
	db_opts o;
	db_ctx c;
	size_t i;
	int rc, error;

	memset(&c, 0, sizeof(c));
	if ((rc = parse_opts(&o, argc, argv, current_help)) != 0)
		goto done;
	if ((rc = ctx_open(&c, &o, NEED_CHAIN | NEED_DB | READ_ONLY)))
		goto done;
	if ((error = sra_migrate_current(&cur, c.db)) < 0 ||
	    (error = sra_migrate_edited(&edited, c.db, c.chain)) < 0) {
		rc = cli_error_lib(error);
		goto done;
	}
	if (o.json) {
		json_t *j = json_object(), *a = json_array(), *e = json_array();
		int all_heads = cur.count > 0;
		for (i = 0; i < cur.count; i++) {
			json_array_append_new(a, json_string(cur.strings[i]));
			all_heads &= is_head(c.chain, cur.strings[i]);
		}
		for (i = 0; i < edited.count; i++)
			json_array_append_new(e, json_string(edited.strings[i]));
		json_object_set_new(j, "url", json_string(c.masked));
		json_object_set_new(j, "dialect", json_string(sra_db_dialect(c.db)));
		json_object_set_new(j, "current", a);
		json_object_set_new(j, "is_head", json_boolean(all_heads));
		json_object_set_new(j, "edited", e);
		print_json(j);
	} else {
		/* revisions are text from the database: control characters escaped */
		for (i = 0; i < cur.count; i++) {
			cli_put_text(cur.strings[i], strlen(cur.strings[i]));
			printf("%s\n", is_head(c.chain, cur.strings[i]) ? " (head)" : "");
		}
		if (!cur.count && !o.quiet)
			fprintf(stderr, "sra: %s is at base (no revision applied)\n", c.masked);
		for (i = 0; i < edited.count; i++) {
			fputs("sra: warning: applied revision ", stderr);
			cli_eput_text(edited.strings[i]);
			fputs(" was edited since it ran (checksum differs)\n", stderr);
		}
	}
	rc = CLI_OK;
done:
	sra_strarray_dispose(&cur);
	sra_strarray_dispose(&edited);
	ctx_dispose(&c);
	opts_dispose(&o);
	return rc < 0 ? CLI_OK : rc;
}

/* ---- history / heads / show ----------------------------------------------------- */

static const char history_help[] =
	"usage: sra db history [-v] [--json]\n\nThe chain, newest first.\n";
static const char heads_help[] =
	"usage: sra db heads [--json]\n\nThe revisions nothing builds on.\n";
static const char show_help[] =
	"usage: sra db show REV [--json] [--url URL]\n\n"
	"One revision in full: header, and the SQL of each direction for the\n"
	"dialect of the configured database.\n";

static char *parents_label(const sra_revision *rev)
{
	size_t i, n = sra_revision_parent_count(rev), len = 1;
	char *s;

	for (i = 0; i < n; i++)
		len += strlen(sra_revision_parent(rev, i)) + 2;
	s = calloc(1, len + 8);
	if (!n)
		strcpy(s, "<base>");
	for (i = 0; i < n; i++) {
		if (i)
			strcat(s, ", ");
		strcat(s, sra_revision_parent(rev, i));
	}
	return s;
}

static json_t *revision_json(const sra_chain *chain, const sra_revision *rev)
{
	json_t *j = json_object(), *p = json_array();
	size_t i;

	json_object_set_new(j, "revision", json_string(sra_revision_id(rev)));
	for (i = 0; i < sra_revision_parent_count(rev); i++)
		json_array_append_new(p, json_string(sra_revision_parent(rev, i)));
	json_object_set_new(j, "down_revision", p);
	json_object_set_new(j, "message", json_string(sra_revision_message(rev)));
	json_object_set_new(j, "created", json_string(sra_revision_created(rev)));
	json_object_set_new(j, "path", json_string(sra_revision_path(rev)));
	json_object_set_new(j, "is_head", json_boolean(is_head(chain, sra_revision_id(rev))));
	json_object_set_new(j, "transactional", json_boolean(sra_revision_transactional(rev)));
	return j;
}

static int cmd_history(int argc, char **argv)
{
	db_opts o;
	db_ctx c;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	if ((rc = parse_opts(&o, argc, argv, history_help)) != 0)
		goto done;
	if ((rc = ctx_open(&c, &o, NEED_CHAIN)))
		goto done;
	if (o.json) {
		json_t *a = json_array();
		for (i = sra_chain_count(c.chain); i-- > 0;)
			json_array_append_new(a, revision_json(c.chain, sra_chain_at(c.chain, i)));
		print_json(a);
		goto done;
	}
	for (i = sra_chain_count(c.chain); i-- > 0;) {
		const sra_revision *rev = sra_chain_at(c.chain, i);
		char *parents = parents_label(rev);
		if (o.verbose) {
			printf("Rev: %s%s\nParent: %s\nPath: %s\nCreated: %s\n\n    %s\n\n",
			       sra_revision_id(rev), is_head(c.chain, sra_revision_id(rev)) ? " (head)" : "",
			       parents, sra_revision_path(rev), sra_revision_created(rev),
			       sra_revision_message(rev));
		} else {
			printf("%s -> %s%s, %s\n", parents, sra_revision_id(rev),
			       is_head(c.chain, sra_revision_id(rev)) ? " (head)" : "", sra_revision_message(rev));
		}
		free(parents);
	}
done:
	ctx_dispose(&c);
	opts_dispose(&o);
	return rc < 0 ? CLI_OK : rc;
}

static int cmd_heads(int argc, char **argv)
{
	sra_strarray heads = { NULL, 0 };
	db_opts o;
	db_ctx c;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	if ((rc = parse_opts(&o, argc, argv, heads_help)) != 0)
		goto done;
	if ((rc = ctx_open(&c, &o, NEED_CHAIN)))
		goto done;
	sra_chain_heads(&heads, c.chain);
	if (o.json) {
		json_t *a = json_array();
		for (i = 0; i < heads.count; i++)
			json_array_append_new(a, json_string(heads.strings[i]));
		print_json(a);
	} else {
		for (i = 0; i < heads.count; i++)
			printf("%s (head)\n", heads.strings[i]);
	}
done:
	sra_strarray_dispose(&heads);
	ctx_dispose(&c);
	opts_dispose(&o);
	return rc < 0 ? CLI_OK : rc;
}

static int cmd_show(int argc, char **argv)
{
	const sra_revision *rev;
	const char *dialect = "postgresql";
	char *up = NULL, *down = NULL;
	db_opts o;
	db_ctx c;
	int rc, error;

	memset(&c, 0, sizeof(c));
	if ((rc = parse_opts(&o, argc, argv, show_help)) != 0)
		goto done;
	if (o.nargs != 1) {
		rc = cli_usage_error("show: one revision expected");
		goto done;
	}
	if ((rc = ctx_open(&c, &o, NEED_CHAIN)))
		goto done;
	if ((error = sra_chain_lookup(&rev, c.chain, o.args[0])) < 0) {
		rc = cli_error_lib(error);
		goto done;
	}
	if (sra_db_dialect_of_url(&dialect, c.url) < 0)
		dialect = "postgresql";
	up = sra_revision_sql(rev, 1, dialect);
	down = sra_revision_sql(rev, 0, dialect);
	if (o.json) {
		json_t *j = revision_json(c.chain, rev);
		json_object_set_new(j, "dialect", json_string(dialect));
		json_object_set_new(j, "upgrade", json_string(up));
		json_object_set_new(j, "downgrade", json_string(down));
		print_json(j);
	} else {
		char *parents = parents_label(rev);
		printf("Rev: %s%s\nParent: %s\nPath: %s\nCreated: %s\nTransactional: %s\n\n    %s\n\n"
		       "-- +upgrade (%s)\n%s-- +downgrade (%s)\n%s",
		       sra_revision_id(rev), is_head(c.chain, sra_revision_id(rev)) ? " (head)" : "",
		       parents, sra_revision_path(rev), sra_revision_created(rev),
		       sra_revision_transactional(rev) ? "yes" : "no", sra_revision_message(rev),
		       dialect, up, dialect, down);
		free(parents);
	}
done:
	free(up);
	free(down);
	ctx_dispose(&c);
	opts_dispose(&o);
	return rc < 0 ? CLI_OK : rc;
}

/* ---- stamp / repair ----------------------------------------------------------- */

static const char stamp_help[] =
	"usage: sra db stamp REV [--yes] [--url URL] [--lock-timeout S]\n\n"
	"Set the version table to REV (head, heads, base, a revision, or several\n"
	"joined by ',') without running any migration: for adopting a database.\n\n"
	"  --lock-timeout S  wait at most S seconds for another migrator or writer (60)\n";
static const char repair_help[] =
	"usage: sra db repair [--url URL] [--lock-timeout S]\n\n"
	"Accept edits to applied migration files: record their current checksums.\n\n"
	"  --lock-timeout S  wait at most S seconds for another migrator or writer (60)\n";

static int cmd_stamp(int argc, char **argv)
{
	sra_migrate_options mo = SRA_MIGRATE_OPTIONS_INIT;
	db_opts o;
	db_ctx c;
	int rc, error;

	memset(&c, 0, sizeof(c));
	if ((rc = parse_opts(&o, argc, argv, stamp_help)) != 0)
		goto done;
	if (o.nargs != 1) {
		rc = cli_usage_error("stamp: one revision expected");
		goto done;
	}
	if ((rc = ctx_open(&c, &o, NEED_CHAIN)))
		goto done;
	if ((rc = confirm(&c, &o, "stamp")))
		goto done;
	if ((rc = ctx_open(&c, &o, NEED_CHAIN | NEED_DB)))
		goto done;
	if ((rc = confirm_loss(&c, &o, "stamp", o.args[0])))
		goto done;
	mo.lock_timeout_ms = o.lock_timeout_ms;
	if ((error = sra_migrate_stamp(c.db, c.chain, o.args[0], &mo)) < 0)
		rc = cli_error_lib(error);
	else if (!o.quiet)
		fprintf(stderr, "Stamped %s at %s\n", c.masked, o.args[0]);
done:
	ctx_dispose(&c);
	opts_dispose(&o);
	return rc < 0 ? CLI_OK : rc;
}

static int cmd_repair(int argc, char **argv)
{
	sra_migrate_options mo = SRA_MIGRATE_OPTIONS_INIT;
	sra_strarray repaired = { NULL, 0 };
	db_opts o;
	db_ctx c;
	size_t i;
	int rc, error;

	memset(&c, 0, sizeof(c));
	if ((rc = parse_opts(&o, argc, argv, repair_help)) != 0)
		goto done;
	if ((rc = ctx_open(&c, &o, NEED_CHAIN | NEED_DB)))
		goto done;
	mo.lock_timeout_ms = o.lock_timeout_ms;
	if ((error = sra_migrate_repair(&repaired, c.db, c.chain, &mo)) < 0) {
		rc = cli_error_lib(error);
		goto done;
	}
	for (i = 0; i < repaired.count; i++)
		printf("accepted %s\n", repaired.strings[i]);
	if (!repaired.count && !o.quiet)
		fprintf(stderr, "sra: no applied migration file was edited\n");
done:
	sra_strarray_dispose(&repaired);
	ctx_dispose(&c);
	opts_dispose(&o);
	return rc < 0 ? CLI_OK : rc;
}

/* ---- revision / merge --------------------------------------------------------- */

static const char revision_help[] =
	"usage: sra db revision -m MESSAGE [--migrations DIR]\n\n"
	"Write a new revision file with a fresh id whose down_revision is the\n"
	"current head, into DIR (default: SRA_MIGRATIONS_DIR, else ./migrations).\n";
static const char merge_help[] =
	"usage: sra db merge -m MESSAGE REV... [--migrations DIR]\n\n"
	"Write a merge revision joining the given heads.\n";

static int new_revision_cmd(int argc, char **argv, int merge)
{
	db_opts o;
	db_ctx c;
	char *path = NULL;
	int rc, error;

	memset(&c, 0, sizeof(c));
	if ((rc = parse_opts(&o, argc, argv, merge ? merge_help : revision_help)) != 0)
		goto done;
	if (!o.message) {
		rc = cli_usage_error("%s: -m MESSAGE is required", argv[0]);
		goto done;
	}
	if (merge && o.nargs < 2) {
		rc = cli_usage_error("merge: name at least two revisions to join");
		goto done;
	}
	if (!merge && o.nargs) {
		rc = cli_usage_error("revision: unexpected argument '%s'", o.args[0]);
		goto done;
	}
	if (!o.migrations)
		o.migrations = "migrations";
	if ((rc = ctx_open(&c, &o, NEED_CHAIN)))
		goto done;
	error = sra_migrate_new_revision(&path, c.chain, o.migrations, o.message,
					 (const char *const *)o.args, merge ? (size_t)o.nargs : 0);
	if (error < 0) {
		rc = cli_error_lib(error);
		goto done;
	}
	printf("%s\n", path);
	free(path);
done:
	ctx_dispose(&c);
	opts_dispose(&o);
	return rc < 0 ? CLI_OK : rc;
}

static int cmd_revision(int argc, char **argv) { return new_revision_cmd(argc, argv, 0); }
static int cmd_merge(int argc, char **argv) { return new_revision_cmd(argc, argv, 1); }

/* ---- inspect / check ---------------------------------------------------------- */

static const char inspect_help[] =
	"usage: sra db inspect [TABLE] [--json] [--url URL]\n\n"
	"The schema of the database, like psql's \\d.  Without TABLE: the tables and\n"
	"the enum types with their labels in order.  With TABLE: its columns (type,\n"
	"nullability, default), indexes (method, columns, unique, predicate; the\n"
	"primary key and UNIQUE constraints among them), CHECK constraints, foreign\n"
	"keys with their ON DELETE action, and triggers.  --json prints the same\n"
	"content as JSON.\n";

static int cmd_inspect(int argc, char **argv)
{
	sra_catalog *cat = NULL;
	char *text = NULL;
	db_opts o;
	db_ctx c;
	int rc, error;

	memset(&c, 0, sizeof(c));
	if ((rc = parse_opts(&o, argc, argv, inspect_help)) != 0)
		goto done;
	if (o.nargs > 1) {
		rc = cli_usage_error("inspect: at most one table");
		goto done;
	}
	if ((rc = ctx_open(&c, &o, NEED_DB | READ_ONLY)))
		goto done;
	if ((error = sra_catalog_read(&cat, c.db, NULL)) < 0) {
		rc = cli_error_lib(error);
		goto done;
	}
	error = o.json ? sra_catalog_to_json(&text, cat, o.nargs ? o.args[0] : NULL)
		       : sra_catalog_format(&text, cat, o.nargs ? o.args[0] : NULL);
	if (error == SRA_ENOTFOUND) {
		rc = cli_fail("inspect: no table '%s' in %s", o.args[0], c.masked);
		goto done;
	}
	if (error < 0) {
		rc = cli_error_lib(error);
		goto done;
	}
	if (o.json) {	/* JSON escapes control characters itself */
		fputs(text, stdout);
		fputc('\n', stdout);
	} else {	/* names, defaults, comments: text from the database */
		cli_put_text(text, strlen(text));
	}
	rc = CLI_OK;
done:
	free(text);
	sra_catalog_free(cat);
	ctx_dispose(&c);
	opts_dispose(&o);
	return rc < 0 ? CLI_OK : rc;
}

static const char check_help[] =
	"usage: sra db check [--json] [--url URL] [--migrations DIR] [-q]\n\n"
	"Compare the live schema with the schema the migration chain produces at\n"
	"the database's current revision: the chain is replayed into a scratch\n"
	"schema (PostgreSQL, rolled back) or an in-memory database (SQLite) and the\n"
	"catalogs are compared.  Prints one line per difference (missing or extra\n"
	"table, column, type, nullability, default, foreign key and its ON DELETE,\n"
	"index, CHECK, enum label, trigger), and applied revisions whose file was\n"
	"edited since they ran (see sra db repair).\n\n"
	"Exit status: 0 the schema matches, 1 drift, 3 the database is at a revision\n"
	"the chain does not know.\n";

static int cmd_check(int argc, char **argv)
{
	sra_strarray diff = { NULL, 0 }, cur = { NULL, 0 };
	db_opts o;
	db_ctx c;
	size_t i;
	int rc, error;

	memset(&c, 0, sizeof(c));
	if ((rc = parse_opts(&o, argc, argv, check_help)) != 0)
		goto done;
	if (o.nargs) {
		rc = cli_usage_error("check: unexpected argument '%s'", o.args[0]);
		goto done;
	}
	if ((rc = ctx_open(&c, &o, NEED_CHAIN | NEED_DB | READ_ONLY)))
		goto done;
	if ((error = sra_migrate_check(&diff, c.db, c.chain)) < 0 ||
	    (error = sra_migrate_current(&cur, c.db)) < 0) {
		rc = cli_error_lib(error);
		goto done;
	}
	if (o.json) {
		json_t *j = json_object(), *a = json_array(), *r = json_array();
		for (i = 0; i < cur.count; i++)
			json_array_append_new(r, json_string(cur.strings[i]));
		for (i = 0; i < diff.count; i++)
			json_array_append_new(a, json_string(diff.strings[i]));
		json_object_set_new(j, "url", json_string(c.masked));
		json_object_set_new(j, "dialect", json_string(sra_db_dialect(c.db)));
		json_object_set_new(j, "current", r);
		json_object_set_new(j, "clean", json_boolean(diff.count == 0));
		json_object_set_new(j, "differences", a);
		print_json(j);
	} else {
		for (i = 0; i < diff.count; i++) {
			cli_put_text(diff.strings[i], strlen(diff.strings[i]));
			putchar('\n');
		}
	}
	if (diff.count) {
		if (!o.quiet && !o.json)
			fprintf(stderr, "sra: %s: %zu difference%s from the schema of the migration chain\n",
				c.masked, diff.count, diff.count == 1 ? "" : "s");
		rc = CLI_FAIL;
	} else {
		if (!o.quiet && !o.json) {
			fprintf(stderr, "%s: schema matches revision ", c.masked);
			for (i = 0; i < cur.count; i++)
				fprintf(stderr, "%s%s", i ? "," : "", cur.strings[i]);
			fprintf(stderr, "%s\n", cur.count ? "" : "base");
		}
		rc = CLI_OK;
	}
done:
	sra_strarray_dispose(&diff);
	sra_strarray_dispose(&cur);
	ctx_dispose(&c);
	opts_dispose(&o);
	return rc < 0 ? CLI_OK : rc;
}

/* ---- the group -------------------------------------------------------------- */

static int cmd_db_help(int argc, char **argv);

static const cli_command db_commands[] = {
	{ "upgrade",   cmd_upgrade,   "Apply migrations up to a revision (default head)" },
	{ "downgrade", cmd_downgrade, "Revert migrations down to a revision (-N, REV, base)" },
	{ "current",   cmd_current,   "Show the database's revision(s)" },
	{ "history",   cmd_history,   "List the revision chain, newest first" },
	{ "heads",     cmd_heads,     "Show the heads of the chain" },
	{ "show",      cmd_show,      "Show one revision in full" },
	{ "stamp",     cmd_stamp,     "Set the version without running migrations" },
	{ "repair",    cmd_repair,    "Accept edits to applied migration files" },
	{ "revision",  cmd_revision,  "Write a new, empty revision file" },
	{ "merge",     cmd_merge,     "Write a revision joining several heads" },
	{ "inspect",   cmd_inspect,   "Show the schema: tables, columns, keys, indexes (like psql \\d)" },
	{ "check",     cmd_check,     "Compare the schema with what the chain produces (exit 1 on drift)" },
	{ "help",      cmd_db_help,   "Print this help" },
	{ NULL, NULL, NULL }
};

static int cmd_db_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("usage: sra db COMMAND [ARGS] [--url URL] [--migrations DIR] [--json] [-q]\n\n");
	cli_print_commands("sra db", db_commands);
	printf("\nTargets: head, heads, REV (id or unique prefix), +N, REV+N, -N, REV-N, base.\n"
	       "'sra db COMMAND --help' describes one command.\n"
	       "Exit codes: 0 ok, 1 failure, 2 usage, 3 migration chain conflict.\n");
	return CLI_OK;
}

int cmd_db(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return cmd_db_help(argc, argv);
	return cli_dispatch("sra db", db_commands, argc, argv);
}
