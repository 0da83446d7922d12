/*
 * Choosing and opening a database: URL parsing and masking, the
 * ENVIRONMENT / .env precedence of migrations.md, and the backend registry.
 */
#include "common.h"
#include "db_int.h"

#include <ctype.h>
#include <stdio.h>
#include <strings.h>

/* NULL-terminated, looked up by URL scheme (sqlite3_vfs_find) */
static const sra_backend_ops *const available[] = {
	&sra_backend_postgresql,
	&sra_backend_sqlite,
	NULL
};

const sra_backend_ops *sra_db__backend_ops(const char *dialect)
{
	size_t i;

	for (i = 0; available[i]; i++)
		if (strcmp(available[i]->name, dialect) == 0)
			return available[i];
	return NULL;
}

/* ---- URLs ----------------------------------------------------------- */

static int pct_decode(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '%' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
			char hex[3] = { s[1], s[2], 0 };
			*w++ = (char)strtol(hex, NULL, 16);
			s += 2;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
	return 0;
}

/* value of key in a "k=v&k2=v2" query string, decoded; caller frees */
static char *query_param(const char *query, const char *key)
{
	size_t klen = strlen(key);
	const char *p = query;

	while (p && *p) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			char *v = sra__strndup(p + klen + 1, len - klen - 1);
			pct_decode(v);
			return v;
		}
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

/* value of key in a libpq keyword string "host=x dbname='a b'"; caller frees */
static char *keyword_param(const char *conninfo, const char *key)
{
	size_t klen = strlen(key);
	const char *p = conninfo;

	while (*p) {
		const char *k;
		size_t kl;
		sra_buf v = SRA_BUF_INIT;

		while (isspace((unsigned char)*p))
			p++;
		k = p;
		while (*p && *p != '=' && !isspace((unsigned char)*p))
			p++;
		kl = (size_t)(p - k);
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '=')
			return NULL;
		p++;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++) {
				if (*p == '\\' && p[1])
					p++;
				sra_buf_putc(&v, *p);
			}
			if (*p)
				p++;
		} else {
			for (; *p && !isspace((unsigned char)*p); p++) {
				if (*p == '\\' && p[1])
					p++;
				sra_buf_putc(&v, *p);
			}
		}
		if (kl == klen && strncmp(k, key, klen) == 0)
			return sra_buf_detach(&v);
		sra_buf_dispose(&v);
	}
	return NULL;
}

static int is_keyword_conninfo(const char *url)
{
	return !strstr(url, "://") && strchr(url, '=') != NULL;
}

