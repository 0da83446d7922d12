/*
 * Fault injection through the db layer (SQLite's "malloc fails at the k-th
 * call" tests, for the database): a backend wrapper fails the k-th backend
 * call, for every k, of each command that writes:
 *
 *   db upgrade (base → head), db downgrade (head with data → base),
 *   import records, import decisions, benchmark run, benchmark delete,
 *
 * on SQLite and on PostgreSQL.  After each failure the database is read
 * through a connection of its own: its catalog and a hash of every table
 * must equal the state before the command or after it (for the migrations,
 * at a revision boundary: each revision is its own transaction), and the
 * error must be one line that carries the injected failure's message.
 *
 * The wrapper fails a call before the real backend sees it, as a dropped
 * connection would; the process then closes the connection, so what the
 * server keeps is what was committed.  States after the command are
 * compared with generated values masked (uuids, timestamps, the log's ids
 * and durations), states before it exactly.
 *
 * The counts go to stderr ("fault: …") and docs/reliability.md.
 */
#include "testutil.h"
#include "common.h"
#include "db_int.h"

#include <sra/sra.h>
#include <sra/benchmark.h>
#include <sra/catalog.h>
#include <sra/import.h>
#include <sra/migrate.h>
#include <sra/review.h>

#include <ctype.h>
#include <stdio.h>
#include <unistd.h>

/* ---- the wrapper ------------------------------------------------------------ */

typedef struct fault_be {
	sra_backend base;
	sra_db *inner;		/* owned: the real backend, its optional ops defaulted */
	long calls;		/* backend calls so far */
	long fail_at;		/* the call that fails; 0: none */
	const char *failed;	/* the op that was failed, or NULL */
} fault_be;

#define FB(be) SRA_CONTAINER_OF(be, fault_be, base)

/* a statement of the wrapper: the inner one and whose it is */
struct sra_stmt {
	fault_be *fb;
	sra_stmt *inner;
};

/* whether this call is the one to fail; sets the error when it is */
static int tick(fault_be *fb, const char *op)
{
	if (++fb->calls != fb->fail_at)
		return 0;
	fb->failed = op;
	return sra_error_set(SRA_ERROR_DB, SRA_EBACKEND,
			     "server closed the connection unexpectedly (injected at backend call %ld, %s)",
			     fb->calls, op);
}

/* after a call: the inner backend's SQLSTATE is the wrapper's */
static int pass(fault_be *fb, int error)
{
	memcpy(fb->base.sqlstate, sra_db__sqlstate(fb->inner), sizeof(fb->base.sqlstate));
	return error;
}

