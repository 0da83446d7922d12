/*
 * Loading and validating the revision chain: the header and sections of
 * each migration file (migrations.md, "Migration files"), the dependency
 * order, heads and id lookup.  Everything here is checked before any
 * database is touched.
 */
#include "common.h"
#include "chain.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include <nettle/sha2.h>

typedef struct {
	const char *name;
	const unsigned char *data;
	size_t len;
} sra_embedded_file;

extern const sra_embedded_file sra__embedded_migrations[];

/*
 * The Python application's Alembic chain (original-sra.md §2).  sra ships
 * three of its ids as revisions 1–3; a database left at any other one gets a
 * message that says what to do rather than "unknown revision".
 */
static const char *const alembic_chain[] = {
	"254fe6c3d36d", "61a85ed79c7d", "2b20294131a6", "443f02163793", "edd72f8c1a16",
	"0ab256b04824", "a8b474163c4b", "8f3511ee9250", "2c7373437db5", "f4c07df39652",
	"3c121a82c373", "d122fe7364e6", "868b4d1ee498", "9c8ba76fedd3", "ec76fb98d0da",
	"1e530067ad44", "446c386d3d77", "39a7520b10c2", "9cd2f7e24c87", "ad42aea13565",
};

const char *sra_chain__alembic_only(const char *id)
{
	size_t i;

	for (i = 0; i < SRA_ARRAY_SIZE(alembic_chain); i++)
		if (strcmp(alembic_chain[i], id) == 0)
			return alembic_chain[i];
	return NULL;
}

static void revision_free(sra_revision *rev)
{
	size_t i;

	if (!rev)
		return;
	free(rev->id);
	sra_strv_dispose(&rev->parents);
	free(rev->message);
	free(rev->created);
	free(rev->path);
	for (i = 0; i < rev->nsections; i++) {
		free(rev->sections[i].dialect);
		free(rev->sections[i].text);
	}
	free(rev->sections);
	free(rev);
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int valid_id(const char *id)
{
	const char *p;

	if (!*id || strlen(id) > 32)
		return 0;
	for (p = id; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '_'))
			return 0;
	return 1;
}

static int parse_error(const char *path, int line, const char *what)
{
	return sra_error_set(SRA_ERROR_CHAIN, SRA_EINVALID, "%s:%d: %s", path, line, what);
}

/*
 * Parse one file.  The header is a run of `-- key: value` lines before the
 * first `-- +upgrade`; sections run to the next section marker.
 */