int sra_db__parse_url(sra_url *out, const char *url)
{
	const char *rest;
	size_t slen;

	memset(out, 0, sizeof(*out));
	if (!url || !*url)
		return sra_error_set(SRA_ERROR_CONFIG, SRA_EINVALID, "empty database URL");

	if (is_keyword_conninfo(url)) {
		out->ops = sra_db__backend_ops("postgresql");
		out->target = sra__strdup(url);
		out->dbname = keyword_param(url, "dbname");
		return 0;
	}

	rest = strstr(url, "://");
	if (!rest) {
		char *m = sra_db_mask_url(url);
		int e = sra_error_set(SRA_ERROR_CONFIG, SRA_EINVALID,
			"'%s' is not a database URL (expected postgresql://… or sqlite:///FILE)", m);
		free(m);
		return e;
	}
	slen = (size_t)(rest - url);
	rest += 3;

	if (slen == 6 && strncmp(url, "sqlite", 6) == 0) {
		out->ops = sra_db__backend_ops("sqlite");
		if (strcmp(rest, ":memory:") == 0 || strcmp(rest, "/:memory:") == 0)
			out->target = sra__strdup(":memory:");
		else if (*rest == '/' && rest[1])
			out->target = sra__strdup(rest + 1);	/* "/rel" → "rel", "//abs" → "/abs" */
		else
			return sra_error_set(SRA_ERROR_CONFIG, SRA_EINVALID,
				"'%s': a SQLite URL needs a file: sqlite:///relative.db, sqlite:////absolute.db or sqlite://:memory:", url);
		out->dbname = sra__strdup(out->target);
		return 0;
	}

	/* postgresql, postgres, and SQLAlchemy's postgresql+driver */
	if ((slen >= 10 && strncmp(url, "postgresql", 10) == 0 && (slen == 10 || url[10] == '+')) ||
	    (slen >= 8 && strncmp(url, "postgres", 8) == 0 && (slen == 8 || url[8] == '+'))) {
		const char *path, *q;
		sra_buf t = SRA_BUF_INIT;

		out->ops = sra_db__backend_ops("postgresql");
		sra_buf_puts(&t, "postgresql://");
		sra_buf_puts(&t, rest);
		out->target = sra_buf_detach(&t);
		path = strchr(rest, '/');
		q = strchr(rest, '?');
		if (q && path && path > q)
			path = NULL;
		if (q)
			out->dbname = query_param(q + 1, "dbname");
		if (!out->dbname && path && path[1] && path + 1 != q) {
			size_t len = q ? (size_t)(q - path - 1) : strlen(path + 1);
			out->dbname = sra__strndup(path + 1, len);
			pct_decode(out->dbname);
		}
		return 0;
	}

	{
		char *scheme = sra__strndup(url, slen);
		int e = sra_error_set(SRA_ERROR_CONFIG, SRA_EINVALID,
			"unknown database URL scheme '%s://' (use postgresql://, postgres://, postgresql+psycopg:// or sqlite://)",
			scheme);
		free(scheme);
		return e;
	}
}

void sra_url__dispose(sra_url *u)
{
	free(u->target);
	free(u->dbname);
	memset(u, 0, sizeof(*u));
}

/*
 * The passwords in url, as [start, end) offsets; returns how many (at most
 * max).  Generous by design -- masking a little too much is harmless:
 *  - user:password@ in a URI, or in a string that is no URL at all, reaches
 *    from the first ':' after the scheme to the LAST '@' (a raw '/', '@' or
 *    '?' in the password is not ended early);
 *  - password=VALUE in any case, as a keyword (quoted or up to white space)
 *    or a URI query parameter (up to '&').
 */
size_t sra_db__password_spans(size_t (*spans)[2], size_t max, const char *url)
{
	size_t n = 0;
	const char *p, *start, *at = NULL, *c;
	int keyword = is_keyword_conninfo(url);

	if (!keyword) {
		start = strstr(url, "://");
		start = start ? start + 3 : url;
		for (c = start; *c; c++)
			if (*c == '@')
				at = c;
		if (at)
			for (c = start; c < at; c++)
				if (*c == ':') {
					if (n < max && c + 1 < at) {
						spans[n][0] = (size_t)(c + 1 - url);
						spans[n++][1] = (size_t)(at - url);
					}
					break;
				}
	}
	for (p = url; *p; p++) {
		const char *v;

		if (strncasecmp(p, "password", 8) != 0)
			continue;
		if (p != url && !isspace((unsigned char)p[-1]) && p[-1] != '?' && p[-1] != '&')
			continue;
		v = p + 8;
		while (isspace((unsigned char)*v))
			v++;
		if (*v != '=')
			continue;
		v++;
		while (isspace((unsigned char)*v))
			v++;
		start = v;
		if (keyword && *v == '\'') {
			for (v++; *v && *v != '\''; v++)
				if (*v == '\\' && v[1])
					v++;
			if (*v)
				v++;
		} else {
			while (*v && !isspace((unsigned char)*v) && (keyword || *v != '&'))
				v++;
		}
		if (n < max && v > start) {
			spans[n][0] = (size_t)(start - url);
			spans[n++][1] = (size_t)(v - url);
		}
		p = v - 1;
	}
	return n;
}

