/*
 * The migration engine: from a chain, a database state and a target to the
 * statements that get there, run online one transaction per revision (or
 * one for the plan with `atomic`), or printed offline.
 *
 * The state of a database is a set of applied revisions, closed under
 * "parent of"; the version table holds its heads (Alembic's layout).  A
 * target names the set wanted.  The engine never trusts a plan made outside
 * the lock: each transaction takes the migrator lock, re-reads the version
 * table and plans its next step again, so concurrent migrators interleave
 * safely, revision by revision, even through a transaction-pooling proxy
 * where a session lock would outlive its client.
 */
#include "common.h"
#include "chain.h"
#include "db_int.h"
#include "sql_split.h"
#include "sqlite_translate.h"
#include "version_table.h"

#include <ctype.h>
#include <pwd.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* "sra_migr" in ASCII: the advisory lock key every sra migrator uses */
#define SRA_MIGRATE_LOCK_KEY INT64_C(0x7372615f6d696772)

/* ---- revision sets ---------------------------------------------------- */

/* a set of revisions: one flag per position in chain->order */
typedef struct revset {
	unsigned char *in;
	size_t n;
} revset;

static revset revset_new(const sra_chain *chain)
{
	revset s = { sra__calloc(chain->n ? chain->n : 1, 1), chain->n };
	return s;
}

static void revset_dispose(revset *s)
{
	free(s->in);
	s->in = NULL;
}

static revset revset_copy(const revset *s)
{
	revset c = { sra__malloc(s->n ? s->n : 1), s->n };
	memcpy(c.in, s->in, s->n);
	return c;
}

static int revset_equal(const revset *a, const revset *b)
{
	return memcmp(a->in, b->in, a->n) == 0;
}

static const sra_revision *find_rev(const sra_chain *chain, const char *id)
{
	size_t i;

	for (i = 0; i < chain->n; i++)
		if (strcmp(chain->order[i]->id, id) == 0)
			return chain->order[i];
	return NULL;
}

/* add rev and all its ancestors */
static void add_ancestors(revset *s, const sra_chain *chain, const sra_revision *rev)
{
	size_t i;

	if (s->in[rev->index])
		return;
	s->in[rev->index] = 1;
	for (i = 0; i < rev->parents.n; i++)
		add_ancestors(s, chain, find_rev(chain, rev->parents.v[i]));
}

static int is_parent_of(const sra_revision *parent, const sra_revision *child)
{
	return sra_strv_find(&child->parents, parent->id) >= 0;
}

/* remove rev's strict descendants */
static void remove_descendants(revset *s, const sra_chain *chain, const sra_revision *rev)
{
	size_t i;

	for (i = rev->index + 1; i < chain->n; i++)
		if (s->in[i] && is_parent_of(rev, chain->order[i])) {
			s->in[i] = 0;
			remove_descendants(s, chain, chain->order[i]);
		}
	/* a descendant may be reachable through several paths: sweep once more */
	for (i = rev->index + 1; i < chain->n; i++) {
		size_t k;
		for (k = 0; k < chain->order[i]->parents.n; k++) {
			const sra_revision *p = find_rev(chain, chain->order[i]->parents.v[k]);
			if (s->in[i] && !s->in[p->index])
				s->in[i] = 0;
		}
	}
}

/* the heads of a set: members none of whose children are members */
static void revset_heads(sra_strv *out, const revset *s, const sra_chain *chain)
{
	size_t i, j;

	for (i = 0; i < chain->n; i++) {
		int head = s->in[i];
		for (j = i + 1; head && j < chain->n; j++)
			if (s->in[j] && is_parent_of(chain->order[i], chain->order[j]))
				head = 0;
		if (head)
			sra_strv_push(out, chain->order[i]->id);
	}
}

static char *heads_label(const revset *s, const sra_chain *chain)
{
	sra_strv heads = SRA_STRV_INIT;
	sra_buf b = SRA_BUF_INIT;
	size_t i;

	revset_heads(&heads, s, chain);
	for (i = 0; i < heads.n; i++)
		sra_buf_printf(&b, "%s%s", i ? "," : "", heads.v[i]);
	sra_strv_dispose(&heads);
	return sra_buf_detach(&b);
}

/* the state whose heads are the version-table rows */
static int revset_from_ids(revset *out, const sra_chain *chain, const sra_strv *ids)
{
	size_t i;

	*out = revset_new(chain);
	for (i = 0; i < ids->n; i++) {
		const sra_revision *rev = find_rev(chain, ids->v[i]);
		if (!rev) {
			revset_dispose(out);
			if (sra_chain__alembic_only(ids->v[i]))
				return sra_error_set(SRA_ERROR_CHAIN, SRA_ECONFLICT,
					"the database is at %s, a revision of the Python application's Alembic chain that sra does not ship: "
					"bring it to ad42aea13565 with that application's `alembic upgrade ad42aea13565` first "
					"(or, after checking the schema matches, `sra db stamp`)", ids->v[i]);
			return sra_error_set(SRA_ERROR_CHAIN, SRA_ECONFLICT,
				"the database is at revision %s, which the migration chain does not know "
				"(wrong --migrations directory? after checking the schema, `sra db stamp REV` sets the version)",
				ids->v[i]);
		}
		add_ancestors(out, chain, rev);
	}
	return 0;
}

/* ---- targets ------------------------------------------------------------ */