static int parse_file(sra_revision **out, const char *path, const char *data, size_t len)
{
	sra_revision *rev = sra__calloc(1, sizeof(*rev));
	sra_buf text = SRA_BUF_INIT;
	sra_section *cur = NULL;
	const char *p = data, *end = data + len;
	int lineno = 0, error = 0, have_down = 0;
	char msg[512];

	rev->path = sra__strdup(path);
	rev->transactional = 1;
	if (memchr(data, '\0', len))
		return revision_free(rev), parse_error(path, 1, "file contains a NUL byte");

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t llen = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line;

		lineno++;
		if (llen && p[llen - 1] == '\r')
			llen--;	/* CRLF → LF */
		line = sra__strndup(p, llen);
		p = nl ? nl + 1 : end;

		if (strncmp(line, "-- +", 4) == 0) {
			char *word = trim(line + 4), *dialect;
			int upgrade;

			dialect = word + strcspn(word, " \t");
			if (*dialect)
				*dialect++ = '\0';
			dialect = trim(dialect);
			if (strcmp(word, "upgrade") == 0)
				upgrade = 1;
			else if (strcmp(word, "downgrade") == 0)
				upgrade = 0;
			else {
				snprintf(msg, sizeof(msg), "unknown section marker '-- +%s' (expected -- +upgrade or -- +downgrade)", word);
				error = parse_error(path, lineno, msg);
				free(line);
				goto done;
			}
			if (*dialect && strcmp(dialect, "postgresql") != 0 && strcmp(dialect, "sqlite") != 0) {
				snprintf(msg, sizeof(msg), "unknown dialect '%s' (expected postgresql or sqlite)", dialect);
				error = parse_error(path, lineno, msg);
				free(line);
				goto done;
			}
			if (cur)
				cur->text = sra_buf_detach(&text);
			rev->sections = sra__realloc(rev->sections, (rev->nsections + 1) * sizeof(sra_section));
			cur = &rev->sections[rev->nsections++];
			memset(cur, 0, sizeof(*cur));
			cur->upgrade = upgrade;
			cur->dialect = *dialect ? sra__strdup(dialect) : NULL;
			cur->line = lineno + 1;
			free(line);
			continue;
		}
		if (cur) {
			sra_buf_puts(&text, line);
			sra_buf_putc(&text, '\n');
			free(line);
			continue;
		}
		/* header */
		if (strncmp(line, "--", 2) == 0 && strchr(line, ':')) {
			char *key = trim(line + 2), *value = strchr(key, ':');

			*value++ = '\0';
			key = trim(key);
			value = trim(value);
			if (strcmp(key, "revision") == 0) {
				if (!valid_id(value)) {
					snprintf(msg, sizeof(msg), "bad revision id '%s' (1-32 letters, digits or _)", value);
					error = parse_error(path, lineno, msg);
				} else {
					free(rev->id);
					rev->id = sra__strdup(value);
				}
			} else if (strcmp(key, "down_revision") == 0) {
				char *tok, *save = NULL;

				have_down = 1;
				if (strcmp(value, "none") != 0 && strcmp(value, "None") != 0 && *value) {
					for (tok = strtok_r(value, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
						if (!valid_id(tok)) {
							snprintf(msg, sizeof(msg), "bad down_revision '%s'", tok);
							error = parse_error(path, lineno, msg);
							break;
						}
						sra_strv_push(&rev->parents, tok);
					}
				}
			} else if (strcmp(key, "message") == 0) {
				free(rev->message);
				rev->message = sra__strdup(value);
			} else if (strcmp(key, "created") == 0) {
				free(rev->created);
				rev->created = sra__strdup(value);
			} else if (strcmp(key, "transactional") == 0) {
				if (strcmp(value, "false") == 0)
					rev->transactional = 0;
				else if (strcmp(value, "true") != 0)
					error = parse_error(path, lineno, "transactional must be true or false");
			}
			/* other "-- words: …" comment lines are kept as comments */
			free(line);
			if (error < 0)
				goto done;
			continue;
		}
		if (*trim(line) && strncmp(trim(line), "--", 2) != 0) {
			error = parse_error(path, lineno, "SQL before the first '-- +upgrade' section");
			free(line);
			goto done;
		}
		free(line);
	}
	if (cur)
		cur->text = sra_buf_detach(&text);

	if (!rev->id) {
		error = parse_error(path, 1, "missing '-- revision: ID' header");
		goto done;
	}
	if (!have_down) {
		error = parse_error(path, 1, "missing '-- down_revision: ID|none' header");
		goto done;
	}
	{
		size_t i;
		int has_up = 0;
		for (i = 0; i < rev->nsections; i++)
			has_up |= rev->sections[i].upgrade;
		if (!has_up) {
			error = parse_error(path, lineno, "no '-- +upgrade' section");
			goto done;
		}
	}
	if (!rev->message)
		rev->message = sra__strdup("");
	if (!rev->created)
		rev->created = sra__strdup("");
	*out = rev;
	rev = NULL;
done:
	sra_buf_dispose(&text);
	revision_free(rev);
	return error;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_dir(sra_revision ***out, size_t *n, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	sra_strv names = SRA_STRV_INIT;
	size_t i;
	int error = 0;

	if (!d)
		return sra_error_set(SRA_ERROR_OS, SRA_EINVALID, "cannot read migrations directory %s: %s",
				     dir, strerror(errno));
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l > 4 && strcmp(e->d_name + l - 4, ".sql") == 0 && e->d_name[0] != '.')
			sra_strv_push(&names, e->d_name);
	}
	closedir(d);
	if (names.n)
		qsort(names.v, names.n, sizeof(char *), cmp_str);
	*out = sra__calloc(names.n ? names.n : 1, sizeof(sra_revision *));
	*n = 0;
	for (i = 0; i < names.n; i++) {
		char *full = sra__sprintf("%s/%s", dir, names.v[i]);
		FILE *f = fopen(full, "rb");
		sra_buf data = SRA_BUF_INIT;
		char chunk[8192];
		size_t got;

		if (!f) {
			error = sra_error_set(SRA_ERROR_OS, SRA_EINVALID, "cannot open %s: %s", full, strerror(errno));
			free(full);
			break;
		}
		while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
			sra_buf_put(&data, chunk, got);
		fclose(f);
		error = parse_file(&(*out)[*n], full, sra_buf_cstr(&data), data.size);
		sra_buf_dispose(&data);
		free(full);
		if (error < 0)
			break;
		(*n)++;
	}
	sra_strv_dispose(&names);
	return error;
}