char *sra_db_mask_url(const char *url)
{
	sra_buf b = SRA_BUF_INIT;
	size_t spans[16][2], n, i, done = 0;

	if (!url)
		return sra__strdup("");
	n = sra_db__password_spans(spans, SRA_ARRAY_SIZE(spans), url);
	for (i = 0; i < n; i++) {
		if (spans[i][0] < done) {	/* overlaps the span masked last */
			if (spans[i][1] > done)
				done = spans[i][1];
			continue;
		}
		sra_buf_put(&b, url + done, spans[i][0] - done);
		sra_buf_puts(&b, "****");
		done = spans[i][1];
	}
	sra_buf_puts(&b, url + done);
	return sra_buf_detach(&b);
}

int sra_db_dialect_of_url(const char **out, const char *url)
{
	sra_url u;
	int error;

	/* the bare scheme is enough to choose a dialect (offline --sql) */
	if (url && (strcmp(url, "sqlite://") == 0 || strcmp(url, "sqlite:") == 0)) {
		*out = sra_backend_sqlite.name;
		return 0;
	}
	if ((error = sra_db__parse_url(&u, url)) < 0)
		return error;
	*out = u.ops->name;
	sra_url__dispose(&u);
	return 0;
}

/* ---- ENVIRONMENT and .env ------------------------------------------- */

/* the value of KEY in a dotenv file, or NULL; caller frees */
static char *dotenv_lookup(const char *dir, const char *file, const char *key)
{
	char path[4096];
	char *line = NULL;
	size_t cap = 0;
	char *found = NULL;
	size_t klen = strlen(key);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : ".", file);
	if (!(f = fopen(path, "r")))
		return NULL;
	while (getline(&line, &cap, f) > 0) {
		char *p = line, *v, *end;

		while (isspace((unsigned char)*p))
			p++;
		if (strncmp(p, "export ", 7) == 0)
			p += 7;
		while (isspace((unsigned char)*p))
			p++;
		if (strncmp(p, key, klen) != 0)
			continue;
		v = p + klen;
		while (*v == ' ' || *v == '\t')
			v++;
		if (*v != '=')
			continue;
		v++;
		while (*v == ' ' || *v == '\t')
			v++;
		if (*v == '"' || *v == '\'') {
			char qc = *v++;
			end = strchr(v, qc);
			if (!end)
				end = v + strcspn(v, "\r\n");
		} else {
			end = v + strcspn(v, "#\r\n");
			while (end > v && isspace((unsigned char)end[-1]))
				end--;
		}
		free(found);
		found = sra__strndup(v, (size_t)(end - v));	/* the last assignment wins */
	}
	free(line);
	fclose(f);
	return found;
}

/* process environment, then .env.<environment>, then .env; caller frees */
static char *lookup_var(const char *dir, const char *environment, const char *key)
{
	const char *v = getenv(key);
	char *r;

	if (v && *v)
		return sra__strdup(v);
	if (environment && *environment) {
		char file[256];
		snprintf(file, sizeof(file), ".env.%s", environment);
		if ((r = dotenv_lookup(dir, file, key)) && *r)
			return r;
		free(r);
	}
	if ((r = dotenv_lookup(dir, ".env", key)) && *r)
		return r;
	free(r);
	return NULL;
}