static int parse_count(long *out, const char *s)
{
	char *end;
	long v;

	if (!*s || !isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, 10);
	if (*end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

/* the single head of a set, for relative targets */
static int single_head(const sra_revision **out, const revset *s, const sra_chain *chain, const char *what)
{
	sra_strv heads = SRA_STRV_INIT;
	int error = 0;

	revset_heads(&heads, s, chain);
	if (heads.n > 1) {
		char *l = heads_label(s, chain);
		error = sra_error_set(SRA_ERROR_CHAIN, SRA_ECONFLICT,
				      "'%s' is ambiguous: the database has several heads (%s)", what, l);
		free(l);
	} else {
		*out = heads.n ? find_rev(chain, heads.v[0]) : NULL;
	}
	sra_strv_dispose(&heads);
	return error;
}

/* walk n steps from `from` (NULL = base) towards the children; one path only */
static int step_forward(const sra_revision **out, const sra_chain *chain, const sra_revision *from,
			long n, const char *what)
{
	const sra_revision *cur = from;
	long k;
	size_t i;

	for (k = 0; k < n; k++) {
		const sra_revision *next = NULL;
		for (i = cur ? cur->index + 1 : 0; i < chain->n; i++) {
			const sra_revision *c = chain->order[i];
			if (cur ? is_parent_of(cur, c) : c->parents.n == 0) {
				if (next)
					return sra_error_set(SRA_ERROR_CHAIN, SRA_ECONFLICT,
						"'%s' is ambiguous: %s branches into %s and %s", what,
						cur ? cur->id : "base", next->id, c->id);
				next = c;
			}
		}
		if (!next)
			return sra_error_set(SRA_ERROR_CHAIN, SRA_EINVALID,
				"'%s': there are only %ld revision(s) after %s", what, k, cur ? cur->id : "base");
		cur = next;
	}
	*out = cur;
	return 0;
}

/* walk n steps back from `from`; NULL out = base */
static int step_back(const sra_revision **out, const sra_chain *chain, const sra_revision *from,
		     long n, const char *what)
{
	const sra_revision *cur = from;
	long k;

	for (k = 0; k < n; k++) {
		if (!cur)
			return sra_error_set(SRA_ERROR_CHAIN, SRA_EINVALID,
				"'%s' goes below base: only %ld revision(s) to undo", what, k);
		if (cur->parents.n > 1)
			return sra_error_set(SRA_ERROR_CHAIN, SRA_ECONFLICT,
				"'%s' is ambiguous: %s is a merge of %zu revisions; name the target revision",
				what, cur->id, cur->parents.n);
		cur = cur->parents.n ? find_rev(chain, cur->parents.v[0]) : NULL;
	}
	*out = cur;
	return 0;
}

/*
 * The state a target names, from the current state `cur`.
 * Upgrade: "head", "heads", REV, "+N", "REV+N".  Downgrade: "-N", "REV-N",
 * REV, "base".
 */
static int resolve_target(revset *goal, const sra_chain *chain, const revset *cur,
			  const char *target, int upgrade)
{
	const sra_revision *rev = NULL, *base_rev = NULL;
	char *copy = NULL, *sign;
	long n = 0;
	int error = 0;

	*goal = revset_copy(cur);
	if (!target || !*target)
		target = upgrade ? "head" : "";

	if (strcmp(target, "heads") == 0 || strcmp(target, "head") == 0) {
		size_t i;
		if (!upgrade) {
			error = sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
				"'%s' is not a downgrade target (use -N, a revision or base)", target);
			goto done;
		}
		if (strcmp(target, "head") == 0) {
			sra_strarray heads;
			sra_chain_heads(&heads, chain);
			if (heads.count > 1) {
				sra_buf l = SRA_BUF_INIT;
				for (i = 0; i < heads.count; i++)
					sra_buf_printf(&l, "%s%s", i ? ", " : "", heads.strings[i]);
				error = sra_error_set(SRA_ERROR_CHAIN, SRA_ECONFLICT,
					"the chain has %zu heads (%s): upgrade to 'heads', to one of them, or join them with `sra db merge`",
					heads.count, sra_buf_cstr(&l));
				sra_buf_dispose(&l);
				sra_strarray_dispose(&heads);
				goto done;
			}
			sra_strarray_dispose(&heads);
		}
		for (i = 0; i < chain->n; i++)
			goal->in[i] = 1;
		goto done;
	}
	if (strcmp(target, "base") == 0) {
		if (upgrade) {
			error = sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "'base' is not an upgrade target");
			goto done;
		}
		memset(goal->in, 0, goal->n);
		goto done;
	}

	copy = sra__strdup(target);
	sign = strpbrk(copy, "+-");
	if (sign) {
		int plus = *sign == '+';
		/* REV+N and REV-N name a revision, in either direction; +N and -N are steps */
		if (parse_count(&n, sign + 1) < 0 || (sign == copy && plus != upgrade)) {
			error = sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
				"bad %s target '%s' (expected %s)", upgrade ? "upgrade" : "downgrade", target,
				upgrade ? "head, heads, REV, +N or REV+N" : "-N, REV-N, REV or base");
			goto done;
		}
		*sign = '\0';
		if (*copy) {
			if ((error = sra_chain_lookup(&base_rev, chain, copy)) < 0)
				goto done;
		} else if ((error = single_head(&base_rev, cur, chain, target)) < 0) {
			goto done;
		}
		error = plus ? step_forward(&rev, chain, base_rev, n, target)
			     : step_back(&rev, chain, base_rev, n, target);
		if (error < 0)
			goto done;
		if (!rev) {	/* -N reached base */
			memset(goal->in, 0, goal->n);
			goto done;
		}
	} else if ((error = sra_chain_lookup(&rev, chain, copy)) < 0) {
		if (error == SRA_ENOTFOUND)
			error = SRA_EINVALID;
		goto done;
	}

	if (upgrade) {
		add_ancestors(goal, chain, rev);
	} else {
		if (!cur->in[rev->index]) {
			error = sra_error_set(SRA_ERROR_CHAIN, SRA_EINVALID,
				"cannot downgrade to %s: it is not applied", rev->id);
			goto done;
		}
		remove_descendants(goal, chain, rev);
	}
done:
	free(copy);
	if (error < 0)
		revset_dispose(goal);
	return error;
}

/*
 * The next revision to run from `cur` towards `goal` in one direction, or
 * NULL when there is none.  A run never moves against its direction: an
 * upgrade whose goal another migrator has overtaken does not undo its work.
 */
static const sra_revision *next_step(const sra_chain *chain, const revset *cur, const revset *goal,
				     int upgrade)
{
	size_t i;

	if (!upgrade) {
		for (i = chain->n; i-- > 0;)	/* newest first */
			if (cur->in[i] && !goal->in[i])
				return chain->order[i];
		return NULL;
	}
	for (i = 0; i < chain->n; i++)		/* oldest first */
		if (!cur->in[i] && goal->in[i])
			return chain->order[i];
	return NULL;
}

/* ---- the runner: a database, or a script being written ------------------ */

typedef struct runner {
	sra_db *db;			/* NULL: offline, statements go to `script` */
	const sra_backend_ops *ops;	/* the dialect */
	const sra_chain *chain;
	const sra_migrate_options *opts;
	sra_buf script;
	sra_xlate *xlate;		/* SQLite: the schema model at xlate_state */
	revset xlate_state;
	char *applied_by;
	int begin_pending;		/* BEGIN ran but is not shown yet */
} runner;

static int translating(const runner *r)
{
	return !sra_ops__is_pg(r->ops);
}