static sra_revision *find_exact(sra_revision **revs, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(revs[i]->id, id) == 0)
			return revs[i];
	return NULL;
}

/*
 * Order the revisions so every parent comes before its children (Kahn's
 * algorithm, ties broken by file order for a stable result); a revision left
 * over belongs to a cycle.
 */
static int order_chain(sra_chain *chain, sra_revision **revs, size_t n)
{
	size_t *pending = sra__calloc(n ? n : 1, sizeof(size_t));
	int *placed = sra__calloc(n ? n : 1, sizeof(int));
	size_t i, j, k, count = 0;
	int error = 0;

	for (i = 0; i < n; i++)
		pending[i] = revs[i]->parents.n;
	chain->order = sra__calloc(n ? n : 1, sizeof(sra_revision *));
	while (count < n) {
		int progressed = 0;
		for (i = 0; i < n; i++) {
			if (placed[i] || pending[i])
				continue;
			placed[i] = 1;
			revs[i]->index = count;
			chain->order[count++] = revs[i];
			progressed = 1;
			for (j = 0; j < n; j++)
				for (k = 0; k < revs[j]->parents.n; k++)
					if (strcmp(revs[j]->parents.v[k], revs[i]->id) == 0)
						pending[j]--;
			break;	/* restart: keeps file order among ready revisions */
		}
		if (!progressed) {
			sra_buf ids = SRA_BUF_INIT;
			for (i = 0; i < n; i++)
				if (!placed[i])
					sra_buf_printf(&ids, "%s%s", ids.size ? ", " : "", revs[i]->id);
			error = sra_error_set(SRA_ERROR_CHAIN, SRA_ECONFLICT,
					      "the revision chain has a cycle through %s", sra_buf_cstr(&ids));
			sra_buf_dispose(&ids);
			for (i = 0; i < n; i++)
				if (!placed[i])
					revision_free(revs[i]);
			break;
		}
	}
	chain->n = count;
	free(pending);
	free(placed);
	return error;
}

int sra_chain_load(sra_chain **out, const char *dir)
{
	sra_revision **revs = NULL;
	sra_chain *chain = NULL;
	size_t n = 0, i, j;
	int error = 0;

	SRA_ASSERT_ARG(out);
	if (dir) {
		error = read_dir(&revs, &n, dir);
	} else {
		for (i = 0; sra__embedded_migrations[i].name; i++)
			;
		revs = sra__calloc(i ? i : 1, sizeof(sra_revision *));
		for (i = 0; sra__embedded_migrations[i].name; i++) {
			const sra_embedded_file *f = &sra__embedded_migrations[i];
			char *path = sra__sprintf("migrations/%s", f->name);
			error = parse_file(&revs[n], path, (const char *)f->data, f->len);
			free(path);
			if (error < 0)
				break;
			n++;
		}
	}
	if (error < 0)
		goto fail;
	if (n == 0) {
		error = sra_error_set(SRA_ERROR_CHAIN, SRA_EINVALID, "no migration files in %s",
				      dir ? dir : "the built-in chain");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(revs[i]->id, revs[j]->id) == 0) {
				error = sra_error_set(SRA_ERROR_CHAIN, SRA_ECONFLICT,
					"duplicate revision id %s in %s and %s", revs[i]->id, revs[j]->path, revs[i]->path);
				goto fail;
			}
		for (j = 0; j < revs[i]->parents.n; j++)
			if (!find_exact(revs, n, revs[i]->parents.v[j])) {
				error = sra_error_set(SRA_ERROR_CHAIN, SRA_ECONFLICT,
					"%s: down_revision %s of %s is not in the chain",
					revs[i]->path, revs[i]->parents.v[j], revs[i]->id);
				goto fail;
			}
	}
	chain = sra__calloc(1, sizeof(*chain));
	if ((error = order_chain(chain, revs, n)) < 0) {
		/* order_chain freed the unplaced ones; the placed ones are in chain */
		free(revs);
		sra_chain_free(chain);
		return error;
	}
	free(revs);
	*out = chain;
	return 0;
fail:
	for (i = 0; i < n; i++)
		revision_free(revs[i]);
	free(revs);
	return error;
}

void sra_chain_free(sra_chain *chain)
{
	size_t i;

	if (!chain)
		return;
	for (i = 0; i < chain->n; i++)
		revision_free(chain->order[i]);
	free(chain->order);
	free(chain);
}