int sra_db_resolve_url(char **out, char **env_out, const sra_resolve_options *opts)
{
	sra_resolve_options defaults = SRA_RESOLVE_OPTIONS_INIT;
	char *environment = NULL, *url = NULL;
	int error = 0;

	if (!opts)
		opts = &defaults;
	environment = lookup_var(opts->dotenv_dir, NULL, "ENVIRONMENT");
	if (!environment)
		environment = lookup_var(opts->dotenv_dir, NULL, "SRA_ENVIRONMENT");
	if (!environment)
		environment = sra__strdup("");

	if (opts->url && *opts->url) {
		url = sra__strdup(opts->url);
	} else if (strcmp(environment, "test") == 0) {
		sra_url u;

		url = lookup_var(opts->dotenv_dir, environment, "TEST_DATABASE_URL");
		if (!url) {
			error = sra_error_set(SRA_ERROR_CONFIG, SRA_EINVALID,
				"ENVIRONMENT=test needs TEST_DATABASE_URL (in the environment, .env.test or .env)");
			goto done;
		}
		if ((error = sra_db__parse_url(&u, url)) < 0)
			goto done;
		/* judge the database libpq will use, not the one the URL seems to name */
		if (u.ops == &sra_backend_postgresql) {
			char *final = NULL;

			if ((error = sra_pg__final_dbname(&final, u.target)) < 0) {
				sra_error_prefix("ENVIRONMENT=test refuses TEST_DATABASE_URL");
				sra_url__dispose(&u);
				goto done;
			}
			free(u.dbname);
			u.dbname = final;
		}
		if (!u.dbname || !strstr(u.dbname, "test")) {
			char *m = sra_db_mask_url(url);
			sra_buf name = SRA_BUF_INIT;

			/* libpq may read a piece of a raw password as the name */
			sra_buf_puts(&name, u.dbname ? u.dbname : "");
			sra_pg__scrub(&name, url);
			error = sra_error_set(SRA_ERROR_CONFIG, SRA_EINVALID,
				"ENVIRONMENT=test refuses TEST_DATABASE_URL %s: its database name '%s' does not contain \"test\"",
				m, sra_buf_cstr(&name));
			sra_buf_dispose(&name);
			free(m);
		}
		sra_url__dispose(&u);
		if (error < 0)
			goto done;
	} else if (!*environment || strcmp(environment, "dev") == 0 || strcmp(environment, "local") == 0 ||
		   strcmp(environment, "prototype") == 0 || strcmp(environment, "prod") == 0 ||
		   strcmp(environment, "production") == 0) {
		url = lookup_var(opts->dotenv_dir, environment, "SRA_DATABASE_URL");
		if (!url)
			url = sra__strdup("sqlite:///sra.db");
	} else {
		error = sra_error_set(SRA_ERROR_CONFIG, SRA_EINVALID,
			"unknown ENVIRONMENT '%s' (accepted: test, dev, local, prototype, prod, production)",
			environment);
		goto done;
	}

	*out = url;
	url = NULL;
	if (env_out) {
		*env_out = environment;
		environment = NULL;
	}
done:
	free(url);
	free(environment);
	return error;
}

/* ---- registering a backend: its ops checked once, defaults filled --- */

/*
 * The statement of a backend without prepare(): its SQL, run through
 * query() each time.  (Each backend has its own struct sra_stmt; this file
 * defines the defaults'.)
 */
struct sra_stmt {
	sra_backend *be;
	char *sql;	/* owned */
};

static int default_prepare(sra_stmt **out, sra_backend *be, const char *sql)
{
	sra_stmt *s = sra__calloc(1, sizeof(*s));

	s->be = be;
	s->sql = sra__strdup(sql);
	*out = s;
	return 0;
}

static int default_execute(sra_stmt *s, const sra_value *params, size_t nparams)
{
	return s->be->ops->query(NULL, s->be, s->sql, params, nparams);
}

static void default_finalize(sra_stmt *s)
{
	if (!s)
		return;
	free(s->sql);
	free(s);
}

/* query() fetched whole, then handed out row by row */
static int default_query_each(sra_backend *be, const char *sql, const sra_value *params, size_t nparams,
			      int (*cb)(void *payload, size_t ncols, const char *const *cells), void *payload)
{
	sra_rows *rows = NULL;
	size_t i;
	int error;

	if ((error = be->ops->query(&rows, be, sql, params, nparams)) < 0)
		return error;
	for (i = 0; rows && i < rows->nrows && !error; i++)
		error = cb(payload, rows->ncols, (const char *const *)rows->cells + i * rows->ncols);
	sra_rows_free(rows);
	return error;
}