/* render $N parameters as literals: what --sql prints and trace receives */
static char *render(const char *sql, const sra_value *params, size_t n)
{
	sra_buf b = SRA_BUF_INIT;
	const char *p = sql;

	while (*p) {
		if (*p == '$' && isdigit((unsigned char)p[1])) {
			char *end;
			long k = strtol(p + 1, &end, 10);
			if (k >= 1 && (size_t)k <= n) {
				const sra_value *v = &params[k - 1];
				switch (v->type) {
				case SRA_VALUE_NULL: sra_buf_puts(&b, "NULL"); break;
				case SRA_VALUE_TEXT: sra_buf_put_sql_literal(&b, v->u.text); break;
				case SRA_VALUE_INT: sra_buf_printf(&b, "%lld", (long long)v->u.i); break;
				case SRA_VALUE_REAL: sra_buf_printf(&b, "%.17g", v->u.r); break;
				case SRA_VALUE_BOOL: sra_buf_puts(&b, v->u.b ? "true" : "false"); break;
				}
				p = end;
				continue;
			}
		}
		sra_buf_putc(&b, *p++);
	}
	return sra_buf_detach(&b);
}

static void emit_text(runner *r, const char *sql);

/*
 * BEGIN is shown lazily, with the first statement of its transaction: a
 * transaction that only took the lock and read the version table (nothing
 * left to do) is not part of the script.
 */
static void flush_begin(runner *r)
{
	if (!r->begin_pending)
		return;
	r->begin_pending = 0;
	if (r->ops->caps & SRA_CAP_FK_PRAGMA)
		emit_text(r, "PRAGMA foreign_keys = OFF");
	emit_text(r, sra_ops__is_pg(r->ops) ? "BEGIN" : "BEGIN IMMEDIATE");
}

static void emit_text(runner *r, const char *sql)
{
	if (r->db) {
		if (r->opts->trace) {
			char *line = sra__sprintf("%s;", sql);
			r->opts->trace(line, r->opts->payload);
			free(line);
		}
	} else {
		sra_buf_printf(&r->script, "%s;\n", sql);
	}
}

/* one statement of the script: traced, then run (online) or printed */
static int emit(runner *r, const char *sql, const sra_value *params, size_t n)
{
	char *shown = render(sql, params, n);
	int error = 0;

	flush_begin(r);
	emit_text(r, shown);
	free(shown);
	if (r->db)
		error = n ? sra_db__query(NULL, r->db, sql, params, n) : sra_db__exec(r->db, sql);
	return error;
}

static void emit_comment(runner *r, const char *fmt, ...) SRA_PRINTF(2, 3);
static void emit_comment(runner *r, const char *fmt, ...)
{
	va_list ap;

	if (r->db)
		return;
	sra_buf_puts(&r->script, "-- ");
	va_start(ap, fmt);
	sra_buf_vprintf(&r->script, fmt, ap);
	va_end(ap);
	sra_buf_putc(&r->script, '\n');
}

static int run_begin(runner *r)
{
	int error;

	r->begin_pending = 1;
	if (!r->db)
		return 0;
	if ((r->ops->caps & SRA_CAP_FK_PRAGMA) && (error = sra_db__exec(r->db, "PRAGMA foreign_keys = OFF")) < 0)
		return error;
	return sra_db__begin(r->db);
}

/* with foreign keys off for the transaction, its rows are checked before COMMIT */
static int check_foreign_keys(runner *r)
{
	sra_rows *rows = NULL;
	int error;

	emit_text(r, "PRAGMA foreign_key_check");
	if (!r->db)
		return 0;
	if ((error = sra_db__query(&rows, r->db, "PRAGMA foreign_key_check", NULL, 0)) < 0)
		return error;
	if (rows->nrows > 0)
		error = sra_error_set(SRA_ERROR_MIGRATE, SRA_EBACKEND,
			"foreign key violation: a row of %s (rowid %s) references a missing row of %s",
			sra_rows_get(rows, 0, 0), sra_rows_get(rows, 0, 1) ? sra_rows_get(rows, 0, 1) : "?",
			sra_rows_get(rows, 0, 2));
	sra_rows_free(rows);
	return error;
}

static int foreign_keys_on(runner *r)
{
	return r->db ? sra_db__exec(r->db, "PRAGMA foreign_keys = ON") : 0;
}

static int run_commit(runner *r)
{
	int shown = !r->begin_pending;	/* a transaction that wrote nothing is not shown */
	int fk = (r->ops->caps & SRA_CAP_FK_PRAGMA) != 0;
	int error;

	r->begin_pending = 0;
	if (shown) {
		if (fk && (error = check_foreign_keys(r)) < 0)
			return error;	/* the caller rolls back */
		emit_text(r, "COMMIT");
	}
	if (r->db && (error = sra_db__commit(r->db)) < 0)
		return error;
	if (!fk)
		return 0;
	if (shown)
		emit_text(r, "PRAGMA foreign_keys = ON");
	return foreign_keys_on(r);
}

static void run_rollback(runner *r)
{
	r->begin_pending = 0;
	if (r->db) {
		sra_db__rollback(r->db);
		if (r->ops->caps & SRA_CAP_FK_PRAGMA)
			foreign_keys_on(r);
	}
}

/* ---- what a step runs --------------------------------------------------- */

/*
 * Bring the SQLite translator's schema model to `state` by replaying the
 * upgrades of its revisions from base; a no-op when it is there already.
 */
static int xlate_sync(runner *r, const revset *state);

/*
 * The statements of one direction of a revision for the runner's dialect,
 * translated where the dialect needs it; advances the translator's model.
 * Errors name the file and line.
 */
static int step_statements(sra_stmtv *out, runner *r, const sra_revision *rev, int upgrade)
{
	const sra_section *parts[16];
	size_t nparts = sra_revision__sections(parts, 16, rev, upgrade, r->ops->name), i, j, k;
	int error = 0;

	for (i = 0; i < nparts && error == 0; i++) {
		sra_stmtv raw = SRA_STMTV_INIT;
		int native = parts[i]->dialect != NULL;	/* a dialect block runs as written */

		if (native && !sra_ops__is_pg(r->ops))
			error = sra_sql__split_sqlite(&raw, parts[i]->text, rev->path, parts[i]->line);
		else
			error = sra_sql__split_pg(&raw, parts[i]->text, rev->path, parts[i]->line);

		for (j = 0; j < raw.n && error == 0; j++) {
			if (!translating(r)) {
				sra_stmtv_push(out, raw.v[j].sql, raw.v[j].line);
			} else if (native) {
				sra_xlate_observe_sqlite(r->xlate, raw.v[j].sql);
				sra_stmtv_push(out, raw.v[j].sql, raw.v[j].line);
			} else {
				sra_strv t = SRA_STRV_INIT;
				if ((error = sra_xlate_statement(&t, r->xlate, raw.v[j].sql)) < 0)
					sra_error_prefix("%s:%d: cannot translate to SQLite", rev->path, raw.v[j].line);
				for (k = 0; k < t.n; k++)
					sra_stmtv_push(out, t.v[k], raw.v[j].line);
				sra_strv_dispose(&t);
			}
		}
		sra_stmtv_dispose(&raw);
	}
	if (error < 0)
		sra_stmtv_dispose(out);
	return error;
}

