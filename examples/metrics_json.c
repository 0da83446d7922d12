/*
 * An example of a program that uses libsra through pkg-config: the accuracy
 * and agreement statistics of a 2x2 screening table, printed as JSON.
 *
 *   cc metrics_json.c $(pkg-config --cflags --libs libsra) -o metrics_json
 *   ./metrics_json 40 60 10 890        # TP FP FN TN
 *
 * Exit status: 0, 2 for bad arguments, 1 when libsra refuses the table.
 */
#include <sra/sra.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static int parse_count(int64_t *out, const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	sra_confusion c;
	sra_metrics m;
	char *json = NULL;

	if (argc != 5 || parse_count(&c.tp, argv[1]) || parse_count(&c.fp, argv[2]) ||
	    parse_count(&c.fn, argv[3]) || parse_count(&c.tn, argv[4])) {
		fprintf(stderr, "usage: %s TP FP FN TN (counts >= 0)\n", argv[0]);
		return 2;
	}
	if (sra_metrics_compute(&m, &c) < 0 || sra_metrics_to_json(&json, &m) < 0) {
		fprintf(stderr, "%s: %s\n", argv[0], sra_error_last()->message);
		return 1;
	}
	printf("%s\n", json);	/* sra_metrics_to_json's string: ours to free */
	free(json);
	return 0;
}