static int default_xact_lock(sra_backend *be, int64_t key, int timeout_ms)
{
	(void)be;
	(void)key;
	(void)timeout_ms;
	return 0;
}

static int default_set_ddl_lock_timeout(sra_backend *be, int timeout_ms)
{
	(void)be;
	(void)timeout_ms;
	return 0;
}

static int default_bulk_hint(sra_backend *be, int on)
{
	(void)be;
	(void)on;
	return 0;
}

/* an op group of a backend is all there or all absent */
static int group_check(const char *backend, const char *group, int present, int n)
{
	if (present == 0 || present == n)
		return 0;
	return sra_error_set(SRA_ERROR_DB, SRA_EINVALID,
		"backend '%s' has only some of its %s ops: all or none", backend, group);
}

/*
 * Check a backend's ops table once and copy it into `ops` with the
 * defaults in its optional slots (libgit2's GIT_ERROR_CHECK_VERSION where a
 * backend is added; curl's Curl_none_* defaults).
 */
static int ops_register(sra_backend_ops *ops, const sra_backend_ops *be_ops)
{
	const char *name;
	int error;

	if (!be_ops || be_ops->version < 1 || be_ops->version > SRA_BACKEND_OPS_VERSION)
		return sra_error_set(SRA_ERROR_DB, SRA_EINVALID,
			"backend ops version %u is not one this libsra knows (1 to %d)",
			be_ops ? be_ops->version : 0, SRA_BACKEND_OPS_VERSION);
	name = be_ops->name ? be_ops->name : "?";
	if (!be_ops->name || !be_ops->close || !be_ops->exec || !be_ops->query || !be_ops->begin ||
	    !be_ops->commit || !be_ops->rollback)
		return sra_error_set(SRA_ERROR_DB, SRA_EINVALID,
			"backend '%s' lacks a required op (name, close, exec, query, begin, commit, rollback)", name);

	memset(ops, 0, sizeof(*ops));
	/* the slots of the version the backend was built against, no more */
	if (be_ops->version >= SRA_BACKEND_OPS_VERSION)
		*ops = *be_ops;
	else if (be_ops->version == 2)
		memcpy(ops, be_ops, offsetof(sra_backend_ops, bulk_hint));
	else
		memcpy(ops, be_ops, offsetof(sra_backend_ops, query_each));

	if ((error = group_check(name, "prepare/execute/finalize",
				 !!ops->prepare + !!ops->execute + !!ops->finalize, 3)) < 0 ||
	    (error = group_check(name, "copy_begin/copy_row/copy_end",
				 !!ops->copy_begin + !!ops->copy_row + !!ops->copy_end, 3)) < 0)
		return error;

	if (!ops->xact_lock)
		ops->xact_lock = default_xact_lock;
	if (!ops->set_ddl_lock_timeout)
		ops->set_ddl_lock_timeout = default_set_ddl_lock_timeout;
	if (!ops->query_each)
		ops->query_each = default_query_each;
	if (!ops->prepare) {
		ops->prepare = default_prepare;
		ops->execute = default_execute;
		ops->finalize = default_finalize;
	}
	/* copy ops stay NULL when absent: sra_db__copy_* load through prepare */
	if (!ops->bulk_hint)
		ops->bulk_hint = default_bulk_hint;
	if (!ops->uuid_sql)
		ops->uuid_sql = sra_ops__is_pg(ops) ? sra_backend_postgresql.uuid_sql
								 : sra_backend_sqlite.uuid_sql;
	return 0;
}

/* ---- bulk load without copy ops -------------------------------------- */

