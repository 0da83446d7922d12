/*
 * The SQLite backend: one sqlite3 handle per sra_backend, the default
 * rollback journal, foreign keys on, and writers serialised by
 * BEGIN IMMEDIATE under the busy timeout (so xact_lock has nothing to do).
 *
 * Parameters are written $1, $2, … as in PostgreSQL.  SQLite's tokenizer
 * reads them as *named* parameters "$1", "$2", numbered by first appearance
 * ("select $2, $1" gives "$2" index 1), so they are bound by name, never by
 * position.  The SQL text is not rewritten: a "$1" inside a string literal or
 * a quoted identifier is never a parameter, because the tokenizer says so.
 *
 * Version 2: query_each steps and hands over each row; prepare keeps one
 * sqlite3_stmt, reset after every execute; the bulk load ("COPY") is a
 * prepared INSERT with positional parameters, reused for every row.
 */
#include "common.h"
#include "sra/db.h"
#include "sra/sys/backend.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct {
	sra_backend parent;	/* first: SRA_CONTAINER_OF */
	sqlite3 *db;
	int busy_timeout_ms;	/* as set on db; named in the SRA_ELOCKED message */
	/* waiting for the write lock (busy_wait): who holds it is said once, after 1 s */
	void (*lock_wait)(void *payload, const char *holder);
	void *lock_wait_payload;
	int said_wait;		/* lock_wait was called */
	struct timespec wait_t0;	/* when the current wait began */
	int lock_fd;		/* the file, open for F_GETLK only: -1 until needed (closed after sqlite3_close) */
	/* a bulk load (copy_begin … copy_end): rows are held and sent in groups */
	sqlite3_stmt *copy_stmt;	/* INSERT … VALUES of copy_rows rows; NULL when no load is in progress */
	sra_buf copy_head;	/* "INSERT INTO t (c, …) VALUES ", for the last, shorter statement */
	size_t copy_ncols;	/* columns per row */
	size_t copy_rows;	/* rows per statement */
	size_t copy_pending;	/* rows held, not yet sent */
	sra_buf copy_text;	/* their cells, each NUL-terminated */
	size_t *copy_off;	/* copy_rows * copy_ncols offsets into copy_text; SIZE_MAX for NULL */
} sqlite_backend;

/*
 * A bulk load's rows go COPY_ROWS to an INSERT (fewer when SQLite's limit on
 * parameters says so), or as many as fill COPY_BYTES.  One INSERT per row
 * re-ran the statement's set-up every time, including an ephemeral index for
 * each CHECK (x IN (…)) of three or more values; a many-row INSERT instead
 * keeps a statement journal of the pages it changes that existed before it
 * (in memory: temp_store, sqlite_open), which costs less the more rows it
 * has.  100,000 records: 7.6 s with 1 row per INSERT, 6.7 s with 64,
 * 6.0 s with 500-2,000.
 */
#define COPY_ROWS 1000
#define COPY_BYTES (8u << 20)

#define SB(be) SRA_CONTAINER_OF(be, sqlite_backend, parent)

/*
 * " (process PID, COMMAND)" of a process holding a lock on the file, as
 * POSIX record locks tell (SQLite locks bytes from 2^30 up); "" when none
 * is seen (or it is this process).  The descriptor stays open until the
 * handle is closed: closing any descriptor of the file would drop the locks
 * SQLite holds on it in this process (POSIX record-lock semantics).
 */
