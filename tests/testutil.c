/* Helpers shared by the cmocka tests (see testutil.h). */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <sra/sra.h>
#include <sra/sys/backend.h>

char *sra_test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[4096];
	char *dir;

	snprintf(tmpl, sizeof(tmpl), "%s/sra-test.XXXXXX", base && *base ? base : "/tmp");
	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	return strdup(dir);
}

void sra_test_rmtree(const char *dir)
{
	char cmd[8192];

	if (!dir || !*dir || strcmp(dir, "/") == 0)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "warning: could not remove %s\n", dir);
}

char *sra_test_sqlite_url(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 32;
	char *url = malloc(n);

	/* dir is absolute, so sqlite:// + "/" + "/tmp/…" gives the four-slash form */
	snprintf(url, n, "sqlite:///%s/%s", dir, name);
	return url;
}

static int require_pg(void)
{
	const char *v = getenv("SRA_REQUIRE_PG");
	return v && strcmp(v, "1") == 0;
}

int sra_test_pg_admin(const char *sql)
{
	const char *admin = getenv("TEST_DATABASE_URL");
	sra_db *db = NULL;
	sra_backend *be;
	int error;

	if ((error = sra_db_open(&db, admin, NULL)) < 0)
		return error;
	be = sra_db__backend(db);
	error = be->ops->exec(be, sql);
	sra_db_free(db);
	return error;
}

char *sra_test_pg_url(void)
{
	static int counter;
	const char *admin = getenv("TEST_DATABASE_URL");
	char name[64], sql[128], *url, *q, *out;
	size_t n;

	if (!admin || !*admin) {
		if (require_pg())
			fail_msg("TEST_DATABASE_URL is not set but SRA_REQUIRE_PG=1");
		return NULL;
	}
	snprintf(name, sizeof(name), "sra_test_%ld_%d", (long)getpid(), counter++);
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", name);
	sra_test_pg_admin(sql);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
	if (sra_test_pg_admin(sql) < 0) {
		const sra_error *e = sra_error_last();
		fail_msg("cannot create %s on the test server: %s", name, e ? e->message : "?");
	}
	/* swap the database name in the URL: postgresql:///sra_test?host=… */
	url = strdup(admin);
	q = strchr(url, '?');
	n = strlen(url) + strlen(name) + 16;
	out = malloc(n);
	{
		char *path = strstr(url, "://");
		char *slash = path ? strchr(path + 3, '/') : NULL;
		if (!slash || (q && slash > q))
			fail_msg("TEST_DATABASE_URL must be a postgresql:// URL with a database name");
		*slash = '\0';
		snprintf(out, n, "%s/%s%s", url, name, q ? strchr(admin, '?') : "");
	}
	free(url);
	return out;
}

void sra_test_pg_drop(const char *url)
{
	const char *slash, *q;
	char name[128], sql[200];
	size_t len;

	if (!url)
		return;
	slash = strchr(strstr(url, "://") + 3, '/');
	q = strchr(slash, '?');
	len = q ? (size_t)(q - slash - 1) : strlen(slash + 1);
	if (len >= sizeof(name))
		return;
	memcpy(name, slash + 1, len);
	name[len] = '\0';
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
	sra_test_pg_admin(sql);
}

char *sra_test_db_url(char **dir, const char *dialect, const char *file)
{
	char *url;

	*dir = NULL;
	if (strcmp(dialect, "sqlite") != 0) {
		if (!(url = sra_test_pg_url()))
			print_message("TEST_DATABASE_URL is not set: the PostgreSQL cases skip\n");
		return url;
	}
	*dir = sra_test_tmpdir();
	return sra_test_sqlite_url(*dir, file);
}

void sra_test_db_dispose(char *dir, char *url)
{
	if (dir)
		sra_test_rmtree(dir);
	else if (url)
		sra_test_pg_drop(url);
	free(dir);
	free(url);
}

char *sra_test_run(int *status, const char *fmt, ...)
{
	char cmd[16384];
	char *out = NULL;
	size_t len = 0, cap = 0, n;
	char chunk[4096];
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			out = realloc(out, cap);
		}
		memcpy(out + len, chunk, n);
		len += n;
	}
	if (!out)
		out = calloc(1, 1);
	out[len] = '\0';
	st = pclose(p);
	if (status)
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	return out;
}

char *sra_test_read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	buf[n] = '\0';
	fclose(f);
	return buf;
}

int sra_test_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

const char *sra_test_source_dir(void)
{
	const char *d = getenv("SRA_SOURCE_DIR");
	return d ? d : ".";
}