int sra_db__copy_begin(sra_db *db, const char *table, const char *const *columns, size_t ncols)
{
	sra_buf sql = SRA_BUF_INIT;
	size_t i;
	int error;

	if (db->ops.copy_begin)
		return db->ops.copy_begin(db->be, table, columns, ncols);
	if (db->copy.ins)
		return sra_error_set(SRA_ERROR_DB, SRA_EINVALID, "a bulk load is already open");
	sra_buf_printf(&sql, "INSERT INTO %s (", table);
	for (i = 0; i < ncols; i++)
		sra_buf_printf(&sql, "%s%s", i ? ", " : "", columns[i]);
	sra_buf_puts(&sql, ") VALUES (");
	for (i = 0; i < ncols; i++)
		sra_buf_printf(&sql, "%s$%zu", i ? ", " : "", i + 1);
	sra_buf_puts(&sql, ")");
	error = sra_db__prepare(&db->copy.ins, db, sra_buf_cstr(&sql));
	sra_buf_dispose(&sql);
	if (error < 0) {
		sra_db__finalize(db, db->copy.ins);
		db->copy.ins = NULL;
		return error;
	}
	db->copy.ncols = ncols;
	db->copy.params = sra__calloc(ncols ? ncols : 1, sizeof(*db->copy.params));
	return 0;
}

int sra_db__copy_row(sra_db *db, const char *const *cells, size_t ncols)
{
	size_t i;

	if (db->ops.copy_row)
		return db->ops.copy_row(db->be, cells, ncols);
	if (!db->copy.ins)
		return sra_error_set(SRA_ERROR_DB, SRA_EINVALID, "no bulk load in progress");
	if (ncols != db->copy.ncols)
		return sra_error_set(SRA_ERROR_DB, SRA_EINVALID, "bulk load: %zu cells for %zu columns",
				     ncols, db->copy.ncols);
	for (i = 0; i < ncols; i++)
		db->copy.params[i] = SRA_VAL_TEXT(cells[i]);
	return sra_db__execute(db, db->copy.ins, db->copy.params, ncols);
}

int sra_db__copy_end(sra_db *db, int ok)
{
	if (db->ops.copy_end)
		return db->ops.copy_end(db->be, ok);
	sra_db__finalize(db, db->copy.ins);
	free(db->copy.params);
	memset(&db->copy, 0, sizeof(db->copy));
	return 0;
}

/* ---- opening -------------------------------------------------------- */

int sra_backend_open_url(sra_backend **out, const char *url, const sra_open_options *opts)
{
	sra_open_options defaults = SRA_OPEN_OPTIONS_INIT;
	sra_url u;
	int error;

	SRA_ASSERT_ARG(out && url);
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if ((error = sra_db__parse_url(&u, url)) < 0)
		return error;
	error = u.ops->open(out, u.target, opts);
	sra_url__dispose(&u);
	return error;
}

int sra_db_open_backend(sra_db **out, sra_backend *be, const char *url)
{
	sra_db *db;
	int error;

	SRA_ASSERT_ARG(out && be);
	db = sra__calloc(1, sizeof(*db));
	if ((error = ops_register(&db->ops, be->ops)) < 0) {
		if (be->ops && be->ops->close)
			be->ops->close(be);
		free(db);
		return error;
	}
	db->be = be;
	db->url_masked = sra_db_mask_url(url);
	*out = db;
	return 0;
}

int sra_db_open(sra_db **out, const char *url, const sra_open_options *opts)
{
	sra_backend *be = NULL;
	int error;

	SRA_ASSERT_ARG(out && url);
	if ((error = sra_backend_open_url(&be, url, opts)) < 0)
		return error;
	return sra_db_open_backend(out, be, url);
}

void sra_db_free(sra_db *db)
{
	if (!db)
		return;
	sra_db__finalize(db, db->copy.ins);
	free(db->copy.params);
	if (db->be)
		db->ops.close(db->be);
	free(db->url_masked);
	free(db);
}

const char *sra_db_dialect(const sra_db *db)
{
	return db->ops.name;
}

const char *sra_db_url(const sra_db *db)
{
	return db->url_masked;
}

sra_backend *sra_db__backend(sra_db *db)
{
	return db->be;
}