static void lock_holder(sqlite_backend *sb, char *out, size_t size)
{
	const char *path = sqlite3_db_filename(sb->db, "main");
	struct flock fl;
	char comm[64] = "", proc[64];
	FILE *f;

	out[0] = '\0';
	if (sb->lock_fd < 0 && path && *path)
		sb->lock_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (sb->lock_fd < 0)
		return;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 0x40000000;	/* PENDING_BYTE, RESERVED_BYTE, the SHARED range */
	fl.l_len = 512;
	if (fcntl(sb->lock_fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK && fl.l_pid > 0) {
		snprintf(proc, sizeof(proc), "/proc/%ld/comm", (long)fl.l_pid);
		if ((f = fopen(proc, "r"))) {
			if (fgets(comm, sizeof(comm), f))
				comm[strcspn(comm, "\n")] = '\0';
			fclose(f);
		}
		snprintf(out, size, " (process %ld%s%s)", (long)fl.l_pid, *comm ? ", " : "", comm);
	}
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * The busy handler: SQLite's busy timeout, and after one second of waiting
 * (once per handle) who holds the lock, told to the caller's lock_wait.
 * Returns 0 to give up (SQLITE_BUSY), 1 to try again.
 */
static int busy_wait(void *arg, int count)
{
	sqlite_backend *sb = arg;
	struct timespec nap;
	long ms, left;

	if (count == 0)
		clock_gettime(CLOCK_MONOTONIC, &sb->wait_t0);
	ms = ms_since(&sb->wait_t0);
	if ((left = sb->busy_timeout_ms - ms) <= 0)
		return 0;
	if (ms >= 1000 && sb->lock_wait && !sb->said_wait) {
		char who[96], *text;

		sb->said_wait = 1;
		lock_holder(sb, who, sizeof(who));
		text = sra__sprintf("another writer%s on '%s'", who, sqlite3_db_filename(sb->db, "main"));
		sb->lock_wait(sb->lock_wait_payload, text);
		free(text);
	}
	if (left > (count < 10 ? 5 : 25))
		left = count < 10 ? 5 : 25;
	nap.tv_sec = 0;
	nap.tv_nsec = left * 1000000L;
	nanosleep(&nap, NULL);
	return 1;
}

/*
 * Copy the handle's last error into the error state and return the code:
 * SRA_ELOCKED when the file stayed locked past the busy timeout, else
 * SRA_EBACKEND.  `rc` is the failing result code.  SQLite has no SQLSTATE.
 */
static int fail(sqlite_backend *sb, int rc)
{
	sb->parent.sqlstate[0] = '\0';
	if ((rc & 0xff) == SQLITE_BUSY) {
		char who[96];

		lock_holder(sb, who, sizeof(who));
		return sra_error_set(SRA_ERROR_DB, SRA_ELOCKED,
			"database '%s' is locked by another writer%s (waited %d ms)",
			sqlite3_db_filename(sb->db, "main"), who, sb->busy_timeout_ms);
	}
	return sra_error_set(SRA_ERROR_DB, SRA_EBACKEND, "%s", sqlite3_errmsg(sb->db));
}

/* N for a parameter named "$N" with 1 <= N <= nparams, else 0 */
static size_t param_number(const char *name, size_t nparams)
{
	unsigned long long n;
	char *end;

	if (!name || name[0] != '$' || name[1] < '1' || name[1] > '9')
		return 0;
	errno = 0;
	n = strtoull(name + 1, &end, 10);
	if (*end || errno || n > nparams)
		return 0;
	return (size_t)n;
}

/*
 * Bind params to the "$N" parameters of stmt.  A parameter that is not one of
 * $1 … $nparams (`?`, `:name`, `$7` with six values) is an error, as it is in
 * PostgreSQL; values no placeholder uses are ignored.
 */
static int bind_params(sqlite_backend *sb, sqlite3_stmt *stmt,
		       const sra_value *params, size_t nparams)
{
	int i, n = sqlite3_bind_parameter_count(stmt);

	for (i = 1; i <= n; i++) {
		const char *name = sqlite3_bind_parameter_name(stmt, i);
		size_t k = param_number(name, nparams);
		const sra_value *v;
		int rc;

		if (!k) {
			sb->parent.sqlstate[0] = '\0';
			return sra_error_set(SRA_ERROR_DB, SRA_EBACKEND,
				"parameter %s has no value (%zu given; write parameters as $1, $2, …)",
				name ? name : "?", nparams);
		}
		v = &params[k - 1];
		switch (v->type) {
		case SRA_VALUE_TEXT:
			rc = v->u.text ? sqlite3_bind_text(stmt, i, v->u.text, -1, SQLITE_STATIC)
				       : sqlite3_bind_null(stmt, i);
			break;
		case SRA_VALUE_INT:
			rc = sqlite3_bind_int64(stmt, i, v->u.i);
			break;
		case SRA_VALUE_REAL:
			rc = sqlite3_bind_double(stmt, i, v->u.r);
			break;
		case SRA_VALUE_BOOL:
			rc = sqlite3_bind_int(stmt, i, v->u.b ? 1 : 0);
			break;
		case SRA_VALUE_NULL:
			rc = sqlite3_bind_null(stmt, i);
			break;
		default:
			sb->parent.sqlstate[0] = '\0';
			return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
				"parameter $%zu has an unknown value type %d", k, (int)v->type);
		}
		if (rc != SQLITE_OK)
			return fail(sb, rc);
	}
	return 0;
}

/*
 * A REAL as the shortest text that reads back as the same double, as
 * PostgreSQL prints a float8 (extra_float_digits 1, its default): SQLite's
 * own text keeps 15 digits, so the same stored value read back on the two
 * databases differed (0.80952380952380998 against 0.80952380952380953).
 * A decimal of up to 15 digits always reads back, so most values need
 * one snprintf.  buf holds at least SRA_SQLITE_REAL_BUF bytes.
 */
#define SRA_SQLITE_REAL_BUF 32
static const char *real_text(char *buf, double v)
{
	int p;

	for (p = 15; p <= 17; p++) {
		snprintf(buf, SRA_SQLITE_REAL_BUF, "%.*g", p, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}

/*
 * Column i of the current row as text (NULL for SQL NULL), REALs through
 * real_text into buf; *nomem is set when SQLite ran out of memory.
 */
static const char *cell_text(sqlite3_stmt *stmt, int i, char *buf, size_t *len, int *nomem)
{
	const char *s;

	switch (sqlite3_column_type(stmt, i)) {
	case SQLITE_NULL:
		*len = 0;
		return NULL;
	case SQLITE_FLOAT:
		s = real_text(buf, sqlite3_column_double(stmt, i));
		*len = strlen(s);
		return s;
	default:
		/* text first, then its length (the documented order) */
		s = (const char *)sqlite3_column_text(stmt, i);
		*len = (size_t)sqlite3_column_bytes(stmt, i);
		if (!s) {
			/* out of memory, or a zero-length blob */
			*nomem = sqlite3_errcode(sqlite3_db_handle(stmt)) == SQLITE_NOMEM;
			*len = 0;
			return "";
		}
		return s;
	}
}

/*
 * Step stmt to its end.  When out is not NULL the rows are collected and
 * handed to *out on success (an empty set with no columns for a statement
 * that returns none).  The caller finalizes stmt.
 */
static int step_all(sra_rows **out, sqlite_backend *sb, sqlite3_stmt *stmt)
{
	sra_rows *rows = NULL;
	const char **cells = NULL;
	char *reals = NULL;	/* a REAL's text for each column */
	size_t *lens = NULL;
	int ncols = sqlite3_column_count(stmt), i, rc, error = 0;

	if (out) {
		rows = sra_rows__new((size_t)ncols);
		for (i = 0; i < ncols; i++) {
			const char *name = sqlite3_column_name(stmt, i);
			rows->names[i] = sra__strdup(name ? name : "");
		}
		cells = sra__calloc(ncols ? (size_t)ncols : 1, sizeof(*cells));
		lens = sra__calloc(ncols ? (size_t)ncols : 1, sizeof(*lens));
		reals = sra__calloc(ncols ? (size_t)ncols : 1, SRA_SQLITE_REAL_BUF);
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (!rows)
			continue;
		for (i = 0; i < ncols; i++) {
			int nomem = 0;

			cells[i] = cell_text(stmt, i, reals + (size_t)i * SRA_SQLITE_REAL_BUF, &lens[i], &nomem);
			if (nomem) {
				error = fail(sb, SQLITE_NOMEM);
				goto done;
			}
		}
		sra_rows__append(rows, cells, lens);
	}
	if (rc != SQLITE_DONE) {
		error = fail(sb, rc);
		goto done;
	}
	if (out) {
		*out = rows;
		rows = NULL;
	}
done:
	free(cells);
	free(reals);
	free(lens);
	sra_rows_free(rows);
	return error;
}

/* whether s holds nothing but white space, semicolons and comments */
static int only_trivia(const char *s)
{
	while (*s) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == ';') {
			s++;
		} else if (s[0] == '-' && s[1] == '-') {
			s += strcspn(s, "\n");
		} else if (s[0] == '/' && s[1] == '*') {
			const char *end = strstr(s + 2, "*/");
			if (!end)
				return 1;	/* SQLite ends an open comment at the end of input */
			s = end + 2;
		} else {
			return 0;
		}
	}
	return 1;
}

/* Several statements are run one after the other, as sqlite3_exec() does. */
static int sqlite_exec(sra_backend *be, const char *sql)
{
	sqlite_backend *sb = SB(be);
	sqlite3_stmt *stmt = NULL;
	const char *tail;
	int rc, error = 0;

	SRA_ASSERT_ARG(be && sql);
	while (*sql) {
		if ((rc = sqlite3_prepare_v2(sb->db, sql, -1, &stmt, &tail)) != SQLITE_OK) {
			error = fail(sb, rc);
			goto done;
		}
		if (stmt) {
			if ((error = step_all(NULL, sb, stmt)) < 0)
				goto done;
			sqlite3_finalize(stmt);
			stmt = NULL;
		}
		if (!tail || tail == sql)
			break;
		sql = tail;
	}
done:
	sqlite3_finalize(stmt);
	return error;
}

static int sqlite_query(sra_rows **out, sra_backend *be, const char *sql,
			const sra_value *params, size_t nparams)
{
	sqlite_backend *sb = SB(be);
	sqlite3_stmt *stmt = NULL;
	const char *tail = NULL;
	int rc, error = 0;

	SRA_ASSERT_ARG(be && sql && (params || !nparams));
	if ((rc = sqlite3_prepare_v2(sb->db, sql, -1, &stmt, &tail)) != SQLITE_OK) {
		error = fail(sb, rc);
		goto done;
	}
	if (tail && !only_trivia(tail)) {
		/* as PostgreSQL's extended protocol: one statement per query */
		sb->parent.sqlstate[0] = '\0';
		error = sra_error_set(SRA_ERROR_DB, SRA_EBACKEND,
			"cannot run several statements in one query (use exec)");
		goto done;
	}
	if (!stmt) {	/* only white space or comments */
		if (out)
			*out = sra_rows__new(0);
		goto done;
	}
	if ((error = bind_params(sb, stmt, params, nparams)) < 0)
		goto done;
	error = step_all(out, sb, stmt);
done:
	sqlite3_finalize(stmt);
	return error;
}

/* ---- version 2: streaming, repeated statements, bulk load ------------ */

/* prepare exactly one statement, as query() does */
static int prepare_one(sqlite3_stmt **out, sqlite_backend *sb, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	const char *tail = NULL;
	int rc;

	*out = NULL;
	if ((rc = sqlite3_prepare_v3(sb->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, &tail)) != SQLITE_OK)
		return fail(sb, rc);
	if (tail && !only_trivia(tail)) {
		sqlite3_finalize(stmt);
		sb->parent.sqlstate[0] = '\0';
		return sra_error_set(SRA_ERROR_DB, SRA_EBACKEND,
			"cannot run several statements in one query (use exec)");
	}
	*out = stmt;	/* NULL for a statement of only comments */
	return 0;
}

static int sqlite_query_each(sra_backend *be, const char *sql, const sra_value *params, size_t nparams,
			     int (*cb)(void *payload, size_t ncols, const char *const *cells), void *payload)
{
	sqlite_backend *sb = SB(be);
	sqlite3_stmt *stmt = NULL;
	const char **cells = NULL;
	char *reals = NULL;	/* a REAL's text for each column */
	int ncols, i, rc, error;

	SRA_ASSERT_ARG(be && sql && cb && (params || !nparams));
	if ((error = prepare_one(&stmt, sb, sql)) < 0 || !stmt)
		goto done;
	if ((error = bind_params(sb, stmt, params, nparams)) < 0)
		goto done;
	ncols = sqlite3_column_count(stmt);
	cells = sra__calloc(ncols ? (size_t)ncols : 1, sizeof(*cells));
	reals = sra__calloc(ncols ? (size_t)ncols : 1, SRA_SQLITE_REAL_BUF);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (i = 0; i < ncols; i++) {
			size_t len;
			int nomem = 0;

			cells[i] = cell_text(stmt, i, reals + (size_t)i * SRA_SQLITE_REAL_BUF, &len, &nomem);
			if (nomem) {
				error = fail(sb, SQLITE_NOMEM);
				goto done;
			}
		}
		if ((error = cb(payload, (size_t)ncols, cells)) != 0)
			goto done;
	}
	if (rc != SQLITE_DONE)
		error = fail(sb, rc);
done:
	free(cells);
	free(reals);
	sqlite3_finalize(stmt);
	return error;
}