static int xlate_sync(runner *r, const revset *state)
{
	size_t i;
	int error = 0;

	if (!translating(r))
		return 0;
	if (r->xlate && revset_equal(&r->xlate_state, state))
		return 0;
	sra_xlate_free(r->xlate);
	revset_dispose(&r->xlate_state);
	r->xlate = NULL;
	if ((error = sra_xlate_new(&r->xlate)) < 0)
		return error;
	r->xlate_state = revset_new(r->chain);
	for (i = 0; i < r->chain->n && error == 0; i++) {
		sra_stmtv ignored = SRA_STMTV_INIT;
		if (!state->in[i])
			continue;
		error = step_statements(&ignored, r, r->chain->order[i], 1);
		sra_stmtv_dispose(&ignored);
		r->xlate_state.in[i] = 1;
	}
	if (error < 0) {
		sra_xlate_free(r->xlate);
		r->xlate = NULL;
	}
	return error;
}

/* the version-table statements that move the heads of `before` to `after` */
static int emit_version_change(runner *r, const revset *before, const revset *after)
{
	sra_strv was = SRA_STRV_INIT, now = SRA_STRV_INIT, gone = SRA_STRV_INIT, added = SRA_STRV_INIT;
	size_t i;
	int error = 0;

	revset_heads(&was, before, r->chain);
	revset_heads(&now, after, r->chain);
	for (i = 0; i < was.n; i++)
		if (sra_strv_find(&now, was.v[i]) < 0)
			sra_strv_push(&gone, was.v[i]);
	for (i = 0; i < now.n; i++)
		if (sra_strv_find(&was, now.v[i]) < 0)
			sra_strv_push(&added, now.v[i]);

	if (gone.n == 1 && added.n == 1) {
		sra_value p[2] = { SRA_VAL_TEXT(added.v[0]), SRA_VAL_TEXT(gone.v[0]) };
		error = emit(r, "UPDATE alembic_version SET version_num = $1 WHERE alembic_version.version_num = $2", p, 2);
	} else {
		for (i = 0; i < gone.n && error == 0; i++) {
			sra_value p[1] = { SRA_VAL_TEXT(gone.v[i]) };
			error = emit(r, "DELETE FROM alembic_version WHERE alembic_version.version_num = $1", p, 1);
		}
		for (i = 0; i < added.n && error == 0; i++) {
			sra_value p[1] = { SRA_VAL_TEXT(added.v[i]) };
			error = emit(r, "INSERT INTO alembic_version (version_num) VALUES ($1)", p, 1);
		}
	}
	sra_strv_dispose(&was);
	sra_strv_dispose(&now);
	sra_strv_dispose(&gone);
	sra_strv_dispose(&added);
	return error;
}