size_t sra_chain_count(const sra_chain *chain)
{
	return chain->n;
}

const sra_revision *sra_chain_at(const sra_chain *chain, size_t i)
{
	return i < chain->n ? chain->order[i] : NULL;
}

int sra_chain_lookup(const sra_revision **out, const sra_chain *chain, const char *id)
{
	const sra_revision *found = NULL;
	size_t i, len = strlen(id);

	if (!len)
		return sra_error_set(SRA_ERROR_CHAIN, SRA_ENOTFOUND, "empty revision id");
	for (i = 0; i < chain->n; i++) {
		if (strcmp(chain->order[i]->id, id) == 0) {
			*out = chain->order[i];
			return 0;
		}
		if (strncmp(chain->order[i]->id, id, len) == 0) {
			if (found)
				return sra_error_set(SRA_ERROR_CHAIN, SRA_ECONFLICT,
					"revision prefix '%s' is ambiguous: %s, %s", id, found->id, chain->order[i]->id);
			found = chain->order[i];
		}
	}
	if (!found) {
		if (sra_chain__alembic_only(id))
			return sra_error_set(SRA_ERROR_CHAIN, SRA_ENOTFOUND,
				"revision %s belongs to the Python application's Alembic chain, which sra does not ship: "
				"bring the database to ad42aea13565 with that application's `alembic upgrade ad42aea13565` first, "
				"or check it matches and `sra db stamp` it", id);
		return sra_error_set(SRA_ERROR_CHAIN, SRA_ENOTFOUND, "unknown revision '%s'", id);
	}
	*out = found;
	return 0;
}

int sra_chain_heads(sra_strarray *out, const sra_chain *chain)
{
	size_t i, j, k;

	out->strings = sra__calloc(chain->n ? chain->n : 1, sizeof(char *));
	out->count = 0;
	for (i = 0; i < chain->n; i++) {
		int is_parent = 0;
		for (j = 0; j < chain->n && !is_parent; j++)
			for (k = 0; k < chain->order[j]->parents.n; k++)
				if (strcmp(chain->order[j]->parents.v[k], chain->order[i]->id) == 0)
					is_parent = 1;
		if (!is_parent)
			out->strings[out->count++] = sra__strdup(chain->order[i]->id);
	}
	return 0;
}

void sra_strarray_dispose(sra_strarray *array)
{
	size_t i;

	if (!array)
		return;
	for (i = 0; i < array->count; i++)
		free(array->strings[i]);
	free(array->strings);
	array->strings = NULL;
	array->count = 0;
}

const char *sra_revision_id(const sra_revision *rev) { return rev->id; }
size_t sra_revision_parent_count(const sra_revision *rev) { return rev->parents.n; }
const char *sra_revision_message(const sra_revision *rev) { return rev->message; }
const char *sra_revision_created(const sra_revision *rev) { return rev->created; }
const char *sra_revision_path(const sra_revision *rev) { return rev->path; }
int sra_revision_transactional(const sra_revision *rev) { return rev->transactional; }

const char *sra_revision_parent(const sra_revision *rev, size_t i)
{
	return i < rev->parents.n ? rev->parents.v[i] : NULL;
}

size_t sra_revision__sections(const sra_section **out, size_t max, const sra_revision *rev,
			      int upgrade, const char *dialect)
{
	size_t i, n = 0;

	for (i = 0; i < rev->nsections && n < max; i++) {
		const sra_section *s = &rev->sections[i];
		if (s->upgrade != upgrade)
			continue;
		if (s->dialect && strcmp(s->dialect, dialect) != 0)
			continue;
		out[n++] = s;
	}
	return n;
}

char *sra_revision_sql(const sra_revision *rev, int upgrade, const char *dialect)
{
	const sra_section *parts[16];
	size_t n = sra_revision__sections(parts, 16, rev, upgrade, dialect), i;
	sra_buf b = SRA_BUF_INIT;

	for (i = 0; i < n; i++)
		sra_buf_puts(&b, parts[i]->text);
	return sra_buf_detach(&b);
}

void sra_revision__checksum(char out[65], const sra_revision *rev, int upgrade, const char *dialect)
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	char *sql = sra_revision_sql(rev, upgrade, dialect);
	size_t i;

	sha256_init(&ctx);
	sha256_update(&ctx, strlen(sql), (const uint8_t *)sql);
	sha256_digest(&ctx, sizeof(digest), digest);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
	free(sql);
}
