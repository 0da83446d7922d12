/*
 * Writing an output file (sra_bm__write_file, benchmark_int.h): the one
 * place where a command writes a file it was given with -o.
 *
 * A regular file (or a name that does not exist yet) is written to a
 * temporary file next to it and renamed over it, so a reader never sees
 * half a file; the temporary file takes the old file's permissions (a new
 * one gets 0666 less the umask, as the shell's `>` would).  Anything else
 * -- a FIFO, a device, a socket, /dev/stdout, /proc/self/fd/N -- is opened
 * and written through: renaming over /dev/null would replace the device
 * with a regular file.  A symbolic link is followed, and its target is
 * judged the same way; the link itself stays.
 *
 * Temporary files are named ".NAME.sra-tmp.PID": a run killed before its
 * rename leaves one behind, and a later run writing NAME removes those whose
 * process is gone.  The workbook that --format xlsx builds in $TMPDIR
 * (export_xlsx.c) is named and cleaned the same way.
 */
#include "common.h"
#include "benchmark_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
	int fd;
	const char *path;	/* as the user named it, for messages */
} file_sink;

static int write_fd(void *payload, const char *data, size_t len)
{
	file_sink *f = payload;

	while (len) {
		ssize_t n = write(f->fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot write '%s': %s",
					     f->path, strerror(errno));
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

void sra_bm__clean_stale_temps(const char *dir, const char *base)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t blen = strlen(base);

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name, *pid_s;
		char *end;
		long pid;

		if (n[0] != '.' || strncmp(n + 1, base, blen) != 0 || strncmp(n + 1 + blen, ".sra-tmp.", 9) != 0)
			continue;
		pid_s = n + 1 + blen + 9;
		errno = 0;
		pid = strtol(pid_s, &end, 10);
		if (*pid_s == '\0' || (*end != '\0' && *end != '.') || errno || pid <= 0 || pid > INT_MAX)
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;	/* alive (or not ours to judge) */
		{
			char *full = sra__sprintf("%s/%s", dir, n);
			unlink(full);
			free(full);
		}
	}
	closedir(d);
}

/* the descriptor that /dev/stdout, /dev/fd/N or /proc/self/fd/N names, else -1 */
static int named_fd(const char *path)
{
	const char *n = NULL;
	char *end;
	long fd;

	if (strcmp(path, "/dev/stdout") == 0)
		return 1;
	if (strcmp(path, "/dev/stderr") == 0)
		return 2;
	if (strncmp(path, "/dev/fd/", 8) == 0)
		n = path + 8;
	else if (strncmp(path, "/proc/self/fd/", 14) == 0)
		n = path + 14;
	if (!n || !*n)
		return -1;
	fd = strtol(n, &end, 10);
	return *end || fd < 0 || fd > INT_MAX ? -1 : (int)fd;
}

/*
 * Write through what is there: a FIFO, a device, or one of our own
 * descriptors (written as is, so `-o /dev/stdout >>log` appends).
 */
static int write_through(const char *path, sra_bm_produce_fn produce, void *ctx)
{
	file_sink f = { -1, path };
	int fd = named_fd(path), error;

	if (fd >= 0)
		f.fd = dup(fd);
	else
		f.fd = open(path, O_WRONLY | O_CLOEXEC);
	if (f.fd < 0)
		return sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot open '%s': %s", path, strerror(errno));
	error = produce(ctx, write_fd, &f);
	if (close(f.fd) < 0 && error == 0)
		error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot write '%s': %s", path, strerror(errno));
	return error;
}

int sra_bm__write_file(const char *path, sra_bm_produce_fn produce, void *ctx)
{
	file_sink f = { -1, path };
	struct stat st;
	char *real = NULL, *dir = NULL, *tmp = NULL;
	const char *target = path, *slash, *base;
	int have_old, error;

	if (!path || !*path)
		return sra_error_set(SRA_ERROR_INVALID, SRA_EINVALID, "the output file name is empty");
	if (named_fd(path) >= 0 || strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0)
		return write_through(path, produce, ctx);
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		/* a link to a regular file: replace that file, keep the link */
		if (stat(path, &st) != 0)
			return sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot write '%s': %s", path,
					     "a symbolic link to nothing");
		if (!S_ISREG(st.st_mode) || !(real = realpath(path, NULL)))
			return write_through(path, produce, ctx);
		target = real;
	}
	have_old = stat(target, &st) == 0;
	if (have_old && S_ISDIR(st.st_mode)) {
		free(real);
		return sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot write '%s': %s", path, strerror(EISDIR));
	}
	if (have_old && !S_ISREG(st.st_mode)) {
		free(real);
		return write_through(path, produce, ctx);
	}

	/* the temporary file next to the target, so rename() is atomic */
	slash = strrchr(target, '/');
	dir = slash ? sra__strndup(target, slash == target ? 1 : (size_t)(slash - target)) : sra__strdup(".");
	base = slash ? slash + 1 : target;
	sra_bm__clean_stale_temps(dir, base);
	tmp = sra__sprintf("%s/.%s.sra-tmp.%ld", dir, base, (long)getpid());
	unlink(tmp);	/* ours from an earlier call in this process */
	if ((f.fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) < 0) {
		error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot create a file next to '%s': %s",
				      path, strerror(errno));
		goto done;
	}
	if (have_old && fchmod(f.fd, st.st_mode & 07777) < 0) {
		error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot write '%s': %s", path, strerror(errno));
		close(f.fd);
		goto fail;
	}
	error = produce(ctx, write_fd, &f);
	if (error == 0 && fsync(f.fd) < 0)
		error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot write '%s': %s", path, strerror(errno));
	if (close(f.fd) < 0 && error == 0)
		error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot write '%s': %s", path, strerror(errno));
	if (error == 0 && rename(tmp, target) < 0)
		error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot write '%s': %s", path, strerror(errno));
fail:
	if (error)
		unlink(tmp);
done:
	free(tmp);
	free(dir);
	free(real);
	return error;
}