static int emit_log(runner *r, const char *revision, const char *direction, const char *checksum,
		    double duration_ms)
{
	sra_value p[6] = {
		SRA_VAL_TEXT(revision), SRA_VAL_TEXT(direction), SRA_VAL_TEXT(checksum),
		SRA_VAL_TEXT(r->applied_by),
		r->db ? SRA_VAL_REAL(duration_ms) : SRA_VAL_NULL,
		SRA_VAL_TEXT(SRA_VERSION)
	};
	return emit(r, "INSERT INTO sra_migration_log (revision, direction, checksum, applied_by, duration_ms, sra_version) "
		       "VALUES ($1, $2, $3, $4, $5, $6)", p, 6);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * Run a revision's statements; on failure *failed is the index of the one
 * that failed.  Where every call is a round trip (SRA_CAP_BATCH) the
 * statements of a transactional revision go to the server in one message,
 * which is what makes a migration as fast as `psql -1 -f`.  The server does
 * not say which statement of a batch failed, so then the transaction is
 * rolled back and the statements run again one by one in a fresh one, under
 * the lock, until one fails; that one is rolled back too.  Failure is the
 * rare path; the common one pays one round trip per revision.
 */
static int run_statements(size_t *failed, runner *r, const sra_revision *rev, const sra_stmtv *stmts)
{
	sra_buf all = SRA_BUF_INIT;
	char *saved;
	size_t i;
	int error = 0;

	*failed = stmts->n;
	if (!r->db || !(r->ops->caps & SRA_CAP_BATCH) || !rev->transactional || stmts->n < 2) {
		for (i = 0; i < stmts->n; i++)
			if ((error = emit(r, stmts->v[i].sql, NULL, 0)) < 0) {
				*failed = i;
				return error;
			}
		return 0;
	}
	flush_begin(r);
	for (i = 0; i < stmts->n; i++) {
		emit_text(r, stmts->v[i].sql);
		sra_buf_printf(&all, "%s;\n", stmts->v[i].sql);
	}
	error = sra_db__exec(r->db, sra_buf_cstr(&all));
	sra_buf_dispose(&all);
	if (error == 0)
		return 0;

	/* find the statement: again, one by one, in a transaction rolled back after */
	saved = sra__strdup(sra_error_last() ? sra_error_last()->message : "");
	sra_db__rollback(r->db);
	if (sra_db__begin(r->db) == 0 &&
	    sra_db__xact_lock(r->db, SRA_MIGRATE_LOCK_KEY, r->opts->lock_timeout_ms) == 0 &&
	    sra_db__set_ddl_lock_timeout(r->db, r->opts->ddl_lock_timeout_ms) == 0) {
		for (i = 0; i < stmts->n; i++)
			if (sra_db__exec(r->db, stmts->v[i].sql) < 0) {
				*failed = i;
				break;
			}
	}
	sra_db__rollback(r->db);
	if (*failed == stmts->n)	/* not found again: keep what the batch said */
		sra_error_set(SRA_ERROR_DB, error, "%s", saved);
	free(saved);
	return error;
}

/*
 * Run one step inside the current transaction: the revision's statements,
 * the version-table change and the log row.  `cur` becomes the new state.
 */
static int run_step(runner *r, revset *cur, const sra_revision *rev, int upgrade, double started)
{
	sra_stmtv stmts = SRA_STMTV_INIT;
	revset after = revset_copy(cur);
	char checksum[65], *from = NULL, *to = NULL;
	sra_migrate_event ev;
	size_t i;
	int error;

	if ((error = xlate_sync(r, cur)) < 0)
		goto done;
	if ((error = step_statements(&stmts, r, rev, upgrade)) < 0)
		goto done;
	if (upgrade)
		after.in[rev->index] = 1;
	else
		after.in[rev->index] = 0;
	from = heads_label(cur, r->chain);
	to = heads_label(&after, r->chain);

	memset(&ev, 0, sizeof(ev));
	ev.from = from;
	ev.to = to;
	ev.revision = rev->id;
	ev.message = rev->message;
	ev.upgrade = upgrade;
	if (r->opts->progress && r->db)	/* offline, the script says it in comments */
		r->opts->progress(&ev, r->opts->payload);
	emit_comment(r, "Running %s %s -> %s, %s", upgrade ? "upgrade" : "downgrade",
		     *from ? from : "base", *to ? to : "base", rev->message);

	if ((error = run_statements(&i, r, rev, &stmts)) < 0) {
		char *l = heads_label(cur, r->chain);
		sra_error_prefix("%s of %s failed at %s:%d; the database stays at %s",
				 upgrade ? "upgrade" : "downgrade", rev->id, rev->path,
				 i < stmts.n ? stmts.v[i].line : 0, *l ? l : "base");
		free(l);
		goto done;
	}
	if (!rev->transactional) {
		/*
		 * The statements ran outside a transaction (CREATE INDEX
		 * CONCURRENTLY); the bookkeeping gets one of its own, under the lock.
		 */
		if ((error = run_begin(r)) < 0)
			goto done;
		if (r->db && (error = sra_db__xact_lock(r->db, SRA_MIGRATE_LOCK_KEY,
								 r->opts->lock_timeout_ms)) < 0)
			goto done;
	}
	if ((error = emit_version_change(r, cur, &after)) < 0)
		goto done;
	sra_revision__checksum(checksum, rev, upgrade, r->ops->name);
	if ((error = emit_log(r, rev->id, upgrade ? "upgrade" : "downgrade", checksum, now_ms() - started)) < 0)
		goto done;

	/* the translator's model now describes `after` */
	if (r->xlate && revset_equal(&r->xlate_state, cur))
		memcpy(r->xlate_state.in, after.in, after.n);
	memcpy(cur->in, after.in, after.n);
done:
	sra_stmtv_dispose(&stmts);
	revset_dispose(&after);
	free(from);
	free(to);
	return error;
}

static void report_done(runner *r, const sra_revision *rev, int upgrade, const char *from,
			const char *to, double ms)
{
	sra_migrate_event ev;

	if (!r->opts->progress)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.from = from;
	ev.to = to;
	ev.revision = rev->id;
	ev.message = rev->message;
	ev.upgrade = upgrade;
	ev.duration_ms = ms;
	ev.done = 1;
	r->opts->progress(&ev, r->opts->payload);
}

/* ---- online -------------------------------------------------------------- */

static char *os_user(void)
{
	struct passwd *pw = getpwuid(geteuid());
	const char *u = pw ? pw->pw_name : getenv("USER");

	return sra__strdup(u ? u : "unknown");
}

static void runner_init(runner *r, sra_db *db, const sra_backend_ops *ops, const sra_chain *chain,
			const sra_migrate_options *opts)
{
	memset(r, 0, sizeof(*r));
	r->db = db;
	r->ops = ops;
	r->chain = chain;
	r->opts = opts;
	r->applied_by = opts->applied_by ? sra__strdup(opts->applied_by) : os_user();
	r->xlate_state = revset_new(chain);
}

static void runner_dispose(runner *r)
{
	sra_buf_dispose(&r->script);
	sra_xlate_free(r->xlate);
	revset_dispose(&r->xlate_state);
	free(r->applied_by);
}

/* begin, take the lock, make sure the version tables exist, read the state */
static int open_txn(runner *r, revset *state)
{
	sra_strv ids = SRA_STRV_INIT;
	int error;

	if ((error = run_begin(r)) < 0)
		return error;
	if ((error = sra_db__xact_lock(r->db, SRA_MIGRATE_LOCK_KEY, r->opts->lock_timeout_ms)) < 0)
		goto fail;
	if ((error = sra_version__read(&ids, r->db, 1)) < 0)
		goto fail;
	if ((error = revset_from_ids(state, r->chain, &ids)) < 0)
		goto fail;
	sra_strv_dispose(&ids);
	return 0;
fail:
	sra_strv_dispose(&ids);
	run_rollback(r);
	return error;
}

/* create the version tables if missing, in a transaction of their own */
static int ensure_version_tables(runner *r)
{
	sra_strv ddl = SRA_STRV_INIT;
	size_t i;
	int have_version, have_log, error;

	/* the common case, both there, needs no transaction and no lock */
	if ((error = sra_version__probe(&have_version, &have_log, r->db)) < 0)
		return error;
	if (have_version && have_log)
		return 0;
	if ((error = run_begin(r)) < 0)
		return error;
	if ((error = sra_db__xact_lock(r->db, SRA_MIGRATE_LOCK_KEY, r->opts->lock_timeout_ms)) < 0)
		goto fail;
	if ((error = sra_version__missing_ddl(&ddl, r->db)) < 0)
		goto fail;
	for (i = 0; i < ddl.n; i++)
		if ((error = emit(r, ddl.v[i], NULL, 0)) < 0)
			goto fail;
	sra_strv_dispose(&ddl);
	return run_commit(r);
fail:
	sra_strv_dispose(&ddl);
	run_rollback(r);
	return error;
}

/*
 * After a DDL statement gave up waiting for a table lock (lock_timeout,
 * SQLSTATE 55P03) and its transaction was rolled back: add to the error
 * who holds locks in this database, so the operator knows whom to wait for.
 */
static void explain_lock_timeout(runner *r, int error)
{
	sra_rows *rows = NULL;
	sra_buf msg = SRA_BUF_INIT;
	const sra_error *e = sra_error_last();
	size_t i;

	if (error != SRA_EBACKEND || !(r->ops->caps & SRA_CAP_ADVISORY) ||
	    strcmp(sra_db__sqlstate(r->db), "55P03") != 0 || !e)
		return;
	sra_buf_puts(&msg, e->message);
	if (sra_db__query(&rows, r->db,
			  "SELECT a.pid, round(extract(epoch FROM now() - a.xact_start)::numeric, 1), "
			  "left(regexp_replace(a.query, '\\s+', ' ', 'g'), 60) "
			  "FROM pg_stat_activity a WHERE a.pid <> pg_backend_pid() AND a.datname = current_database() "
			  "AND a.pid IN (SELECT l.pid FROM pg_locks l WHERE l.granted AND l.locktype = 'relation') "
			  "ORDER BY a.xact_start LIMIT 3", NULL, 0) == 0) {
		for (i = 0; i < rows->nrows; i++)
			sra_buf_printf(&msg, "%s pid %s (transaction open %s s: %s)",
				       i ? ";" : "; held by", sra_rows_get(rows, i, 0),
				       sra_rows_get(rows, i, 1) ? sra_rows_get(rows, i, 1) : "?",
				       sra_rows_get(rows, i, 2) ? sra_rows_get(rows, i, 2) : "");
	}
	sra_error_set(SRA_ERROR_MIGRATE, error, "%s", sra_buf_cstr(&msg));
	sra_rows_free(rows);
	sra_buf_dispose(&msg);
}

static int run_online(sra_db *db, const sra_chain *chain, const char *target, int upgrade,
		      const sra_migrate_options *opts)
{
	sra_migrate_options defaults = SRA_MIGRATE_OPTIONS_INIT;
	revset state = { NULL, 0 }, goal = { NULL, 0 }, probe;
	runner r;
	int error, in_txn = 0;

	SRA_ASSERT_ARG(db && chain);
	if (!opts)
		opts = &defaults;
	runner_init(&r, db, sra_db__ops(db), chain, opts);

	/* plan once outside the lock: validates target and SQL before anything runs */
	{
		sra_strv ids = SRA_STRV_INIT;
		const sra_revision *rev;

		error = sra_version__read(&ids, db, 0);
		if (error == 0)
			error = revset_from_ids(&state, chain, &ids);
		sra_strv_dispose(&ids);
		if (error < 0)
			goto done;
		if ((error = resolve_target(&goal, chain, &state, target, upgrade)) < 0)
			goto done;
		probe = revset_copy(&state);
		if (translating(&r) && (error = xlate_sync(&r, &probe)) < 0) {
			revset_dispose(&probe);
			goto done;
		}
		while ((rev = next_step(chain, &probe, &goal, upgrade))) {
			sra_stmtv stmts = SRA_STMTV_INIT;
			if (!rev->transactional && opts->atomic) {
				error = sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
					"%s (%s) is not transactional and cannot run under --atomic",
					rev->id, rev->path);
				break;
			}
			if ((error = step_statements(&stmts, &r, rev, upgrade)) < 0)
				break;
			sra_stmtv_dispose(&stmts);
			probe.in[rev->index] = (unsigned char)upgrade;
		}
		if (r.xlate)
			memcpy(r.xlate_state.in, probe.in, probe.n);
		revset_dispose(&probe);
		revset_dispose(&state);
		if (error < 0)
			goto done;
	}

	if ((error = ensure_version_tables(&r)) < 0)
		goto done;

	for (;;) {
		const sra_revision *rev;
		char *from, *to;
		double started;

		if (!in_txn) {
			revset_dispose(&state);
			if ((error = open_txn(&r, &state)) < 0)
				goto done;
			in_txn = 1;
		}
		if (!(rev = next_step(chain, &state, &goal, upgrade)))
			break;
		if (!rev->transactional) {
			/*
			 * Its statements must run outside a transaction, so outside the
			 * migrator lock too: safe against a concurrent migrator only on
			 * a direct or session-pooled connection (docs/migrations.md).
			 */
			in_txn = 0;
			if ((error = run_commit(&r)) < 0)
				goto fail;
		}
		if ((error = sra_db__set_ddl_lock_timeout(r.db, opts->ddl_lock_timeout_ms)) < 0)
			goto fail;
		from = heads_label(&state, chain);
		started = now_ms();
		error = run_step(&r, &state, rev, upgrade, started);
		in_txn = 1;	/* a non-transactional step ends inside its bookkeeping txn */
		if (error < 0) {
			free(from);
			goto fail;
		}
		to = heads_label(&state, chain);
		if (!opts->atomic) {
			in_txn = 0;
			error = run_commit(&r);
		}
		if (error == 0)
			report_done(&r, rev, upgrade, from, to, now_ms() - started);
		free(from);
		free(to);
		if (error < 0)
			goto fail;
		/*
		 * Committed under the lock, so `state` was the database's state a
		 * moment ago: when it is the goal, stop without another look.
		 */
		if (!in_txn && !next_step(chain, &state, &goal, upgrade))
			goto done;
	}
	/* nothing (more) to do: close the transaction we opened to look */
	error = run_commit(&r);
	in_txn = 0;
	goto done;
fail:
	if (in_txn)
		run_rollback(&r);
	explain_lock_timeout(&r, error);
done:
	revset_dispose(&state);
	revset_dispose(&goal);
	runner_dispose(&r);
	return error;
}