/* count the call, fail it if it is the one, else forward it to sra_db__op */
#define FORWARD(fb, op, ...) \
	do { \
		int _e; \
		if ((_e = tick(fb, #op)) < 0) \
			return _e; \
		return pass(fb, sra_db__##op(__VA_ARGS__)); \
	} while (0)

static void f_close(sra_backend *be)
{
	sra_db_free(FB(be)->inner);
	free(FB(be));
}

static int f_exec(sra_backend *be, const char *sql)
{
	FORWARD(FB(be), exec, FB(be)->inner, sql);
}

static int f_query(sra_rows **out, sra_backend *be, const char *sql, const sra_value *p, size_t n)
{
	FORWARD(FB(be), query, out, FB(be)->inner, sql, p, n);
}

static int f_begin(sra_backend *be)
{
	FORWARD(FB(be), begin, FB(be)->inner);
}

static int f_commit(sra_backend *be)
{
	FORWARD(FB(be), commit, FB(be)->inner);
}

static int f_rollback(sra_backend *be)
{
	FORWARD(FB(be), rollback, FB(be)->inner);
}

static int f_xact_lock(sra_backend *be, int64_t key, int timeout_ms)
{
	FORWARD(FB(be), xact_lock, FB(be)->inner, key, timeout_ms);
}

static int f_set_ddl_lock_timeout(sra_backend *be, int timeout_ms)
{
	FORWARD(FB(be), set_ddl_lock_timeout, FB(be)->inner, timeout_ms);
}

static int f_query_each(sra_backend *be, const char *sql, const sra_value *p, size_t n,
			int (*cb)(void *, size_t, const char *const *), void *payload)
{
	FORWARD(FB(be), query_each, FB(be)->inner, sql, p, n, cb, payload);
}

static int f_prepare(sra_stmt **out, sra_backend *be, const char *sql)
{
	fault_be *fb = FB(be);
	sra_stmt *s;
	int error;

	*out = NULL;
	if ((error = tick(fb, "prepare")) < 0)
		return error;
	s = sra__calloc(1, sizeof(*s));
	s->fb = fb;
	error = pass(fb, sra_db__prepare(&s->inner, fb->inner, sql));
	*out = s;	/* released by finalize, also after an error */
	return error;
}

static int f_execute(sra_stmt *s, const sra_value *p, size_t n)
{
	FORWARD(s->fb, execute, s->fb->inner, s->inner, p, n);
}

static void f_finalize(sra_stmt *s)
{
	if (!s)
		return;
	sra_db__finalize(s->fb->inner, s->inner);
	free(s);
}

static int f_copy_begin(sra_backend *be, const char *table, const char *const *cols, size_t n)
{
	FORWARD(FB(be), copy_begin, FB(be)->inner, table, cols, n);
}

static int f_copy_row(sra_backend *be, const char *const *cells, size_t n)
{
	FORWARD(FB(be), copy_row, FB(be)->inner, cells, n);
}

static int f_copy_end(sra_backend *be, int ok)
{
	FORWARD(FB(be), copy_end, FB(be)->inner, ok);
}

static int f_bulk_hint(sra_backend *be, int on)
{
	FORWARD(FB(be), bulk_hint, FB(be)->inner, on);
}

/* one table per dialect, its name, caps and uuid SQL the inner backend's */
static sra_backend_ops fault_ops[2];

/* an sra_db whose backend fails its fail_at-th call (0: none) */
static sra_db *open_faulty(fault_be **fb_out, const char *url, long fail_at)
{
	const sra_backend_ops *in;
	sra_backend_ops *ops;
	fault_be *fb = sra__calloc(1, sizeof(*fb));
	sra_db *db = NULL;

	sra_assert_ok(sra_db_open(&fb->inner, url, NULL));
	in = sra_db__ops(fb->inner);
	ops = &fault_ops[sra_db__is_pg(fb->inner) ? 1 : 0];
	*ops = (sra_backend_ops){
		.version = SRA_BACKEND_OPS_VERSION,
		.name = in->name,
		.caps = in->caps,
		.close = f_close,
		.exec = f_exec,
		.query = f_query,
		.begin = f_begin,
		.commit = f_commit,
		.rollback = f_rollback,
		.xact_lock = f_xact_lock,
		.set_ddl_lock_timeout = f_set_ddl_lock_timeout,
		.query_each = f_query_each,
		.prepare = f_prepare,
		.execute = f_execute,
		.finalize = f_finalize,
		.copy_begin = f_copy_begin,
		.copy_row = f_copy_row,
		.copy_end = f_copy_end,
		.bulk_hint = f_bulk_hint,
		.uuid_sql = in->uuid_sql,
	};
	fb->base.ops = ops;
	fb->fail_at = fail_at;
	sra_assert_ok(sra_db_open_backend(&db, &fb->base, url));
	*fb_out = fb;
	return db;
}

/* ---- the state of a database ------------------------------------------------ */

typedef struct db_state {
	char *catalog;			/* sra_catalog_format of every table */
	unsigned long long exact;	/* every row of every table */
	unsigned long long masked;	/* the same with generated values masked */
} db_state;

static void state_dispose(db_state *s)
{
	free(s->catalog);
	memset(s, 0, sizeof(*s));
}

static int is_hex(int c)
{
	return isxdigit((unsigned char)c);
}

/* length of a uuid at p, or 0 */
static size_t uuid_at(const char *p)
{
	size_t i;

	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (p[i] != '-')
				return 0;
		} else if (!is_hex(p[i])) {
			return 0;
		}
	}
	return 36;
}

/* length of a timestamp at p (YYYY-MM-DD[T ]HH:MM:SS[.fff][Z|±hh[:mm]]), or 0 */
static size_t time_at(const char *p)
{
	static const char shape[] = "dddd-dd-ddxdd:dd:dd";
	size_t i;

	for (i = 0; shape[i]; i++) {
		if (shape[i] == 'd' ? !isdigit((unsigned char)p[i])
		    : shape[i] == 'x' ? (p[i] != 'T' && p[i] != ' ') : p[i] != shape[i])
			return 0;
	}
	if (p[i] == '.')
		for (i++; isdigit((unsigned char)p[i]); i++)
			;
	if (p[i] == 'Z')
		i++;
	else if ((p[i] == '+' || p[i] == '-') && isdigit((unsigned char)p[i + 1]))
		for (i++; isdigit((unsigned char)p[i]) || p[i] == ':'; i++)
			;
	return i;
}

/* cell → text with every uuid and timestamp in it as '#' */
static void put_masked(sra_buf *b, const char *v)
{
	while (*v) {
		size_t n = uuid_at(v);

		if (!n)
			n = time_at(v);
		if (n) {
			sra_buf_putc(b, '#');
			v += n;
		} else {
			sra_buf_putc(b, *v++);
		}
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned long long fnv(unsigned long long h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	h ^= 0xff;
	return h * 1099511628211ULL;
}

/* one table's rows as sorted lines, exact or masked, into the hash */
static unsigned long long hash_rows(unsigned long long h, const sra_rows *rows, int masked)
{
	char **lines = sra__calloc(rows->nrows + 1, sizeof(*lines));
	size_t r, c;

	for (r = 0; r < rows->nrows; r++) {
		sra_buf b = SRA_BUF_INIT;

		for (c = 0; c < rows->ncols; c++) {
			const char *v = sra_rows_get(rows, r, c);
			const char *name = rows->names[c];

			if (c)
				sra_buf_putc(&b, '\037');
			if (!v)
				sra_buf_puts(&b, "\001NULL");
			else if (masked && (strcmp(name, "duration_ms") == 0 ||
					    (strcmp(name, "id") == 0 && isdigit((unsigned char)*v))))
				sra_buf_putc(&b, '#');	/* a log row's clock and identity */
			else if (masked)
				put_masked(&b, v);
			else
				sra_buf_puts(&b, v);
		}
		lines[r] = sra_buf_detach(&b);
	}
	qsort(lines, rows->nrows, sizeof(*lines), cmp_str);
	for (r = 0; r < rows->nrows; r++) {
		h = fnv(h, lines[r]);
		free(lines[r]);
	}
	free(lines);
	return h;
}

static void state_read(db_state *out, const char *url)
{
	sra_catalog *cat = NULL;
	sra_db *db = NULL;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->exact = out->masked = 1469598103934665603ULL;
	sra_assert_ok(sra_db_open(&db, url, NULL));
	sra_assert_ok(sra_catalog_read(&cat, db, NULL));
	sra_assert_ok(sra_catalog_format(&out->catalog, cat, NULL));
	for (i = 0; i < sra_catalog_table_count(cat); i++) {
		const char *t = sra_catalog_table_name(cat, i);
		char *sql = sra__sprintf("SELECT * FROM \"%s\"", t);
		sra_rows *rows = NULL;

		sra_assert_ok(sra_db__query(&rows, db, sql, NULL, 0));
		out->exact = hash_rows(fnv(out->exact, t), rows, 0);
		out->masked = hash_rows(fnv(out->masked, t), rows, 1);
		sra_rows_free(rows);
		free(sql);
	}
	sra_catalog_free(cat);
	sra_db_free(db);
}

/* ---- databases: made once per state, restored between calls ------------------ */

typedef struct fx {
	int pg;
	char *dir;		/* SQLite: the files; PostgreSQL: scratch files */
	char *url;		/* the database the commands run on */
	char *saved;		/* SQLite: a copy of the state before; PostgreSQL: its template's name */
	char *name;		/* PostgreSQL: the database's name */
	char *review;
	sra_chain *chain;
} fx;

static void admin(const char *fmt, ...) SRA_PRINTF(1, 2);
static void admin(const char *fmt, ...)
{
	sra_buf sql = SRA_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sra_buf_vprintf(&sql, fmt, ap);
	va_end(ap);
	sra_assert_ok(sra_test_pg_admin(sra_buf_cstr(&sql)));
	sra_buf_dispose(&sql);
}

/* the database name of a test URL (postgresql://…/NAME?…) */
static char *url_dbname(const char *url)
{
	const char *slash = strchr(strstr(url, "://") + 3, '/'), *q = strchr(slash, '?');

	return sra__strndup(slash + 1, q ? (size_t)(q - slash - 1) : strlen(slash + 1));
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[65536];
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* the URL's file (SQLite) */
static const char *url_file(const char *url)
{
	return url + strlen("sqlite:///");
}

/* remember the present state as the one to restore */
static void fx_save(fx *f)
{
	if (f->pg) {
		if (f->saved)
			admin("DROP DATABASE IF EXISTS %s", f->saved);
		else
			f->saved = sra__sprintf("%s_saved", f->name);
		admin("CREATE DATABASE %s TEMPLATE %s", f->saved, f->name);
	} else {
		if (!f->saved)
			f->saved = sra__sprintf("%s/saved.db", f->dir);
		copy_file(url_file(f->url), f->saved);
	}
}

static void fx_restore(fx *f)
{
	if (f->pg) {
		admin("DROP DATABASE %s WITH (FORCE)", f->name);
		admin("CREATE DATABASE %s TEMPLATE %s", f->name, f->saved);
	} else {
		copy_file(f->saved, url_file(f->url));
	}
}

static int fx_open(fx *f, int pg)
{
	memset(f, 0, sizeof(*f));
	f->pg = pg;
	f->dir = sra_test_tmpdir();
	if (pg) {
		if (!(f->url = sra_test_pg_url()))
			return -1;
		f->name = url_dbname(f->url);
	} else {
		f->url = sra_test_sqlite_url(f->dir, "fault.db");
		/* an empty database file */
		{
			sra_db *db = NULL;
			sra_assert_ok(sra_db_open(&db, f->url, NULL));
			sra_db_free(db);
		}
	}
	sra_assert_ok(sra_chain_load(&f->chain, NULL));
	return 0;
}

static void fx_close(fx *f)
{
	if (f->pg) {
		sra_test_pg_drop(f->url);
		if (f->saved)
			admin("DROP DATABASE IF EXISTS %s", f->saved);
	}
	sra_test_rmtree(f->dir);
	sra_chain_free(f->chain);
	free(f->dir);
	free(f->url);
	free(f->saved);
	free(f->name);
	free(f->review);
}

/* ---- the commands ----------------------------------------------------------- */

#define REVIEW "0b6e3f7c-8f21-4d5e-9a3b-1c2d3e4f5a6b"
#define RUN    "7f3e2d1c-0b9a-4876-8543-210fedcba987"

static char *fx_path(const fx *f, const char *name)
{
	return sra__sprintf("%s/%s", f->dir, name);
}

static int cmd_upgrade(fx *f, sra_db *db)
{
	return sra_migrate_upgrade(db, f->chain, "head", NULL);
}

static int cmd_downgrade(fx *f, sra_db *db)
{
	return sra_migrate_downgrade(db, f->chain, "base", NULL);
}

static int import_file(fx *f, sra_db *db, int records, const char *name)
{
	sra_import_summary s = SRA_IMPORT_SUMMARY_INIT;
	sra_import_options o = SRA_IMPORT_OPTIONS_INIT;
	char *p = fx_path(f, name);
	int error;

	o.human_column = records ? "human_decision" : NULL;
	error = records ? sra_import_records(&s, db, REVIEW, p, &o) : sra_import_decisions(&s, db, REVIEW, p, &o);
	sra_import_summary_dispose(&s);
	free(p);
	return error;
}

/* r1 unchanged, r2 changed, r3 untouched, r4 … r9 new */
static int cmd_import_records(fx *f, sra_db *db)
{
	return import_file(f, db, 1, "records2.csv");
}

static int cmd_import_decisions(fx *f, sra_db *db)
{
	return import_file(f, db, 0, "decisions.jsonl");
}

static int cmd_benchmark_run(fx *f, sra_db *db)
{
	sra_benchmark_options bo = SRA_BENCHMARK_OPTIONS_INIT;
	char *id = NULL;
	int error;

	(void)f;
	bo.review_id = REVIEW;
	bo.run_id = RUN;
	bo.notes = "fault injection";
	error = sra_benchmark_run(&id, db, &bo);
	free(id);
	return error;
}

/* as `sra benchmark delete` does: find the run by a prefix, then delete it */
static int cmd_benchmark_delete(fx *f, sra_db *db)
{
	char *id = NULL;
	int error;

	(void)f;
	if ((error = sra_benchmark_find(&id, db, "7f3e2d1c")) == 0)
		error = sra_benchmark_delete(db, id);
	free(id);
	return error;
}

typedef int (*command_fn)(fx *f, sra_db *db);

/* run a command on a plain connection; it must succeed */
static void run_clean(fx *f, command_fn cmd)
{
	sra_db *db = NULL;

	sra_assert_ok(sra_db_open(&db, f->url, NULL));
	sra_assert_ok(cmd(f, db));
	sra_db_free(db);
}

/* the fixture files and the states the commands start from */
static void write_files(fx *f)
{
	static const struct {
		const char *name, *text;
	} files[] = {
		{ "review.json", "{\"id\": \"" REVIEW "\", \"question\": \"Does it work?\", \"exclusion\": \"Anything else\"}\n" },
		{ "records1.csv", "id,title,abstract,human_decision\nr1,One,a1,Y\nr2,Two,a2,N\nr3,Three,a3,Y\n" },
		{ "records2.csv", "id,title,abstract,human_decision\nr1,One,a1,Y\nr2,Two,a2 changed,N\n"
				  "r4,Four,a4,Y\nr5,Five,a5,N\nr6,Six,a6,\nr7,Seven,a7,Y\nr8,Eight,a8,N\nr9,Nine,,N\n" },
		{ "decisions.jsonl",
		  "{\"source_id\": \"r1\", \"reviewer\": \"conservative\", \"decision\": \"include\", \"confidence\": 0.9}\n"
		  "{\"source_id\": \"r1\", \"reviewer\": \"comprehensive\", \"decision\": \"include\", \"confidence\": 1}\n"
		  "{\"source_id\": \"r2\", \"reviewer\": \"conservative\", \"decision\": \"include\", \"confidence\": 0.8}\n"
		  "{\"source_id\": \"r2\", \"reviewer\": \"comprehensive\", \"decision\": \"exclude\", \"confidence\": 0.8}\n"
		  "{\"source_id\": \"r2\", \"reviewer\": \"resolver\", \"decision\": \"exclude\", \"confidence\": 0.75}\n"
		  "{\"source_id\": \"r3\", \"reviewer\": \"conservative\", \"decision\": \"exclude\", \"confidence\": 0.9}\n"
		  "{\"source_id\": \"r3\", \"reviewer\": \"comprehensive\", \"decision\": \"include\", \"confidence\": 0.9}\n"
		  "{\"source_id\": \"r5\", \"reviewer\": \"conservative\", \"decision\": \"exclude\", \"confidence\": 0.95}\n"
		  "{\"source_id\": \"r5\", \"reviewer\": \"comprehensive\", \"decision\": \"exclude\", \"confidence\": 0.9}\n"
		  "{\"source_id\": \"r7\", \"reviewer\": \"conservative\", \"decision\": \"include\", \"confidence\": 0.4}\n" },
	};
	size_t i;

	for (i = 0; i < SRA_ARRAY_SIZE(files); i++) {
		char *p = fx_path(f, files[i].name);
		sra_test_write_file(p, files[i].text);
		free(p);
	}
}

static int setup_review(fx *f, sra_db *db)
{
	char *p = fx_path(f, "review.json"), *id = NULL;
	int error = sra_review_import_file(&id, NULL, db, p);

	free(p);
	free(id);
	return error;
}

static int setup_records(fx *f, sra_db *db)
{
	return import_file(f, db, 1, "records1.csv");
}

/* ---- the loop ------------------------------------------------------------- */

/*
 * Every call is failed in the normal build.  Under AddressSanitizer, where
 * each SQLite migration run replays the chain about ten times slower, every
 * 7th (SRA_FAULT_STRIDE overrides): make asan runs the whole suite again.
 */
#if defined(__SANITIZE_ADDRESS__)
# define FAULT_STRIDE 7
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define FAULT_STRIDE 7
# endif
#endif
#ifndef FAULT_STRIDE
# define FAULT_STRIDE 1
#endif

static long stride(void)
{
	const char *v = getenv("SRA_FAULT_STRIDE");
	long n = v ? strtol(v, NULL, 10) : FAULT_STRIDE;

	return n > 0 ? n : 1;
}

static long total_sites, total_cmds;

static int state_eq_exact(const db_state *a, const db_state *b)
{
	return strcmp(a->catalog, b->catalog) == 0 && a->exact == b->exact;
}

static int state_eq_masked(const db_state *a, const db_state *b)
{
	return strcmp(a->catalog, b->catalog) == 0 && a->masked == b->masked;
}

/*
 * Fail every call of `cmd`, from the saved state, until a run reaches its
 * end without a fault: that run's state is left.  `ends` are the states a
 * failure may leave: [0] the state before (compared exactly), then the
 * states after each transaction the command commits (masked).
 */
static void fail_each_call(fx *f, const char *what, command_fn cmd, const db_state *ends, size_t nends)
{
	long k, step = stride(), failed_calls = 0;

	for (k = 1;; k += step) {
		fault_be *fb = NULL;
		sra_db *db = open_faulty(&fb, f->url, k);
		int error = cmd(f, db);
		const char *failed = fb->failed;
		long fb_calls = fb->calls;
		char *message = NULL;
		db_state now;
		size_t i;

		if (error < 0) {
			const sra_error *e = sra_error_last();
			message = sra__strdup(e && e->message ? e->message : "");
		}
		sra_db_free(db);
		if (!failed) {	/* every call of the command has been failed once */
			if (error < 0)
				fail_msg("%s: fails without a fault: %s", what, message);
			free(message);
			k = fb_calls;
			break;
		}
		failed_calls++;
		if (error < 0) {
			if (!*message || strchr(message, '\n') || !strstr(message, "(injected at backend call"))
				fail_msg("%s: call %ld (%s) failed, and the error is not one line with its cause: '%s'",
					 what, k, failed, message);
		}
		state_read(&now, f->url);
		if (!state_eq_exact(&now, &ends[0])) {
			for (i = 1; i < nends && !state_eq_masked(&now, &ends[i]); i++)
				;
			if (i == nends)
				fail_msg("%s: call %ld (%s) failed (%s) and left the database neither before nor after",
					 what, k, failed, message ? message : "the command succeeded");
			fx_restore(f);
		}
		state_dispose(&now);
		free(message);
	}
	print_message("fault: %s on %s: %ld backend calls, %ld of them failed in turn\n", what,
		      f->pg ? "postgresql" : "sqlite", k, failed_calls);
	total_sites += failed_calls;
	total_cmds++;
}

/*
 * One command: its states before and after (for the migrations, after each
 * revision, by running `step` to the end), then every call failed.
 */
static void check_command(fx *f, const char *what, command_fn cmd, command_fn step, int nsteps)
{
	db_state ends[16];
	size_t n = 0, i;
	int s;

	fx_save(f);
	state_read(&ends[n++], f->url);
	if (step) {
		for (s = 0; s < nsteps; s++) {
			run_clean(f, step);
			state_read(&ends[n++], f->url);
		}
	} else {
		run_clean(f, cmd);
		state_read(&ends[n++], f->url);
	}
	fx_restore(f);
	fail_each_call(f, what, cmd, ends, n);
	for (i = 0; i < n; i++)
		state_dispose(&ends[i]);
}

static int step_up(fx *f, sra_db *db)
{
	return sra_migrate_upgrade(db, f->chain, "+1", NULL);
}

static int step_down(fx *f, sra_db *db)
{
	return sra_migrate_downgrade(db, f->chain, "-1", NULL);
}

static void fault_all(int pg)
{
	int nrev;
	fx f;

	if (fx_open(&f, pg) < 0) {
		skip();
		return;
	}
	write_files(&f);
	nrev = (int)sra_chain_count(f.chain);

	/* each check ends with the command's one run without a fault */
	check_command(&f, "db upgrade", cmd_upgrade, step_up, nrev);
	run_clean(&f, setup_review);
	run_clean(&f, setup_records);
	check_command(&f, "import records", cmd_import_records, NULL, 0);
	check_command(&f, "import decisions", cmd_import_decisions, NULL, 0);
	check_command(&f, "benchmark run", cmd_benchmark_run, NULL, 0);
	check_command(&f, "benchmark delete", cmd_benchmark_delete, NULL, 0);
	check_command(&f, "db downgrade", cmd_downgrade, step_down, nrev);
	fx_close(&f);
}

static void test_fault_sqlite(void **state)
{
	(void)state;
	fault_all(0);
}

static void test_fault_postgresql(void **state)
{
	(void)state;
	fault_all(1);
}

static int report(void **state)
{
	(void)state;
	print_message("fault: %ld commands passed, %ld call sites\n", total_cmds, total_sites);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fault_sqlite),
		cmocka_unit_test(test_fault_postgresql),
	};
	return cmocka_run_group_tests(tests, NULL, report);
}
