/*
 * The main() of a fuzz target built without libFuzzer: run every file named
 * on the command line (a directory: every file in it) through
 * LLVMFuzzerTestOneInput once.  Any crash or sanitizer report fails the run;
 * the test passes when every input returns.
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t size = 0, cap = 0, got;

	if (!f) {
		perror(path);
		return 1;
	}
	do {
		if (size == cap) {
			cap = cap ? cap * 2 : 65536;
			if (!(data = realloc(data, cap)))
				abort();
		}
		got = fread(data + size, 1, cap - size, f);
		size += got;
	} while (got);
	fclose(f);
	/* libFuzzer hands over a buffer of exactly `size` bytes: so does this */
	uint8_t *exact = malloc(size ? size : 1);
	if (!exact)
		abort();
	if (size)
		memcpy(exact, data, size);
	free(data);
	LLVMFuzzerTestOneInput(exact, size);
	free(exact);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path, size_t *count)
{
	struct stat sb;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;
	int failed = 0;

	if (stat(path, &sb) != 0) {
		perror(path);
		return 1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	if (!(d = opendir(path))) {
		perror(path);
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;	/* ., .., .gitkeep */
		if (!(names = realloc(names, (n + 1) * sizeof(*names))))
			abort();
		names[n] = malloc(strlen(path) + strlen(e->d_name) + 2);
		if (!names[n])
			abort();
		sprintf(names[n++], "%s/%s", path, e->d_name);
	}
	closedir(d);
	if (n)	/* qsort(NULL, 0, ...) is undefined */
		qsort(names, n, sizeof(*names), cmp);
	for (i = 0; i < n; i++) {
		failed |= run_path(names[i], count);
		free(names[i]);
	}
	free(names);
	return failed;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int i, failed = 0;

	for (i = 1; i < argc; i++)
		failed |= run_path(argv[i], &count);
	printf("%s: %zu inputs replayed\n", argv[0], count);
	return failed;
}