int sra_migrate_upgrade(sra_db *db, const sra_chain *chain, const char *target,
			const sra_migrate_options *opts)
{
	return run_online(db, chain, target, 1, opts);
}

int sra_migrate_downgrade(sra_db *db, const sra_chain *chain, const char *target,
			  const sra_migrate_options *opts)
{
	SRA_ASSERT_ARG(target);
	return run_online(db, chain, target, 0, opts);
}

/* ---- offline --------------------------------------------------------------- */

int sra_migrate_script(char **out, const sra_chain *chain, const char *dialect, int upgrade,
		       const char *from, const char *target, const sra_migrate_options *opts)
{
	sra_migrate_options defaults = SRA_MIGRATE_OPTIONS_INIT;
	const sra_backend_ops *ops;
	revset state = { NULL, 0 }, goal = { NULL, 0 };
	sra_strv ids = SRA_STRV_INIT;
	const sra_revision *rev;
	runner r;
	int error = 0;

	SRA_ASSERT_ARG(out && chain && dialect);
	if (!opts)
		opts = &defaults;
	if (!(ops = sra_db__backend_ops(dialect)))
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
				     "unknown SQL dialect '%s' (postgresql or sqlite)", dialect);
	runner_init(&r, NULL, ops, chain, opts);

	if (from && *from && strcmp(from, "base") != 0) {
		char *copy = sra__strdup(from), *tok, *save = NULL;
		for (tok = strtok_r(copy, ",", &save); tok && error == 0; tok = strtok_r(NULL, ",", &save)) {
			const sra_revision *fr;
			if ((error = sra_chain_lookup(&fr, chain, tok)) == 0)
				sra_strv_push(&ids, fr->id);
		}
		free(copy);
		if (error < 0)
			goto done;
	} else if (!upgrade) {
		error = sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
				      "offline downgrade needs a starting revision: FROM:TO");
		goto done;
	}
	if ((error = revset_from_ids(&state, chain, &ids)) < 0)
		goto done;
	if ((error = resolve_target(&goal, chain, &state, target, upgrade)) < 0)
		goto done;
	if ((error = xlate_sync(&r, &state)) < 0)
		goto done;

	sra_buf_printf(&r.script, "-- sra %s: %s %s -> %s for %s\n", SRA_VERSION,
		       upgrade ? "upgrade" : "downgrade",
		       from && *from ? from : "base", target && *target ? target : "head", ops->name);
	if (ids.n == 0) {
		sra_strv ddl = SRA_STRV_INIT;
		size_t i;
		sra_version__create_ddl(&ddl, ops);
		if (upgrade) {
			run_begin(&r);
			for (i = 0; i < ddl.n; i++)
				emit(&r, ddl.v[i], NULL, 0);
			run_commit(&r);
		}
		sra_strv_dispose(&ddl);
	}
	if (opts->atomic)
		run_begin(&r);
	while ((rev = next_step(chain, &state, &goal, upgrade))) {
		if (!rev->transactional && opts->atomic) {
			error = sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID,
				"%s (%s) is not transactional and cannot run under --atomic", rev->id, rev->path);
			goto done;
		}
		if (!opts->atomic && rev->transactional)
			run_begin(&r);
		if ((error = run_step(&r, &state, rev, upgrade, 0)) < 0)
			goto done;
		if (!opts->atomic)
			run_commit(&r);
	}
	if (opts->atomic)
		run_commit(&r);
	*out = sra_buf_detach(&r.script);