/* SQLite's prepared statement: one sqlite3_stmt, reset after each execute */
struct sra_stmt {
	sqlite_backend *sb;
	sqlite3_stmt *stmt;	/* NULL for a statement of only comments */
};

static int sqlite_prepare(sra_stmt **out, sra_backend *be, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	struct sra_stmt *st;
	int error;

	SRA_ASSERT_ARG(out && be && sql);
	if ((error = prepare_one(&stmt, SB(be), sql)) < 0)
		return error;
	st = sra__calloc(1, sizeof(*st));
	st->sb = SB(be);
	st->stmt = stmt;
	*out = st;
	return 0;
}

static int sqlite_execute(sra_stmt *st, const sra_value *params, size_t nparams)
{
	int error;

	SRA_ASSERT_ARG(st && (params || !nparams));
	if (!st->stmt)
		return 0;
	if ((error = bind_params(st->sb, st->stmt, params, nparams)) == 0)
		error = step_all(NULL, st->sb, st->stmt);
	sqlite3_reset(st->stmt);
	sqlite3_clear_bindings(st->stmt);
	return error;
}

static void sqlite_finalize(sra_stmt *st)
{
	if (!st)
		return;
	sqlite3_finalize(st->stmt);
	free(st);
}

/* the statement for n rows of the bulk load: copy_head and n groups of placeholders */
static int copy_prepare(sqlite3_stmt **out, sqlite_backend *sb, size_t nrows)
{
	sra_buf sql = SRA_BUF_INIT;
	size_t r, i;
	int rc, error = 0;

	sra_buf_put(&sql, sb->copy_head.ptr, sb->copy_head.size);
	for (r = 0; r < nrows; r++) {
		sra_buf_puts(&sql, r ? ", (" : "(");
		for (i = 0; i < sb->copy_ncols; i++)
			sra_buf_puts(&sql, i ? ", ?" : "?");
		sra_buf_putc(&sql, ')');
	}
	*out = NULL;
	rc = sqlite3_prepare_v3(sb->db, sra_buf_cstr(&sql), -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
	if (rc != SQLITE_OK) {
		error = fail(sb, rc);
		sqlite3_finalize(*out);
		*out = NULL;
	}
	sra_buf_dispose(&sql);
	return error;
}

/* end the bulk load, sending nothing more */
static void copy_discard(sqlite_backend *sb)
{
	sqlite3_finalize(sb->copy_stmt);
	sb->copy_stmt = NULL;
	sra_buf_dispose(&sb->copy_head);
	sra_buf_dispose(&sb->copy_text);
	free(sb->copy_off);
	sb->copy_off = NULL;
	sb->copy_pending = 0;
}

/* send the rows held: by copy_stmt when they are copy_rows, else by a statement made for their number */
static int copy_flush(sqlite_backend *sb)
{
	sqlite3_stmt *stmt = sb->copy_stmt, *own = NULL;
	size_t i, n = sb->copy_pending * sb->copy_ncols;
	int rc = SQLITE_OK, error = 0;

	if (sb->copy_pending != sb->copy_rows) {
		if ((error = copy_prepare(&own, sb, sb->copy_pending)) < 0)
			goto done;
		stmt = own;
	}
	for (i = 0; i < n && rc == SQLITE_OK; i++)
		rc = sb->copy_off[i] == SIZE_MAX ? sqlite3_bind_null(stmt, (int)i + 1)
			: sqlite3_bind_text(stmt, (int)i + 1, sb->copy_text.ptr + sb->copy_off[i], -1,
					    SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE)
		error = fail(sb, rc);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
done:
	sqlite3_finalize(own);
	sb->copy_pending = 0;
	sra_buf_clear(&sb->copy_text);
	return error;
}

static int sqlite_copy_begin(sra_backend *be, const char *table, const char *const *columns, size_t ncols)
{
	sqlite_backend *sb = SB(be);
	size_t i, max_rows;
	int error;

	SRA_ASSERT_ARG(be && table && columns && ncols);
	if (sb->copy_stmt) {
		sb->parent.sqlstate[0] = '\0';
		return sra_error_set(SRA_ERROR_DB, SRA_EINVALID, "a bulk load is in progress: copy_end() first");
	}
	sra_buf_puts(&sb->copy_head, "INSERT INTO ");
	sra_buf_put_sql_ident(&sb->copy_head, table);
	sra_buf_puts(&sb->copy_head, " (");
	for (i = 0; i < ncols; i++) {
		if (i)
			sra_buf_puts(&sb->copy_head, ", ");
		sra_buf_put_sql_ident(&sb->copy_head, columns[i]);
	}
	sra_buf_puts(&sb->copy_head, ") VALUES ");
	sb->copy_ncols = ncols;
	max_rows = (size_t)sqlite3_limit(sb->db, SQLITE_LIMIT_VARIABLE_NUMBER, -1) / ncols;
	sb->copy_rows = max_rows < COPY_ROWS ? (max_rows ? max_rows : 1) : COPY_ROWS;
	if ((error = copy_prepare(&sb->copy_stmt, sb, sb->copy_rows)) < 0) {
		copy_discard(sb);
		return error;
	}
	sb->copy_off = sra__calloc(sb->copy_rows * ncols, sizeof(*sb->copy_off));
	return 0;
}

/*
 * Text cells, converted by the columns' affinity as PostgreSQL's COPY parses
 * them.  The row is copied and held; a failure shows at the copy_row that
 * sends its group, or at copy_end, as PostgreSQL's does.
 */
static int sqlite_copy_row(sra_backend *be, const char *const *cells, size_t ncols)
{
	sqlite_backend *sb = SB(be);
	size_t i, *off;

	SRA_ASSERT_ARG(be && (cells || !ncols));
	if (!sb->copy_stmt) {
		sb->parent.sqlstate[0] = '\0';
		return sra_error_set(SRA_ERROR_DB, SRA_EINVALID, "no bulk load in progress: copy_begin() first");
	}
	if (ncols != sb->copy_ncols) {
		sb->parent.sqlstate[0] = '\0';
		return sra_error_set(SRA_ERROR_DB, SRA_EINVALID,
			"bulk load row of %zu cells for %zu columns", ncols, sb->copy_ncols);
	}
	off = sb->copy_off + sb->copy_pending * ncols;
	for (i = 0; i < ncols; i++) {
		if (!cells[i]) {
			off[i] = SIZE_MAX;
			continue;
		}
		off[i] = sb->copy_text.size;
		sra_buf_put(&sb->copy_text, cells[i], strlen(cells[i]) + 1);
	}
	if (++sb->copy_pending < sb->copy_rows && sb->copy_text.size < COPY_BYTES)
		return 0;
	return copy_flush(sb);
}

static int sqlite_copy_end(sra_backend *be, int ok)
{
	sqlite_backend *sb = SB(be);
	int error = 0;

	SRA_ASSERT_ARG(be);
	if (!sb->copy_stmt)
		return ok ? sra_error_set(SRA_ERROR_DB, SRA_EINVALID, "no bulk load in progress") : 0;
	if (ok && sb->copy_pending)
		error = copy_flush(sb);
	copy_discard(sb);
	return error;
}

/* IMMEDIATE takes the write lock now, under the busy timeout, instead of at the first write */
static int sqlite_begin(sra_backend *be)
{
	return sqlite_exec(be, "BEGIN IMMEDIATE");
}

/* rows a bulk load still holds would be lost: copy_end() comes first, as on PostgreSQL */
static int sqlite_commit(sra_backend *be)
{
	if (SB(be)->copy_stmt) {
		SB(be)->parent.sqlstate[0] = '\0';
		return sra_error_set(SRA_ERROR_DB, SRA_EINVALID, "a bulk load is in progress: copy_end() first");
	}
	return sqlite_exec(be, "COMMIT");
}

/*
 * Harmless when no transaction is open, e.g. after SQLite rolled one back
 * itself.  Ends a bulk load in progress, as PostgreSQL's must end its COPY.
 */
static int sqlite_rollback(sra_backend *be)
{
	SRA_ASSERT_ARG(be);
	copy_discard(SB(be));
	if (sqlite3_get_autocommit(SB(be)->db))
		return 0;
	return sqlite_exec(be, "ROLLBACK");
}

/* begin() already holds the only write lock SQLite has */
static int sqlite_xact_lock(sra_backend *be, int64_t key, int timeout_ms)
{
	(void)be;
	(void)key;
	(void)timeout_ms;
	return 0;
}

/* SQLite has no table locks to wait for */
static int sqlite_set_ddl_lock_timeout(sra_backend *be, int timeout_ms)
{
	(void)be;
	(void)timeout_ms;
	return 0;
}

static void sqlite_close(sra_backend *be)
{
	sqlite_backend *sb;

	if (!be)
		return;
	sb = SB(be);
	/* every other statement is finalized by the op that prepared it (or by finalize()) */
	copy_discard(sb);
	sqlite3_close(sb->db);	/* an open transaction rolls back */
	if (sb->lock_fd >= 0)
		close(sb->lock_fd);	/* after SQLite let go of its locks */
	free(sb);
}

/*
 * Open (creating when missing) the file `target`, or ":memory:".  The header
 * is read here, so "file is not a database" surfaces at open.
 */
static int sqlite_open(sra_backend **out, const char *target, const sra_open_options *opts)
{
	sra_open_options defaults = SRA_OPEN_OPTIONS_INIT;
	sqlite_backend *sb;
	int rc, error = 0;

	SRA_ASSERT_ARG(out && target);
	if (!opts)
		opts = &defaults;
	if (opts->version >= 2 && opts->must_exist && strcmp(target, ":memory:") != 0) {
		struct stat st;

		if (stat(target, &st) < 0)
			return sra_error_set(SRA_ERROR_DB, errno == ENOENT ? SRA_ENOTFOUND : SRA_EBACKEND,
					     "cannot open SQLite database '%s': %s (nothing was created)",
					     target, strerror(errno));
	}
	sb = sra__calloc(1, sizeof(*sb));
	sb->parent.ops = &sra_backend_sqlite;
	sb->busy_timeout_ms = opts->busy_timeout_ms > 0 ? opts->busy_timeout_ms : 0;
	sb->lock_fd = -1;
	if (opts->version >= 3) {
		sb->lock_wait = opts->lock_wait;
		sb->lock_wait_payload = opts->lock_wait_payload;
	}

	/* no connection mutex: a handle is used by one thread at a time (db.h) */
	rc = sqlite3_open_v2(target, &sb->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		error = sra_error_set(SRA_ERROR_DB, SRA_EBACKEND, "cannot open SQLite database '%s': %s",
				      target, sb->db ? sqlite3_errmsg(sb->db) : sqlite3_errstr(rc));
		goto done;
	}
	sqlite3_busy_handler(sb->db, busy_wait, sb);
	/*
	 * 8 KiB pages for a new file (the pragma does nothing once the file
	 * has a schema): a record with its abstract and raw_data is ~2.5 KB,
	 * so 4 KiB pages hold one and spill; imports ran ~20 % faster.
	 * Temporary storage in memory: a statement that writes many rows
	 * (a bulk load's INSERT, INSERT … SELECT) keeps a statement journal,
	 * which otherwise goes to a temporary file after 64 KiB -- 560,000
	 * extra writes for 100,000 imported records.  sra makes no temporary
	 * tables on SQLite; sorts still spill to files, while ephemeral tables
	 * (DISTINCT, automatic indexes) are held in memory.
	 */
	if ((error = sqlite_exec(&sb->parent, "PRAGMA page_size = 8192")) < 0 ||
	    (error = sqlite_exec(&sb->parent, "PRAGMA foreign_keys = ON")) < 0 ||
	    (error = sqlite_exec(&sb->parent, "PRAGMA temp_store = MEMORY")) < 0 ||
	    (error = sqlite_exec(&sb->parent, "PRAGMA schema_version")) < 0) {
		sra_error_prefix("cannot open SQLite database '%s'", target);
		goto done;
	}
	*out = &sb->parent;
	sb = NULL;
done:
	if (sb) {
		sqlite3_close(sb->db);	/* NULL is harmless */
		if (sb->lock_fd >= 0)
			close(sb->lock_fd);
		free(sb);
	}
	return error;
}

/*
 * A million benchmark items go into twelve indexes, five of them keyed by
 * random UUIDs; with the default 2 MB page cache nearly every insert reads
 * and writes pages (measured with the sqlite3 shell: 204 s for 10^6 items
 * with 2 MB, 126-135 s with 64-128 MB).  The cache grows only as pages are
 * touched, and goes back to SQLite's default after.
 */
static int sqlite_bulk_hint(sra_backend *be, int on)
{
	return sqlite_exec(be, on ? "PRAGMA cache_size = -65536" : "PRAGMA cache_size = -2000");
}

const sra_backend_ops sra_backend_sqlite = {
	.version = SRA_BACKEND_OPS_VERSION,
	.name = "sqlite",
	.caps = SRA_CAP_TXN_DDL | SRA_CAP_FK_PRAGMA,
	.open = sqlite_open,
	.close = sqlite_close,
	.exec = sqlite_exec,
	.query = sqlite_query,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.xact_lock = sqlite_xact_lock,
	.set_ddl_lock_timeout = sqlite_set_ddl_lock_timeout,
	.query_each = sqlite_query_each,
	.prepare = sqlite_prepare,
	.execute = sqlite_execute,
	.finalize = sqlite_finalize,
	.copy_begin = sqlite_copy_begin,
	.copy_row = sqlite_copy_row,
	.copy_end = sqlite_copy_end,
	.bulk_hint = sqlite_bulk_hint,
	/* lower-case text, as the migrations' SQLite defaults make them */
	.uuid_sql = "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'"
		    " || substr(hex(randomblob(2)), 2) || '-'"
		    " || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2)"
		    " || '-' || hex(randomblob(6)))",
};

const char *sra_db_sqlite_version(void)
{
	return sqlite3_libversion();
}