done:
	sra_strv_dispose(&ids);
	revset_dispose(&state);
	revset_dispose(&goal);
	runner_dispose(&r);
	return error;
}

/* ---- stamp, current, edited, repair ------------------------------------- */

int sra_migrate_stamp(sra_db *db, const sra_chain *chain, const char *target,
		      const sra_migrate_options *opts)
{
	sra_migrate_options defaults = SRA_MIGRATE_OPTIONS_INIT;
	revset state = { NULL, 0 }, goal = { NULL, 0 };
	runner r;
	int error;

	SRA_ASSERT_ARG(db && chain && target);
	if (!opts)
		opts = &defaults;
	runner_init(&r, db, sra_db__ops(db), chain, opts);
	goal = revset_new(chain);
	if (strcmp(target, "heads") == 0 || strcmp(target, "head") == 0) {
		revset empty = revset_new(chain);
		revset_dispose(&goal);
		error = resolve_target(&goal, chain, &empty, target, 1);
		revset_dispose(&empty);
		if (error < 0)
			goto done;
	} else if (strcmp(target, "base") != 0) {
		char *copy = sra__strdup(target), *tok, *save = NULL;
		error = 0;
		for (tok = strtok_r(copy, ",", &save); tok && error == 0; tok = strtok_r(NULL, ",", &save)) {
			const sra_revision *rev;
			if ((error = sra_chain_lookup(&rev, chain, tok)) == 0)
				add_ancestors(&goal, chain, rev);
		}
		free(copy);
		if (error < 0)
			goto done;
	}
	if ((error = ensure_version_tables(&r)) < 0)
		goto done;
	if ((error = open_txn(&r, &state)) < 0)
		goto done;
	if ((error = emit_version_change(&r, &state, &goal)) == 0) {
		char *label = heads_label(&goal, chain);
		error = emit_log(&r, *label ? label : "base", "stamp", NULL, 0);
		free(label);
	}
	if (error == 0)
		error = run_commit(&r);
	else
		run_rollback(&r);
done:
	revset_dispose(&state);
	revset_dispose(&goal);
	runner_dispose(&r);
	return error;
}

int sra_migrate_current(sra_strarray *out, sra_db *db)
{
	sra_strv ids = SRA_STRV_INIT;
	int error;

	SRA_ASSERT_ARG(out && db);
	if ((error = sra_version__read(&ids, db, 0)) < 0)
		return error;
	out->strings = ids.v;
	out->count = ids.n;
	return 0;
}

int sra_migrate_edited(sra_strarray *out, sra_db *db, const sra_chain *chain)
{
	sra_strv ids = SRA_STRV_INIT, edited = SRA_STRV_INIT;
	sra_rows *rows = NULL;
	revset state = { NULL, 0 };
	size_t i, j;
	int error;

	SRA_ASSERT_ARG(out && db && chain);
	if ((error = sra_version__read(&ids, db, 0)) < 0)
		goto done;
	if ((error = revset_from_ids(&state, chain, &ids)) < 0)
		goto done;
	if ((error = sra_version__checksums(&rows, db)) < 0)
		goto done;
	for (i = 0; i < chain->n; i++) {
		const sra_revision *rev = chain->order[i];
		const char *recorded = NULL;
		char now[65];

		if (!state.in[i])
			continue;
		for (j = 0; rows && j < rows->nrows; j++)	/* the newest row wins */
			if (strcmp(sra_rows_get(rows, j, 0), rev->id) == 0)
				recorded = sra_rows_get(rows, j, 1);
		if (!recorded)
			continue;	/* stamped, or applied by another tool */
		sra_revision__checksum(now, rev, 1, sra_db_dialect(db));
		if (strcmp(now, recorded) != 0)
			sra_strv_pushf(&edited, "%s %s", rev->id, rev->path);
	}
	out->strings = edited.v;
	out->count = edited.n;
	memset(&edited, 0, sizeof(edited));	/* handed to the caller */
done:
	sra_rows_free(rows);
	sra_strv_dispose(&ids);
	sra_strv_dispose(&edited);
	revset_dispose(&state);
	return error;
}

int sra_migrate_repair(sra_strarray *repaired, sra_db *db, const sra_chain *chain,
		       const sra_migrate_options *opts)
{
	sra_migrate_options defaults = SRA_MIGRATE_OPTIONS_INIT;
	sra_strarray edited = { NULL, 0 };
	runner r;
	size_t i;
	int error;

	SRA_ASSERT_ARG(repaired && db && chain);
	if (!opts)
		opts = &defaults;
	runner_init(&r, db, sra_db__ops(db), chain, opts);
	if ((error = run_begin(&r)) < 0)
		goto done;
	if ((error = sra_db__xact_lock(db, SRA_MIGRATE_LOCK_KEY, opts->lock_timeout_ms)) < 0)
		goto fail;
	if ((error = sra_migrate_edited(&edited, db, chain)) < 0)
		goto fail;
	for (i = 0; i < edited.count; i++) {
		char id[64], checksum[65];
		const sra_revision *rev;

		sscanf(edited.strings[i], "%63s", id);
		rev = find_rev(chain, id);
		sra_revision__checksum(checksum, rev, 1, sra_db_dialect(db));
		if ((error = emit_log(&r, rev->id, "repair", checksum, 0)) < 0)
			goto fail;
	}
	if ((error = run_commit(&r)) < 0)
		goto fail;
	*repaired = edited;
	edited.strings = NULL;
	edited.count = 0;
	goto done;
fail:
	run_rollback(&r);
done:
	sra_strarray_dispose(&edited);
	runner_dispose(&r);
	return error;
}

/* ---- new revision files ------------------------------------------------------ */

int sra_migrate_new_revision(char **out_path, const sra_chain *chain, const char *dir,
			     const char *message, const char *const *parents, size_t nparents)
{
	sra_strarray heads = { NULL, 0 };
	sra_buf body = SRA_BUF_INIT, slug = SRA_BUF_INIT;
	unsigned char rnd[6];
	char id[13], stamp[32], *path = NULL;
	const char *m;
	time_t t = time(NULL);
	struct tm tm;
	FILE *f = NULL, *ur;
	size_t i;
	int error = 0;

	SRA_ASSERT_ARG(out_path && chain && dir && message);
	ur = fopen("/dev/urandom", "rb");
	if (!ur || fread(rnd, 1, sizeof(rnd), ur) != sizeof(rnd)) {
		if (ur)
			fclose(ur);
		return sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot read /dev/urandom");
	}
	fclose(ur);
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(id + 2 * i, 3, "%02x", rnd[i]);
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);

	sra_buf_printf(&body, "-- revision: %s\n-- down_revision: ", id);
	if (nparents) {
		for (i = 0; i < nparents; i++) {
			const sra_revision *p;
			if ((error = sra_chain_lookup(&p, chain, parents[i])) < 0)
				goto done;
			sra_buf_printf(&body, "%s%s", i ? ", " : "", p->id);
		}
	} else {
		sra_chain_heads(&heads, chain);
		if (heads.count > 1) {
			error = sra_error_set(SRA_ERROR_CHAIN, SRA_ECONFLICT,
				"the chain has %zu heads: join them with `sra db merge` first", heads.count);
			goto done;
		}
		sra_buf_puts(&body, heads.count ? heads.strings[0] : "none");
	}
	sra_buf_printf(&body, "\n-- message: %s\n-- created: %s\n-- +upgrade\n\n-- +downgrade\n\n", message, stamp);

	for (m = message; *m && slug.size < 40; m++) {
		if (isalnum((unsigned char)*m))
			sra_buf_putc(&slug, (char)tolower((unsigned char)*m));
		else if (slug.size && slug.ptr[slug.size - 1] != '_')
			sra_buf_putc(&slug, '_');
	}
	while (slug.size && slug.ptr[slug.size - 1] == '_')
		sra_buf_truncate(&slug, slug.size - 1);
	path = sra__sprintf("%s/%04zu_%s%s%s.sql", dir, chain->n + 1, id, slug.size ? "_" : "",
			    sra_buf_cstr(&slug));
	if (!(f = fopen(path, "wx"))) {
		error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot create %s", path);
		goto done;
	}
	if (fputs(sra_buf_cstr(&body), f) < 0 || fclose(f) != 0) {
		f = NULL;
		remove(path);
		error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot write %s", path);
		goto done;
	}
	f = NULL;
	*out_path = path;
	path = NULL;
done:
	if (f)
		fclose(f);
	free(path);
	sra_strarray_dispose(&heads);
	sra_buf_dispose(&body);
	sra_buf_dispose(&slug);
	return error;
}

/* ---- replay, for sra db check ------------------------------------------------ */

/* does p start with the upper-case `word`, in any case? */
static int starts_word(const char *p, const char *word)
{
	while (*word)
		if (toupper((unsigned char)*p++) != *word++)
			return 0;
	return 1;
}

/* `stmt` without the word CONCURRENTLY, which cannot run inside a transaction */
static char *strip_concurrently(const char *stmt)
{
	sra_buf b = SRA_BUF_INIT;
	const char *p = stmt;

	while (*p) {
		if (starts_word(p, "CONCURRENTLY") && (p == stmt || isspace((unsigned char)p[-1])) &&
		    (isspace((unsigned char)p[12]) || !p[12])) {
			p += 12;
			while (isspace((unsigned char)*p))
				p++;
			continue;
		}
		sra_buf_putc(&b, *p++);
	}
	sra_buf_puts(&b, "");
	return sra_buf_detach(&b);
}

int sra_migrate__replay(sra_db *scratch, const sra_chain *chain, const sra_strv *version_ids)
{
	sra_migrate_options defaults = SRA_MIGRATE_OPTIONS_INIT;
	revset state = { NULL, 0 }, base = { NULL, 0 };
	runner r;
	size_t i, j;
	int error;

	SRA_ASSERT_ARG(scratch && chain && version_ids);
	defaults.applied_by = "sra check";	/* never written; spares a getpwuid() */
	runner_init(&r, scratch, sra_db__ops(scratch), chain, &defaults);
	if ((error = revset_from_ids(&state, chain, version_ids)) < 0)
		goto done;
	base = revset_new(chain);
	if ((error = xlate_sync(&r, &base)) < 0)	/* a translator at base */
		goto done;
	for (i = 0; i < chain->n && error == 0; i++) {
		const sra_revision *rev = chain->order[i];
		sra_stmtv stmts = SRA_STMTV_INIT;

		if (!state.in[i])
			continue;
		if ((error = step_statements(&stmts, &r, rev, 1)) < 0)
			break;
		for (j = 0; j < stmts.n && error == 0; j++) {
			if (rev->transactional) {
				error = sra_db__exec(scratch, stmts.v[j].sql);
			} else {
				char *sql = strip_concurrently(stmts.v[j].sql);
				error = sra_db__exec(scratch, sql);
				free(sql);
			}
			if (error < 0)
				sra_error_prefix("replaying upgrade %s failed at %s:%d", rev->id, rev->path,
						 stmts.v[j].line);
		}
		sra_stmtv_dispose(&stmts);
	}
done:
	revset_dispose(&state);
	revset_dispose(&base);
	runner_dispose(&r);
	return error;
}
